#include "api/http_message.h"

namespace sei::api {

std::optional<std::string> HttpRequest::Param(const std::string& name) const {
  auto it = query.find(name);
  if (it == query.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> HttpRequest::Params(const std::string& name) const {
  std::vector<std::string> out;
  auto [b, e] = query.equal_range(name);
  for (auto it = b; it != e; ++it) out.push_back(it->second);
  return out;
}

std::optional<std::string> HttpRequest::Header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  if (it == headers.end()) return std::nullopt;
  return it->second;
}

const std::string& HttpResponse::Body() const {
  static const std::string kEmpty;
  return body ? *body : kEmpty;
}

HttpResponse JsonResponse(const nlohmann::json& doc, int status) {
  HttpResponse r;
  r.status = status;
  r.body = std::make_shared<const std::string>(
      doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  return r;
}

HttpResponse ErrorResponse(int status, const std::string& code, const std::string& message,
                           const nlohmann::json& details) {
  nlohmann::json e = {{"status", status}, {"code", code}, {"message", message}};
  if (!details.is_null()) e["details"] = details;
  return JsonResponse({{"error", e}}, status);
}

int HttpStatusOf(const Status& s) {
  switch (s.code()) {
    case StatusCode::kOk:
      return 200;
    case StatusCode::kInvalidArgument:
      return 400;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kAlreadyExists:
    case StatusCode::kFailedPrecondition:
      return 409;
    case StatusCode::kPermissionDenied:
      return 403;
    case StatusCode::kUnauthenticated:
      return 401;
    case StatusCode::kUnavailable:
      return 503;
    case StatusCode::kResourceExhausted:
      return 429;
    default:
      return 500;
  }
}

HttpResponse ErrorResponse(const Status& s) {
  const int status = HttpStatusOf(s);
  static const std::map<int, std::string> kCodes = {
      {400, "invalid_argument"}, {403, "forbidden"},    {404, "not_found"},  {409, "conflict"},
      {401, "unauthenticated"},  {429, "rate_limited"}, {503, "unavailable"}};
  auto c = kCodes.find(status);
  // Internal errors keep their message out of the body: it may name files.
  if (status == 500) return ErrorResponse(500, "internal", "internal error; see the server log");
  return ErrorResponse(status, c->second, s.message());
}

bool PercentDecode(std::string_view in, bool plus_is_space, std::string* out) {
  out->clear();
  out->reserve(in.size());
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%') {
      if (i + 2 >= in.size()) return false;
      const int h = hex(in[i + 1]), l = hex(in[i + 2]);
      if (h < 0 || l < 0) return false;
      out->push_back(static_cast<char>(h * 16 + l));
      i += 2;
    } else if (in[i] == '+' && plus_is_space) {
      out->push_back(' ');
    } else {
      out->push_back(in[i]);
    }
  }
  return true;
}

bool ParseQueryString(std::string_view qs, std::multimap<std::string, std::string>* out) {
  while (!qs.empty()) {
    const size_t amp = qs.find('&');
    std::string_view pair = qs.substr(0, amp);
    qs = amp == std::string_view::npos ? std::string_view() : qs.substr(amp + 1);
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    std::string k, v;
    if (!PercentDecode(pair.substr(0, eq), true, &k)) return false;
    if (eq != std::string_view::npos && !PercentDecode(pair.substr(eq + 1), true, &v)) {
      return false;
    }
    out->emplace(std::move(k), std::move(v));
  }
  return true;
}

}  // namespace sei::api
