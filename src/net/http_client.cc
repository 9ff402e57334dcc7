#include "net/http_client.h"

#include <array>

namespace sei::net {
namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// Query parameter names whose values are secrets (compared lower-cased).
bool IsSecretParam(std::string_view name) {
  static constexpr std::array<std::string_view, 12> kExact = {
      "access_token", "private_token", "token",         "key", "api_key",   "apikey",
      "secret",       "password",      "client_secret", "sig", "signature", "auth"};
  const std::string lower = AsciiLower(name);
  for (std::string_view s : kExact) {
    if (lower == s) return true;
  }
  return lower.find("token") != std::string::npos || lower.find("secret") != std::string::npos;
}

// `query` (without '?' or '#') with secret values replaced.
std::string RedactQuery(std::string_view query) {
  std::string out;
  size_t pos = 0;
  while (pos <= query.size()) {
    size_t amp = query.find('&', pos);
    if (amp == std::string_view::npos) amp = query.size();
    const std::string_view pair = query.substr(pos, amp - pos);
    const size_t eq = pair.find('=');
    if (pos > 0) out += '&';
    if (eq != std::string_view::npos && IsSecretParam(pair.substr(0, eq))) {
      out.append(pair.substr(0, eq + 1)).append("REDACTED");
    } else {
      out.append(pair);
    }
    pos = amp + 1;
  }
  return out;
}

}  // namespace

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

HttpRequest HttpRequest::Get(std::string url) {
  HttpRequest r;
  r.url = std::move(url);
  return r;
}

void HttpRequest::RemoveHeader(std::string_view name) {
  std::erase_if(headers, [&](const auto& h) { return EqualsIgnoreCase(h.first, name); });
}

void HttpRequest::SetHeader(std::string_view name, std::string value) {
  RemoveHeader(name);
  headers.emplace_back(std::string(name), std::move(value));
}

std::optional<std::string> HttpRequest::Header(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (EqualsIgnoreCase(n, name)) return v;
  }
  return std::nullopt;
}

std::optional<std::string> HttpResponse::Header(std::string_view name) const {
  std::optional<std::string> joined;
  for (const auto& [n, v] : headers) {
    if (!EqualsIgnoreCase(n, name)) continue;
    if (joined) {
      joined->append(", ").append(v);
    } else {
      joined = v;
    }
  }
  return joined;
}

std::string RedactUrl(std::string_view url) {
  std::string_view rest = url;
  std::string out;
  if (const size_t scheme = rest.find("://"); scheme != std::string_view::npos) {
    out.append(rest.substr(0, scheme + 3));
    rest.remove_prefix(scheme + 3);
    const size_t authority_end = rest.find_first_of("/?#");
    const size_t at = rest.substr(0, authority_end).rfind('@');
    if (at != std::string_view::npos) rest.remove_prefix(at + 1);
  }
  const size_t fragment = rest.find('#');
  if (fragment != std::string_view::npos) rest = rest.substr(0, fragment);
  const size_t q = rest.find('?');
  if (q == std::string_view::npos) return out.append(rest);
  out.append(rest.substr(0, q + 1));
  return out.append(RedactQuery(rest.substr(q + 1)));
}

}  // namespace sei::net
