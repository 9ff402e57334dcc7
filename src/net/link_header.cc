#include "net/link_header.h"

#include <cstring>

namespace sei::net {
namespace {

bool IsTokenChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         (c != '\0' && std::strchr("!#$%&'*+-.^_`|~", c) != nullptr);
}

// A cursor over the header text with the RFC's small lexical pieces.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : s_(text) {}

  bool AtEnd() const { return pos_ >= s_.size(); }
  char Peek() const { return AtEnd() ? '\0' : s_[pos_]; }
  void SkipSpace() {
    while (!AtEnd() && (s_[pos_] == ' ' || s_[pos_] == '\t')) ++pos_;
  }
  bool Consume(char c) {
    if (Peek() != c) return false;
    ++pos_;
    return true;
  }
  std::string_view Token() {
    const size_t start = pos_;
    while (!AtEnd() && IsTokenChar(s_[pos_])) ++pos_;
    return s_.substr(start, pos_ - start);
  }
  // Up to (not including) `c`; false when there is no `c`.
  bool Until(char c, std::string* out) {
    const size_t end = s_.find(c, pos_);
    if (end == std::string_view::npos) return false;
    *out = std::string(s_.substr(pos_, end - pos_));
    pos_ = end + 1;
    return true;
  }
  // A quoted-string after its opening quote; false when unterminated.
  bool QuotedRest(std::string* out) {
    while (!AtEnd()) {
      char c = s_[pos_++];
      if (c == '"') return true;
      if (c == '\\' && !AtEnd()) c = s_[pos_++];
      *out += c;
    }
    return false;
  }
  // A lenient unquoted value: up to ';', ',' or white space.
  std::string_view Bare() {
    const size_t start = pos_;
    while (!AtEnd() && std::strchr(";, \t", s_[pos_]) == nullptr) ++pos_;
    return s_.substr(start, pos_ - start);
  }
  Status Error(const std::string& what) const {
    return InvalidArgumentError("malformed Link header at offset " + std::to_string(pos_) + ": " +
                                what);
  }

 private:
  std::string_view s_;
  size_t pos_ = 0;
};

std::vector<std::string> SplitRels(std::string_view value) {
  std::vector<std::string> rels;
  size_t pos = 0;
  while (pos < value.size()) {
    const size_t start = value.find_first_not_of(" \t", pos);
    if (start == std::string_view::npos) break;
    size_t end = value.find_first_of(" \t", start);
    if (end == std::string_view::npos) end = value.size();
    rels.push_back(AsciiLower(value.substr(start, end - start)));
    pos = end;
  }
  return rels;
}

// One `; name[=value]` parameter after the ';'.
Status ParseParam(Scanner* sc, Link* link, bool* saw_rel) {
  sc->SkipSpace();
  const std::string name = AsciiLower(sc->Token());
  if (name.empty()) return sc->Error("expected a parameter name");
  sc->SkipSpace();
  std::string value;
  if (sc->Consume('=')) {
    sc->SkipSpace();
    if (sc->Consume('"')) {
      if (!sc->QuotedRest(&value)) return sc->Error("unterminated quoted string");
    } else {
      value = std::string(sc->Bare());
    }
  }
  if (name == "rel" && !*saw_rel) {
    *saw_rel = true;
    link->rels = SplitRels(value);
  }
  link->params.emplace_back(name, std::move(value));
  return Status::Ok();
}

Result<Link> ParseLinkValue(Scanner* sc) {
  Link link;
  if (!sc->Consume('<')) return sc->Error("expected '<'");
  if (!sc->Until('>', &link.url)) return sc->Error("no '>' closes the URL");
  bool saw_rel = false;
  while (true) {
    sc->SkipSpace();
    if (sc->AtEnd() || sc->Peek() == ',') return link;
    if (!sc->Consume(';')) return sc->Error("expected ';' or ','");
    sc->SkipSpace();
    if (sc->AtEnd() || sc->Peek() == ',') return link;  // a trailing ';'
    SEI_RETURN_IF_ERROR(ParseParam(sc, &link, &saw_rel));
  }
}

// "scheme://authority" of an absolute URL ("" when it has none).
std::string_view Origin(std::string_view url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return "";
  const size_t end = url.find_first_of("/?#", scheme + 3);
  return url.substr(0, end == std::string_view::npos ? url.size() : end);
}

}  // namespace

bool Link::HasRel(std::string_view rel) const {
  const std::string lower = AsciiLower(rel);
  for (const std::string& r : rels) {
    if (r == lower) return true;
  }
  return false;
}

Result<std::vector<Link>> ParseLinkHeader(std::string_view value) {
  std::vector<Link> links;
  Scanner sc(value);
  while (true) {
    sc.SkipSpace();
    while (sc.Consume(',')) sc.SkipSpace();  // empty list elements are allowed
    if (sc.AtEnd()) return links;
    SEI_ASSIGN_OR_RETURN(Link link, ParseLinkValue(&sc));
    links.push_back(std::move(link));
  }
}

Result<PageLinks> ParsePageLinks(std::string_view value) {
  SEI_ASSIGN_OR_RETURN(const std::vector<Link> links, ParseLinkHeader(value));
  PageLinks pages;
  const auto take = [](std::optional<std::string>* slot, const Link& link) {
    if (!*slot) *slot = link.url;
  };
  for (const Link& link : links) {
    if (link.HasRel("next")) take(&pages.next, link);
    if (link.HasRel("prev") || link.HasRel("previous")) take(&pages.prev, link);
    if (link.HasRel("first")) take(&pages.first, link);
    if (link.HasRel("last")) take(&pages.last, link);
  }
  return pages;
}

Result<PageLinks> PageLinksOf(const HttpResponse& response) {
  const auto value = response.Header("link");
  if (!value) return PageLinks{};
  return ParsePageLinks(*value);
}

std::string ResolveUrl(std::string_view base, std::string_view ref) {
  if (ref.find("://") != std::string_view::npos && ref.find("://") < ref.find_first_of("/?#")) {
    return std::string(ref);
  }
  const std::string_view origin = Origin(base);
  if (ref.starts_with("//"))
    return std::string(base.substr(0, base.find("://") + 1)) + std::string(ref);
  if (ref.starts_with("/")) return std::string(origin) + std::string(ref);
  const std::string_view path = base.substr(0, base.find_first_of("?#", origin.size()));
  if (ref.starts_with("?")) return std::string(path) + std::string(ref);
  const size_t slash = path.rfind('/');
  const std::string_view dir =
      slash == std::string_view::npos || slash < origin.size() ? origin : path.substr(0, slash);
  return std::string(dir) + "/" + std::string(ref);
}

Result<std::optional<HttpRequest>> NextPageRequest(const HttpRequest& request,
                                                   const HttpResponse& response) {
  SEI_ASSIGN_OR_RETURN(const PageLinks pages, PageLinksOf(response));
  if (!pages.next) return std::optional<HttpRequest>();
  const std::string& base = response.url.empty() ? request.url : response.url;
  std::string next = ResolveUrl(base, *pages.next);
  if (AsciiLower(Origin(next)) != AsciiLower(Origin(base))) {
    return PermissionDeniedError("the next-page link of " + RedactUrl(base) +
                                 " leaves its origin (" + RedactUrl(next) +
                                 "); not following it with this request's credentials");
  }
  HttpRequest out = request;
  out.url = std::move(next);
  return std::optional<HttpRequest>(std::move(out));
}

}  // namespace sei::net
