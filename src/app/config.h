// Config: the YAML file (`--config FILE`, else $SEI_CONFIG, else ./sei.yaml
// when present) that holds the database, sources, teams, projects and
// settings.
//
//   db: ./sei.db                 # path or URL; --db overrides
//   data_dir: ./.sei             # mirrors of remote repositories
//   sources:
//     git:
//       - path: .                # a working tree or bare repository
//       - url: https://example.com/org/repo.git
//         name: repo             # optional display name
//   teams:                       # identity/org_config.h has every key
//     - name: Platform
//       parent: Engineering
//       members:
//         - ann@example.com      # an email, a login, an account id or a person id
//         - {who: bob, joined: 2024-01-01, left: 2024-06-30, role: lead}
//   projects:
//     - name: Checkout
//       repos: [api, ../web]     # repo ids, names or paths
//       boards: [CHK]
//       services: [checkout-api]
//       environments: [production]
//       ci_scopes: [checkout-ci]
//   metrics:                     # metrics::MetricsSettings (defaults shown)
//     mode: default              # or devlake
//     history_start: 2023-01-01  # commits before it are never "shipped"
//     first_deployment_window_days: 30
//     production_types: [production]
//     incident_window_hours: 24
//     bot_pattern: '(\[bot\]|-bot|...)'
//     stale_pr_days: 14
//     large_pr_lines: 400
//     wait_statuses: [blocked, waiting, ...]
//     rework_window_days: 21
//     band_year: 2023            # 2021, 2023 or 2024
//   identity:
//     min_confidence: 0.6        # automatic identity links weaker than this are not made
//     same_name: true            # the same-full-name rule (confidence 0.6)
//   access:                      # `sei serve`'s role rules (docs/api.md, Roles)
//     individual_metrics: true   # managers may see one person of their teams
//   settings:
//     jobs: 0                    # diff threads; 0 = all cores
//     renames: false             # rename detection in git collection
//     include_remotes: false     # also collect refs/remotes/*
//
// Unknown keys, wrong types and bad values are errors that name the file,
// line and key.
//
// Thread safety: value types and pure functions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "identity/identity_resolver.h"
#include "identity/org_config.h"
#include "metrics/core/settings.h"

namespace sei::app {

struct GitSourceConfig {
  std::string location;  // path or URL
  std::optional<std::string> name;
};

// sources.github: a GitHub connection declared in the config file, made
// (or updated) in the store by ApplyConfigConnections before a command
// uses connections. The token is read from the environment variable
// token_env when the sync runs; it is never stored.
struct GithubSourceConfig {
  std::string name;  // connection github:<name>
  std::optional<std::string> base_url;
  std::optional<std::string> token_env;
  std::string settings_json;  // collectors/github/github_settings.h, checked
  std::string where;          // file:line, for messages
};

struct Config {
  std::string file;  // where it was loaded from; empty when none
  std::optional<std::string> db;
  std::optional<std::string> data_dir;
  std::vector<GitSourceConfig> git_sources;
  std::vector<GithubSourceConfig> github_sources;
  identity::OrgConfig org;           // teams and projects
  metrics::MetricsSettings metrics;  // the metrics: section
  // The identity: section; bot_pattern is metrics.bot_pattern.
  identity::ResolverOptions identity;
  // access.individual_metrics: whether managers may see the metrics and
  // lists of one person of their teams (members always see their own).
  bool individual_metrics = true;
  std::optional<int> jobs;
  bool renames = false;
  bool include_remotes = false;
};

// Loads and validates `path`. Relative paths inside the file are resolved
// against the file's directory.
Result<Config> LoadConfig(const std::string& path);

// The config file to use: `flag` when given (must exist), else $SEI_CONFIG,
// else ./sei.yaml when it exists, else none (empty string).
Result<std::string> FindConfigFile(const std::string& flag);

}  // namespace sei::app
