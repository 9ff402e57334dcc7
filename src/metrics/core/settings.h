// MetricsSettings: every knob a metric definition depends on, with the
// defaults docs/metrics.md documents. Loaded from the `metrics:` section of
// the YAML config (app/config.h); a report echoes the settings it used.
//
// Thread safety: value type.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sei::metrics {

// kDefault: our definitions. kDevLake: Apache DevLake's, for comparison and
// for the DevLake end-to-end cases (docs/metrics.md says where they differ).
enum class Mode { kDefault, kDevLake };

struct MetricsSettings {
  Mode mode = Mode::kDefault;

  // ---- Linking deployments to changes ----
  // Commits older than this are never counted as shipped by a deployment
  // (they predate the metrics' history). Unset: no date bound.
  std::optional<int64_t> history_start;
  // A repo/environment's first deployment has no previous one to diff
  // against: it ships only commits authored within this many days before it.
  int first_deployment_window_days = 30;
  // Environment types that count as production for DORA.
  std::vector<std::string> production_types = {"production"};

  // ---- Incidents to deployments ----
  // An incident is caused by the last successful production deployment of its
  // service (or repo) and environment that finished at most this long before.
  int64_t incident_window_seconds = 24 * 3600;

  // ---- People ----
  // Accounts whose login, name or email matches are bots (ECMAScript regex,
  // case-insensitive), excluded from people metrics.
  std::string bot_pattern =
      R"((\[bot\]|-bot|^bot-|^bots?$|dependabot|renovate|github-actions|jenkins|gitlab-ci|noreply@github\.com$))";

  // ---- Pull requests ----
  int64_t stale_pr_seconds = 14 * 86400;  // open and untouched this long
  int64_t large_pr_lines = 400;           // additions + deletions

  // ---- Issues and flow ----
  // Status names (case-insensitive) that count as waiting rather than active
  // work inside the in-progress category, for flow efficiency.
  std::vector<std::string> wait_statuses = {"blocked",      "waiting",        "on hold",
                                            "in review",    "code review",    "review",
                                            "ready for qa", "ready for test", "ready for release"};
  // Issue types (normalised) and the investment category each counts to.
  // Types not listed count as "other".

  // ---- Code ----
  int rework_window_days = 21;

  // ---- Bands ----
  std::string band_year = "2023";  // "2021", "2023" or "2024"
};

}  // namespace sei::metrics
