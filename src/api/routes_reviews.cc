// GET /api/v1/review-pairs: who reviews whom — for each (reviewer, author)
// pair, the reviews submitted in the range on PRs of the scope, for the
// engineering manager's review-load view. Pending reviews, self-reviews and
// bots are left out, as the review metrics leave them out.
#include <algorithm>
#include <map>

#include "api/api_server.h"
#include "api/entity_json.h"
#include "api/scope_params.h"
#include "common/clock.h"
#include "metrics/core/query_text.h"

namespace sei::api {

namespace {

using metrics::Idx;
using nlohmann::json;

HttpResponse ReviewPairs(ApiServer& api, const HttpRequest& r, const Caller& caller) {
  metrics::QueryText t;
  ReadScopeParams(r, &t);
  t.since = r.Param("since").value_or("90d");
  t.until = r.Param("until").value_or("now");
  const int64_t now = SystemClock::Get().NowUnixSeconds() / 60 * 60;
  auto q = metrics::ParseQuery(t, now, "");
  if (!q.ok()) return ErrorResponse(q.status());
  auto ds = api.metrics().Data(false);
  if (!ds.ok()) return ErrorResponse(ds.status());
  auto rs = (*ds)->Resolve(q->scope);
  if (!rs.ok()) return ErrorResponse(rs.status());
  if (Status s = api.Authorize(caller, RouteGroup::kEntityLists, TargetOf(**ds, *rs)); !s.ok()) {
    return ErrorResponse(403, "forbidden", s.message());
  }
  const metrics::Dataset& d = **ds;
  struct Count {
    int64_t reviews = 0;
    int64_t prs = 0;
    Idx last_pr = metrics::kNone;
  };
  std::map<std::pair<Idx, Idx>, Count> pairs;
  int64_t total = 0;
  for (size_t i = 0; i < d.prs.size(); ++i) {
    const metrics::DsPr& pr = d.prs[i];
    if (pr.author == metrics::kNone || !d.PrInScope(*rs, pr)) continue;
    for (uint32_t k = pr.reviews.begin; k < pr.reviews.end; ++k) {
      const metrics::DsReview& rv = d.reviews[k];
      if (rv.pending || !rv.submitted_at || !q->range.Contains(*rv.submitted_at)) continue;
      if (rv.reviewer == metrics::kNone || rv.reviewer == pr.author || d.IsBot(rv.reviewer)) {
        continue;
      }
      Count& c = pairs[{rv.reviewer, pr.author}];
      ++c.reviews;
      ++total;
      if (c.last_pr != static_cast<Idx>(i)) {
        ++c.prs;
        c.last_pr = static_cast<Idx>(i);
      }
    }
  }
  std::vector<std::pair<std::pair<Idx, Idx>, Count>> sorted(pairs.begin(), pairs.end());
  std::sort(sorted.begin(), sorted.end(), [&d](const auto& a, const auto& b) {
    if (a.second.reviews != b.second.reviews) return a.second.reviews > b.second.reviews;
    const auto& pa = d.people[static_cast<size_t>(a.first.first)].id;
    const auto& pb = d.people[static_cast<size_t>(b.first.first)].id;
    return pa != pb ? pa < pb
                    : d.people[static_cast<size_t>(a.first.second)].id <
                          d.people[static_cast<size_t>(b.first.second)].id;
  });
  json items = json::array();
  for (const auto& [k, c] : sorted) {
    items.push_back({{"reviewer", PersonRef(d, k.first)},
                     {"author", PersonRef(d, k.second)},
                     {"reviews", c.reviews},
                     {"prs", c.prs}});
  }
  return JsonResponse({{"scope", rs->scope.ToString()},
                       {"since", q->range.since},
                       {"until", q->range.until},
                       {"reviews", total},
                       {"pairs", items},
                       {"data", {{"generation", api.metrics().generation()}}}});
}

}  // namespace

void AddReviewRoutes(ApiServer& api) {
  api.Add({"GET",
           "/api/v1/review-pairs",
           RouteGroup::kEntityLists,
           "Who reviews whom: reviews per (reviewer, author) pair on the scope's PRs",
           "Reviews submitted in [since, until) on PRs of the scope (as the PR metrics scope "
           "them), without pending reviews, self-reviews and bots; most reviews first. "
           "`reviews` is the total, `prs` per pair counts distinct PRs.",
           {{"scope", "query", "string", "org (default), team:NAME, project:NAME, repo:NAME"},
            {"team", "query", "string", "Shorthand for scope=team:NAME"},
            {"since", "query", "string", "Start (default 90d)"},
            {"until", "query", "string", "End, exclusive (default now)"}},
           "",
           {200, 400, 401, 403, 404},
           "lists",
           [&api](const HttpRequest& r, const Caller& c) { return ReviewPairs(api, r, c); }});
}

}  // namespace sei::api
