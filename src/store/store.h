// Store: the one interface through which every subsystem reads and writes
// the platform's data. It does not leak the database behind it: SQLite is the
// embedded default (sqlite/), PostgreSQL the scale-out backend (a later
// implementation of the same interface).
//
// Contract for every implementation:
//  - the schema is migrated at open; a database written by a newer version
//    is refused with a clear message, never modified;
//  - every write method is one transaction: it is applied whole or not at
//    all, and re-applying it is idempotent (upserts keyed by the entity's
//    key), so a crash or a re-run never duplicates or loses rows;
//  - readers never block on a collection in progress (WAL for SQLite);
//  - only identifiers from model::TableSpec reach SQL text; every value is a
//    bound parameter.
//
// Thread safety: a Store object is used by one thread at a time (the
// collector's single writer, a request handler). Several Store objects, in
// one process or many, may open the same database concurrently.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/result.h"
#include "common/status.h"
#include "model/entity.h"
#include "model/git.h"
#include "model/meta.h"

namespace sei {

struct ScanOptions {
  // Column = value filters, ANDed. Columns must belong to the spec.
  std::vector<std::pair<std::string, model::Value>> where;
  // Column to order by (the spec's key when empty), and direction.
  std::string order_by;
  bool descending = false;
  int64_t limit = -1;  // -1: no limit
  // Keyset paging: only rows whose order column (order_by, else the spec's
  // key, which must then be one column) is past this value: greater when
  // ascending, less when descending. A long scan read in pages this way
  // holds no statement open across the caller's writes.
  std::optional<model::Value> after;
  // Rows as the store keeps them instead of by key, with nothing sorted:
  // commits in the order they were stored (the order LoadCommitWalk gives),
  // every other table in no particular order. For reading whole tables
  // (copying a database, checksums); with `limit` only, no other option.
  bool storage_order = false;
};

using RowCallback = std::function<Status(const model::Row&)>;

// One table's part of an atomic multi-table write (Store::ApplyWrites): when
// `clear`, the rows matching `clear_where` (every row when it is empty) are
// deleted first; then `rows` are upserted, then `produce` makes its changes.
// With `append`, `rows` are inserted as AppendRow inserts them instead (the
// store assigns each its id; the only write an append-only table such as the
// audit log takes), so an audit entry commits with the write it records.
// With `update`, the one row whose key columns (in spec.key order) equal
// `update_key` gets the values of `update_set`, its other columns kept; no
// such row is a NotFound that aborts the whole write. Besides append, the
// only change a table that is not kWritable takes: a sync marks an archived
// payload converted (raw_payloads.converted_at, context) in the transaction
// that stores the payload's rows.
struct TableWrite {
  const model::TableSpec* spec = nullptr;
  bool append = false;  // rows only: no clear, no produce
  // Rows only: each is inserted when no row has its key yet; a row that is
  // already there (also one a concurrent transaction just committed, on
  // PostgreSQL) is an AlreadyExists error that aborts the whole write. The
  // webhook inbox records a delivery this way, so that the same delivery
  // taken by two servers at once is stored once.
  bool insert_new = false;
  bool update = false;  // update_key and update_set only
  model::Row update_key;
  std::vector<std::pair<std::string, model::Value>> update_set;
  bool clear = false;
  std::vector<std::pair<std::string, model::Value>> clear_where;
  std::vector<model::Row> rows;
  // Optional: changes made on demand, for writes too large to hold as
  // model::Row values at once (the linker rewrites millions of deployment
  // commits and commit-PR matches in one transaction, mostly unchanged).
  // Called once, inside the transaction, after `rows`, with two functions:
  // `upsert` writes one row; `erase` deletes the row whose key columns (in
  // spec.key order) it is given. It may read the store (ScanRows) and sees
  // the transaction's state; it must not write through other methods. A
  // non-ok Status from either side aborts the whole write.
  std::function<Status(const RowCallback& upsert, const RowCallback& erase)> produce;

