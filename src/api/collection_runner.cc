#include "api/collection_runner.h"

#include <cstdio>

#include "common/clock.h"

namespace sei::api {

Result<std::vector<model::CollectionRun>> CollectionRunner::Start(
    Store& store, const std::string& connection_id, const std::vector<std::string>& locations,
    bool full) {
  std::lock_guard<std::mutex> l(mu_);
  if (cancel_) return UnavailableError("the server is shutting down");
  if (busy_.count(connection_id) != 0) {
    return FailedPreconditionError("a collection of " + connection_id +
                                   " is running; trigger again once it has finished");
  }
  std::vector<model::CollectionRun> runs;
  const int64_t now = SystemClock::Get().NowUnixSeconds();
  for (const std::string& location : locations) {
    model::CollectionRun run{0, connection_id, location, now, {}, "running", 0, {}};
    SEI_ASSIGN_OR_RETURN(run.id, store.BeginRun(run));
    runs.push_back(std::move(run));
  }
  // Threads of collections that have ended are joined (they are done, or
  // about to return).
  for (auto it = threads_.begin(); it != threads_.end();) {
    if (busy_.count(it->first) != 0) {
      ++it;
      continue;
    }
    it->second.join();
    it = threads_.erase(it);
  }
  busy_.insert(connection_id);
  threads_.emplace_back(connection_id, std::thread([this, connection_id, runs, full] {
                          Run(connection_id, runs, full);
                        }));
  return runs;
}

bool CollectionRunner::Busy(const std::string& connection_id) {
  std::lock_guard<std::mutex> l(mu_);
  return busy_.count(connection_id) != 0;
}

void CollectionRunner::Run(std::string connection_id, std::vector<model::CollectionRun> runs,
                           bool full) {
  auto store = open_();
  for (const model::CollectionRun& run : runs) {
    Status s = store.ok() ? collector_->Collect(**store,
                                                {connection_id, run.scope, run.id, full, &cancel_})
                          : store.status();
    if (!s.ok()) {
      std::fprintf(stderr, "sei serve: collection run %lld (%s) did not complete: %s\n",
                   static_cast<long long>(run.id), run.scope.c_str(), s.message().c_str());
    }
  }
  std::lock_guard<std::mutex> l(mu_);
  busy_.erase(connection_id);
}

void CollectionRunner::Stop() {
  cancel_ = true;
  std::vector<std::pair<std::string, std::thread>> threads;
  {
    std::lock_guard<std::mutex> l(mu_);
    threads.swap(threads_);
  }
  for (auto& [connection, t] : threads) t.join();
}

}  // namespace sei::api
