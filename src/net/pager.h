// Pager: the request for the next page of a listing, by the three schemes
// remote APIs use, so each connector states which and never builds page
// URLs by hand:
//   - kLink: the Link header's rel="next" (GitHub, GitLab, Bitbucket
//     Server, Jira Cloud's newer APIs): link_header.h's NextPageRequest.
//   - kPageNumber: a page query parameter counted up from `first_page`
//     (Jenkins, SonarQube, PagerDuty's offset pages). GitLab's X-Next-Page
//     header, when present, is authoritative ("" = the last page); else the
//     listing ends on a page with fewer than `per_page` items (or none), or
//     at X-Total-Pages / X-Page-Count.
//   - kCursor: an opaque cursor read from the body at `cursor_path` (a path
//     of object keys: Slack's response_metadata.next_cursor, Linear's and
//     GitHub GraphQL's data.x.pageInfo.endCursor) sent back as the
//     `cursor_param` query parameter; an absent, null or empty cursor ends
//     the listing. When `has_more_path` is set (pageInfo.hasNextPage,
//     Jira's isLast inverted is a connector's job), false ends it too.
// Query parameters are replaced in place (one value each, percent-encoded),
// so a page URL never accumulates duplicate parameters. A cursor that
// repeats the current one is an error: a loop, not a listing.
//
// Thread safety: values and pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "net/http_client.h"

namespace sei::net {

struct PagingScheme {
  enum class Kind { kLink, kPageNumber, kCursor };
  Kind kind = Kind::kLink;
  // kPageNumber
  std::string page_param = "page";
  int64_t first_page = 1;
  int64_t per_page = 100;  // what the request asked for
  // kCursor
  std::string cursor_param = "cursor";
  std::vector<std::string> cursor_path;
  std::vector<std::string> has_more_path;  // optional boolean
};

// The request after `request` (which `response` answered) given the number
// of items that page held; nullopt on the last page.
Result<std::optional<HttpRequest>> NextPage(const PagingScheme& scheme, const HttpRequest& request,
                                            const HttpResponse& response, size_t items);

// `url` with query parameter `name` set to `value` (percent-encoded),
// replacing every earlier value of it; the fragment is kept.
std::string SetQueryParam(std::string_view url, std::string_view name, std::string_view value);
// The first value of query parameter `name` in `url`, percent-decoded.
std::optional<std::string> QueryParam(std::string_view url, std::string_view name);

}  // namespace sei::net
