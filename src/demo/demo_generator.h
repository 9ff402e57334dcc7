// DemoGenerator: `sei demo`'s engine. Writes a seeded, realistic engineering
// organisation into a Store: connections demo:git, demo:github, demo:jira,
// demo:ci and demo:pager; people with accounts in every tool; teams with
// dated memberships; repositories with commit graphs, refs and release tags;
// pull requests merged three ways with reviews and comments; boards,
// sprints, issues and status changes; CI pipelines, deployments, incidents
// and quality findings. docs/demo.md describes the organisation.
//
// Deterministic: the same options write the same rows, byte for byte (our
// own PRNG and distributions, no clock). Idempotent: every row has a stable
// id, so running again into the same database rewrites the same rows and
// adds none. A marker (sync_state demo:git / demo / options, and the demo:git
// connection's config) records the options; a database holding a demo made
// with other options is refused rather than mixed.
//
// The default is one division (6 teams, 30 repositories, 46 people); --scale
// adds divisions until the organisation holds at least the target commits,
// PRs and deployments, generating the next division on a second thread while
// the current one is written (memory holds at most two divisions).
// Derived tables (deployment changes, links, identity) are left to `sei link`
// and identity resolution.
//
// Thread safety: Run drives the Store from the calling thread only.
#pragma once

#include <atomic>
#include <string>

#include "common/progress.h"
#include "common/result.h"
#include "demo/demo_options.h"
#include "demo/unit_data.h"
#include "store/store.h"

namespace sei::demo {

struct DemoSummary {
  std::string marker;
  DemoWindow window;
  bool refreshed = false;  // the database already held this demo
  DemoCounts counts;
};

class DemoGenerator {
 public:
  DemoGenerator(Store* store, const DemoOptions& options, Progress* progress = nullptr,
                const std::atomic<bool>* cancel = nullptr);

  Result<DemoSummary> Run();

 private:
  // Ok when the database holds no demo or this one; sets `refreshed`.
  Status CheckMarker(const std::string& marker, bool* refreshed);
  Status WriteConnections(const DemoWindow& window, const std::string& marker);
  Status PutMarker(const std::string& marker, const std::string& status, int64_t at);
  bool TargetsMet(const DemoCounts& counts) const;

  Store* store_;
  DemoOptions options_;
  Progress* progress_;
  NullProgress null_progress_;
  const std::atomic<bool>* cancel_;
};

}  // namespace sei::demo
