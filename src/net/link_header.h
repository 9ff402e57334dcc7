// Link headers (RFC 8288, formerly RFC 5988) and the pagination they carry:
//   Link: <https://api.github.com/repositories/1300192/issues?page=2>; rel="next",
//         <https://api.github.com/repositories/1300192/issues?page=5>; rel="last"
//
// Why: GitHub and GitLab page their list endpoints with rel="next"/"prev"/
// "first"/"last" links, and a collector must follow the link it is given,
// not build page URLs itself: GitHub switches to /repositories/<id>/ URLs
// after page 1, and older endpoints used cursors (`top=...&last_sha=...`)
// instead of page numbers (../shared/fixtures/payloads/recordings/).
//
// The parser follows the RFC's grammar: a comma-separated list of
// `<URI-Reference>` followed by `; name=value` parameters, values being
// tokens or quoted strings (with backslash escapes). Commas and semicolons
// inside <...> or inside quotes belong to the URL or the value. `rel` may
// hold several space-separated relation types (rel="next last"); types and
// parameter names are case-insensitive and returned lower-cased; only the
// first `rel` parameter of a link counts (RFC 8288 section 3.3). Malformed
// text is an InvalidArgument error naming the offset, not a silent guess: a
// skipped "next" would silently truncate a collection.
//
// NextPageRequest is the pagination helper: the request for the page after
// `response`, resolved against the URL that answered, and refused when the
// link leaves the origin (scheme, host and port) of that URL, so the request's
// Authorization header is never sent to another host.
//
// Thread safety: pure functions; safe from any number of threads.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "net/http_client.h"

namespace sei::net {

struct Link {
  std::string url;                                          // as written between < and >
  std::vector<std::string> rels;                            // lower-cased, in order
  std::vector<std::pair<std::string, std::string>> params;  // names lower-cased, values unquoted

  bool HasRel(std::string_view rel) const;
};

// Every link in a Link header value (empty for an empty value).
Result<std::vector<Link>> ParseLinkHeader(std::string_view value);

struct PageLinks {
  std::optional<std::string> next;
  std::optional<std::string> prev;  // also rel="previous"
  std::optional<std::string> first;
  std::optional<std::string> last;
};

// The pagination links of a Link header value; the first link with each
// relation wins.
Result<PageLinks> ParsePageLinks(std::string_view value);
// The pagination links of `response` (none without a Link header).
Result<PageLinks> PageLinksOf(const HttpResponse& response);

// `reference` resolved against the absolute URL `base` (RFC 3986 section 5,
// without dot-segment removal): absolute URLs are kept, "//host/..." takes
// base's scheme, "/path" base's origin, "?query" base's path, and anything
// else base's directory.
std::string ResolveUrl(std::string_view base, std::string_view reference);

// The request for the next page: `request` with its URL replaced by
// `response`'s rel="next" link (resolved against response.url, or
// request.url when that is empty); nullopt on the last page. A next link
// to another origin is kPermissionDenied.
Result<std::optional<HttpRequest>> NextPageRequest(const HttpRequest& request,
                                                   const HttpResponse& response);

}  // namespace sei::net
