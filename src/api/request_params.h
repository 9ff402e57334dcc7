// Typed query parameters with errors that name the parameter and say what
// it takes.
//
// Thread safety: pure functions.
#pragma once

#include <string>

#include "api/http_message.h"
#include "common/result.h"

namespace sei::api {

// "true", "1", "yes", "" (present without a value) -> true; "false", "0",
// "no" -> false; absent -> `fallback`.
Result<bool> BoolParam(const HttpRequest& r, const std::string& name, bool fallback);
// An integer in [lo, hi]; absent -> `fallback`.
Result<int64_t> IntParam(const HttpRequest& r, const std::string& name, int64_t fallback,
                         int64_t lo, int64_t hi);

}  // namespace sei::api
