#include "api/collection_runner.h"

#include <nlohmann/json.hpp>

#include "api/job_worker.h"
#include "common/clock.h"

namespace sei::api {

namespace {

std::string DedupeKey(const std::string& connection_id) { return "collect:" + connection_id; }

}  // namespace

Result<std::vector<model::CollectionRun>> CollectionRunner::Start(
    Store& store, const std::string& connection_id, const std::vector<std::string>& locations,
    bool full, const std::string& kind) {
  if (stopped_) return UnavailableError("the server is shutting down");
  const int64_t now = SystemClock::Get().NowUnixSeconds();
  model::Job job;
  job.kind = kind;
  job.dedupe_key = DedupeKey(connection_id);
  job.connection_id = connection_id;
  job.locations = nlohmann::json(locations).dump();
  job.full_sync = full ? 1 : 0;
  job.created_at = now;
  std::vector<model::CollectionRun> runs;
  for (const std::string& location : locations) {
    // A reconversion's run says so (the scheduler times syncs by the
    // others: ScheduleOf).
    runs.push_back(
        {0, connection_id, kind == "collect" ? location : kind, now, {}, "running", 0, {}});
  }
  Result<model::Job> queued = store.EnqueueJob(job, &runs);
  if (queued.status().code() == StatusCode::kAlreadyExists) {
    return FailedPreconditionError("a collection of " + connection_id +
                                   " is running; trigger again once it has finished (" +
                                   queued.status().message() + ")");
  }
  SEI_RETURN_IF_ERROR(queued.status());
  if (worker_ != nullptr) worker_->Wake();
  return runs;
}

Result<bool> CollectionRunner::Busy(Store& store, const std::string& connection_id) {
  for (const char* state : {"queued", "running"}) {
    ScanOptions o;
    o.where = {{"dedupe_key", model::Value{DedupeKey(connection_id)}},
               {"state", model::Value{std::string(state)}}};
    SEI_ASSIGN_OR_RETURN(int64_t n, store.CountRows(model::SpecOf<model::Job>(), o));
    if (n > 0) return true;
  }
  return false;
}

void CollectionRunner::Stop() {
  if (stopped_.exchange(true)) return;
  if (worker_ != nullptr) worker_->Stop();
}

}  // namespace sei::api
