// Routes that are not data: liveness, readiness, Prometheus counters, the
// OpenAPI document and the API's index.
#include "api/api_server.h"
#include "api/schemas.h"
#include "common/time.h"

namespace sei::api {

namespace {

HttpResponse Text(std::string body, const char* type) {
  HttpResponse r;
  r.content_type = type;
  r.body = std::make_shared<const std::string>(std::move(body));
  return r;
}

HttpResponse Ready(ApiServer& api) {
  nlohmann::json checks = nlohmann::json::object();
  bool ok = true;
  auto store = api.stores().Acquire();
  if (!store.ok()) {
    ok = false;
    checks["store"] = {{"ok", false}, {"error", store.status().message()}};
  } else {
    auto v = (*store)->SchemaVersion();
    const bool migrated = v.ok() && *v == api.options().schema_version;
    ok = migrated;
    checks["store"] = {{"ok", v.ok()}, {"describe", (*store)->Describe()}};
    checks["migrations"] = {{"ok", migrated},
                            {"applied", v.ok() ? *v : -1},
                            {"expected", api.options().schema_version}};
  }
  checks["metrics"] = {{"loaded", api.metrics().loaded()},
                       {"generation", api.metrics().generation()}};
  return JsonResponse({{"ready", ok}, {"checks", checks}}, ok ? 200 : 503);
}

}  // namespace

void AddSystemRoutes(ApiServer& api) {
  api.Add({"GET",
           "/healthz",
           RouteGroup::kPublic,
           "Liveness: the process answers",
           "",
           {},
           "",
           {200},
           "system",
           [](const HttpRequest&, const Caller&) {
             return JsonResponse({{"ok", true}});
           }});
  api.Add({"GET",
           "/readyz",
           RouteGroup::kPublic,
           "Readiness: the store is reachable and its migrations are applied",
           "503 with the failing check otherwise. `metrics.loaded` says whether the metrics "
           "are warm (the first load of a large store takes seconds).",
           {},
           "",
           {200, 503},
           "system",
           [&api](const HttpRequest&, const Caller&) { return Ready(api); }});
  api.Add({"GET",
           "/metrics",
           RouteGroup::kObservability,
           "Prometheus counters: requests and latencies by route, cache, pushes, queue depth",
           "",
           {},
           "",
           {200, 401, 403},
           "system",
           [&api](const HttpRequest&, const Caller&) {
             return Text(api.stats().Render(), "text/plain; version=0.0.4; charset=utf-8");
           }});
  api.Add({"GET",
           "/api/v1/openapi.json",
           RouteGroup::kPublic,
           "This API's OpenAPI 3 document, generated from the server's own route table",
           "",
           {},
           "",
           {200},
           "system",
           [&api](const HttpRequest&, const Caller&) {
             return JsonResponse(api.router().OpenApi(api.options().version, ApiSchemas()));
           }});
  api.Add({"GET",
           "/api/v1",
           RouteGroup::kPublic,
           "The API's version and where things are",
           "",
           {},
           "",
           {200},
           "system",
           [&api](const HttpRequest&, const Caller&) {
             return JsonResponse({{"name", "SEI Platform"},
                                  {"version", api.options().version},
                                  {"openapi", "/api/v1/openapi.json"},
                                  {"metrics", "/api/v1/metrics"},
                                  {"docs", "docs/api.md"}});
           }});
}

}  // namespace sei::api
