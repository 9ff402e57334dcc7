// PostgresStore's job queue (store.h, "Job queue"). A claim picks its job
// with SELECT ... FOR UPDATE SKIP LOCKED, so workers claiming at once each
// take a different job and never wait on one another; the same statement
// takes a running job whose lease ran out (its worker died). Claims, lease
// renewals and finishes are not data changes the metrics care about: they
// leave DataVersion alone (transactions begun as reads).
#include <fmt/format.h>

#include "store/job_sql.h"
#include "store/postgres/postgres_store.h"

namespace sei::pg {

Result<model::Job> PostgresStore::EnqueueJob(const model::Job& job,
                                             std::vector<model::CollectionRun>* runs) {
  int64_t id = 0;
  Status s = InTransaction(true, [&]() -> Status {
    SEI_ASSIGN_OR_RETURN(
        Rows inserted,
        conn_->Query("INSERT INTO jobs (kind, dedupe_key, connection_id, locations, full_sync, "
                     "state, created_at) VALUES ($1, $2, $3, $4, $5, 'queued', $6) "
                     "ON CONFLICT (dedupe_key) WHERE state IN ('queued', 'running') DO NOTHING "
                     "RETURNING id",
                     Params()
                         .Text(job.kind)
                         .Text(job.dedupe_key)
                         .Text(job.connection_id)
                         .Text(job.locations)
                         .Int(job.full_sync)
                         .Int(job.created_at)));
    if (inserted.size() == 0) {
      SEI_ASSIGN_OR_RETURN(Rows other,
                           conn_->Query("SELECT id, state FROM jobs WHERE dedupe_key = $1 AND "
                                        "state IN ('queued', 'running')",
                                        Params().Text(job.dedupe_key)));
      return store_sql::JobExists(job.dedupe_key, other.size() > 0 ? other.Int(0, 0) : 0,
                                  other.size() > 0 ? other.String(0, 1) : "queued");
    }
    id = inserted.Int(0, 0);
    if (runs != nullptr) {
      for (model::CollectionRun& run : *runs) {
        SEI_ASSIGN_OR_RETURN(run.id, BeginRun(run));
      }
      SEI_RETURN_IF_ERROR(conn_->Run("UPDATE jobs SET run_ids = $1 WHERE id = $2",
                                     Params().Text(store_sql::RunIdsJson(*runs)).Int(id)));
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  SEI_ASSIGN_OR_RETURN(std::optional<model::Job> stored, FindOne<model::Job>(*this, "id", id));
  if (!stored) return InternalError(fmt::format("job {} vanished after it was enqueued", id));
  return *stored;
}

Result<std::optional<model::Job>> PostgresStore::ClaimJob(const std::string& worker, int64_t now_ms,
                                                          int64_t lease_ms) {
  int64_t id = 0;
  Status s = InTransaction(false, [&]() -> Status {
    SEI_ASSIGN_OR_RETURN(
        Rows claimed,
        conn_->Query("UPDATE jobs SET state = 'running', worker = $1, lease_until_ms = $2, "
                     "attempts = attempts + 1, started_at = coalesce(started_at, $3) "
                     "WHERE id = (SELECT id FROM jobs WHERE state IN ('queued', 'running') AND "
                     "(state = 'queued' OR lease_until_ms < $4) ORDER BY id LIMIT 1 "
                     "FOR UPDATE SKIP LOCKED) RETURNING id",
                     Params().Text(worker).Int(now_ms + lease_ms).Int(now_ms / 1000).Int(now_ms)));
    if (claimed.size() > 0) id = claimed.Int(0, 0);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  if (id == 0) return std::optional<model::Job>();
  return FindOne<model::Job>(*this, "id", id);
}

Status PostgresStore::RenewJobLease(int64_t id, const std::string& worker, int64_t lease_until_ms) {
  return InTransaction(false, [&]() -> Status {
    SEI_ASSIGN_OR_RETURN(Rows renewed,
                         conn_->Query("UPDATE jobs SET lease_until_ms = $1 WHERE id = $2 AND "
                                      "worker = $3 AND state = 'running' RETURNING id",
                                      Params().Int(lease_until_ms).Int(id).Text(worker)));
    return renewed.size() == 0 ? store_sql::LeaseLost(id, worker) : Status::Ok();
  });
}

Status PostgresStore::FinishJob(int64_t id, const std::string& worker, const std::string& state,
                                const std::optional<std::string>& error, int64_t finished_at) {
  SEI_RETURN_IF_ERROR(store_sql::CheckFinalState(state));
  return InTransaction(false, [&]() -> Status {
    SEI_ASSIGN_OR_RETURN(
        Rows finished,
        conn_->Query("UPDATE jobs SET state = $1, error = $2, finished_at = $3, "
                     "lease_until_ms = NULL WHERE id = $4 AND worker = $5 AND state = 'running' "
                     "RETURNING id",
                     Params().Text(state).OptText(error).Int(finished_at).Int(id).Text(worker)));
    return finished.size() == 0 ? store_sql::LeaseLost(id, worker) : Status::Ok();
  });
}

}  // namespace sei::pg
