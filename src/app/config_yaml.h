// Typed access to the YAML config's nodes for the config parsers
// (config.cc, config_org.cc, config_metrics.cc): every wrong type, unknown
// key or bad value becomes an InvalidArgument error naming the file, the
// line and the key ("sei.yaml:12: metrics.large_pr_lines must be an
// integer, got 'lots'").
//
// Thread safety: pure functions.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "app/config.h"
#include "common/result.h"

namespace sei::app::config_yaml {

// "<file>:<line>" of `node`.
std::string Where(const Config& c, const YAML::Node& node);

// `node` must be a mapping whose keys are all in `allowed`.
Status CheckKeys(const Config& c, const YAML::Node& node, std::string_view what,
                 const std::set<std::string>& allowed);

Result<std::string> String(const Config& c, const YAML::Node& node, std::string_view key);
Result<int64_t> Int(const Config& c, const YAML::Node& node, std::string_view key, int64_t min,
                    int64_t max);
Result<double> Number(const Config& c, const YAML::Node& node, std::string_view key, double min,
                      double max);
Result<bool> Bool(const Config& c, const YAML::Node& node, std::string_view key);
// A list of strings (a single string is not accepted: write [x]).
Result<std::vector<std::string>> Strings(const Config& c, const YAML::Node& node,
                                         std::string_view key);
// A date (YYYY-MM-DD, 00:00 UTC) or an RFC 3339 instant, as Unix seconds.
// `end_of_day`: a date means the end of that day (24:00 UTC) instead.
Result<int64_t> Instant(const Config& c, const YAML::Node& node, std::string_view key,
                        bool end_of_day);

// `path` resolved against the config file's directory (URLs and absolute
// paths unchanged).
std::string ResolvePath(const Config& c, const std::string& path);

Status ParseOrg(Config* c, const YAML::Node& root);       // teams, projects (config_org.cc)
Status ParseMetrics(Config* c, const YAML::Node& node);   // metrics (config_metrics.cc)
Status ParseIdentity(Config* c, const YAML::Node& node);  // identity (config_metrics.cc)

}  // namespace sei::app::config_yaml
