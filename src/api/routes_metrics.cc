// /api/v1/metrics: every family of the metrics engine for a scope, a time
// range and a granularity, with definition versions, sample sizes, data
// completeness and (on request) the rows behind each number.
#include "api/api_server.h"
#include "api/request_params.h"
#include "api/scope_params.h"
#include "common/clock.h"
#include "metrics/core/query_text.h"
#include "metrics/engine/engine.h"

namespace sei::api {

namespace {

std::vector<ParamDoc> QueryParams() {
  return {
      {"scope", "query", "string",
       "org (default), team:NAME, project:NAME, repo:NAME, person:NAME"},
      {"team", "query", "string", "Shorthand for scope=team:NAME (id or name)"},
      {"project", "query", "string", "Shorthand for scope=project:NAME"},
      {"repo", "query", "string", "Shorthand for scope=repo:NAME (id, name or path)"},
      {"person", "query", "string", "Shorthand for scope=person:NAME (id, email or name)"},
      {"since", "query", "string",
       "Start: a date, RFC 3339, or a length back from until (90d, 12w, 6m, 1y); default 90d"},
      {"until", "query", "string",
       "End, exclusive: a date, RFC 3339 or now (default; the current minute)"},
      {"granularity", "query", "string", "Series buckets", false, {"day", "week", "month"}},
      {"band_year",
       "query",
       "string",
       "DORA bands of this report year",
       false,
       {"2021", "2023", "2024"}},
      {"metric", "query", "string", "Only these metric keys or prefixes (repeatable)"},
      {"drill", "query", "boolean", "Include the rows behind every number"},
      {"compare", "query", "boolean", "Also compute each metric over the previous period"},
      {"series", "query", "boolean", "Include the series per bucket (default true)"},
  };
}

Result<metrics::QueryText> TextOf(const HttpRequest& r) {
  metrics::QueryText t;
  ReadScopeParams(r, &t);
  t.since = r.Param("since").value_or("90d");
  t.until = r.Param("until").value_or("now");
  t.granularity = r.Param("granularity").value_or("week");
  t.band_year = r.Param("band_year").value_or("");
  t.only = r.Params("metric");
  SEI_ASSIGN_OR_RETURN(t.drill, BoolParam(r, "drill", false));
  SEI_ASSIGN_OR_RETURN(t.compare, BoolParam(r, "compare", false));
  SEI_ASSIGN_OR_RETURN(t.series, BoolParam(r, "series", true));
  return t;
}

Result<Target> ResolveTarget(ApiServer& api, const metrics::Query& q) {
  if (q.scope.kind == metrics::ScopeKind::kOrg) return Target{};
  SEI_ASSIGN_OR_RETURN(auto ds, api.metrics().Data(false));
  SEI_ASSIGN_OR_RETURN(metrics::ResolvedScope rs, ds->Resolve(q.scope));
  return TargetOf(*ds, rs);
}

HttpResponse Family(ApiServer& api, const HttpRequest& r, const Caller& caller) {
  auto text = TextOf(r);
  if (!text.ok()) return ErrorResponse(text.status());
  // Relative ranges are anchored at the current minute, so that answers can
  // be cached and repeated requests agree.
  const int64_t now = SystemClock::Get().NowUnixSeconds() / 60 * 60;
  auto q = metrics::ParseQuery(*text, now, "");
  if (!q.ok()) return ErrorResponse(q.status());
  auto target = ResolveTarget(api, *q);
  if (!target.ok()) return ErrorResponse(target.status());
  const RouteGroup g = q->scope.kind == metrics::ScopeKind::kOrg ? RouteGroup::kOrgMetrics
                                                                 : RouteGroup::kScopedMetrics;
  if (Status s = api.Authorize(caller, g, *target); !s.ok()) {
    return ErrorResponse(403, "forbidden", s.message());
  }
  auto report = api.metrics().Report(r.path_params.at("family"), *q);
  if (!report.ok()) return ErrorResponse(report.status());
  return *report;
}

}  // namespace

void AddMetricsRoutes(ApiServer& api) {
  api.Add({"GET",
           "/api/v1/metrics",
           RouteGroup::kOrgMetrics,
           "The metric families and what each computes",
           "",
           {},
           "",
           {200, 401},
           "metrics",
           [](const HttpRequest&, const Caller&) {
             nlohmann::json fams = nlohmann::json::array();
             for (const auto& f : metrics::Families()) {
               fams.push_back({{"name", f.name},
                               {"description", f.description},
                               {"href", "/api/v1/metrics/" + f.name}});
             }
             return JsonResponse({{"families", fams}});
           }});
  auto params = QueryParams();
  params.insert(params.begin(), ParamDoc{"family", "path", "string",
                                         "dora, pr, flow, code, "
                                         "bottlenecks"});
  api.Add({"GET",
           "/api/v1/metrics/{family}",
           RouteGroup::kScopedMetrics,
           "One family of metrics for a scope and a time range",
           "Each metric has its key, definition version, value, distribution (p50, p75, p90), "
           "sample size, completeness with notes, band where one applies, series per bucket, "
           "and with drill=true the rows behind it. `data.generation` says which load of the "
           "store the answer rests on.",
           params,
           "",
           {200, 400, 401, 403, 404},
           "metrics",
           [&api](const HttpRequest& r, const Caller& c) { return Family(api, r, c); }});
}

}  // namespace sei::api
