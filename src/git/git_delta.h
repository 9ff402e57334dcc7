// git's binary delta format (pack OFS_DELTA / REF_DELTA payloads): a header
// with the base and result sizes, then copy-from-base and insert-literal
// instructions.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace sei::git {

// Reads the result size from a delta's header without applying it.
bool DeltaResultSize(std::string_view delta, uint64_t* size);

// Applies `delta` to `base`, replacing *out. DataLoss (naming nothing; the
// caller adds the object id) when the delta is malformed or does not fit the
// base: every offset and length is checked.
Status ApplyDelta(std::string_view base, std::string_view delta, std::string* out);

// The same, writing into `out`, which must hold exactly the delta's result
// size (DeltaResultSize) bytes; nothing is zero-filled first.
Status ApplyDeltaTo(std::string_view base, std::string_view delta, char* out, uint64_t out_size);

}  // namespace sei::git
