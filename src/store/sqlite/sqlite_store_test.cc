#include "store/sqlite/sqlite_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <set>

#include "model/delivery.h"
#include "model/derived.h"
#include "model/registry.h"
#include "model/review.h"
#include "store/sqlite/migrations.h"
#include "testing/test_util.h"

namespace sei::sqlite {
namespace {

using sei::testing::TempDir;

std::unique_ptr<SqliteStore> OpenOrDie(const std::string& path, SqliteStoreOptions options = {}) {
  auto store = SqliteStore::Open(path, options);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  return store.ok() ? std::move(store).value() : nullptr;
}

model::PullRequest MakePr(const std::string& id, const std::string& title) {
  model::PullRequest pr;
  pr.id = id;
  pr.connection_id = "github:1";
  pr.repo_id = "github:1:repo:1";
  pr.number = 7;
  pr.title = title;
  pr.state = "open";
  pr.created_at = 1700000000;
  return pr;
}

CommitRecord MakeCommit(const std::string& sha, std::vector<std::string> parents) {
  CommitRecord r;
  r.commit.repo_id = "git:local:repo:/r";
  r.commit.sha = sha;
  r.commit.tree_sha = std::string(40, 'f');
  r.commit.author_name = "Ann";
  r.commit.author_email = "ann@example.com";
  r.commit.author_time = 1700000000;
  r.commit.committer_name = "Ann";
  r.commit.committer_email = "ann@example.com";
  r.commit.committer_time = 1700000000;
  r.commit.message = "msg";
  r.commit.parent_count = static_cast<int64_t>(parents.size());
  r.commit.author_account_id = "git:local:account:ann@example.com";
  r.commit.committer_account_id = r.commit.author_account_id;
  r.parents = std::move(parents);
  model::CommitFile f;
  f.path = "a.txt";
  f.change = "M";
  f.added = 3;
  f.deleted = 1;
  f.old_mode = f.new_mode = 0100644;
  r.files.push_back(f);
  r.commit.files_changed = 1;
  r.commit.additions = 3;
  r.commit.deletions = 1;
  return r;
}

model::Repo TestRepo() {
  model::Repo repo;
  repo.id = "git:local:repo:/r";
  repo.connection_id = "git:local";
  repo.name = "r";
  repo.location = "/r";
  return repo;
}

TEST(SqliteStoreTest, MigratesNewDatabaseAndReopensIdempotently) {
  TempDir dir;
  std::string path = dir.Sub("sei.db");
  {
    auto store = OpenOrDie(path);
    auto v = store->SchemaVersion();
    ASSERT_TRUE(v.ok());
    EXPECT_EQ(*v, SqliteStore::LatestSchemaVersion());
  }
  auto store = OpenOrDie(path);
  auto v = store->SchemaVersion();
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, SqliteStore::LatestSchemaVersion());
  auto mode = store->db()->Prepare("PRAGMA journal_mode");
  ASSERT_TRUE(mode.ok());
  ASSERT_TRUE(*mode->Step());
  EXPECT_EQ(mode->ColumnText(0), "wal");
}

TEST(SqliteStoreTest, DataVersionChangesWhenAnotherStoreCommits) {
  TempDir dir;
  const std::string path = dir.Sub("sei.db");
  auto reader = OpenOrDie(path);
  auto writer = OpenOrDie(path);
  auto before = reader->DataVersion();
  ASSERT_TRUE(before.ok());
  auto same = reader->DataVersion();
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(*same, *before);  // nothing committed in between
  ASSERT_TRUE(writer->Upsert(std::vector<model::PullRequest>{MakePr("github:1:pr:1", "a")}).ok());
  auto after = reader->DataVersion();
  ASSERT_TRUE(after.ok());
  EXPECT_NE(*after, *before);
  // The writer's own commits do not move its own counter.
  auto w1 = writer->DataVersion();
  ASSERT_TRUE(writer->Upsert(std::vector<model::PullRequest>{MakePr("github:1:pr:2", "b")}).ok());
  auto w2 = writer->DataVersion();
  ASSERT_TRUE(w1.ok() && w2.ok());
  EXPECT_EQ(*w1, *w2);
}

// The SQL schema and the model's field lists must agree, column for column.
TEST(SqliteStoreTest, SchemaMatchesEveryModelEntity) {
  TempDir dir;
  auto store = OpenOrDie(dir.Sub("sei.db"));
  for (const model::TableSpec* spec : model::AllSpecs()) {
    auto info = store->db()->Prepare(
        "SELECT name, \"notnull\" OR (pk = 1 AND type = 'INTEGER') FROM pragma_table_info(?)");
    ASSERT_TRUE(info.ok());
    info->BindText(1, spec->view);
    std::vector<std::string> columns;
    std::vector<bool> not_null;
    while (*info->Step()) {
      if (info->ColumnText(0) == "pk" && spec->ColumnIndex("pk") < 0) continue;  // surrogate key
      columns.push_back(info->ColumnText(0));
      not_null.push_back(info->ColumnInt(1) != 0);
    }
    ASSERT_EQ(columns.size(), spec->columns.size()) << spec->view;
    for (size_t i = 0; i < columns.size(); ++i) {
      EXPECT_EQ(columns[i], spec->columns[i].name) << spec->view;
      if (spec->view == spec->table) {
        EXPECT_EQ(not_null[i], !spec->columns[i].nullable)
            << spec->table << "." << columns[i] << " nullability differs from the model";
      }
    }
  }
}

TEST(SqliteStoreTest, RefusesDatabaseFromNewerVersion) {
  TempDir dir;
  std::string path = dir.Sub("sei.db");
  {
    auto store = OpenOrDie(path);
    ASSERT_TRUE(store->db()->Exec("INSERT INTO schema_migrations VALUES (9999, 'future', 0)").ok());
  }
  auto again = SqliteStore::Open(path);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(again.status().message().find("newer sei"), std::string::npos);
  EXPECT_NE(again.status().message().find("9999"), std::string::npos);
  auto read_only = SqliteStore::Open(path, {.read_only = true});
  ASSERT_FALSE(read_only.ok());
  EXPECT_EQ(read_only.status().code(), StatusCode::kFailedPrecondition);
}

TEST(SqliteStoreTest, RejectsFileThatIsNotADatabase) {
  TempDir dir;
  std::string path = dir.Sub("garbage.db");
  ASSERT_TRUE(sei::testing::WriteFile(path, std::string(8192, 'x')));
  auto store = SqliteStore::Open(path);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kDataLoss);
  EXPECT_NE(store.status().message().find("not a valid SEI database"), std::string::npos);
  EXPECT_NE(store.status().message().find(path), std::string::npos);
}

