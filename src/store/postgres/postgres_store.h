// PostgresStore: the scale-out Store implementation over libpq, for many
// `sei` processes sharing one PostgreSQL database. It behaves as SqliteStore
// does, method for method (the store tests run every case on both):
//
//  - Open() applies pending migrations (src/store/migrations/postgres/, the
//    same numbers as SQLite's), each in its own transaction, under a
//    session advisory lock, so that processes starting together migrate
//    once; a database written by a newer version is refused.
//  - Generic entities go through INSERT ... ON CONFLICT DO UPDATE upserts,
//    buffered with the rest of their write (clears, appends, raw payloads)
//    and sent in pipelines (ADR 0008);
//    git history through COPY (one per table per batch) after reserving the
//    commits' keys from their sequence; scans through a cursor fetched in
//    batches, so a million-row scan never sits in memory at once.
//  - DataVersion() is the sum of a small table of counters
//    (sei_data_version, 16 shards so that concurrent writers rarely wait on
//    one row): every write transaction adds one to its store's shard just
//    before COMMIT, and subtracts its own writes, so it moves only when
//    another Store object commits.
//  - Every value is a bound parameter; only TableSpec identifiers reach SQL.
//
// Thread safety: one thread at a time per PostgresStore (one connection
// each); open one per thread (or process) to share a database.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "store/postgres/pg_conn.h"
#include "store/store.h"

namespace sei::store_sql {
struct ViewTable;
}  // namespace sei::store_sql

namespace sei::pg {

struct PostgresStoreOptions {
  // Refuses writes; never migrates (a database without the schema is an
  // error telling the user to collect first).
  bool read_only = false;
  // Each commit is flushed to the server's WAL before it returns
  // (synchronous_commit = on). Off by default, as SQLite's synchronous =
  // NORMAL: a crash of the server may lose the last moments of commits,
  // never consistency. The push writer asks for it.
  bool durable = false;
  int lock_timeout_ms = 10000;
  int connect_timeout_s = 10;
  // Rows per FETCH of a scan's cursor.
  int scan_batch_rows = 20000;
};

class PostgresStore : public Store {
 public:
  static Result<std::unique_ptr<PostgresStore>> Open(const std::string& url,
                                                     const PostgresStoreOptions& options = {});
  ~PostgresStore() override = default;

  static int LatestSchemaVersion();
  // How many migrations this object's Open() applied (0 when another process
  // had applied them): for the concurrent-start test.
  int migrations_applied() const { return migrations_applied_; }

  std::string Describe() const override { return conn_->describe(); }
  Result<int> SchemaVersion() override;
  Result<int64_t> DataVersion() override;
  // LISTEN sei_data_changed on this object's connection (from the first
  // call on), then waits for a notification.
  Result<bool> WaitForChange(std::chrono::milliseconds timeout) override;

  Status UpsertRows(const model::TableSpec& spec, const std::vector<model::Row>& rows) override;
  Status ApplyWrites(const std::vector<TableWrite>& writes) override;
  Status DeleteRow(const model::TableSpec& spec, const model::Row& key) override;
  Status ScanRows(const model::TableSpec& spec, const ScanOptions& options,
                  const RowCallback& fn) override;
  Result<int64_t> CountRows(const model::TableSpec& spec, const ScanOptions& options) override;

  Result<int64_t> ArchiveRaw(const model::RawPayload& payload) override;
  Status ArchiveAndApply(const std::vector<model::RawPayload>& payloads,
                         const MakeWrites& make_writes) override;
  Result<std::optional<model::SyncState>> GetSyncState(const std::string& connection_id,
                                                       const std::string& scope,
                                                       const std::string& entity) override;
  Status PutSyncState(const model::SyncState& state) override;
  Result<int64_t> BeginRun(const model::CollectionRun& run) override;
  Result<model::Job> EnqueueJob(const model::Job& job,
                                std::vector<model::CollectionRun>* runs) override;
  Result<std::optional<model::Job>> ClaimJob(const std::string& worker, int64_t now_ms,
                                             int64_t lease_ms) override;
  Status RenewJobLease(int64_t id, const std::string& worker, int64_t lease_until_ms) override;
  Status FinishJob(int64_t id, const std::string& worker, const std::string& state,
                   const std::optional<std::string>& error, int64_t finished_at) override;
  Status FinishRun(int64_t run_id, const std::string& status, int64_t items_added,
                   const std::optional<std::string>& error, int64_t finished_at) override;

  Status UpsertRepo(const model::Repo& repo) override;
  Result<std::optional<model::Repo>> FindRepo(const std::string& repo_id) override;
  Result<std::vector<model::Ref>> LoadRefs(const std::string& repo_id) override;
  Result<StoredGraph> LoadCommitGraph(const std::string& repo_id) override;
  Result<CommitWalkData> LoadCommitWalk(const std::string& repo_id) override;
  Status WriteCommits(const std::string& repo_id, const std::vector<CommitRecord>& batch) override;
  Status FinishGitSync(const GitSyncUpdate& update) override;

