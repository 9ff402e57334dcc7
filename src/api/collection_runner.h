// CollectionRunner: collections the API triggers (POST
// /api/v1/connections/{id}/collect), run in the background, one at a time
// per connection. A trigger begins one collection_runs row per repository
// (status "running", scope: the location asked for) before it is answered,
// so the caller gets run ids to poll at once; the repositories are then
// collected one after another on a thread of the runner, each finishing its
// own row (complete, failed, interrupted). The metrics reload by themselves
// when the collection's writes move the store's DataVersion.
//
// The collecting itself is the app's (RepoCollector, over the git
// collector): src/api sees no concrete collector.
//
// Thread safety: Start and Busy from any thread; Stop once, at shutdown.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "api/metrics_service.h"
#include "common/result.h"
#include "model/meta.h"
#include "store/store.h"

namespace sei::api {

// One collection the runner asks for: a location of a connection (git: a
// repository's path or URL; GitHub: the connection's scope), finishing the
// run `run_id` began.
struct CollectJob {
  std::string connection_id;
  std::string location;
  int64_t run_id = 0;
  bool full = false;  // sources that sync incrementally: list everything again
  const std::atomic<bool>* cancel = nullptr;
};

class RepoCollector {
 public:
  virtual ~RepoCollector() = default;
  // The connections this collector collects ("git:local", "github:acme").
  virtual bool Collects(const std::string& connection_id) const = 0;
  // What a trigger with no locations collects: for git, every repository
  // the connection holds and the config file's sources; for GitHub, the
  // connection's scope (its org, or its list of repositories).
  virtual Result<std::vector<std::string>> DefaultLocations(Store& store,
                                                            const std::string& connection_id) = 0;
  // Collects `job` into `store`, finishing its run.
  virtual Status Collect(Store& store, const CollectJob& job) = 0;
};

class CollectionRunner {
 public:
  CollectionRunner(StoreOpener open, RepoCollector* collector)
      : open_(std::move(open)), collector_(collector) {}
  ~CollectionRunner() { Stop(); }

  bool Collects(const std::string& connection_id) const {
    return collector_ != nullptr && collector_->Collects(connection_id);
  }
  Result<std::vector<std::string>> DefaultLocations(Store& store,
                                                    const std::string& connection_id) {
    return collector_->DefaultLocations(store, connection_id);
  }
  // True while a collection of `connection_id` runs in this process.
  bool Busy(const std::string& connection_id);

  // Begins a run per location (in `store`) and starts collecting them;
  // FailedPrecondition (409) while a collection of `connection_id` runs.
  Result<std::vector<model::CollectionRun>> Start(Store& store, const std::string& connection_id,
                                                  const std::vector<std::string>& locations,
                                                  bool full = false);

  // Cancels running collections (their runs end "interrupted") and waits.
  void Stop();

 private:
  void Run(std::string connection_id, std::vector<model::CollectionRun> runs, bool full);

  StoreOpener open_;
  RepoCollector* collector_;
  std::atomic<bool> cancel_{false};
  std::mutex mu_;                                             // guards busy_, threads_
  std::set<std::string> busy_;                                // connections being collected
  std::vector<std::pair<std::string, std::thread>> threads_;  // by connection
};

}  // namespace sei::api
