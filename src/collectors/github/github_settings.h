// GithubSettings: what a GitHub connection syncs and how often — the
// connection's `config` (model::Connection::config, JSON), written by
// `sei connect github --org ORG | --repo OWNER/NAME ...` and by
// POST/PATCH /api/v1/connections, read by `sei sync` and the scheduler of
// `sei serve`.
//
// JSON shape (every member optional except one of org / repos):
//   {"org": "acme", "repos": ["acme/api"], "interval_seconds": 3600,
//    "full_every_seconds": 604800, "mirror": true,
//    "patterns": {"issue_types": [{"name": "bug", "regex": "bug"}],
//                 "default_issue_type": "other", "deployment": "deploy",
//                 "environments": [{"name": "staging", "regex": "stag"}],
//                 "default_environment": "production"}}
// `org` syncs every repository of the organisation (or user) and `repos`
// adds single repositories; `interval_seconds` 0 means "only when asked"
// (`sei sync`, POST .../collect); `full_every_seconds` is how often a sync
// lists everything again to notice deletions; `mirror` clones each
// repository (git) so commits, PRs and deployments meet in one place.
//
// Thread safety: values and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/github/github_patterns.h"
#include "common/result.h"

namespace sei::collectors::github {

inline constexpr const char* kDefaultApiUrl = "https://api.github.com";

struct GithubSettings {
  std::optional<std::string> org;
  std::vector<std::string> repos;  // "owner/name"
  int64_t interval_seconds = 3600;
  int64_t full_every_seconds = 7 * 86400;
  bool mirror = true;
  GithubPatterns patterns;
};

// Parses the connection's config; empty text gives the defaults (which name
// nothing to sync). InvalidArgument lists every problem, each naming its
// member ("repos[1]: 'acme' is not OWNER/NAME").
Result<GithubSettings> ParseGithubSettings(std::string_view json_text);
// The JSON text ParseGithubSettings reads back to `settings` (patterns only
// where they differ from the defaults).
std::string GithubSettingsJson(const GithubSettings& settings);
// Why the settings cannot sync: nothing named, or a bad interval.
std::optional<std::string> GithubSettingsProblem(const GithubSettings& settings);
// "owner/name" check; the reason when it is not one.
std::optional<std::string> RepoNameProblem(std::string_view full_name);
// The API base URL without a trailing '/': `base_url`, or api.github.com.
std::string ApiUrl(const std::optional<std::string>& base_url);

}  // namespace sei::collectors::github
