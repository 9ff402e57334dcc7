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
// header is truncated or malformed. Nothing is checked against a base.
bool ReadDeltaSizes(std::string_view delta, uint64_t* base_size, uint64_t* result_size);

// Reads `delta`'s header and checks it against a base of `base_size` bytes,
// setting *result_size: what to allocate for ApplyDeltaTo(). A result size
// far beyond what the delta and base could produce is verified against the
// instructions first, so a corrupt header never causes a huge allocation.
// DataLoss, saying what was wrong but not naming the object (the caller
// adds it), when the header is malformed or does not fit the base.
Status CheckDeltaHeader(std::string_view delta, uint64_t base_size, uint64_t* result_size);

// Applies `delta` to `base`, writing exactly `out_size` bytes (the result
// size from CheckDeltaHeader) to `out`, which must not overlap the inputs.
// DataLoss when the delta is malformed or does not fit: a copy reaching past
// the base, an insert running past the delta, output not exactly the
// declared size, the reserved opcode 0.
Status ApplyDeltaTo(std::string_view base, std::string_view delta, char* out, uint64_t out_size);

// Both of the above, replacing *out (no zero fill when its capacity is
// enough).
Status ApplyDelta(std::string_view base, std::string_view delta, std::string* out);

}  // namespace sei::git::internal
