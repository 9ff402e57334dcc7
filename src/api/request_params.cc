#include "api/request_params.h"

#include <charconv>

namespace sei::api {

Result<bool> BoolParam(const HttpRequest& r, const std::string& name, bool fallback) {
  auto v = r.Param(name);
  if (!v) return fallback;
  if (*v == "" || *v == "true" || *v == "1" || *v == "yes") return true;
  if (*v == "false" || *v == "0" || *v == "no") return false;
  return InvalidArgumentError("query parameter '" + name + "' is '" + *v + "': use true or false");
}

Result<int64_t> IntParam(const HttpRequest& r, const std::string& name, int64_t fallback,
                         int64_t lo, int64_t hi) {
  auto v = r.Param(name);
  if (!v) return fallback;
  int64_t n = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc() || p != v->data() + v->size() || n < lo || n > hi) {
    return InvalidArgumentError("query parameter '" + name + "' is '" + *v +
                                "': use a whole number from " + std::to_string(lo) + " to " +
                                std::to_string(hi));
  }
  return n;
}

}  // namespace sei::api