TEST(SqliteStoreTest, UnwritableDirectoryGivesPermissionError) {
  auto store = SqliteStore::Open("/nonexistent-dir/for/sure/sei.db");
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kPermissionDenied);
  EXPECT_NE(store.status().message().find("/nonexistent-dir/for/sure/sei.db"), std::string::npos);
}

TEST(SqliteStoreTest, UpsertIsIdempotentAndUpdates) {
  TempDir dir;
  auto store = OpenOrDie(dir.Sub("sei.db"));
  ASSERT_TRUE(store->Upsert(std::vector{MakePr("github:1:pr:1", "first")}).ok());
  ASSERT_TRUE(store->Upsert(std::vector{MakePr("github:1:pr:1", "renamed")}).ok());
  ASSERT_TRUE(store->Upsert(std::vector{MakePr("github:1:pr:1", "renamed")}).ok());
  auto prs = store->List<model::PullRequest>();
  ASSERT_TRUE(prs.ok());
  ASSERT_EQ(prs->size(), 1u);
  EXPECT_EQ((*prs)[0].title, "renamed");
  EXPECT_EQ((*prs)[0].number, 7);
}

TEST(SqliteStoreTest, BatchWithAnInvalidRowStoresNothing) {
  TempDir dir;
  auto store = OpenOrDie(dir.Sub("sei.db"));
  std::vector<model::Row> rows = {model::ToRow(MakePr("github:1:pr:1", "a")),
                                  model::ToRow(MakePr("github:1:pr:2", "b"))};
  rows[1][model::SpecOf<model::PullRequest>().ColumnIndex("created_at")] = model::Value{};
  Status s = store->UpsertRows(model::SpecOf<model::PullRequest>(), rows);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("created_at"), std::string::npos);
  auto count = store->CountRows(model::SpecOf<model::PullRequest>(), {});
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 0);
}

