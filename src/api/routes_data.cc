// Organisation (teams, people, repos, projects) and entity lists (PRs,
// deployments, incidents, issues) with filters, sorting and cursor
// pagination. Lists read the same warm Dataset as the metrics, so a list and
// the number it explains always agree (both name the data generation).
#include <algorithm>

#include "api/api_server.h"
#include "api/entity_json.h"
#include "api/list_query.h"
#include "api/request_params.h"
#include "common/clock.h"

namespace sei::api {

namespace {

using metrics::Dataset;
using nlohmann::json;

HttpResponse WithData(ApiServer& api, json doc) {
  doc["data"] = {{"generation", api.metrics().generation()}};
  return JsonResponse(doc);
}

template <class Fn>
HttpResponse OrgList(ApiServer& api, const char* key, Fn fn) {
  auto ds = api.metrics().Data(false);
  if (!ds.ok()) return ErrorResponse(ds.status());
  json items = fn(**ds);
  return WithData(api, {{key, items}});
}

// GET one of the lists: resolves the scope, checks the caller may see it,
// filters, sorts and pages through ListQuery.
HttpResponse EntityList(ApiServer& api, const HttpRequest& r, const Caller& caller,
                        const EntityListSpec& spec) {
  auto ds = api.metrics().Data(false);
  if (!ds.ok()) return ErrorResponse(ds.status());
  json errors;
  auto lq = ParseListQuery(r, **ds, spec, &errors);
  if (!lq.ok()) return ErrorResponse(400, "invalid_argument", lq.status().message(), errors);
  if (Status s = api.Authorize(caller, RouteGroup::kEntityLists, lq->target); !s.ok()) {
    return ErrorResponse(403, "forbidden", s.message());
  }
  auto page = RunListQuery(**ds, spec, *lq);
  if (!page.ok()) return ErrorResponse(page.status());
  return WithData(api, std::move(*page));
}

void AddList(ApiServer& api, const EntityListSpec& spec, const std::string& summary) {
  std::vector<ParamDoc> params = ListParamDocs(spec);
  api.Add({"GET",
           "/api/v1/" + spec.name,
           RouteGroup::kEntityLists,
           summary,
           "Sorted by `sort` (a field, `-field` for descending; ties by id), `limit` rows a "
           "page (default 50, at most 500); pass `next_cursor` back as `cursor` for the next "
           "page. `total` counts every row that matches.",
           params,
           "",
           {200, 400, 401, 403},
           "lists",
           [&api, spec](const HttpRequest& r, const Caller& c) {
             return EntityList(api, r, c, spec);
           }});
}

}  // namespace

void AddDataRoutes(ApiServer& api) {
  api.Add({"GET",
           "/api/v1/teams",
           RouteGroup::kOrgRead,
           "Teams with their members",
           "",
           {},
           "",
           {200, 401, 403},
           "organisation",
           [&api](const HttpRequest&, const Caller&) {
             const int64_t now = SystemClock::Get().NowUnixSeconds();
             return OrgList(api, "teams", [now](const Dataset& ds) {
               json a = json::array();
               for (size_t i = 0; i < ds.teams.size(); ++i) a.push_back(TeamJson(ds, i, now));
               return a;
             });
           }});
  api.Add({"GET",
           "/api/v1/people",
           RouteGroup::kOrgRead,
           "People (accounts merged across tools; bots flagged)",
           "",
           {},
           "",
           {200, 401, 403},
           "organisation",
           [&api](const HttpRequest&, const Caller&) {
             return OrgList(api, "people", [](const Dataset& ds) {
               json a = json::array();
               for (size_t i = 0; i < ds.people.size(); ++i) a.push_back(PersonJson(ds, i));
               return a;
             });
           }});
  api.Add({"GET",
           "/api/v1/repos",
           RouteGroup::kOrgRead,
           "Repositories",
           "",
           {},
           "",
           {200, 401, 403},
           "organisation",
           [&api](const HttpRequest&, const Caller&) {
             return OrgList(api, "repos", [](const Dataset& ds) {
               json a = json::array();
               for (size_t i = 0; i < ds.repos.size(); ++i) a.push_back(RepoJson(ds, i));
               return a;
             });
           }});
  api.Add({"GET",
           "/api/v1/projects",
           RouteGroup::kOrgRead,
           "Projects and what they group (repos, boards, services, environments, CI scopes)",
           "",
           {},
           "",
           {200, 401, 403},
           "organisation",
           [&api](const HttpRequest&, const Caller&) {
             return OrgList(api, "projects", [](const Dataset& ds) {
               json a = json::array();
               for (size_t i = 0; i < ds.projects.size(); ++i) a.push_back(ProjectJson(ds, i));
               return a;
             });
           }});
  api.Add({"GET",
           "/api/v1/org",
           RouteGroup::kOrgRead,
           "The organisation at a glance",
           "",
           {},
           "",
           {200, 401, 403},
           "organisation",
           [&api](const HttpRequest&, const Caller&) {
             auto ds = api.metrics().Data(false);
             if (!ds.ok()) return ErrorResponse(ds.status());
             const Dataset& d = **ds;
             return WithData(api, {{"counts",
                                    {{"people", d.people.size()},
                                     {"teams", d.teams.size()},
                                     {"repos", d.repos.size()},
                                     {"projects", d.projects.size()},
                                     {"pull_requests", d.prs.size()},
                                     {"deployments", d.deployments.size()},
                                     {"incidents", d.incidents.size()},
                                     {"issues", d.issues.size()}}}});
           }});
  for (const EntityListSpec& spec : EntityListSpecs()) AddList(api, spec, spec.summary);
}

}  // namespace sei::api
