// What both stores' job queues (Store::EnqueueJob, ClaimJob, RenewJobLease,
// FinishJob) share: the messages, and the run ids as the JSON array that
// model::Job::run_ids holds. The SQL itself differs per backend (the claim
// is FOR UPDATE SKIP LOCKED on PostgreSQL, under the write lock on SQLite).
//
// Thread safety: pure functions.
#pragma once

#include <fmt/format.h>

#include <string>
#include <vector>

#include "common/status.h"
#include "model/meta.h"

namespace sei::store_sql {

inline std::string RunIdsJson(const std::vector<model::CollectionRun>& runs) {
  std::string out = "[";
  for (size_t i = 0; i < runs.size(); ++i) {
    if (i > 0) out += ",";
    out += std::to_string(runs[i].id);
  }
  return out + "]";
}

inline Status JobExists(const std::string& dedupe_key, int64_t id, const std::string& state) {
  return AlreadyExistsError(
      fmt::format("job {} ({}) is {}; it runs once at a time", id, dedupe_key, state));
}

inline Status LeaseLost(int64_t id, const std::string& worker) {
  return FailedPreconditionError(fmt::format(
      "job {} is no longer held by worker {} (its lease ran out and another worker claimed it, "
      "or it was finished)",
      id, worker));
}

inline Status CheckFinalState(const std::string& state) {
  if (state == "done" || state == "failed" || state == "interrupted") return Status::Ok();
  return InvalidArgumentError("a job ends done, failed or interrupted, not '" + state + "'");
}

}  // namespace sei::store_sql
