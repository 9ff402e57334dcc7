#include "git/object_id.h"

namespace sei::git {

namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<ObjectId> ObjectId::FromHex(std::string_view hex) {
  if (hex.size() != kHexSize) return std::nullopt;
  ObjectId id;
  for (size_t i = 0; i < kRawSize; ++i) {
    const int hi = HexValue(hex[2 * i]);
    const int lo = HexValue(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    id.bytes[i] = static_cast<uint8_t>((hi << 4) | lo);
  }
  return id;
}

void ObjectId::AppendHex(std::string* out) const {
  const size_t at = out->size();
  out->resize(at + kHexSize);
  char* p = out->data() + at;
  for (uint8_t b : bytes) {
    *p++ = kHexDigits[b >> 4];
    *p++ = kHexDigits[b & 15];
  }
}

std::string ObjectId::Hex() const {
  std::string s;
  AppendHex(&s);
  return s;
}

bool ObjectId::IsZero() const {
  for (uint8_t b : bytes) {
    if (b != 0) return false;
  }
  return true;
}

}  // namespace sei::git
