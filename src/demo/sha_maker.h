// ShaMaker: synthetic, deterministic 40-hex object ids for one repository
// (commits, trees, tag objects). Each is 160 bits of a splitmix64 stream
// keyed by the repository and a counter, so ids never collide in practice
// and the same seed always yields the same ids.
//
// Thread safety: one thread at a time.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sei::demo {

class ShaMaker {
 public:
  ShaMaker(uint64_t seed, std::string_view repo_id);
  std::string Next();

 private:
  uint64_t key_;
  uint64_t counter_ = 0;
};

}  // namespace sei::demo