TEST(SqliteStoreTest, ApplyWritesReplacesAcrossTablesAtomically) {
  TempDir dir;
  auto store = OpenOrDie(dir.Sub("s.db"));
  model::CommitPullRequest a{"r", "c1", "pr1", "merge-sha"}, b{"r", "c2", "pr1", "pr-commit"};
  model::DeploymentLink l{"d1", std::nullopt, 2, 1, false, "graph"};
  ASSERT_TRUE(store
                  ->ApplyWrites({TableWrite::Replace<model::CommitPullRequest>({a, b}),
                                 TableWrite::Replace<model::DeploymentLink>({l})})
                  .ok());
  EXPECT_EQ(store->List<model::CommitPullRequest>()->size(), 2u);
  // A second replace clears what the first wrote; a bad row in any table
  // leaves every table as it was.
  TableWrite broken = TableWrite::Replace<model::DeploymentLink>({l});
  broken.rows[0][5] = model::Value{};  // link_method NULL
  Status s = store->ApplyWrites({TableWrite::Replace<model::CommitPullRequest>({a}), broken});
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("link_method"), std::string::npos) << s.message();
  EXPECT_EQ(store->List<model::CommitPullRequest>()->size(), 2u);
  // Clearing only matching rows.
  TableWrite partial = TableWrite::Replace<model::CommitPullRequest>({});
  partial.clear_where = {{"commit_sha", model::Value{std::string("c2")}}};
  ASSERT_TRUE(store->ApplyWrites({partial}).ok());
  auto left = store->List<model::CommitPullRequest>();
  ASSERT_EQ(left->size(), 1u);
  EXPECT_EQ((*left)[0].commit_sha, "c1");
  // Collector-only tables are refused.
  EXPECT_FALSE(store->ApplyWrites({TableWrite::Replace<model::Commit>({})}).ok());
}

