#include "api/schemas.h"

namespace sei::api {

nlohmann::json ApiSchemas() {
  using nlohmann::json;
  const json str = {{"type", "string"}};
  const json time = {{"type", "string"}, {"format", "date-time"}};
  return {
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
