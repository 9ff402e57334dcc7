// The `sei` subcommands. Each returns a Status; main() turns it into a
// one-line error and an exit code.
//
// Thread safety: run on the main thread.
#pragma once

#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/config.h"
#include "common/status.h"

namespace sei::app {

// Global options, resolved against the config file.
struct Globals {
  std::string db;        // --db, else config db, else ./sei.db
  std::string data_dir;  // --data-dir, else config data_dir, else .sei beside the db
  Config config;
  bool quiet = false;
  std::string progress = "auto";  // auto | always | never
  const std::atomic<bool>* cancel = nullptr;
};

struct CollectGitArgs {
  std::vector<std::string> locations;
  std::optional<int> jobs;
  bool renames = false;
  bool include_remotes = false;
  std::string name;
};
Status RunCollectGit(const Globals& g, const CollectGitArgs& args);

struct ExportArgs {
  std::string entity;
  std::string format = "csv";
  std::string output;  // empty or "-": stdout
  std::vector<std::string> columns;
  std::string repo;
  bool header = false;
  bool no_header = false;
  bool list = false;
};
Status RunExport(const Globals& g, const ExportArgs& args);

struct StatsArgs {
  std::string repo;
  int weeks = 12;
  int top = 10;
  std::string format = "text";  // text | json
};
Status RunStats(const Globals& g, const StatsArgs& args);

Status RunDbStatus(const Globals& g);
// `sei db migrate`: opens the store for writing, which applies the missing
// migrations (PostgreSQL: under the advisory lock), and says what it did.
Status RunDbMigrate(const Globals& g);

// Command groups added by their own files register here: each Add* function
// adds its subcommands to `root` and, for each, what to run when it was the
// one parsed. main() calls each Add* function declared below.
struct Command {
  const void* app = nullptr;  // the CLI::App* whose parsed() selects it
  std::function<Status(const Globals&)> run;
};

}  // namespace sei::app

namespace CLI {
class App;
}

namespace sei::app {

// One line per command group (keep them in pipeline order).
void AddLinkCommands(CLI::App& root, std::vector<Command>* out);
void AddIdentityCommands(CLI::App& root, std::vector<Command>* out);
void AddDemoCommands(CLI::App& root, std::vector<Command>* out);
void AddMetricsCommands(CLI::App& root, std::vector<Command>* out);
void AddServeCommands(CLI::App& root, std::vector<Command>* out);
void AddWorkerCommands(CLI::App& root, std::vector<Command>* out);
void AddTokenCommands(CLI::App& root, std::vector<Command>* out);
void AddUserCommands(CLI::App& root, std::vector<Command>* out);
void AddConnectCommands(CLI::App& root, std::vector<Command>* out);
// `sei sync` (cmd_sync.cc).
void AddSyncCommands(CLI::App& root, std::vector<Command>* out);
// `sei reconvert` (cmd_reconvert.cc).
void AddReconvertCommands(CLI::App& root, std::vector<Command>* out);
// `sei migrate` (cmd_migrate.cc).
void AddMigrateCommands(CLI::App& root, std::vector<Command>* out);

}  // namespace sei::app