TEST(SqliteStoreTest, ScanFiltersOrdersLimitsAndValidatesColumns) {
  TempDir dir;
  auto store = OpenOrDie(dir.Sub("sei.db"));
  std::vector<model::PullRequest> prs;
  for (int i = 0; i < 5; ++i) {
    auto pr = MakePr("github:1:pr:" + std::to_string(i), "t" + std::to_string(i));
    pr.number = 10 - i;
    pr.state = i % 2 ? "merged" : "open";
    prs.push_back(pr);
  }
  ASSERT_TRUE(store->Upsert(prs).ok());
  ScanOptions options;
  options.where = {{"state", std::string("open")}};
  options.order_by = "number";
  options.limit = 2;
  auto open = store->List<model::PullRequest>(options);
  ASSERT_TRUE(open.ok());
  ASSERT_EQ(open->size(), 2u);
  EXPECT_EQ((*open)[0].number, 6);
  EXPECT_EQ((*open)[1].number, 8);
  ScanOptions bad;
  bad.where = {{"state; DROP TABLE pull_requests", std::string("x")}};
  auto rejected = store->List<model::PullRequest>(bad);
  ASSERT_FALSE(rejected.ok());
  EXPECT_EQ(rejected.status().code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE(
      store->DeleteRow(model::SpecOf<model::PullRequest>(), {std::string("github:1:pr:0")}).ok());
  EXPECT_EQ(*store->CountRows(model::SpecOf<model::PullRequest>(), {}), 4);
}

TEST(SqliteStoreTest, GitBulkPathIsIdempotentAndTracksReachability) {
  TempDir dir;
  auto store = OpenOrDie(dir.Sub("sei.db"));
  ASSERT_TRUE(store->UpsertRepo(TestRepo()).ok());
  std::string a(40, 'a'), b(40, 'b'), c(40, 'c');
  std::vector<CommitRecord> batch = {MakeCommit(a, {}), MakeCommit(b, {a}), MakeCommit(c, {a, b})};
  ASSERT_TRUE(store->WriteCommits(TestRepo().id, batch).ok());
  ASSERT_TRUE(store->WriteCommits(TestRepo().id, batch).ok());  // re-run: no duplicates
  EXPECT_EQ(*store->CountRows(model::SpecOf<model::Commit>(), {}), 3);
  EXPECT_EQ(*store->CountRows(model::SpecOf<model::CommitFile>(), {}), 3);
  auto graph = store->LoadCommitGraph(TestRepo().id);
  ASSERT_TRUE(graph.ok());
  ASSERT_EQ(graph->size(), 3u);
  EXPECT_EQ(graph->at(c).parents, (std::vector<std::string>{a, b}));

  GitSyncUpdate update;
  update.repo_id = TestRepo().id;
  update.collected_at = 1800000000;
  update.now_unreachable = {c};
  model::Ref ref;
  ref.repo_id = TestRepo().id;
  ref.name = "refs/heads/main";
  ref.kind = "branch";
  ref.target_sha = b;
  ref.target_type = "commit";
  ref.commit_sha = b;
  update.refs = {ref};
  update.sync_state = {"git:local", TestRepo().id, "commits", "digest", {}, "complete", {}, 1};
  ASSERT_TRUE(store->FinishGitSync(update).ok());
  graph = store->LoadCommitGraph(TestRepo().id);
  EXPECT_FALSE(graph->at(c).reachable);
  EXPECT_TRUE(graph->at(b).reachable);
  auto refs = store->LoadRefs(TestRepo().id);
  ASSERT_EQ(refs->size(), 1u);
  EXPECT_EQ((*refs)[0].commit_sha, std::optional<std::string>(b));
  auto accounts = store->CountRows(*model::FindSpec("accounts"), {});
  EXPECT_EQ(*accounts, 1);
  auto summaries = store->RepoSummaries();
  ASSERT_EQ(summaries->size(), 1u);
  EXPECT_EQ((*summaries)[0].commits, 2);
  EXPECT_EQ((*summaries)[0].unreachable_commits, 1);
  EXPECT_EQ(*(*summaries)[0].collected_at, 1800000000);
  auto state = store->GetSyncState("git:local", TestRepo().id, "commits");
  ASSERT_TRUE(state.ok() && state->has_value());
  EXPECT_EQ((*state)->cursor, "digest");
}

TEST(SqliteStoreTest, LockedDatabaseGivesClearError) {
  TempDir dir;
  std::string path = dir.Sub("sei.db");
  auto holder = OpenOrDie(path);
  auto waiter = OpenOrDie(path, {.busy_timeout_ms = 50});
  ASSERT_TRUE(holder->db()->Begin().ok());
  Status s = waiter->Upsert(std::vector{MakePr("github:1:pr:1", "x")});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_NE(s.message().find("locked"), std::string::npos);
  // Readers are not blocked by the writer (WAL).
  auto count = waiter->CountRows(model::SpecOf<model::PullRequest>(), {});
  EXPECT_TRUE(count.ok());
  holder->db()->Rollback();
}

TEST(SqliteStoreTest, FullDiskGivesResourceExhaustedAndKeepsData) {
  TempDir dir;
  auto store = OpenOrDie(dir.Sub("sei.db"));
  ASSERT_TRUE(store->Upsert(std::vector{MakePr("github:1:pr:0", "kept")}).ok());
  auto pages = store->db()->Prepare("PRAGMA page_count");
  ASSERT_TRUE(*pages->Step());
  int64_t now = pages->ColumnInt(0);
  ASSERT_TRUE(store->db()->Exec("PRAGMA max_page_count = " + std::to_string(now + 2)).ok());
  std::vector<model::PullRequest> many;
  for (int i = 1; i < 3000; ++i) {
    many.push_back(MakePr("github:1:pr:" + std::to_string(i), std::string(200, 'x')));
  }
  Status s = store->Upsert(many);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kResourceExhausted);
  EXPECT_NE(s.message().find("disk"), std::string::npos);
  EXPECT_EQ(*store->CountRows(model::SpecOf<model::PullRequest>(), {}), 1);
}

