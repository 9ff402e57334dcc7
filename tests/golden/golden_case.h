// Golden cases: data files that hold a metric's input rows and the output it
// must produce, run against a real SQLite store through the same code path
// as `sei metrics` (load -> optional steps such as link -> Dataset -> engine).
//
// A case is one YAML file under tests/golden/<metric>/:
//
//   description: what the case shows (required)
//   settings: {first_deployment_window_days: 30, band_year: "2023", ...}
//   steps: [link]            # run before the metrics (registered steps)
//   query: {family: dora, scope: org, since: 2024-01-01, until: 2024-02-01,
//           granularity: week, drill: true, compare: false, only: [dora.]}
//   rows:
//     repos: [{id: r1, name: api}]
//     commits: [{repo_id: r1, sha: c1, parents: [], author_time: ..., author_email: ...}]
//              files: [{path: a.cc, change: M, added: 3, deleted: 1}, {path: i.png, binary: true}]
//     deployments: [{id: d1, repo_id: r1, environment: production, ...}]
//   expect:
//     metrics:
//       dora.lead_time: {value: 3600, distribution: {n: 2}, band: elite}
//     absent: [dora.something]  # metric keys that must not be reported
//     tables:                   # derived rows, e.g. after the link step
//       deployment-changes: [{deployment_id: d1, change_id: pr1, commits: 2}]
//
// A case may omit `query` when it expects only `tables`: each listed table
// must hold exactly that many rows, ordered by its key, each containing the
// columns given (instants as epoch seconds, booleans as true/false).
// Columns take YAML scalars; instants may be written as RFC 3339 text.
// Missing non-nullable columns default to "", 0 or false; connection_id
// defaults to "golden". `expect` is compared as a subset of the report's
// JSON (report_json.h): every key given must match, integers exactly, other
// numbers to 1e-9 relative, arrays element by element and of the same length.
//
// Thread safety: test-only, single-threaded.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "metrics/core/settings.h"
#include "store/store.h"

namespace sei::golden {

// A pipeline step a case can ask for ("link", "identity"): runs on the store
// before the Dataset is loaded.
using Step = std::function<Status(Store&, const metrics::MetricsSettings&)>;
std::map<std::string, Step>& Steps();

// Converts a YAML node to JSON (scalars typed: ints, floats, bools, strings).
nlohmann::json YamlFileToJson(const std::string& path);

// Loads `rows` (JSON object: entity name -> array of objects) into `store`.
Status LoadRows(Store& store, const nlohmann::json& rows);

// Applies `settings` (JSON object) over the defaults.
Result<metrics::MetricsSettings> ParseSettings(const nlohmann::json& settings);

// Returns "" when `actual` contains `expected`, else where they differ.
std::string Mismatch(const nlohmann::json& expected, const nlohmann::json& actual,
                     const std::string& path = "");

// Parses an instant (RFC 3339 text or epoch seconds) from JSON.
Result<int64_t> ParseInstant(const nlohmann::json& v);

}  // namespace sei::golden
