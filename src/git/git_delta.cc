#include "git/git_delta.h"

#include <cstring>

namespace sei::git {

namespace {

// Little-endian base-128 size at *p; false when truncated or too long.
bool ReadVarint(const uint8_t** p, const uint8_t* end, uint64_t* v) {
  *v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (*p >= end) return false;
    uint8_t c = *(*p)++;
    *v |= static_cast<uint64_t>(c & 0x7f) << shift;
    if ((c & 0x80) == 0) return true;
  }
  return false;
}

}  // namespace

bool DeltaResultSize(std::string_view delta, uint64_t* size) {
  const auto* p = reinterpret_cast<const uint8_t*>(delta.data());
  const uint8_t* end = p + delta.size();
  uint64_t base_size = 0;
  return ReadVarint(&p, end, &base_size) && ReadVarint(&p, end, size);
}

Status ApplyDelta(std::string_view base, std::string_view delta, std::string* out) {
  uint64_t result_size = 0;
  if (!DeltaResultSize(delta, &result_size)) return DataLossError("truncated delta header");
  if (result_size > (uint64_t{1} << 40)) return DataLossError("delta result too large");
  out->resize(result_size);
  return ApplyDeltaTo(base, delta, out->data(), result_size);
}

Status ApplyDeltaTo(std::string_view base, std::string_view delta, char* dst, uint64_t out_size) {
  const auto* p = reinterpret_cast<const uint8_t*>(delta.data());
  const uint8_t* end = p + delta.size();
  uint64_t base_size = 0, result_size = 0;
  if (!ReadVarint(&p, end, &base_size) || !ReadVarint(&p, end, &result_size)) {
    return DataLossError("truncated delta header");
  }
  if (base_size != base.size()) return DataLossError("delta base size mismatch");
  if (result_size != out_size) return DataLossError("delta result size mismatch");
  uint64_t written = 0;
  while (p < end) {
    uint8_t op = *p++;
    if (op & 0x80) {  // copy from base: offset and size bytes follow, by flag bits
      uint64_t off = 0, len = 0;
      for (int i = 0; i < 4; ++i) {
        if (op & (1 << i)) {
          if (p >= end) return DataLossError("truncated delta copy");
          off |= static_cast<uint64_t>(*p++) << (8 * i);
        }
      }
      for (int i = 0; i < 3; ++i) {
        if (op & (0x10 << i)) {
          if (p >= end) return DataLossError("truncated delta copy");
          len |= static_cast<uint64_t>(*p++) << (8 * i);
        }
      }
      if (len == 0) len = 0x10000;
      if (off + len > base.size() || written + len > result_size) {
        return DataLossError("delta copy out of bounds");
      }
      std::memcpy(dst + written, base.data() + off, len);
      written += len;
    } else if (op != 0) {  // insert `op` literal bytes
      if (static_cast<uint64_t>(end - p) < op || written + op > result_size) {
        return DataLossError("delta insert out of bounds");
      }
      std::memcpy(dst + written, p, op);
      p += op;
      written += op;
    } else {
      return DataLossError("delta has a reserved zero opcode");
    }
  }
  if (written != result_size) return DataLossError("delta result size mismatch");
  return Status::Ok();
}

}  // namespace sei::git
