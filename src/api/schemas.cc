#include "api/schemas.h"

namespace sei::api {

nlohmann::json ApiSchemas() {
  using nlohmann::json;
  const json str = {{"type", "string"}};
  const json time = {{"type", "string"}, {"format", "date-time"}};
  auto obj = [](json required, json props) {
    return json{{"type", "object"},
                {"required", std::move(required)},
                {"additionalProperties", false},
                {"properties", std::move(props)}};
  };
  const json results = {{"type", "string"},
                        {"enum", {"success", "failure", "rolled_back", "cancelled", "running"}}};
  const json shas = {{"type", "array"}, {"maxItems", 10000}, {"items", str}};
  return {
      {"PushDeployment",
       obj({"id", "environment", "result", "started_at"},
           {{"id", str},
            {"environment", str},
            {"environment_type", str},
            {"service", str},
            {"repo", str},
            {"commit_sha", str},
            {"commits", shas},
            {"commit_range", {{"type", "object"}, {"properties", {{"from", str}, {"to", str}}}}},
            {"result", results},
            {"started_at", time},
            {"finished_at", time},
            {"url", str}})},
      {"PushIncident", obj({"id", "title", "created_at"}, {{"id", str},
                                                           {"title", str},
                                                           {"service", str},
                                                           {"environment", str},
                                                           {"severity", str},
                                                           {"status", str},
                                                           {"created_at", time},
                                                           {"resolved_at", time},
                                                           {"deployment_id", str},
                                                           {"url", str}})},
      {"PushPullRequest",
       {{"type", "object"},
        {"required", {"id"}},
        {"description", "The fields of a pull request (docs/api.md)"}}},
      {"PushIssue",
       {{"type", "object"},
        {"required", {"id"}},
        {"description", "The fields of an issue (docs/api.md)"}}},
      {"Login", obj({"email", "password"}, {{"email", str}, {"password", str}})},
      {"PushResolve", obj(json::array(), {{"resolved_at", time}})},
      {"Error",
       {{"type", "object"},
        {"required", {"error"}},
        {"properties",
         {{"error",
           {{"type", "object"},
            {"required", {"status", "code", "message"}},
            {"properties",
             {{"status", {{"type", "integer"}}},
              {"code", str},
              {"message", str},
              {"details",
               {{"type", "array"},
                {"items",
                 {{"type", "object"}, {"properties", {{"field", str}, {"reason", str}}}}}}}}}}}}}}},
      {"Report",
       {{"type", "object"},
        {"required", {"family", "scope", "since", "until", "metrics"}},
        {"properties",
         {{"family", str},
          {"scope", str},
          {"scope_name", str},
          {"since", time},
          {"until", time},
          {"granularity", str},
          {"metrics", {{"type", "array"}, {"items", {{"type", "object"}}}}},
          {"data", {{"type", "object"}}}}}}},
      {"Page",
       {{"type", "object"},
        {"required", {"items", "total", "next_cursor"}},
        {"properties",
         {{"items", {{"type", "array"}, {"items", {{"type", "object"}}}}},
          {"total", {{"type", "integer"}}},
          {"next_cursor", {{"type", "string"}, {"nullable", true}}},
          {"sort", str}}}}},
  };
}

}  // namespace sei::api
