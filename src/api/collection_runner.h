// CollectionRunner: collections the API triggers (POST
// /api/v1/connections/{id}/collect) and the scheduler starts, queued as jobs
// in the store (model::Job) for a worker to run: the worker inside this
// process (api/job_worker.h), or `sei worker` processes sharing the
// database. One collection at a time per connection, across every process
// on the database (the queue's dedupe key). A trigger enqueues the job and
// begins one collection_runs row per repository (status "running", scope:
// the location asked for) in one transaction before it is answered, so the
// caller gets run ids to poll at once; the worker collects the repositories
// one after another, each finishing its own row (complete, failed,
// interrupted). The metrics reload by themselves when the collection's
// writes move the store's DataVersion.
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
#include <string>
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
  std::string kind = "collect";  // or "reconvert" (model::Job::kind)
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

class JobWorker;

class CollectionRunner {
 public:
  // `worker`: this process's worker, woken when a job is enqueued and
  // stopped by Stop(); nullptr when other processes run the jobs.
  CollectionRunner(RepoCollector* collector, JobWorker* worker)
      : collector_(collector), worker_(worker) {}
  ~CollectionRunner() { Stop(); }

  bool Collects(const std::string& connection_id) const {
    return collector_ != nullptr && collector_->Collects(connection_id);
  }
  Result<std::vector<std::string>> DefaultLocations(Store& store,
                                                    const std::string& connection_id) {
    return collector_->DefaultLocations(store, connection_id);
  }
  // True while a collection of `connection_id` is queued or running, in any
  // process on the database.
  Result<bool> Busy(Store& store, const std::string& connection_id);

  // Enqueues a collection of `locations` and begins a run per location (in
  // `store`); FailedPrecondition (409) while a collection of
  // `connection_id` is queued or running.
  // `kind`: "collect", or "reconvert" (convert the connection's archived
  // payloads again; one location, the app's description of what).
  Result<std::vector<model::CollectionRun>> Start(Store& store, const std::string& connection_id,
                                                  const std::vector<std::string>& locations,
                                                  bool full = false,
                                                  const std::string& kind = "collect");

  // Refuses new triggers, and stops this process's worker: collections in
  // progress end "interrupted".
  void Stop();

 private:
  RepoCollector* collector_;
  JobWorker* worker_;
  std::atomic<bool> stopped_{false};
};

}  // namespace sei::api
