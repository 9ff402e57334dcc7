#include "api/router.h"

#include <algorithm>

namespace sei::api {

namespace {

std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    const size_t j = std::min(path.find('/', i), path.size());
    out.push_back(path.substr(i, j - i));
    i = j;
  }
  return out;
}

bool MatchPattern(std::string_view pattern, std::string_view path,
                  std::map<std::string, std::string>* params) {
  const auto ps = Segments(pattern), xs = Segments(path);
  if (ps.size() != xs.size()) return false;
  std::map<std::string, std::string> got;
  for (size_t i = 0; i < ps.size(); ++i) {
    if (ps[i].size() > 2 && ps[i].front() == '{' && ps[i].back() == '}') {
      if (xs[i].empty()) return false;
      got[std::string(ps[i].substr(1, ps[i].size() - 2))] = std::string(xs[i]);
    } else if (ps[i] != xs[i]) {
      return false;
    }
  }
  *params = std::move(got);
  return true;
}

const char* StatusText(int s) {
  switch (s) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No content";
    case 400:
      return "Invalid request: every invalid field is listed in error.details";
    case 401:
      return "Missing or invalid credentials";
    case 403:
      return "The role may not do this";
    case 404:
      return "Not found";
    case 409:
      return "Conflict";
    case 413:
      return "Body too large";
    case 415:
      return "The body is not sent as application/json";
    case 501:
      return "Not implemented for this source yet";
    case 503:
      return "Not ready";
    default:
      return "Response";
  }
}

}  // namespace

std::string RouteGroupName(RouteGroup g) {
  switch (g) {
    case RouteGroup::kPublic:
      return "public";
    case RouteGroup::kObservability:
      return "observability";
    case RouteGroup::kOrgMetrics:
      return "org-metrics";
    case RouteGroup::kScopedMetrics:
      return "scoped-metrics";
    case RouteGroup::kEntityLists:
      return "entity-lists";
    case RouteGroup::kOrgRead:
      return "org-read";
    case RouteGroup::kOrgWrite:
      return "org-write";
    case RouteGroup::kConnections:
      return "connections";
    case RouteGroup::kCollect:
      return "collect";
    case RouteGroup::kPush:
      return "push";
    case RouteGroup::kAdmin:
      return "admin";
    case RouteGroup::kWebhook:
      return "webhook";
  }
  return "unknown";
}

void Router::Add(Route route) { routes_.push_back(std::move(route)); }

RouteMatch Router::Match(const std::string& method, const std::string& path) const {
  RouteMatch m;
  for (const Route& r : routes_) {
    std::map<std::string, std::string> params;
    if (!MatchPattern(r.pattern, path, &params)) continue;
    const bool head_of_get = method == "HEAD" && r.method == "GET";
    if (r.method == method || head_of_get) {
      m.route = &r;
      m.params = std::move(params);
      m.method_mismatch = false;
      return m;
    }
    m.method_mismatch = true;
    if (m.allowed.find(r.method) == std::string::npos) {
      m.allowed += (m.allowed.empty() ? "" : ", ") + r.method;
    }
  }
  return m;
}

nlohmann::json Router::OpenApi(const std::string& version, const nlohmann::json& schemas) const {
  nlohmann::json paths = nlohmann::json::object();
  for (const Route& r : routes_) {
    nlohmann::json op = {{"summary", r.summary}, {"operationId", r.method + " " + r.pattern}};
    if (!r.description.empty()) op["description"] = r.description;
    if (!r.tag.empty()) op["tags"] = {r.tag};
    op["x-sei-access"] = RouteGroupName(r.group);
    if (r.group != RouteGroup::kPublic && r.group != RouteGroup::kWebhook) {
      op["security"] = nlohmann::json::array({{{"bearer", nlohmann::json::array()}}});
    }
    nlohmann::json params = nlohmann::json::array();
    for (const ParamDoc& p : r.params) {
      nlohmann::json schema = {{"type", p.type}};
      if (!p.values.empty()) schema["enum"] = p.values;
      params.push_back({{"name", p.name},
                        {"in", p.in},
                        {"required", p.in == "path" || p.required},
                        {"description", p.description},
                        {"schema", schema}});
    }
    if (!params.empty()) op["parameters"] = params;
    if (!r.request_body.empty()) {
      op["requestBody"] = {
          {"required", true},
          {"content",
           {{"application/json",
             {{"schema", {{"$ref", "#/components/schemas/" + r.request_body}}}}}}}};
    }
    nlohmann::json responses = nlohmann::json::object();
    for (int s : r.responses) responses[std::to_string(s)] = {{"description", StatusText(s)}};
    op["responses"] = responses;
    std::string method = r.method;
    std::transform(method.begin(), method.end(), method.begin(), ::tolower);
    paths[r.pattern][method] = op;
  }
  return {{"openapi", "3.0.3"},
          {"info",
           {{"title", "SEI Platform API"},
            {"version", version},
            {"description",
             "Software engineering intelligence: metrics with their definitions, sample sizes "
             "and data completeness, the rows behind every number, and a push API. "
             "Definitions: docs/metrics.md."}}},
          {"servers", {{{"url", "/"}}}},
          {"paths", paths},
          {"components",
           {{"securitySchemes", {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}}}},
            {"schemas", schemas}}}};
}

}  // namespace sei::api
