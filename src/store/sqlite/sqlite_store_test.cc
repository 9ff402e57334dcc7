#include "store/sqlite/sqlite_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <set>

#include "model/derived.h"
#include "model/registry.h"
#include "model/review.h"
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
