#include "demo/sha_maker.h"

#include "demo/rng.h"

namespace sei::demo {

ShaMaker::ShaMaker(uint64_t seed, std::string_view repo_id)
    : key_(HashString(repo_id, seed ^ 0x5ba11ad5ULL)) {}

std::string ShaMaker::Next() {
  static constexpr char kHex[] = "0123456789abcdef";
  ++counter_;
  uint64_t words[3];
  words[0] = Mix64(key_ ^ (counter_ * 0x9e3779b97f4a7c15ULL));
  words[1] = Mix64(words[0] + key_);
  words[2] = Mix64(words[1] ^ counter_);
  std::string out(40, '0');
  for (int i = 0; i < 40; ++i) {
    const uint64_t w = words[i / 16];
    out[static_cast<size_t>(i)] = kHex[(w >> (60 - 4 * (i % 16))) & 0xf];
  }
  return out;
}

}  // namespace sei::demo
