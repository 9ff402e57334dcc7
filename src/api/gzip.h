// gzip compression of response bodies (zlib, RFC 1952 framing), and the
// inverse for tests and for clients of the API written in C++.
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace sei::api {

// Level 6, zlib's default balance. Never fails on valid memory.
std::string GzipCompress(std::string_view in);
Result<std::string> GzipDecompress(std::string_view in, size_t max_out = 256u << 20);

}  // namespace sei::api
