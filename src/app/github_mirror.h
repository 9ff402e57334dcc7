// MirrorGithubRepos: after a GitHub sync (app/github_job.h), clones each
// repository the sync stored into a bare mirror in the data directory (then
// fetches into it) and collects its history with the git collector under
// the GitHub repository's own id and connection, so its commits, pull
// requests and deployments meet in one repository for the linker
// (`sei link`) and the metrics. The settings' `mirror: false` turns it off.
//
// A mirror fetches branches and tags only (not GitHub's refs/pull/*), over
// https with the connection's token offered as user x-access-token when the
// server asks (never in the URL, the mirror's config or a message), and is
// collected with the config's jobs and rename settings, as `sei collect git`
// collects. The sync's own collection run covers the mirrors: no run row of
// their own.
//
// One repository failing (an unreachable clone URL, a refused token, a
// damaged mirror) is reported with its name and the reason, and the others
// are still mirrored; what each stored stays. Cancelling stops between
// commit batches (the next sync continues).
//
// Thread safety: one call at a time per connection; uses `store` from the
// calling thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "app/commands.h"
#include "common/progress.h"
#include "common/result.h"
#include "store/store.h"

namespace sei::app {

struct GithubMirrorOptions {
  std::string token;      // offered as x-access-token; empty: none
  std::string ca_bundle;  // PEM for https clones; empty: libgit2's default trust
  const std::atomic<bool>* cancel = nullptr;
  Progress* progress = nullptr;  // per repository: the clone or fetch, then its commits
};

struct MirroredRepo {
  std::string full_name;  // "acme/api"
  std::string repo_id;    // "github:acme:repo:acme/api"
  int64_t commits_added = 0;
  bool up_to_date = false;  // no branch or tag moved since the last collection
  std::string error;        // why it failed; empty: mirrored and collected
};

struct GithubMirrorReport {
  std::vector<MirroredRepo> repos;

  int64_t CommitsAdded() const;
  int64_t Failed() const;
  // "3 repositories mirrored: 120 new commits (1 up to date, 1 failed)".
  std::string OneLine() const;
  // One "acme/api: why" per failed repository, joined with "; ".
  std::string Failures() const;
};

// Mirrors and collects the repositories `full_names` of the GitHub
// connection `connection_id` (their rows, with the clone URL as location,
// as the sync stored them). Fails only when cancelled or when the store
// cannot be read; failed repositories are in the report.
Result<GithubMirrorReport> MirrorGithubRepos(const Globals& g, Store& store,
                                             const std::string& connection_id,
                                             const std::vector<std::string>& full_names,
                                             const GithubMirrorOptions& o);

}  // namespace sei::app
