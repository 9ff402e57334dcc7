#include "git/delta.h"

#include <cstring>

namespace sei::git::internal {

namespace {

// Little-endian base-128 varint at *p; false when truncated or over 64 bits.
bool ReadVarint(const uint8_t** p, const uint8_t* end, uint64_t* v) {
  uint64_t value = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (*p >= end) return false;
    uint8_t c = *(*p)++;
    value |= static_cast<uint64_t>(c & 0x7f) << shift;
    if ((c & 0x80) == 0) {
      *v = value;
      return true;
    }
  }
  return false;
}

// Decodes the copy instruction `op` whose argument bytes start at *p.
bool ReadCopy(uint8_t op, const uint8_t** p, const uint8_t* end, uint64_t* off, uint64_t* len) {
  uint64_t o = 0, n = 0;
  for (int i = 0; i < 4; ++i) {
    if (op & (1u << i)) {
      if (*p >= end) return false;
      o |= static_cast<uint64_t>(*(*p)++) << (8 * i);
    }
  }
  for (int i = 0; i < 3; ++i) {
    if (op & (0x10u << i)) {
      if (*p >= end) return false;
      n |= static_cast<uint64_t>(*(*p)++) << (8 * i);
    }
  }
  *off = o;
  *len = n == 0 ? 0x10000 : n;
  return true;
}

// What the instructions from `p` write in total, every instruction checked
// against the base; false when one is malformed. Used before allocating an
// output whose declared size looks implausible.
bool CountOutput(const uint8_t* p, const uint8_t* end, uint64_t base_size, uint64_t* total) {
  uint64_t written = 0;
  while (p < end) {
    uint8_t op = *p++;
    if (op & 0x80) {
      uint64_t off = 0, len = 0;
      if (!ReadCopy(op, &p, end, &off, &len) || off + len > base_size) return false;
      written += len;
    } else if (op != 0 && static_cast<uint64_t>(end - p) >= op) {
      p += op;
      written += op;
    } else {
      return false;
    }
  }
  *total = written;
  return true;
}

}  // namespace

bool ReadDeltaSizes(std::string_view delta, uint64_t* base_size, uint64_t* result_size) {
  const auto* p = reinterpret_cast<const uint8_t*>(delta.data());
  const uint8_t* end = p + delta.size();
  return ReadVarint(&p, end, base_size) && ReadVarint(&p, end, result_size);
}

Status CheckDeltaHeader(std::string_view delta, uint64_t base_size, uint64_t* result_size) {
  const auto* p = reinterpret_cast<const uint8_t*>(delta.data());
  const uint8_t* const end = p + delta.size();
  uint64_t declared_base = 0;
  if (!ReadVarint(&p, end, &declared_base) || !ReadVarint(&p, end, result_size)) {
    return DataLossError("truncated delta header");
  }
  if (declared_base != base_size) {
    return DataLossError("delta expects a base of " + std::to_string(declared_base) +
                         " bytes, the base has " + std::to_string(base_size));
  }
  // A delta only produces what its instructions copy and insert; a declared
  // size far beyond the inputs is checked before anyone allocates it.
  if (*result_size > 4 * (base_size + delta.size()) + (1u << 20)) {
    uint64_t total = 0;
    if (!CountOutput(p, end, base_size, &total) || total != *result_size) {
      return DataLossError("delta declares a result of " + std::to_string(*result_size) +
                           " bytes its instructions do not produce");
    }
  }
  return Status::Ok();
}

Status ApplyDeltaTo(std::string_view base, std::string_view delta, char* out, uint64_t out_size) {
  const auto* p = reinterpret_cast<const uint8_t*>(delta.data());
  const uint8_t* const end = p + delta.size();
  uint64_t base_size = 0, result_size = 0;
  if (!ReadVarint(&p, end, &base_size) || !ReadVarint(&p, end, &result_size) ||
      base_size != base.size() || result_size != out_size) {
    return DataLossError("delta header does not match its base and result");
  }
  uint64_t written = 0;
  while (p < end) {
    const uint8_t op = *p++;
    if (op & 0x80) {
      uint64_t off = 0, len = 0;
      if (!ReadCopy(op, &p, end, &off, &len)) return DataLossError("truncated delta copy");
      if (off + len > base.size() || len > out_size - written) {
        return DataLossError("delta copy out of bounds");
      }
      std::memcpy(out + written, base.data() + off, len);
      written += len;
    } else if (op != 0) {
      if (static_cast<uint64_t>(end - p) < op || op > out_size - written) {
        return DataLossError("delta insert out of bounds");
      }
      std::memcpy(out + written, p, op);
      p += op;
      written += op;
    } else {
      return DataLossError("delta has the reserved opcode 0");
    }
  }
  if (written != out_size) {
    return DataLossError("delta produced " + std::to_string(written) + " bytes, its header says " +
                         std::to_string(out_size));
  }
  return Status::Ok();
}

Status ApplyDelta(std::string_view base, std::string_view delta, std::string* out) {
  uint64_t result_size = 0;
  SEI_RETURN_IF_ERROR(CheckDeltaHeader(delta, base.size(), &result_size));
  out->resize(result_size);  // no reallocation when the capacity is there
  return ApplyDeltaTo(base, delta, out->data(), result_size);
}

}  // namespace sei::git::internal
