// The `metrics:` section (metrics::MetricsSettings, every field) and the
// `identity:` section (identity::ResolverOptions) of the config.
#include <fmt/format.h>

#include <regex>

#include "app/config_yaml.h"

namespace sei::app::config_yaml {

namespace {

constexpr int64_t kMaxDays = 100 * 366;

Status ParseBotPattern(Config* c, const YAML::Node& node) {
  SEI_ASSIGN_OR_RETURN(std::string pattern, String(*c, node, "metrics.bot_pattern"));
  try {
    std::regex check(pattern, std::regex::ECMAScript | std::regex::icase);
  } catch (const std::regex_error& e) {
    return InvalidArgumentError(fmt::format(
        "{}: metrics.bot_pattern '{}' is not a valid regular expression (ECMAScript): {}",
        Where(*c, node), pattern, e.what()));
  }
  c->metrics.bot_pattern = pattern;
  return Status::Ok();
}

Status ParseModeAndBands(Config* c, const YAML::Node& node) {
  if (node["mode"]) {
    SEI_ASSIGN_OR_RETURN(std::string mode, String(*c, node["mode"], "metrics.mode"));
    if (mode != "default" && mode != "devlake") {
      return InvalidArgumentError(fmt::format(
          "{}: metrics.mode must be default or devlake, got '{}'", Where(*c, node["mode"]), mode));
    }
    c->metrics.mode = mode == "devlake" ? metrics::Mode::kDevLake : metrics::Mode::kDefault;
  }
  if (node["band_year"]) {
    SEI_ASSIGN_OR_RETURN(std::string year, String(*c, node["band_year"], "metrics.band_year"));
    if (year != "2021" && year != "2023" && year != "2024") {
      return InvalidArgumentError(
          fmt::format("{}: metrics.band_year must be 2021, 2023 or 2024, got '{}'",
                      Where(*c, node["band_year"]), year));
    }
    c->metrics.band_year = year;
  }
  return Status::Ok();
}

// The settings given in days or hours.
Status ParseDurations(Config* c, const YAML::Node& node) {
  metrics::MetricsSettings& m = c->metrics;
  if (const YAML::Node n = node["first_deployment_window_days"]) {
    SEI_ASSIGN_OR_RETURN(int64_t days,
                         Int(*c, n, "metrics.first_deployment_window_days", 0, kMaxDays));
    m.first_deployment_window_days = static_cast<int>(days);
  }
  if (const YAML::Node n = node["incident_window_hours"]) {
    SEI_ASSIGN_OR_RETURN(int64_t hours,
                         Int(*c, n, "metrics.incident_window_hours", 0, kMaxDays * 24));
    m.incident_window_seconds = hours * 3600;
  }
  if (const YAML::Node n = node["stale_pr_days"]) {
    SEI_ASSIGN_OR_RETURN(int64_t days, Int(*c, n, "metrics.stale_pr_days", 1, kMaxDays));
    m.stale_pr_seconds = days * 86400;
  }
  if (const YAML::Node n = node["rework_window_days"]) {
    SEI_ASSIGN_OR_RETURN(int64_t days, Int(*c, n, "metrics.rework_window_days", 1, kMaxDays));
    m.rework_window_days = static_cast<int>(days);
  }
  return Status::Ok();
}

}  // namespace

Status ParseMetrics(Config* c, const YAML::Node& node) {
  SEI_RETURN_IF_ERROR(
      CheckKeys(*c, node, "metrics",
                {"mode", "history_start", "first_deployment_window_days", "production_types",
                 "incident_window_hours", "bot_pattern", "stale_pr_days", "large_pr_lines",
                 "wait_statuses", "rework_window_days", "band_year"}));
  metrics::MetricsSettings& m = c->metrics;
  SEI_RETURN_IF_ERROR(ParseModeAndBands(c, node));
  SEI_RETURN_IF_ERROR(ParseDurations(c, node));
  if (node["history_start"]) {
    SEI_ASSIGN_OR_RETURN(m.history_start,
                         Instant(*c, node["history_start"], "metrics.history_start", false));
  }
  if (const YAML::Node n = node["production_types"]) {
    SEI_ASSIGN_OR_RETURN(m.production_types, Strings(*c, n, "metrics.production_types"));
    if (m.production_types.empty()) {
      return InvalidArgumentError(fmt::format(
          "{}: metrics.production_types needs at least one environment type", Where(*c, n)));
    }
  }
  if (node["bot_pattern"]) SEI_RETURN_IF_ERROR(ParseBotPattern(c, node["bot_pattern"]));
  if (const YAML::Node n = node["large_pr_lines"]) {
    SEI_ASSIGN_OR_RETURN(m.large_pr_lines, Int(*c, n, "metrics.large_pr_lines", 1, 100000000));
  }
  if (const YAML::Node n = node["wait_statuses"]) {
    SEI_ASSIGN_OR_RETURN(m.wait_statuses, Strings(*c, n, "metrics.wait_statuses"));
  }
  return Status::Ok();
}

Status ParseIdentity(Config* c, const YAML::Node& node) {
  SEI_RETURN_IF_ERROR(CheckKeys(*c, node, "identity", {"min_confidence", "same_name"}));
  if (const YAML::Node n = node["min_confidence"]) {
    SEI_ASSIGN_OR_RETURN(c->identity.min_confidence,
                         Number(*c, n, "identity.min_confidence", 0.0, 1.0));
  }
  if (const YAML::Node n = node["same_name"]) {
    SEI_ASSIGN_OR_RETURN(c->identity.same_name, Bool(*c, n, "identity.same_name"));
  }
  return Status::Ok();
}

}  // namespace sei::app::config_yaml
