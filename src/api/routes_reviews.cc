// GET /api/v1/review-pairs: who reviews whom — for each (reviewer, author)
// pair, the reviews that count toward the scope's review load
// (Dataset::ReviewInScope, the rule of `pr.review_load`), so the table's
// total is the metric's: for a team, the reviews its members gave.
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
  // Reviews in PR order, so that a pair's reviews of one PR are adjacent.
  for (size_t i = 0; i < d.prs.size(); ++i) {
    const metrics::DsPr& pr = d.prs[i];
    for (uint32_t k = pr.reviews.begin; k < pr.reviews.end; ++k) {
      const metrics::DsReview& rv = d.reviews[k];
      if (!d.ReviewInScope(*rs, rv, q->range)) continue;
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
  auto id = [&d](Idx p) -> std::string_view {
    return p == metrics::kNone ? std::string_view() : d.people[static_cast<size_t>(p)].id;
  };
  std::sort(sorted.begin(), sorted.end(), [&id](const auto& a, const auto& b) {
    if (a.second.reviews != b.second.reviews) return a.second.reviews > b.second.reviews;
    if (a.first.first != b.first.first) return id(a.first.first) < id(b.first.first);
    return id(a.first.second) < id(b.first.second);
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
           "The reviews that make the scope's review load (pr.review_load): submitted in "
           "[since, until), not pending, not self-reviews or bots; for org, team and person "
           "scopes given by the scope's people, for repo and project scopes on the scope's PRs. "
           "Most reviews first; `reviews` is the total (the metric's value), `prs` per pair "
           "counts distinct PRs; an author not known is null.",
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
