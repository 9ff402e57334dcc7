#include "store/copy/row_checksum.h"

#include <fmt/format.h>
#include <sodium.h>

#include <cmath>
#include <cstring>
#include <limits>

namespace sei::store_copy {

namespace {

void PutU64(uint64_t v, std::string* out) {
  for (int shift = 56; shift >= 0; shift -= 8) out->push_back(static_cast<char>(v >> shift));
}

uint64_t GetU64(const unsigned char* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | p[i];
  return v;
}

}  // namespace

std::string EncodeRow(const model::Row& row) {
  std::string out;
  PutU64(row.size(), &out);
  for (const model::Value& v : row) {
    if (const auto* n = std::get_if<int64_t>(&v)) {
      out.push_back('I');
      PutU64(static_cast<uint64_t>(*n), &out);
    } else if (const auto* d = std::get_if<double>(&v)) {
      double x = std::isnan(*d) ? std::numeric_limits<double>::quiet_NaN() : *d;
      uint64_t bits = 0;
      std::memcpy(&bits, &x, sizeof bits);
      out.push_back('R');
      PutU64(bits, &out);
    } else if (const auto* s = std::get_if<std::string>(&v)) {
      out.push_back('T');
      PutU64(s->size(), &out);
      out += *s;
    } else {
      out.push_back('N');
    }
  }
  return out;
}

RowHash HashRow(const model::Row& row) {
  static const bool ready = sodium_init() >= 0;  // idempotent, thread-safe
  (void)ready;
  const std::string bytes = EncodeRow(row);
  unsigned char digest[16];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(bytes.data()),
                     bytes.size(), nullptr, 0);
  return {GetU64(digest), GetU64(digest + 8)};
}

void TableChecksum::Add(const RowHash& hash) {
  ++rows_;
  const uint64_t lo = sum_.lo + hash.lo;
  sum_.hi += hash.hi + (lo < sum_.lo ? 1 : 0);
  sum_.lo = lo;
}

std::string TableChecksum::Hex() const { return fmt::format("{:016x}{:016x}", sum_.hi, sum_.lo); }

}  // namespace sei::store_copy
