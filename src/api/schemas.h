// JSON schemas of the API's bodies, for the OpenAPI document's components.
//
// Thread safety: pure function.
#pragma once

#include <nlohmann/json.hpp>

namespace sei::api {

nlohmann::json ApiSchemas();

}  // namespace sei::api
