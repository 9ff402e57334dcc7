// Router: the table of every route the server answers (method, path pattern
// with {params}, access group, documentation) and the lookup from a request
// to its route. The OpenAPI document is generated from the same table, so
// the document and the server cannot drift apart; a test walks both.
//
// Thread safety: built once at start-up, then only read (Match) by many
// threads.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/http_message.h"

namespace sei::api {

struct ParamDoc {
  std::string name;
  std::string in = "query";  // "query" or "path"
  std::string type = "string";
  std::string description;
  bool required = false;
  std::vector<std::string> values;  // an enum, when the parameter takes one of these
};

// Who may call a route; the access policy decides per role.
enum class RouteGroup {
  kPublic,         // healthz, readyz, the OpenAPI document
  kObservability,  // Prometheus /metrics
  kOrgMetrics,     // metrics for the organisation
  kScopedMetrics,  // metrics for a team, project, repo or person (checked per scope)
  kEntityLists,    // PRs, deployments, incidents, issues
  kOrgRead,        // teams, people, projects, repos
  kOrgWrite,       // teams, projects, identity merges and splits
  kConnections,    // connections and their secrets
  kCollect,        // collection triggers and their runs
  kPush,           // the push API
  kAdmin,          // tokens, users, audit log
  kWebhook,        // signed by the source, not by a token
};
std::string RouteGroupName(RouteGroup g);

// Who is calling: filled by the access control from the request's token.
struct Caller {
  std::string id;  // "token:<id>", "user:<id>", "anonymous"
  std::string name;
  std::string role;  // "admin", "manager", "member", "viewer"; "" when anonymous
  std::optional<std::string> person_id;
  std::optional<std::string> user_id;
  std::vector<std::string> team_ids;  // teams managed or belonged to, for the role rules
};

// What a scoped route reads: "org", "team", "project", "repo", "person".
struct Target {
  std::string scope_kind = "org";
  std::string scope_id;
};

using RouteHandler = std::function<HttpResponse(const HttpRequest&, const Caller&)>;

struct Route {
  std::string method;   // "GET"
  std::string pattern;  // "/api/v1/metrics/{family}"
  RouteGroup group = RouteGroup::kPublic;
  std::string summary;
  std::string description;
  std::vector<ParamDoc> params;
  std::string request_body;  // a JSON schema name in components, or empty
  std::vector<int> responses = {200};
  std::string tag;
  RouteHandler handler;
};

struct RouteMatch {
  const Route* route = nullptr;
  std::map<std::string, std::string> params;
  bool method_mismatch = false;  // the path exists with other methods
  std::string allowed;           // "GET, POST" when method_mismatch
};

class Router {
 public:
  void Add(Route route);
  RouteMatch Match(const std::string& method, const std::string& path) const;
  const std::vector<Route>& routes() const { return routes_; }
  // index of `r` in routes(), for per-route counters.
  size_t IndexOf(const Route* r) const { return static_cast<size_t>(r - routes_.data()); }

  // OpenAPI 3.0 document of every route (the static files of the web app are
  // not routes); `schemas` become components.schemas.
  nlohmann::json OpenApi(const std::string& version, const nlohmann::json& schemas) const;

 private:
  std::vector<Route> routes_;
};

}  // namespace sei::api
