// JobWorker: takes collection jobs from the store's queue (model::Job,
// Store::ClaimJob) and runs them with a RepoCollector: the worker inside
// `sei serve` and the whole of `sei worker`. Any number of workers, in any
// number of processes, may share one database (PostgreSQL for more than one
// machine): each job runs on one worker at a time.
//
// A claimed job is held by a lease that a heartbeat thread renews every
// third of the lease. A worker that dies (SIGKILL, a lost machine) stops
// renewing; once its lease runs out, another worker claims the job and
// collects the runs still "running" again: collections are idempotent and
// resumable (upserts by key, sync cursors), so no row is stored twice. A job
// claimed more than max_attempts times (its worker keeps dying) fails, with
// its runs. A worker that finds its lease taken (it stalled past it) stops
// the job without finishing it: the new holder does.
//
// Stop() cancels running collections (their runs end "interrupted", the job
// too; the scheduler starts an interrupted connection again at once) and
// waits for the threads.
//
// Thread safety: Start, Stop from one thread; Wake, RunOnce and the counters
// from any.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "api/collection_runner.h"
#include "common/clock.h"
#include "model/meta.h"
#include "store/store.h"

namespace sei::api {

struct JobWorkerOptions {
  // Names this worker in the queue (model::Job::worker); each thread adds
  // ":N". Default: host:pid.
  std::string name;
  int threads = 1;  // jobs run at once
  std::chrono::milliseconds poll{1000};
  std::chrono::milliseconds lease{30000};
  int max_attempts = 3;
  FILE* log = nullptr;  // claims, ends and lost leases; nullptr: silent
  // Called after each job this worker ended (done, failed or interrupted).
  std::function<void(const model::Job&)> on_finished;
};

// "host:pid", what JobWorkerOptions::name defaults to.
std::string DefaultWorkerName();

class JobWorker {
 public:
  JobWorker(StoreOpener open, RepoCollector* collector, const Clock& clock,
            JobWorkerOptions options);
  ~JobWorker();
  JobWorker(const JobWorker&) = delete;
  JobWorker& operator=(const JobWorker&) = delete;

  void Start();
  // A job was enqueued: look now instead of at the next poll.
  void Wake();
  void Stop();

  // Claims one job as worker `thread_name` and runs it on the calling
  // thread; false when there was none to claim.
  Result<bool> RunOnce(Store& store, const std::string& thread_name);

  int64_t jobs_finished() const { return jobs_finished_.load(); }
  const std::string& name() const { return options_.name; }

 private:
  struct Held {
    std::string worker;
    std::atomic<bool> cancel{false};
    std::atomic<bool> lost{false};  // the lease went to another worker
  };
  void Loop(int index);
  void Heartbeats();
  Status RunJob(Store& store, const model::Job& job, Held& held);
  void Log(const char* fmt, ...) const __attribute__((format(printf, 2, 3)));

  StoreOpener open_;
  RepoCollector* collector_;
  const Clock& clock_;
  JobWorkerOptions options_;
  std::atomic<bool> stopping_{false};
  std::atomic<int64_t> jobs_finished_{0};

  std::mutex mu_;  // guards wake_, held_
  std::condition_variable cv_;
  int64_t wake_ = 0;
  std::map<int64_t, std::shared_ptr<Held>> held_;  // by job id
  std::vector<std::thread> threads_;
  std::thread heartbeat_;
};

}  // namespace sei::api
