// How the API shows the Dataset's entities: one JSON object per PR,
// deployment, incident, release, issue, team, person, repo and project, with times
// as RFC 3339, people and repos by id and name, and each PR's flow stages.
//
// Thread safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>

#include "metrics/core/dataset.h"

namespace sei::api {

// A time as RFC 3339, or null; a string, or null.
nlohmann::json TimeOrNull(const std::optional<int64_t>& t);
nlohmann::json OptOrNull(const std::optional<std::string>& s);
// A person row as {"id", "name"}, or null for kNone.
nlohmann::json PersonRef(const metrics::Dataset& ds, metrics::Idx p);

nlohmann::json PrJson(const metrics::Dataset& ds, size_t i);
nlohmann::json DeploymentJson(const metrics::Dataset& ds, size_t i);
nlohmann::json IncidentJson(const metrics::Dataset& ds, size_t i);
nlohmann::json ReleaseJson(const metrics::Dataset& ds, size_t i);
nlohmann::json IssueJson(const metrics::Dataset& ds, size_t i);
nlohmann::json TeamJson(const metrics::Dataset& ds, size_t i, int64_t now);
nlohmann::json PersonJson(const metrics::Dataset& ds, size_t i);
nlohmann::json RepoJson(const metrics::Dataset& ds, size_t i);
nlohmann::json ProjectJson(const metrics::Dataset& ds, size_t i);

}  // namespace sei::api