  template <class T>
  static TableWrite Replace(const std::vector<T>& items) {
    TableWrite w;
    w.spec = &model::SpecOf<T>();
    w.clear = true;
    for (const T& item : items) w.rows.push_back(model::ToRow(item));
    return w;
  }
  template <class T>
  static TableWrite Upsert(const std::vector<T>& items) {
    TableWrite w = Replace(items);
    w.clear = false;
    return w;
  }
  // Deletes the rows of `spec` whose columns equal the values in `where`
  // (every row when `where` is empty).
  static TableWrite DeleteWhere(const model::TableSpec& spec,
                                std::vector<std::pair<std::string, model::Value>> where) {
    TableWrite w;
    w.spec = &spec;
    w.clear = true;
    w.clear_where = std::move(where);
    return w;
  }
  static TableWrite Update(const model::TableSpec& spec, model::Row key,
                           std::vector<std::pair<std::string, model::Value>> set) {
    TableWrite w;
    w.spec = &spec;
    w.update = true;
    w.update_key = std::move(key);
    w.update_set = std::move(set);
    return w;
  }
  template <class T>
  static TableWrite InsertNew(const std::vector<T>& items) {
    TableWrite w = Upsert(items);
    w.insert_new = true;
    return w;
  }
  template <class T>
  static TableWrite Append(const std::vector<T>& items) {
    TableWrite w = Upsert(items);
    w.append = true;
    return w;
  }
};

// One commit with everything the git collector writes for it.
struct CommitRecord {
  model::Commit commit;
  std::vector<std::string> parents;  // in order
  std::vector<model::CommitFile> files;
};

// The end of a git collection run, applied in one transaction.
struct GitSyncUpdate {
  std::string repo_id;
  std::vector<model::Ref> refs;              // the complete current set
  std::vector<std::string> now_unreachable;  // commits no ref reaches any more
  std::vector<std::string> reachable_again;  // commits reachable once more
  int64_t collected_at = 0;
  model::SyncState sync_state;
};

// The stored commit graph of a repository, for incremental walks.
struct StoredCommit {
  std::vector<std::string> parents;
  bool reachable = true;
};
using StoredGraph = std::unordered_map<std::string, StoredCommit>;

// One repository's commit graph in the compact form history walks need
// (Store::LoadCommitWalk): commits as dense indices in storage order,
// parents as index lists, and each commit's author time and account.
struct CommitWalkData {
  std::vector<std::string> shas;
  std::vector<int64_t> author_times;
  std::vector<int32_t> authors;  // index into author_accounts
  std::vector<std::string> author_accounts;
  std::vector<uint32_t> parent_begin;  // shas.size() + 1 offsets into parents
  std::vector<int32_t> parents;        // indices of the stored parents, in order
  std::vector<int32_t> parent_counts;  // parents as written, stored or not
};

// Summary figures for `sei stats`.
struct RepoSummary {
  std::string repo_id;
  std::string name;
  std::string location;
  int64_t commits = 0;
  int64_t unreachable_commits = 0;
  int64_t merges = 0;
  int64_t authors = 0;
  int64_t additions = 0;
  int64_t deletions = 0;
  int64_t first_commit_at = 0;
  int64_t last_commit_at = 0;
  std::optional<int64_t> collected_at;
};

struct WeekActivity {
  int64_t week_start = 0;  // Monday 00:00 UTC
  int64_t commits = 0;
  int64_t authors = 0;
  int64_t additions = 0;
  int64_t deletions = 0;
};

struct FileChurn {
  std::string path;
  int64_t commits = 0;
  int64_t additions = 0;
  int64_t deletions = 0;
  int64_t authors = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // "sqlite:/abs/path/sei.db" — where the data lives, for messages.
  virtual std::string Describe() const = 0;
  // The schema version the database is at.
  virtual Result<int> SchemaVersion() = 0;
  // A number that changes whenever another Store object (in this process or
  // another) commits a write; cheap enough to poll every second. The server's
  // metrics cache polls it to notice collections, pushes and `sei link` runs.
  // Writes made through this same object do not change it.
  virtual Result<int64_t> DataVersion() = 0;
  // Blocks until another Store object commits a write, in any process, or
  // `timeout` passes: true when a commit was announced (check DataVersion
  // to see whether it is one this object has not seen), false on timeout.
  // PostgreSQL: LISTEN/NOTIFY (every write transaction notifies at
  // commit), so a server hears of another server's writes at once instead
  // of at its next poll. FailedPrecondition where the backend cannot announce
  // commits (SQLite: poll DataVersion instead).
  virtual Result<bool> WaitForChange(std::chrono::milliseconds timeout) {
    (void)timeout;
    return FailedPreconditionError(Describe() + " does not announce commits: poll");
  }

