// ApiServer: everything between the HTTP server and the handlers. It owns
// the route table, and for each request: finds the route (404, 405 with
// Allow), authenticates the caller and checks the route's access group
// (401, 403), runs the handler, turns a handler's exception into a 500
// without leaking it, counts the answer (ServerStats) and writes one JSON
// line to the access log. Routes are added by the routes_*.cc files.
//
// Thread safety: Handle() and Observe() from many threads once every route
// is added.
#pragma once

#include <cstdio>
#include <memory>
#include <mutex>
#include <string>

#include "api/event_hub.h"
#include "api/http_server.h"
#include "api/metrics_service.h"
#include "api/router.h"
#include "api/server_stats.h"
#include "api/store_pool.h"

namespace sei::api {

// Authentication and the role rules, implemented over src/auth by the app.
class AccessControl {
 public:
  virtual ~AccessControl() = default;
  // The caller a request's credentials name; Unauthenticated-style errors
  // come back as a PermissionDenied Status with `unauthenticated` set.
  virtual Result<Caller> Authenticate(const HttpRequest& request, bool* unauthenticated) = 0;
  // Whether the caller may use a route of `group` on `target`; the Status
  // message is the 403's.
  virtual Status Authorize(const Caller& caller, RouteGroup group, const Target& target) = 0;
};

struct ApiOptions {
  std::string version;
  std::string web_dir;        // the web app's build; "" or missing: no static files
  FILE* access_log = stderr;  // nullptr: off
  bool log_health = false;    // log /healthz and /readyz too
  int schema_version = 0;     // the migrations this binary applies; /readyz checks it
};

class ApiServer {
 public:
  ApiServer(ApiOptions options, StorePool* stores, MetricsService* metrics, AccessControl* access);

  void Add(Route route) { router_.Add(std::move(route)); }
  // Call after every route is added: sizes the counters.
  void Seal();

  HttpResponse Handle(HttpRequest& request);
  void Observe(const ExchangeInfo& info);

  // For handlers.
  Result<Caller> Authenticate(const HttpRequest& request);
  Status Authorize(const Caller& caller, RouteGroup group, const Target& target);
  StorePool& stores() { return *stores_; }
  MetricsService& metrics() { return *metrics_; }
  EventHub& events() { return events_; }
  ServerStats& stats() { return *stats_; }
  const Router& router() const { return router_; }
  const ApiOptions& options() const { return options_; }

 private:
  HttpResponse RouteRequest(HttpRequest& request, size_t* route_index);
  HttpResponse Static(const HttpRequest& request);

  ApiOptions options_;
  StorePool* stores_;
  MetricsService* metrics_;
  AccessControl* access_;
  Router router_;
  std::unique_ptr<ServerStats> stats_;
  EventHub events_;
  std::mutex log_mu_;  // one access-log line at a time
};

// Registers every route of the API (routes_*.cc).
void AddSystemRoutes(ApiServer& api);
void AddMetricsRoutes(ApiServer& api);
void AddDataRoutes(ApiServer& api);
void AddAccessRoutes(ApiServer& api);
// GET /api/v1/review-pairs: who reviews whom (routes_reviews.cc).
void AddReviewRoutes(ApiServer& api);
// Tokens, users and the audit log (routes_admin.cc).
void AddAdminRoutes(ApiServer& api);
// GET /api/v1/events (routes_events.cc); subscribes to the metrics' reloads.
void AddEventRoutes(ApiServer& api);
// Teams, projects, identity merges and splits, connections and collection
// triggers (routes_teams.cc, routes_projects.cc, routes_identity.cc,
// routes_connections.cc; write_support.h).
struct WriteContext;
void AddWriteRoutes(ApiServer& api, WriteContext* ctx);

}  // namespace sei::api
