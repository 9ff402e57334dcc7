// Config: the YAML file (`--config FILE`, else $SEI_CONFIG, else ./sei.yaml
// when present) that holds the database, sources, teams and settings.
//
//   db: ./sei.db                 # path or URL; --db overrides
//   data_dir: ./.sei             # mirrors of remote repositories
//   sources:
//     git:
//       - path: .                # a working tree or bare repository
//       - url: https://example.com/org/repo.git
//         name: repo             # optional display name
//   teams:
//     - name: Platform
//       members: [ann@example.com, bob@example.com]
//   settings:
//     jobs: 0                    # diff threads; 0 = all cores
//     renames: false             # rename detection in git collection
//     include_remotes: false     # also collect refs/remotes/*
//
// Unknown keys and wrong types are errors that name the file, line and key.
//
// Thread safety: value types and pure functions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "metrics/core/settings.h"

namespace sei::app {

struct GitSourceConfig {
  std::string location;  // path or URL
  std::optional<std::string> name;
};

struct TeamConfig {
  std::string name;
  std::vector<std::string> members;
};

struct Config {
  std::string file;  // where it was loaded from; empty when none
  std::optional<std::string> db;
  std::optional<std::string> data_dir;
  std::vector<GitSourceConfig> git_sources;
  std::vector<TeamConfig> teams;
  std::optional<int> jobs;
  bool renames = false;
  bool include_remotes = false;
  metrics::MetricsSettings metrics;  // the `metrics:` section
};

// Loads and validates `path`. Relative paths inside the file are resolved
// against the file's directory.
Result<Config> LoadConfig(const std::string& path);

// The config file to use: `flag` when given (must exist), else $SEI_CONFIG,
// else ./sei.yaml when it exists, else none (empty string).
Result<std::string> FindConfigFile(const std::string& flag);

}  // namespace sei::app
