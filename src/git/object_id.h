// ObjectId: a git object name (SHA-1, 20 bytes), with hex conversion and
// hashing so it can key hash maps.
//
// Thread safety: a value type.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace sei::git {

struct ObjectId {
  std::array<uint8_t, 20> bytes{};

  static constexpr size_t kRawSize = 20;
  static constexpr size_t kHexSize = 40;

  // Parses 40 hex digits (either case); nullopt on anything else.
  static std::optional<ObjectId> FromHex(std::string_view hex);
  // Copies 20 raw bytes.
  static ObjectId FromRaw(const uint8_t* raw) {
    ObjectId id;
    std::memcpy(id.bytes.data(), raw, kRawSize);
    return id;
  }

  std::string Hex() const;
  void AppendHex(std::string* out) const;
  bool IsZero() const;

  friend bool operator==(const ObjectId& a, const ObjectId& b) { return a.bytes == b.bytes; }
  friend bool operator!=(const ObjectId& a, const ObjectId& b) { return a.bytes != b.bytes; }
  friend bool operator<(const ObjectId& a, const ObjectId& b) { return a.bytes < b.bytes; }
};

struct ObjectIdHash {
  size_t operator()(const ObjectId& id) const {
    // SHA-1 output is uniformly distributed: its first 8 bytes are a hash.
    size_t h;
    std::memcpy(&h, id.bytes.data(), sizeof(h));
    return h;
  }
};

}  // namespace sei::git
