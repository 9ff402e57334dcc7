// git's binary delta format, the payload of OFS_DELTA and REF_DELTA pack
// entries: two little-endian base-128 sizes (base, result), then
// instructions that either copy a range of the base (opcode bit 7 set, up to
// 4 offset and 3 length bytes selected by bits 0-6; length 0 means 0x10000)
// or insert the next 1-127 literal bytes (opcode 1-127). Opcode 0 is
// reserved.
//
// Why it exists: applying deltas is half of reading a packed object; this
// does it with every bound checked, and without zero-filling or reallocating
// an output buffer that already has the capacity.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace sei::git::internal {

// Reads the base and result sizes from `delta`'s header; false when the
// header is truncated or malformed.
bool ReadDeltaHeader(std::string_view delta, uint64_t* base_size, uint64_t* result_size);

// Applies `delta` to `base`, replacing *out (which must not alias `base` or
// `delta`) with the result. DataLoss, saying what was wrong but not naming
// the object (the caller adds it), when the delta is malformed or does not
// fit the base: sizes differ, a copy reaches past the base, an insert runs
// past the delta, or the output is not exactly the declared size.
Status ApplyDelta(std::string_view base, std::string_view delta, std::string* out);

}  // namespace sei::git::internal