TEST(SqliteStoreTest, RawArchiveAndRunsRoundTrip) {
  TempDir dir;
  auto store = OpenOrDie(dir.Sub("sei.db"));
  model::RawPayload p;
  p.connection_id = "github:1";
  p.source = "github";
  p.scope = "octo/repo";
  p.entity = "pulls";
  p.url = "https://api.github.com/repos/octo/repo/pulls?page=2";
  p.fetched_at = 1700000000;
  p.content_type = "application/json";
  p.body = std::string("[{\"id\":1}]\0binary", 17);
  auto id = store->ArchiveRaw(p);
  ASSERT_TRUE(id.ok());
  auto raws = store->List<model::RawPayload>();
  ASSERT_EQ(raws->size(), 1u);
  EXPECT_EQ((*raws)[0].id, *id);
  EXPECT_EQ((*raws)[0].body, p.body);
  EXPECT_EQ((*raws)[0].url, p.url);
  auto run = store->BeginRun({0, "git:local", "/r", 5, {}, "running", 0, {}});
  ASSERT_TRUE(run.ok());
  ASSERT_TRUE(store->FinishRun(*run, "complete", 42, {}, 9).ok());
  auto runs = store->List<model::CollectionRun>();
  ASSERT_EQ(runs->size(), 1u);
  EXPECT_EQ((*runs)[0].items_added, 42);
  EXPECT_EQ((*runs)[0].status, "complete");
}

}  // namespace
}  // namespace sei::sqlite

