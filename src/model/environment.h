// The kind of an environment from its name ("prod-eu" -> production, "uat"
// -> staging), shared by everything that creates deployments: the CI
// deployment generator (metrics/link) and the push API (collectors/push).
//
// Thread safety: pure function.
#pragma once

#include <string>
#include <string_view>

namespace sei::model {

// "production", "staging", "testing", "development", or "" when the name
// says none of them. Case-insensitive.
std::string EnvironmentTypeOf(std::string_view name);

}  // namespace sei::model
