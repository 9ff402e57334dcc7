// SqliteStore's job queue (store.h, "Job queue"). Every change runs under
// BEGIN IMMEDIATE, SQLite's one write lock, so two workers never claim one
// job; a claim first looks for a claimable job without the lock, so idle
// workers polling the queue neither wait for writers nor write.
#include <fmt/format.h>

#include "store/job_sql.h"
#include "store/sqlite/sqlite_store.h"

namespace sei::sqlite {

namespace {

constexpr const char* kClaimable =
    "FROM jobs WHERE state IN ('queued', 'running') AND "
    "(state = 'queued' OR lease_until_ms < ?) ORDER BY id LIMIT 1";

}  // namespace

Result<model::Job> SqliteStore::EnqueueJob(const model::Job& job,
                                           std::vector<model::CollectionRun>* runs) {
  int64_t id = 0;
  Status s = InTransaction(db_.get(), [&]() -> Status {
    SEI_ASSIGN_OR_RETURN(
        Stmt insert,
        db_->Prepare("INSERT INTO jobs (kind, dedupe_key, connection_id, locations, full_sync, "
                     "state, created_at) VALUES (?, ?, ?, ?, ?, 'queued', ?) "
                     "ON CONFLICT (dedupe_key) WHERE state IN ('queued', 'running') DO NOTHING"));
    insert.BindText(1, job.kind);
    insert.BindText(2, job.dedupe_key);
    insert.BindText(3, job.connection_id);
    insert.BindText(4, job.locations);
    insert.BindInt(5, job.full_sync);
    insert.BindInt(6, job.created_at);
    SEI_RETURN_IF_ERROR(insert.Run());
    if (db_->Changes() == 0) {
      SEI_ASSIGN_OR_RETURN(Stmt q, db_->Prepare("SELECT id, state FROM jobs WHERE dedupe_key = ? "
                                                "AND state IN ('queued', 'running')"));
      q.BindText(1, job.dedupe_key);
      SEI_ASSIGN_OR_RETURN(bool row, q.Step());
      return store_sql::JobExists(job.dedupe_key, row ? q.ColumnInt(0) : 0,
                                  row ? q.ColumnText(1) : "queued");
    }
    id = db_->LastInsertRowId();
    if (runs != nullptr) {
      for (model::CollectionRun& run : *runs) {
        SEI_ASSIGN_OR_RETURN(run.id, BeginRun(run));
      }
      SEI_ASSIGN_OR_RETURN(Stmt set, db_->Prepare("UPDATE jobs SET run_ids = ? WHERE id = ?"));
      set.BindText(1, store_sql::RunIdsJson(*runs));
      set.BindInt(2, id);
      SEI_RETURN_IF_ERROR(set.Run());
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  SEI_ASSIGN_OR_RETURN(std::optional<model::Job> stored, FindOne<model::Job>(*this, "id", id));
  if (!stored) return InternalError(fmt::format("job {} vanished after it was enqueued", id));
  return *stored;
}

Result<std::optional<model::Job>> SqliteStore::ClaimJob(const std::string& worker, int64_t now_ms,
                                                        int64_t lease_ms) {
  {
    SEI_ASSIGN_OR_RETURN(Stmt peek, db_->Prepare(std::string("SELECT id ") + kClaimable));
    peek.BindInt(1, now_ms);
    SEI_ASSIGN_OR_RETURN(bool any, peek.Step());
    if (!any) return std::optional<model::Job>();
  }
  int64_t id = 0;
  Status s = InTransaction(db_.get(), [&]() -> Status {
    SEI_ASSIGN_OR_RETURN(Stmt pick, db_->Prepare(std::string("SELECT id ") + kClaimable));
    pick.BindInt(1, now_ms);
    SEI_ASSIGN_OR_RETURN(bool any, pick.Step());
    if (!any) return Status::Ok();  // another worker was faster
    id = pick.ColumnInt(0);
    SEI_ASSIGN_OR_RETURN(
        Stmt claim,
        db_->Prepare("UPDATE jobs SET state = 'running', worker = ?, lease_until_ms = ?, "
                     "attempts = attempts + 1, started_at = coalesce(started_at, ?) "
                     "WHERE id = ?"));
    claim.BindText(1, worker);
    claim.BindInt(2, now_ms + lease_ms);
    claim.BindInt(3, now_ms / 1000);
    claim.BindInt(4, id);
    return claim.Run();
  });
  if (!s.ok()) return s;
  if (id == 0) return std::optional<model::Job>();
  return FindOne<model::Job>(*this, "id", id);
}

Status SqliteStore::RenewJobLease(int64_t id, const std::string& worker, int64_t lease_until_ms) {
  return InTransaction(db_.get(), [&]() -> Status {
    SEI_ASSIGN_OR_RETURN(Stmt renew,
                         db_->Prepare("UPDATE jobs SET lease_until_ms = ? WHERE id = ? AND "
                                      "worker = ? AND state = 'running'"));
    renew.BindInt(1, lease_until_ms);
    renew.BindInt(2, id);
    renew.BindText(3, worker);
    SEI_RETURN_IF_ERROR(renew.Run());
    return db_->Changes() == 0 ? store_sql::LeaseLost(id, worker) : Status::Ok();
  });
}

Status SqliteStore::FinishJob(int64_t id, const std::string& worker, const std::string& state,
                              const std::optional<std::string>& error, int64_t finished_at) {
  SEI_RETURN_IF_ERROR(store_sql::CheckFinalState(state));
  return InTransaction(db_.get(), [&]() -> Status {
    SEI_ASSIGN_OR_RETURN(
        Stmt finish,
        db_->Prepare("UPDATE jobs SET state = ?, error = ?, finished_at = ?, lease_until_ms = NULL "
                     "WHERE id = ? AND worker = ? AND state = 'running'"));
    finish.BindText(1, state);
    finish.BindOptText(2, error);
    finish.BindInt(3, finished_at);
    finish.BindInt(4, id);
    finish.BindText(5, worker);
    SEI_RETURN_IF_ERROR(finish.Run());
    return db_->Changes() == 0 ? store_sql::LeaseLost(id, worker) : Status::Ok();
  });
}

}  // namespace sei::sqlite
