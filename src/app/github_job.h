// One sync of a GitHub connection, as `sei sync` runs it and as `sei serve`
// runs it on the connection's interval or when the API triggers it
// (serve_collector.h): the connection's settings (its config) and sealed
// token(s), curl behind retries, rate limits and token rotation, then
// collectors::github::GithubSync, then the repositories' mirrors
// (app/github_mirror.h). Each sync is a collection_runs row: begun
// here (or by the API's trigger, `run_id`), finished complete, failed with
// its error, or interrupted.
//
// Thread safety: one call per connection at a time (the runner ensures it).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "app/commands.h"
#include "app/github_mirror.h"
#include "collectors/github/github_reconvert.h"
#include "collectors/github/github_sync.h"
#include "common/progress.h"
#include "common/result.h"
#include "metrics/link/linker.h"
#include "model/meta.h"
#include "store/store.h"

namespace sei::app {

struct GithubJobOptions {
  bool full = false;
  std::string ca_bundle;  // PEM; empty: the system's (or the settings')
  int64_t run_id = 0;     // a run the caller began; 0: begin one
  const std::atomic<bool>* cancel = nullptr;
  Progress* progress = nullptr;
  // A request that receives no byte for this long fails (and is retried).
  std::chrono::milliseconds read_timeout{std::chrono::seconds(60)};
  int max_attempts = 5;  // sends per request on transport errors and 5xx
  // Filled with what mirroring the repositories did (settings.mirror), also
  // when it failed; may be null.
  GithubMirrorReport* mirror_report = nullptr;
  // After a sync that wrote rows, run the linker (sei link: deployments to
  // commits and PRs, incidents to deployments) so the metrics see them.
  bool link = true;
  // Filled with the linker's summary when it ran; may be null.
  std::optional<metrics::link::LinkSummary>* link_summary = nullptr;
};

// The scope a GitHub connection's runs are recorded under: its org, else
// "repos".
std::string GithubRunScope(const model::Connection& c);

// Makes the config file's sources.github connections exist in `store` as
// the file declares them (config, base URL), updating those that differ
// (audited, actor "config"). Connections the file no longer lists stay.
Status ApplyConfigConnections(const Globals& g, Store& store);

// The GitHub connections `ids` name (all of `all` that are GitHub when
// empty). `not_github` ends the error for a connection of another source
// ("<id> is a <source> connection: " + not_github); `none` is the error when
// nothing is chosen.
Result<std::vector<model::Connection>> ChooseGithubConnections(
    const std::vector<model::Connection>& all, const std::vector<std::string>& ids,
    const std::string& not_github, const std::string& none);

// Converts the archived payloads of `chosen` again (`sei reconvert`, and
// the worker's "reconvert" jobs), with the webhook receiver's rule for
// deliveries to /webhooks/github taken from `all`; `entity` and `scope`
// narrow it ("" : everything). Then, when rows were written and `link`, the
// linker, as after a sync (its summary in *linked when not null).
struct ReconvertRequest {
  std::string entity;
  std::string scope;
  bool link = true;
  const std::atomic<bool>* cancel = nullptr;
  Progress* progress = nullptr;
};
// A "reconvert" job's one location: the request as JSON ({"entity",
// "scope", "link"}), and back.
std::string ReconvertLocation(const ReconvertRequest& r);
Result<ReconvertRequest> ParseReconvertLocation(const std::string& location);
Result<collectors::github::ReconvertReport> ReconvertGithub(
    const Globals& g, Store& store, const std::vector<model::Connection>& chosen,
    const std::vector<model::Connection>& all, const ReconvertRequest& r,
    std::optional<metrics::link::LinkSummary>* linked = nullptr);

// Syncs `c` into `store`. Its token is the environment variable the
// config's token_env names, else the connection's sealed token. The Status names the connection;
// the run row says the same.
Result<collectors::github::SyncReport> RunGithubJob(const Globals& g, Store& store,
                                                    const model::Connection& c,
                                                    const GithubJobOptions& o);

}  // namespace sei::app