  // ---- Generic entity access (any model::TableSpec) ----
  virtual Status UpsertRows(const model::TableSpec& spec, const std::vector<model::Row>& rows) = 0;
  // Applies every write in one transaction: all of them, or none. Derived
  // data (identity, links) is replaced this way, so a reader never sees half
  // of a recomputation.
  virtual Status ApplyWrites(const std::vector<TableWrite>& writes) = 0;
  // Deletes the row whose key columns equal `key` (in spec.key order).
  virtual Status DeleteRow(const model::TableSpec& spec, const model::Row& key) = 0;
  // Calls `fn` for each row (cells in spec.columns order); stops at the
  // first non-ok Status fn returns, and returns it.
  virtual Status ScanRows(const model::TableSpec& spec, const ScanOptions& options,
                          const RowCallback& fn) = 0;
  virtual Result<int64_t> CountRows(const model::TableSpec& spec, const ScanOptions& options) = 0;

  template <class T>
  Status Upsert(const std::vector<T>& items) {
    std::vector<model::Row> rows;
    rows.reserve(items.size());
    for (const T& item : items) rows.push_back(model::ToRow(item));
    return UpsertRows(model::SpecOf<T>(), rows);
  }
  template <class T>
  Result<std::vector<T>> List(const ScanOptions& options = {}) {
    std::vector<T> out;
    Status s = ScanRows(model::SpecOf<T>(), options, [&out](const model::Row& row) {
      SEI_ASSIGN_OR_RETURN(T item, model::FromRow<T>(row));
      out.push_back(std::move(item));
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return out;
  }

  // ---- Raw archive, sync state, runs ----
  // Archives a payload and returns its id (for raw_id lineage).
  virtual Result<int64_t> ArchiveRaw(const model::RawPayload& payload) = 0;
  // Archives `payloads`, then applies the writes `make_writes` builds from
  // their ids (raw_ids[i] is payloads[i]'s), all in one transaction.
  // Why a method of its own (issue 5, push API and webhook inbox): ArchiveRaw
  // commits on its own and raw_payloads cannot go through ApplyWrites (the
  // store assigns its ids), yet a pushed batch must archive every body and
  // write the rows pointing at it (raw_id) atomically: nothing stored when
  // anything fails, and one commit for a whole batch (group commit).
  // `make_writes` runs inside the transaction and may read the store (it
  // sees the transaction's state); a non-ok Status from it, or from any
  // write, rolls everything back, the archived payloads included.
  using MakeWrites =
      std::function<Result<std::vector<TableWrite>>(const std::vector<int64_t>& raw_ids)>;
  virtual Status ArchiveAndApply(const std::vector<model::RawPayload>& payloads,
                                 const MakeWrites& make_writes) = 0;
  virtual Result<std::optional<model::SyncState>> GetSyncState(const std::string& connection_id,
                                                               const std::string& scope,
                                                               const std::string& entity) = 0;
  virtual Status PutSyncState(const model::SyncState& state) = 0;
  virtual Result<int64_t> BeginRun(const model::CollectionRun& run) = 0;
  virtual Status FinishRun(int64_t run_id, const std::string& status, int64_t items_added,
                           const std::optional<std::string>& error, int64_t finished_at) = 0;

  // ---- Job queue (model::Job; `sei worker`, api/job_worker.h) ----
  // Enqueues `job` as "queued" (kind, dedupe_key, connection_id, locations,
  // full_sync and created_at are the caller's), and begins `*runs` (one
  // collection run per location, status "running") in the same
  // transaction, setting their ids and the job's run_ids. A job with the
  // same dedupe_key already queued or running: AlreadyExists naming it, and
  // nothing written. Returns the job as stored.
  virtual Result<model::Job> EnqueueJob(const model::Job& job,
                                        std::vector<model::CollectionRun>* runs) = 0;
  // Claims the oldest job that is queued, or running with its lease run
  // out (its worker died or stalled): sets its worker, lease_until_ms
  // (now_ms + lease_ms), state "running" and started_at (first claim), and
  // counts the attempt. None: nothing to claim. Concurrent claims never take
  // one job twice (PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: its write
  // lock). Claiming writes nothing when there is nothing to claim, so
  // polling does not move DataVersion.
  virtual Result<std::optional<model::Job>> ClaimJob(const std::string& worker, int64_t now_ms,
                                                     int64_t lease_ms) = 0;
  // Extends the lease of running job `id` that `worker` holds to
  // `lease_until_ms`. FailedPrecondition when `worker` holds it no more (its
  // lease ran out and another worker claimed it, or it was finished).
  virtual Status RenewJobLease(int64_t id, const std::string& worker, int64_t lease_until_ms) = 0;
  // Ends running job `id` that `worker` holds with `state` ("done",
  // "failed", "interrupted") and `error`; FailedPrecondition as above.
  virtual Status FinishJob(int64_t id, const std::string& worker, const std::string& state,
                           const std::optional<std::string>& error, int64_t finished_at) = 0;

  // ---- Git history (the collector's bulk path) ----
  virtual Status UpsertRepo(const model::Repo& repo) = 0;
  virtual Result<std::optional<model::Repo>> FindRepo(const std::string& repo_id) = 0;
  virtual Result<std::vector<model::Ref>> LoadRefs(const std::string& repo_id) = 0;
  virtual Result<StoredGraph> LoadCommitGraph(const std::string& repo_id) = 0;
  // The same graph with author times and accounts, compact: for the linker
  // (src/metrics/link), which walks a million commits per run, where a
  // StoredGraph of strings plus a scan of commits cost seconds to build.
  virtual Result<CommitWalkData> LoadCommitWalk(const std::string& repo_id) = 0;
  // Writes commits with their parents and files in one transaction.
  // Commits already stored are left as they are (idempotent).
  virtual Status WriteCommits(const std::string& repo_id,
                              const std::vector<CommitRecord>& batch) = 0;
  virtual Status FinishGitSync(const GitSyncUpdate& update) = 0;

  // ---- Summaries ----
  virtual Result<std::vector<RepoSummary>> RepoSummaries() = 0;
  virtual Result<std::vector<WeekActivity>> WeeklyActivity(const std::string& repo_id,
                                                           int64_t since) = 0;
  virtual Result<std::vector<FileChurn>> TopFilesByChurn(const std::string& repo_id,
                                                         int64_t limit) = 0;

  // ---- Append-only logs ----
  // Inserts one row into a table whose key is a single INTEGER PRIMARY KEY
  // the store assigns (row[0] is ignored), and returns the id it assigned.
  // Works on tables that are not kWritable: it never overwrites a row. Added
  // for the audit log (src/auth/audit_log.h), where ids must increase across
  // concurrent writers and an upsert of a caller-chosen id could replace an
  // entry.
  virtual Result<int64_t> AppendRow(const model::TableSpec& spec, const model::Row& row) = 0;

  // ---- Copying a whole database (sei migrate, store/copy/store_copier.h) ----
  // Writes `rows` of any table as another store's ScanRows read them, in one
  // transaction: the ids a store assigns (raw_payloads, collection_runs,
  // audit_log ...) are kept, and tables that are not kWritable take rows
  // too. Tables read through a view find the rows they hang off by the
  // view's columns: commits and refs their repository by repo_id, commit
  // parents and files their commit by (repo_id, sha), so copy repos, then
  // commits, before them; a row whose repository or commit is not stored is
  // a NotFound that writes nothing. A row whose key is stored already is
  // overwritten, so copying a table again is idempotent. New commits take
  // storage keys in the order they come: copy them in the source's
  // storage order (ScanOptions::storage_order).
  virtual Status CopyRows(const model::TableSpec& spec, const std::vector<model::Row>& rows) = 0;
  // After CopyRows gave rows their ids: every id this store assigns from now
  // on (AppendRow, ArchiveRaw, BeginRun ...) is past the largest stored one.
  // Never moves a sequence back.
  virtual Status AdvanceIdSequences() = 0;
  // The tables that hold the installation's data, by name, sorted: every
  // table of the schema but the store's own bookkeeping (schema_migrations;
  // PostgreSQL's sei_data_version), so that a copy can check it leaves none
  // out.
  virtual Result<std::vector<std::string>> DataTables() = 0;
};

// The one row of T whose `column` equals `value`, if any.
template <class T>
Result<std::optional<T>> FindOne(Store& store, const std::string& column, model::Value value) {
  ScanOptions options;
  options.where = {{column, std::move(value)}};
  options.limit = 1;
  SEI_ASSIGN_OR_RETURN(std::vector<T> rows, store.List<T>(options));
  if (rows.empty()) return std::optional<T>();
  return std::optional<T>(std::move(rows.front()));
}

}  // namespace sei