  Result<std::vector<RepoSummary>> RepoSummaries() override;
  Result<std::vector<WeekActivity>> WeeklyActivity(const std::string& repo_id,
                                                   int64_t since) override;
  Result<std::vector<FileChurn>> TopFilesByChurn(const std::string& repo_id,
                                                 int64_t limit) override;

  Result<int64_t> AppendRow(const model::TableSpec& spec, const model::Row& row) override;

  Status CopyRows(const model::TableSpec& spec, const std::vector<model::Row>& rows) override;
  Status AdvanceIdSequences() override;
  Result<std::vector<std::string>> DataTables() override;

  // For tests and tools: the underlying connection.
  Conn* conn() { return conn_.get(); }

 private:
  using RowFn = std::function<Status(const Rows& rows, int row)>;

  PostgresStore(std::unique_ptr<Conn> conn, const PostgresStoreOptions& options);
  Status Migrate();
  Status MigrateLocked();
  Status CheckNotNewer(int version) const;

  // Transactions nest: an inner one joins the outermost, which commits
  // (bumping the data version when `write`) or rolls everything back.
  template <class Fn>
  Status InTransaction(bool write, Fn&& fn) {
    SEI_RETURN_IF_ERROR(Begin(write));
    Status s = fn();
    if (!s.ok()) {
      Rollback();
      return s;
    }
    return Commit();
  }
  Status Begin(bool write);
  Status Commit();
  void Rollback();

  // Runs a SELECT through a cursor, calling fn for each row.
  Status ForEachRow(const std::string& sql, const Params& params, const RowFn& fn);

  Status UpsertInTransaction(const model::TableSpec& spec, const std::vector<model::Row>& rows);
  // The same, buffered (Defer): sent with the next flush.
  Status DeferUpsert(const model::TableSpec& spec, const std::vector<model::Row>& rows);
  static Result<Params> RowParams(const model::TableSpec& spec, const model::Row& row);
  static Result<Params> KeyParams(const model::TableSpec& spec, const model::Row& key);
  // Buffered writes, sent in pipelines (pointing at SQL that outlives them:
  // Sql() keeps every text for the store's lifetime). Every read through
  // this store flushes them first, and a write method flushes before it
  // returns, so nothing stays buffered between calls.
  Status Defer(const std::string* sql, Params params);
  const std::string* Sql(std::string text);
  Status FlushPending();
  Status DeferClear(const TableWrite& w);
  Status DeferAppend(const model::TableSpec& spec, const model::Row& row);
  Status Produce(const TableWrite& w);
  Status ApplyInTransaction(const std::vector<TableWrite>& writes);
  Status ApplyDeferred(const std::vector<TableWrite>& writes);
  Status DeleteByKey(const model::TableSpec& spec, const model::Row& key);
  Status UpdateOne(const TableWrite& w);

  Result<int64_t> RepoPk(const std::string& repo_id);
  Status InsertNewCommits(int64_t repo_pk, const std::vector<const CommitRecord*>& records);
  Result<std::vector<const CommitRecord*>> NewCommits(int64_t repo_pk,
                                                      const std::vector<CommitRecord>& batch);
  Status ReplaceRefs(int64_t repo_pk, const std::vector<model::Ref>& refs);
  Status SetReachable(int64_t repo_pk, const std::vector<std::string>& shas, bool reachable,
                      int64_t when);
  Status UpsertGitAccounts(int64_t repo_pk, const std::string& connection_id);
  // CopyRows (postgres_copy.cc): which of the spec's columns are BYTEA;
  // rows as COPY text (with their ordinal: for the staging table); a batch
  // COPYed into a temporary table and upserted from there, or straight into
  // its table.
  Result<std::vector<bool>> ByteaColumns(const model::TableSpec& spec);
  Result<CopyBuffer> CopyCells(const model::TableSpec& spec, const std::vector<model::Row>& rows,
                               bool ordinal);
  Status CopyStaged(const model::TableSpec& spec, const store_sql::ViewTable* view,
                    const std::vector<model::Row>& rows);
  Status CopyDirect(const model::TableSpec& spec, const std::vector<model::Row>& rows);

  std::unique_ptr<Conn> conn_;
  PostgresStoreOptions options_;
  int shard_ = 0;           // this object's row of sei_data_version
  int64_t own_writes_ = 0;  // transactions this object committed
  bool listening_ = false;  // LISTEN sei_data_changed sent on this session
  int depth_ = 0;           // open (nested) transactions
  bool wrote_ = false;      // the open transaction writes
  bool failed_ = false;     // an inner transaction failed
  int cursors_ = 0;         // open scan cursors (their names nest)
  int migrations_applied_ = 0;
  static constexpr size_t kPendingBatch = 2048;
  std::vector<Conn::Statement> pending_;  // buffered writes not sent yet
  std::unordered_set<std::string> sql_;   // Sql()'s texts (a node set: stable addresses)
  std::unordered_map<std::string, int64_t> repo_pks_;
  std::unordered_map<std::string, std::vector<bool>> bytea_columns_;
};

// A PostgreSQL text[] literal ("{"a","b"}") of `items`, bound as one
// parameter for `= ANY($n::text[])`.
std::string TextArray(const std::vector<std::string>& items);

}  // namespace sei::pg
