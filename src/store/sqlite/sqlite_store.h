// SqliteStore: the embedded Store implementation, one SQLite file in WAL
// mode (readers never block on a collection in progress).
//
// Open() applies pending migrations (each in its own transaction) and refuses
// a database written by a newer version. Git history goes through prepared
// statements in one transaction per batch (the bulk-load path); generic
// entities through INSERT ... ON CONFLICT DO UPDATE upserts.
//
// Thread safety: one thread at a time per SqliteStore; open one per thread
// (or process) to share a database.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>

#include "store/sqlite/sqlite_db.h"
#include "store/store.h"

namespace sei::sqlite {

struct SqliteStoreOptions {
  bool read_only = false;
  int busy_timeout_ms = 10000;
  // Negative: KiB of page cache (SQLite's convention).
  int cache_size = -65536;
  // synchronous = FULL: each commit is on disk (the WAL fsynced) before it
  // returns, so it survives a power loss too, not only a crash of the
  // process (NORMAL, the default, which bulk collection prefers). The push
  // writer uses it: a push is answered only once durable.
  bool durable = false;
};

class SqliteStore : public Store {
 public:
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path,
                                                   const SqliteStoreOptions& options = {});
  ~SqliteStore() override;

  // The newest schema version this build knows.
  static int LatestSchemaVersion();

  std::string Describe() const override { return "sqlite:" + db_->path(); }
  Result<int> SchemaVersion() override;
  Result<int64_t> DataVersion() override;

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
  Db* db() { return db_.get(); }

 private:
  explicit SqliteStore(std::unique_ptr<Db> db) : db_(std::move(db)) {}
  Status Configure(const SqliteStoreOptions& options);
  Status UpsertInTransaction(const model::TableSpec& spec, const std::vector<model::Row>& rows);
  Status UpsertOne(const model::TableSpec& spec, Stmt* stmt, const model::Row& row);
  Status Produce(const TableWrite& w);
  Status UpdateOne(const TableWrite& w);
  Status ApplyInTransaction(const std::vector<TableWrite>& writes);
  Status Migrate();
  Result<int64_t> RepoPk(const std::string& repo_id);
  // A prepared statement cached under `key` (prepared on first use).
  Result<Stmt*> Cached(const std::string& key, const std::string& sql);
  Status InsertCommit(int64_t repo_pk, const CommitRecord& record);
  Status ReplaceRefs(int64_t repo_pk, const std::vector<model::Ref>& refs);
  Status SetReachable(int64_t repo_pk, const std::vector<std::string>& shas, bool reachable,
                      int64_t when);
  Status UpsertGitAccounts(int64_t repo_pk, const std::string& connection_id);
  // The columns of `table` declared BLOB (CopyRows binds them as blobs).
  Result<std::set<std::string>> BlobColumns(const std::string& table);

  std::unique_ptr<Db> db_;
  std::map<std::string, std::unique_ptr<Stmt>> statements_;
  std::unordered_map<std::string, int64_t> repo_pks_;
  std::map<std::string, std::set<std::string>> blob_columns_;
};

}  // namespace sei::sqlite