namespace sei::sqlite {
namespace {

// A database made by an older sei (its migrations up to `version`) with one
// raw payload archived, as that version archived it.
void MakeOldDatabase(const std::string& path, int version) {
  auto db = Db::Open(path, {});
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  ASSERT_TRUE((*db)
                  ->Exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name "
                         "TEXT NOT NULL, applied_at INTEGER NOT NULL)")
                  .ok());
  for (const Migration& m : SqliteMigrations()) {
    if (m.version > version) break;
    ASSERT_TRUE((*db)->Exec(m.sql).ok()) << m.name;
    auto ins = (*db)->Prepare("INSERT INTO schema_migrations VALUES (?, ?, 0)");
    ASSERT_TRUE(ins.ok());
    ins->BindInt(1, m.version);
    ins->BindText(2, m.name);
    ASSERT_TRUE(ins->Run().ok());
  }
  ASSERT_TRUE((*db)
                  ->Exec("INSERT INTO raw_payloads (connection_id, source, scope, entity, url, "
                         "fetched_at, content_type, body) VALUES ('github:1', 'github', 'o/r', "
                         "'pulls', 'https://api.github.com/repos/o/r/pulls', 5, "
                         "'application/json', '[]')")
                  .ok());
}

TEST(SqliteStoreUpgradeTest, AnOlderDatabaseIsMigratedToTheLatestKeepingItsRows) {
  for (int from : {1, 5}) {
    TempDir dir;
    const std::string path = dir.Sub("old.db");
    MakeOldDatabase(path, from);
    auto store = OpenOrDie(path);
    ASSERT_NE(store, nullptr);
    EXPECT_EQ(*store->SchemaVersion(), SqliteStore::LatestSchemaVersion()) << from;
    auto raws = store->List<model::RawPayload>();
    ASSERT_TRUE(raws.ok()) << raws.status().ToString();
    ASSERT_EQ(raws->size(), 1u);
    EXPECT_EQ((*raws)[0].url, "https://api.github.com/repos/o/r/pulls");
    EXPECT_FALSE((*raws)[0].context) << "archived before contexts: never converted";
    model::Release r;
    r.id = "github:1:release:1";
    r.connection_id = "github:1";
    r.repo_id = "github:1:repo:o/r";
    r.tag_name = "v1";
    r.created_at = 9;
    ASSERT_TRUE(store->Upsert(std::vector<model::Release>{r}).ok());
    EXPECT_EQ(store->List<model::Release>()->size(), 1u);
  }
}

TEST(SqliteStoreTest, UpdateSetsColumnsOfOneRowEvenOfACollectorsTable) {
  TempDir dir;
  auto store = OpenOrDie(dir.Sub("sei.db"));
  model::RawPayload p;
  p.connection_id = "github:1";
  p.source = "github";
  p.scope = "o/r";
  p.entity = "pulls";
  p.url = "u";
  p.fetched_at = 1;
  p.content_type = "application/json";
  p.body = "[]";
  const int64_t id = *store->ArchiveRaw(p);
  const auto& spec = model::SpecOf<model::RawPayload>();
  // With an upsert in the same transaction: both or neither.
  const model::PullRequest pr = MakePr("github:1:pr:o/r/7", "t");
  Status ok = store->ApplyWrites(
      {TableWrite::Upsert(std::vector<model::PullRequest>{pr}),
       TableWrite::Update(spec, {id}, {{"converted_at", int64_t{42}}, {"context", "{}"}})});
  ASSERT_TRUE(ok.ok()) << ok.ToString();
  auto raw = *store->List<model::RawPayload>();
  EXPECT_EQ(raw[0].converted_at, 42);
  EXPECT_EQ(raw[0].context, "{}");
  EXPECT_EQ(raw[0].body, "[]");  // the other columns are kept
  Status missing = store->ApplyWrites(
      {TableWrite::Upsert(std::vector<model::PullRequest>{MakePr("github:1:pr:o/r/8", "u")}),
       TableWrite::Update(spec, {id + 1}, {{"converted_at", int64_t{43}}})});
  EXPECT_EQ(missing.code(), StatusCode::kNotFound) << missing.ToString();
  EXPECT_EQ(store->List<model::PullRequest>()->size(), 1u) << "rolled back with the update";
  for (const TableWrite& bad : {TableWrite::Update(spec, {id}, {{"nope", int64_t{1}}}),
                                TableWrite::Update(spec, {id}, {{"id", int64_t{9}}}),
                                TableWrite::Update(spec, {id}, {{"body", model::Value{}}}),
                                TableWrite::Update(spec, {id}, {})}) {
    EXPECT_EQ(store->ApplyWrites({bad}).code(), StatusCode::kInvalidArgument);
  }
  EXPECT_EQ((*store->List<model::RawPayload>())[0].converted_at, 42);
}

TEST(SqliteStoreTest, ScanPagesByKeyAfterAValue) {
  TempDir dir;
  auto store = OpenOrDie(dir.Sub("sei.db"));
  std::vector<model::PullRequest> prs;
  for (int i = 0; i < 7; ++i) prs.push_back(MakePr("github:1:pr:o/r/" + std::to_string(i), "t"));
  ASSERT_TRUE(store->Upsert(prs).ok());
  std::vector<std::string> seen;
  std::optional<model::Value> after;
  for (int pages = 0; pages < 10; ++pages) {
    ScanOptions o;
    o.limit = 3;
    o.after = after;
    auto page = *store->List<model::PullRequest>(o);
    if (page.empty()) break;
    for (const auto& p : page) seen.push_back(p.id);
    after = page.back().id;
  }
  ASSERT_EQ(seen.size(), 7u);
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
  ScanOptions down;
  down.descending = true;
  down.after = model::Value{std::string("github:1:pr:o/r/3")};
  down.where = {{"repo_id", std::string("github:1:repo:1")}};
  auto below = *store->List<model::PullRequest>(down);
  ASSERT_EQ(below.size(), 3u);
  EXPECT_EQ(below[0].id, "github:1:pr:o/r/2");
  ScanOptions multi;
  multi.after = model::Value{std::string("x")};
  EXPECT_EQ(store
                ->ScanRows(model::SpecOf<model::PrCommit>(), multi,
                           [](const model::Row&) { return Status::Ok(); })
                .code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace sei::sqlite
