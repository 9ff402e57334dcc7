#include "net/pager.h"

#include <nlohmann/json.hpp>

#include "net/link_header.h"

namespace sei::net {

namespace {

bool Unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

std::string Encode(std::string_view s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (Unreserved(c)) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

int Hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string Decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && Hex(s[i + 1]) >= 0 && Hex(s[i + 2]) >= 0) {
      out += static_cast<char>(Hex(s[i + 1]) * 16 + Hex(s[i + 2]));
      i += 2;
    } else if (s[i] == '+') {
      out += ' ';
    } else {
      out += s[i];
    }
  }
  return out;
}

struct UrlParts {
  std::string_view base;      // up to '?'
  std::string_view query;     // without '?'
  std::string_view fragment;  // with '#'
};

UrlParts Split(std::string_view url) {
  UrlParts p;
  const size_t hash = url.find('#');
  p.fragment = hash == std::string_view::npos ? std::string_view() : url.substr(hash);
  std::string_view rest = url.substr(0, hash);
  const size_t q = rest.find('?');
  p.base = rest.substr(0, q);
  if (q != std::string_view::npos) p.query = rest.substr(q + 1);
  return p;
}

// The query's name=value pairs, raw (still encoded).
std::vector<std::pair<std::string_view, std::string_view>> Pairs(std::string_view query) {
  std::vector<std::pair<std::string_view, std::string_view>> out;
  while (!query.empty()) {
    const size_t amp = query.find('&');
    std::string_view part = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (part.empty()) continue;
    const size_t eq = part.find('=');
    out.emplace_back(part.substr(0, eq),
                     eq == std::string_view::npos ? std::string_view() : part.substr(eq + 1));
  }
  return out;
}

const nlohmann::json* At(const nlohmann::json& j, const std::vector<std::string>& path) {
  const nlohmann::json* cur = &j;
  for (const std::string& key : path) {
    if (!cur->is_object()) return nullptr;
    auto it = cur->find(key);
    if (it == cur->end()) return nullptr;
    cur = &*it;
  }
  return cur;
}

std::string Joined(const std::vector<std::string>& path) {
  std::string out;
  for (const std::string& p : path) out += (out.empty() ? "" : ".") + p;
  return out;
}

HttpRequest WithUrl(const HttpRequest& request, std::string url) {
  HttpRequest next = request;
  next.url = std::move(url);
  return next;
}

}  // namespace

std::string SetQueryParam(std::string_view url, std::string_view name, std::string_view value) {
  const UrlParts p = Split(url);
  std::string query;
  bool set = false;
  for (const auto& [k, v] : Pairs(p.query)) {
    if (Decode(k) == name) {
      if (set) continue;
      set = true;
      query += (query.empty() ? "" : "&") + Encode(name) + "=" + Encode(value);
    } else {
      query +=
          (query.empty() ? "" : "&") + std::string(k) + (v.empty() ? "" : "=") + std::string(v);
    }
  }
  if (!set) query += (query.empty() ? "" : "&") + Encode(name) + "=" + Encode(value);
  return std::string(p.base) + "?" + query + std::string(p.fragment);
}

std::optional<std::string> QueryParam(std::string_view url, std::string_view name) {
  for (const auto& [k, v] : Pairs(Split(url).query)) {
    if (Decode(k) == name) return Decode(v);
  }
  return std::nullopt;
}

Result<std::optional<HttpRequest>> NextPage(const PagingScheme& scheme, const HttpRequest& request,
                                            const HttpResponse& response, size_t items) {
  using Kind = PagingScheme::Kind;
  if (scheme.kind == Kind::kLink) return NextPageRequest(request, response);
  if (scheme.kind == Kind::kPageNumber) {
    if (auto next = response.Header("x-next-page")) {  // GitLab: authoritative
      if (next->empty()) return std::optional<HttpRequest>();
      if (next->find_first_not_of("0123456789") != std::string::npos) {
        return InvalidArgumentError("X-Next-Page '" + next->substr(0, 40) + "' from " +
                                    RedactUrl(request.url) + " is not a page number");
      }
      return std::optional<HttpRequest>(
          WithUrl(request, SetQueryParam(request.url, scheme.page_param, *next)));
    }
    int64_t page = scheme.first_page;
    if (auto cur = QueryParam(request.url, scheme.page_param)) {
      if (cur->empty() || cur->find_first_not_of("0123456789") != std::string::npos) {
        return InvalidArgumentError("the page parameter '" + scheme.page_param + "' of " +
                                    RedactUrl(request.url) + " is not a number");
      }
      page = std::stoll(*cur);
    }
    for (const char* total : {"x-total-pages", "x-page-count"}) {
      if (auto t = response.Header(total);
          t && !t->empty() && t->find_first_not_of("0123456789") == std::string::npos &&
          page >= std::stoll(*t)) {
        return std::optional<HttpRequest>();
      }
    }
    if (items == 0 || (scheme.per_page > 0 && static_cast<int64_t>(items) < scheme.per_page)) {
      return std::optional<HttpRequest>();
    }
    return std::optional<HttpRequest>(
        WithUrl(request, SetQueryParam(request.url, scheme.page_param, std::to_string(page + 1))));
  }
  // kCursor
  nlohmann::json body = nlohmann::json::parse(response.body, nullptr, false);
  if (body.is_discarded()) {
    return InvalidArgumentError("the page from " + RedactUrl(request.url) +
                                " is not JSON: its next cursor (" + Joined(scheme.cursor_path) +
                                ") cannot be read");
  }
  if (!scheme.has_more_path.empty()) {
    const nlohmann::json* more = At(body, scheme.has_more_path);
    if (more != nullptr && more->is_boolean() && !more->get<bool>()) {
      return std::optional<HttpRequest>();
    }
  }
  const nlohmann::json* cursor = At(body, scheme.cursor_path);
  if (cursor == nullptr || cursor->is_null()) return std::optional<HttpRequest>();
  std::string value;
  if (cursor->is_string()) {
    value = cursor->get<std::string>();
  } else if (cursor->is_number_integer()) {
    value = std::to_string(cursor->get<int64_t>());
  } else {
    return InvalidArgumentError("the next cursor " + Joined(scheme.cursor_path) + " from " +
                                RedactUrl(request.url) + " is neither a string nor a number");
  }
  if (value.empty()) return std::optional<HttpRequest>();
  if (QueryParam(request.url, scheme.cursor_param) == value) {
    return DataLossError("the next cursor from " + RedactUrl(request.url) +
                         " is the current one: stopping rather than looping");
  }
  return std::optional<HttpRequest>(
      WithUrl(request, SetQueryParam(request.url, scheme.cursor_param, value)));
}

}  // namespace sei::net
