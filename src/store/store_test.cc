// The Store contract (store.h), asserted on every backend: each case runs on
// SQLite and on PostgreSQL (testing/store_backends.h). Backend-specific
// behaviour (WAL, a locked file, a full disk; URLs, connection errors,
// concurrent migration) is in sqlite/ and postgres/.
#include "store/store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <thread>

#include "model/access.h"
#include "model/derived.h"
#include "model/inbox.h"
#include "model/org.h"
#include "model/registry.h"
#include "model/review.h"
#include "model/work.h"
#include "store/postgres/migrations.h"
#include "store/sqlite/migrations.h"
#include "testing/store_backends.h"

namespace sei {
namespace {

class StoreTest : public sei::testing::StoreBackendTest {};

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

CommitRecord MakeCommit(const std::string& sha, std::vector<std::string> parents,
                        int64_t time = 1700000000) {
  CommitRecord r;
  r.commit.repo_id = "git:local:repo:/r";
  r.commit.sha = sha;
  r.commit.tree_sha = std::string(40, 'f');
  r.commit.author_name = "Ann";
  r.commit.author_email = "ann@example.com";
  r.commit.author_time = time;
  r.commit.committer_name = "Ann";
  r.commit.committer_email = "ann@example.com";
  r.commit.committer_time = time;
  r.commit.message = "msg\twith tab\nand \\ backslash";
  r.commit.parent_count = static_cast<int64_t>(parents.size());
  r.commit.is_merge = parents.size() > 1;
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

int LatestVersion(bool postgres) {
  return postgres ? pg::PostgresStore::LatestSchemaVersion()
                  : sqlite::SqliteStore::LatestSchemaVersion();
}

TEST_P(StoreTest, MigratesNewDatabaseAndReopensIdempotently) {
  auto v = store()->SchemaVersion();
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, LatestVersion(postgres()));
  // One row per migration (versions need not be contiguous: a number may
  // be held for a branch that has not landed yet).
  const size_t migrations =
      postgres() ? pg::PostgresMigrations().size() : sqlite::SqliteMigrations().size();
  EXPECT_EQ(QueryInt("SELECT count(*) FROM schema_migrations"), static_cast<int64_t>(migrations));
  CloseStore();
  auto again = OpenAnother();
  ASSERT_NE(again, nullptr);
  v = again->SchemaVersion();
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, LatestVersion(postgres()));
}

TEST_P(StoreTest, BothBackendsCarryTheSameMigrationNumbers) {
  const auto& lite = sqlite::SqliteMigrations();
  const auto& pg = pg::PostgresMigrations();
  ASSERT_EQ(lite.size(), pg.size());
  for (size_t i = 0; i < lite.size(); ++i) {
    EXPECT_EQ(lite[i].version, pg[i].version);
    EXPECT_EQ(lite[i].name, pg[i].name);
  }
}

TEST_P(StoreTest, DataVersionChangesWhenAnotherStoreCommits) {
  auto writer = OpenAnother();
  Store* reader = store();
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
  ASSERT_TRUE(writer->ArchiveRaw({0, "c", "s", "x", "e", "u", 1, "text/plain", "b", {}}).ok());
  auto w2 = writer->DataVersion();
  ASSERT_TRUE(w1.ok() && w2.ok());
  EXPECT_EQ(*w1, *w2);
  // A failed write commits nothing, so nothing changes for a reader.
  auto r1 = reader->DataVersion();
  std::vector<model::Row> bad = {model::ToRow(MakePr("github:1:pr:3", "c"))};
  bad[0][model::SpecOf<model::PullRequest>().ColumnIndex("title")] = model::Value{};
  EXPECT_FALSE(writer->UpsertRows(model::SpecOf<model::PullRequest>(), bad).ok());
  EXPECT_EQ(*reader->DataVersion(), *r1);
  EXPECT_EQ(*writer->DataVersion(), *w2);
}

TEST_P(StoreTest, RefusesDatabaseFromNewerVersion) {
  ASSERT_TRUE(ExecSql("INSERT INTO schema_migrations VALUES (9999, 'future', 0)").ok());
  CloseStore();
  auto again = Open();
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(again.status().message().find("newer sei"), std::string::npos);
  EXPECT_NE(again.status().message().find("9999"), std::string::npos);
}

TEST_P(StoreTest, UpsertIsIdempotentAndUpdates) {
  ASSERT_TRUE(store()->Upsert(std::vector{MakePr("github:1:pr:1", "first")}).ok());
  ASSERT_TRUE(store()->Upsert(std::vector{MakePr("github:1:pr:1", "renamed")}).ok());
  ASSERT_TRUE(store()->Upsert(std::vector{MakePr("github:1:pr:1", "renamed")}).ok());
  auto prs = store()->List<model::PullRequest>();
  ASSERT_TRUE(prs.ok());
  ASSERT_EQ(prs->size(), 1u);
  EXPECT_EQ((*prs)[0].title, "renamed");
  EXPECT_EQ((*prs)[0].number, 7);
}

// Every cell type round-trips exactly: NULLs, booleans, big integers,
// doubles, text with quotes, tabs and non-ASCII characters.
TEST_P(StoreTest, ValuesRoundTripExactly) {
  model::Issue issue;
  issue.id = "jira:1:issue:1";
  issue.connection_id = "jira:1";
  issue.key = "K-1";
  issue.title = "It's \"quoted\"\ttab\nline \\ back – ünïcödé ✓";
  issue.type = "bug";
  issue.status = "Done";
  issue.status_category = "done";
  issue.story_points = 0.1 + 0.2;  // not representable in short decimal
  issue.created_at = std::numeric_limits<int64_t>::max();
  issue.updated_at = std::numeric_limits<int64_t>::min();
  model::Issue other = issue;
  other.id = "jira:1:issue:2";
  other.story_points = -1e-300;
  other.title = "";
  other.created_at = -1;
  other.updated_at.reset();
  ASSERT_TRUE(store()->Upsert(std::vector{issue, other}).ok());
  auto back = store()->List<model::Issue>();
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  ASSERT_EQ(back->size(), 2u);
  EXPECT_EQ(model::ToRow((*back)[0]), model::ToRow(issue));
  EXPECT_EQ(model::ToRow((*back)[1]), model::ToRow(other));
  model::Person bot{"p:1", "Bot", std::nullopt, true, 5};
  ASSERT_TRUE(store()->Upsert(std::vector{bot}).ok());
  ScanOptions bots;
  bots.where = {{"is_bot", int64_t{1}}};
  auto people = store()->List<model::Person>(bots);
  ASSERT_TRUE(people.ok()) << people.status().ToString();
  ASSERT_EQ(people->size(), 1u);
  EXPECT_TRUE((*people)[0].is_bot);
  EXPECT_FALSE((*people)[0].primary_email.has_value());
}

TEST_P(StoreTest, BatchWithAnInvalidRowStoresNothing) {
  std::vector<model::Row> rows = {model::ToRow(MakePr("github:1:pr:1", "a")),
                                  model::ToRow(MakePr("github:1:pr:2", "b"))};
  rows[1][model::SpecOf<model::PullRequest>().ColumnIndex("created_at")] = model::Value{};
  Status s = store()->UpsertRows(model::SpecOf<model::PullRequest>(), rows);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("created_at"), std::string::npos);
  auto count = store()->CountRows(model::SpecOf<model::PullRequest>(), {});
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 0);
}

// A large batch whose 550th row breaks a constraint the store cannot check
// beforehand (a second unique column) stores nothing, and the store stays
// usable; the same key twice in one batch is one row, the last one.
TEST_P(StoreTest, LargeBatchFailingOnTheServerStoresNothing) {
  std::vector<model::User> users;
  for (int i = 0; i < 600; ++i) {
    users.push_back({"u" + std::to_string(i),
                     "n",
                     "user" + std::to_string(i) + "@example.com",
                     "viewer",
                     {},
                     {},
                     {},
                     1,
                     {}});
  }
  users[550].email = users[10].email;
  Status s = store()->Upsert(users);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
  EXPECT_EQ(*store()->CountRows(model::SpecOf<model::User>(), {}), 0);
  users[550].email = "unique@example.com";
  users[599] = users[0];
  users[599].name = "last wins";
  ASSERT_TRUE(store()->Upsert(users).ok());
  EXPECT_EQ(*store()->CountRows(model::SpecOf<model::User>(), {}), 599);
  EXPECT_EQ(store()->List<model::User>()->front().name, "last wins");
}

TEST_P(StoreTest, ApplyWritesReplacesAcrossTablesAtomically) {
  model::CommitPullRequest a{"r", "c1", "pr1", "merge-sha"}, b{"r", "c2", "pr1", "pr-commit"};
  model::DeploymentLink l{"d1", std::nullopt, 2, 1, false, "graph"};
  ASSERT_TRUE(store()
                  ->ApplyWrites({TableWrite::Replace<model::CommitPullRequest>({a, b}),
                                 TableWrite::Replace<model::DeploymentLink>({l})})
                  .ok());
  EXPECT_EQ(store()->List<model::CommitPullRequest>()->size(), 2u);
  // A second replace clears what the first wrote; a bad row in any table
  // leaves every table as it was.
  TableWrite broken = TableWrite::Replace<model::DeploymentLink>({l});
  broken.rows[0][5] = model::Value{};  // link_method NULL
  Status s = store()->ApplyWrites({TableWrite::Replace<model::CommitPullRequest>({a}), broken});
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("link_method"), std::string::npos) << s.message();
  EXPECT_EQ(store()->List<model::CommitPullRequest>()->size(), 2u);
  // Clearing only matching rows.
  TableWrite partial = TableWrite::Replace<model::CommitPullRequest>({});
  partial.clear_where = {{"commit_sha", model::Value{std::string("c2")}}};
  ASSERT_TRUE(store()->ApplyWrites({partial}).ok());
  auto left = store()->List<model::CommitPullRequest>();
  ASSERT_EQ(left->size(), 1u);
  EXPECT_EQ((*left)[0].commit_sha, "c1");
  // Collector-only tables are refused.
  EXPECT_FALSE(store()->ApplyWrites({TableWrite::Replace<model::Commit>({})}).ok());
}

// `produce` writes and erases inside the transaction, reading the store as
// it goes; its error rolls back everything, the rows before it included.
TEST_P(StoreTest, ProduceSeesTheTransactionAndItsErrorRollsBack) {
  model::CommitPullRequest a{"r", "c1", "pr1", "m"}, b{"r", "c2", "pr1", "m"};
  ASSERT_TRUE(store()->Upsert(std::vector{a, b}).ok());
  TableWrite w;
  w.spec = &model::SpecOf<model::CommitPullRequest>();
  w.rows = {model::ToRow(model::CommitPullRequest{"r", "c3", "pr2", "m"})};
  int64_t seen = -1, seen_after = -1;
  w.produce = [&](const RowCallback& upsert, const RowCallback& erase) -> Status {
    SEI_ASSIGN_OR_RETURN(seen, store()->CountRows(*w.spec, {}));  // sees c3
    SEI_RETURN_IF_ERROR(erase({std::string("r"), std::string("c1"), std::string("pr1")}));
    SEI_RETURN_IF_ERROR(upsert(model::ToRow(model::CommitPullRequest{"r", "c4", "pr2", "m"})));
    SEI_ASSIGN_OR_RETURN(seen_after, store()->CountRows(*w.spec, {}));  // its own writes
    return Status::Ok();
  };
  ASSERT_TRUE(store()->ApplyWrites({w}).ok());
  EXPECT_EQ(seen, 3);
  EXPECT_EQ(seen_after, 3);
  std::set<std::string> shas;
  auto stored = store()->List<model::CommitPullRequest>();
  ASSERT_TRUE(stored.ok());
  for (const auto& c : *stored) shas.insert(c.commit_sha);
  EXPECT_EQ(shas, (std::set<std::string>{"c2", "c3", "c4"}));
  w.rows = {model::ToRow(model::CommitPullRequest{"r", "c5", "pr2", "m"})};
  w.produce = [](const RowCallback&, const RowCallback&) -> Status {
    return InvalidArgumentError("linker says no");
  };
  Status s = store()->ApplyWrites({TableWrite::DeleteWhere(*w.spec, {}), w});
  EXPECT_EQ(s.message(), "linker says no");
  EXPECT_EQ(*store()->CountRows(*w.spec, {}), 3);
  // Thousands of rows from produce, then a read inside it and after it.
  w.rows.clear();
  int64_t counted = -1;
  w.produce = [&](const RowCallback& upsert, const RowCallback& erase) -> Status {
    for (int i = 0; i < 5000; ++i) {
      SEI_RETURN_IF_ERROR(
          upsert(model::ToRow(model::CommitPullRequest{"r", "x" + std::to_string(i), "pr3", "m"})));
    }
    for (int i = 0; i < 5000; i += 2) {
      SEI_RETURN_IF_ERROR(erase({std::string("r"), "x" + std::to_string(i), std::string("pr3")}));
    }
    SEI_ASSIGN_OR_RETURN(counted, store()->CountRows(*w.spec, {}));
    return Status::Ok();
  };
  ASSERT_TRUE(store()->ApplyWrites({w}).ok());
  EXPECT_EQ(counted, 2503);
  EXPECT_EQ(*store()->CountRows(*w.spec, {}), 2503);
}

TEST_P(StoreTest, ScanFiltersOrdersLimitsAndValidatesColumns) {
  std::vector<model::PullRequest> prs;
  for (int i = 0; i < 5; ++i) {
    auto pr = MakePr("github:1:pr:" + std::to_string(i), "t" + std::to_string(i));
    pr.number = 10 - i;
    pr.state = i % 2 ? "merged" : "open";
    if (i != 2) pr.merged_at = 100 + i;
    prs.push_back(pr);
  }
  ASSERT_TRUE(store()->Upsert(prs).ok());
  ScanOptions options;
  options.where = {{"state", std::string("open")}};
  options.order_by = "number";
  options.limit = 2;
  auto open = store()->List<model::PullRequest>(options);
  ASSERT_TRUE(open.ok());
  ASSERT_EQ(open->size(), 2u);
  EXPECT_EQ((*open)[0].number, 6);
  EXPECT_EQ((*open)[1].number, 8);
  // NULLs sort before every value ascending and after descending; a NULL
  // filter matches NULL cells.
  ScanOptions by_merge;
  by_merge.order_by = "merged_at";
  EXPECT_EQ(store()->List<model::PullRequest>(by_merge)->front().id, "github:1:pr:2");
  by_merge.descending = true;
  EXPECT_EQ(store()->List<model::PullRequest>(by_merge)->back().id, "github:1:pr:2");
  ScanOptions unmerged;
  unmerged.where = {{"merged_at", model::Value{}}};
  EXPECT_EQ(*store()->CountRows(model::SpecOf<model::PullRequest>(), unmerged), 1);
  // Keys compare as bytes: "github:1:pr:10" < "github:1:pr:2" < "github:1:pr:Z" < "…:a".
  ASSERT_TRUE(store()
                  ->Upsert(std::vector{MakePr("github:1:pr:a", "x"), MakePr("github:1:pr:Z", "y"),
                                       MakePr("github:1:pr:10", "z")})
                  .ok());
  std::vector<std::string> ids;
  auto all = store()->List<model::PullRequest>();
  ASSERT_TRUE(all.ok());
  for (const auto& pr : *all) ids.push_back(pr.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"github:1:pr:0", "github:1:pr:1", "github:1:pr:10",
                                           "github:1:pr:2", "github:1:pr:3", "github:1:pr:4",
                                           "github:1:pr:Z", "github:1:pr:a"}));
  ScanOptions bad;
  bad.where = {{"state; DROP TABLE pull_requests", std::string("x")}};
  auto rejected = store()->List<model::PullRequest>(bad);
  ASSERT_FALSE(rejected.ok());
  EXPECT_EQ(rejected.status().code(), StatusCode::kInvalidArgument);
  ScanOptions bad_order;
  bad_order.order_by = "1; DROP TABLE pull_requests";
  EXPECT_EQ(store()->List<model::PullRequest>(bad_order).status().code(),
            StatusCode::kInvalidArgument);
  ASSERT_TRUE(
      store()->DeleteRow(model::SpecOf<model::PullRequest>(), {std::string("github:1:pr:0")}).ok());
  EXPECT_EQ(*store()->CountRows(model::SpecOf<model::PullRequest>(), {}), 7);
}

// A scan stops at its callback's first error and returns it; the store
// stays usable, and a callback may read the store while scanning.
TEST_P(StoreTest, ScanStopsAtCallbackErrorAndAllowsNestedReads) {
  std::vector<model::PullRequest> prs;
  for (int i = 0; i < 30; ++i) prs.push_back(MakePr("github:1:pr:" + std::to_string(100 + i), "t"));
  ASSERT_TRUE(store()->Upsert(prs).ok());
  int calls = 0;
  Status s = store()->ScanRows(model::SpecOf<model::PullRequest>(), {}, [&](const model::Row&) {
    return ++calls == 5 ? CancelledError("enough") : Status::Ok();
  });
  EXPECT_EQ(s.code(), StatusCode::kCancelled);
  EXPECT_EQ(calls, 5);
  int64_t nested = 0;
  s = store()->ScanRows(model::SpecOf<model::PullRequest>(), {}, [&](const model::Row& row) {
    ScanOptions one;
    one.where = {{"id", row[0]}};
    SEI_ASSIGN_OR_RETURN(int64_t n, store()->CountRows(model::SpecOf<model::PullRequest>(), one));
    nested += n;
    return Status::Ok();
  });
  EXPECT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(nested, 30);
  EXPECT_TRUE(store()->Upsert(std::vector{MakePr("github:1:pr:x", "after")}).ok());
}

TEST_P(StoreTest, GitBulkPathIsIdempotentAndTracksReachability) {
  ASSERT_TRUE(store()->UpsertRepo(TestRepo()).ok());
  std::string a(40, 'a'), b(40, 'b'), c(40, 'c');
  std::vector<CommitRecord> batch = {MakeCommit(a, {}), MakeCommit(b, {a}), MakeCommit(c, {a, b})};
  batch[2].files[0].path_bytes = std::string("a\xff\x00.txt", 7);
  ASSERT_TRUE(store()->WriteCommits(TestRepo().id, batch).ok());
  ASSERT_TRUE(store()->WriteCommits(TestRepo().id, batch).ok());  // re-run: no duplicates
  EXPECT_EQ(*store()->CountRows(model::SpecOf<model::Commit>(), {}), 3);
  EXPECT_EQ(*store()->CountRows(model::SpecOf<model::CommitFile>(), {}), 3);
  auto commits = store()->List<model::Commit>();
  ASSERT_TRUE(commits.ok());
  EXPECT_EQ(commits->front().message, batch[0].commit.message);
  auto files = store()->List<model::CommitFile>();
  ASSERT_TRUE(files.ok());
  EXPECT_EQ(files->back().path_bytes, batch[2].files[0].path_bytes);
  auto graph = store()->LoadCommitGraph(TestRepo().id);
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
  ASSERT_TRUE(store()->FinishGitSync(update).ok());
  graph = store()->LoadCommitGraph(TestRepo().id);
  EXPECT_FALSE(graph->at(c).reachable);
  EXPECT_TRUE(graph->at(b).reachable);
  auto refs = store()->LoadRefs(TestRepo().id);
  ASSERT_EQ(refs->size(), 1u);
  EXPECT_EQ((*refs)[0].commit_sha, std::optional<std::string>(b));
  auto accounts = store()->CountRows(*model::FindSpec("accounts"), {});
  EXPECT_EQ(*accounts, 1);
  auto summaries = store()->RepoSummaries();
  ASSERT_EQ(summaries->size(), 1u);
  EXPECT_EQ((*summaries)[0].commits, 2);
  EXPECT_EQ((*summaries)[0].unreachable_commits, 1);
  EXPECT_EQ(*(*summaries)[0].collected_at, 1800000000);
  auto state = store()->GetSyncState("git:local", TestRepo().id, "commits");
  ASSERT_TRUE(state.ok() && state->has_value());
  EXPECT_EQ((*state)->cursor, "digest");
  // Reachable again: back in the summary, unreachable_since cleared.
  update.now_unreachable.clear();
  update.reachable_again = {c};
  ASSERT_TRUE(store()->FinishGitSync(update).ok());
  EXPECT_EQ(store()->RepoSummaries()->front().commits, 3);
  ScanOptions unreachable;
  unreachable.where = {{"unreachable_since", model::Value{}}};
  EXPECT_EQ(*store()->CountRows(model::SpecOf<model::Commit>(), unreachable), 3);
}

TEST_P(StoreTest, CommitWalkAndSummariesAgreeWithTheHistory) {
  ASSERT_TRUE(store()->UpsertRepo(TestRepo()).ok());
  std::string a(40, 'a'), b(40, 'b'), c(40, 'c'), d(40, 'd');
  const int64_t monday = 1699833600;  // 2023-11-13 00:00 UTC, a Monday
  std::vector<CommitRecord> batch = {MakeCommit(a, {}, monday - 1), MakeCommit(b, {a}, monday),
                                     MakeCommit(c, {a, std::string(40, 'e')}, monday + 3600)};
  batch[1].commit.author_account_id = "git:local:account:bob@example.com";
  batch[1].files.push_back(batch[1].files[0]);
  batch[1].files[1].idx = 1;
  batch[1].files[1].path = "b.txt";
  batch[1].files[1].added = 20;
  batch[1].commit.additions = 23;
  ASSERT_TRUE(store()->WriteCommits(TestRepo().id, batch).ok());
  ASSERT_TRUE(store()->WriteCommits(TestRepo().id, {MakeCommit(d, {c}, monday + 7200)}).ok());
  auto walk = store()->LoadCommitWalk(TestRepo().id);
  ASSERT_TRUE(walk.ok()) << walk.status().ToString();
  EXPECT_EQ(walk->shas, (std::vector<std::string>{a, b, c, d}));  // storage order
  EXPECT_EQ(walk->parent_begin, (std::vector<uint32_t>{0, 0, 1, 2, 3}));
  EXPECT_EQ(walk->parents, (std::vector<int32_t>{0, 0, 2}));  // e is not stored
  EXPECT_EQ(walk->parent_counts, (std::vector<int32_t>{0, 1, 2, 1}));
  EXPECT_EQ(walk->author_accounts.size(), 2u);
  EXPECT_EQ(walk->authors[1], 1);
  auto weeks = store()->WeeklyActivity(TestRepo().id, 0);
  ASSERT_TRUE(weeks.ok()) << weeks.status().ToString();
  ASSERT_EQ(weeks->size(), 2u);
  EXPECT_EQ((*weeks)[0].week_start, monday - 7 * 86400);
  EXPECT_EQ((*weeks)[1].week_start, monday);
  EXPECT_EQ((*weeks)[1].commits, 3);
  EXPECT_EQ((*weeks)[1].authors, 2);
  EXPECT_EQ((*weeks)[1].additions, 26);  // b (23) and d (3); the merge c does not count
  auto churn = store()->TopFilesByChurn(TestRepo().id, 1);
  ASSERT_TRUE(churn.ok()) << churn.status().ToString();
  ASSERT_EQ(churn->size(), 1u);
  EXPECT_EQ((*churn)[0].path, "b.txt");
  EXPECT_EQ((*churn)[0].additions, 20);
  churn = store()->TopFilesByChurn(TestRepo().id, 10);
  ASSERT_EQ(churn->size(), 2u);
  EXPECT_EQ((*churn)[1].path, "a.txt");
  EXPECT_EQ((*churn)[1].commits, 3);
  EXPECT_EQ((*churn)[1].authors, 2);
  // Accounts come from authors and committers alike, seen over both times.
  GitSyncUpdate update;
  update.repo_id = TestRepo().id;
  update.sync_state = {"git:local", TestRepo().id, "commits", "d", {}, "complete", {}, 1};
  ASSERT_TRUE(store()->FinishGitSync(update).ok());
  auto accounts = store()->List<model::Account>();
  ASSERT_TRUE(accounts.ok());
  ASSERT_EQ(accounts->size(), 2u);
  EXPECT_EQ((*accounts)[0].id, "git:local:account:ann@example.com");
  EXPECT_EQ((*accounts)[0].first_seen_at, std::optional<int64_t>(monday - 1));
  EXPECT_EQ((*accounts)[0].last_seen_at, std::optional<int64_t>(monday + 7200));
  EXPECT_EQ((*accounts)[1].id, "git:local:account:bob@example.com");  // authored only
  EXPECT_EQ((*accounts)[1].first_seen_at, std::optional<int64_t>(monday));
  auto missing = store()->LoadCommitGraph("git:local:repo:/nope");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
}

TEST_P(StoreTest, RawArchiveAndRunsRoundTrip) {
  model::RawPayload p;
  p.connection_id = "github:1";
  p.source = "github";
  p.scope = "octo/repo";
  p.entity = "pulls";
  p.url = "https://api.github.com/repos/octo/repo/pulls?page=2";
  p.fetched_at = 1700000000;
  p.content_type = "application/json";
  p.body = std::string("[{\"id\":1}]\0binary\xff\xfe", 19);
  auto id = store()->ArchiveRaw(p);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  auto raws = store()->List<model::RawPayload>();
  ASSERT_EQ(raws->size(), 1u);
  EXPECT_EQ((*raws)[0].id, *id);
  EXPECT_EQ((*raws)[0].body, p.body);
  EXPECT_EQ((*raws)[0].url, p.url);
  auto run = store()->BeginRun({0, "git:local", "/r", 5, {}, "running", 0, {}});
  ASSERT_TRUE(run.ok());
  ASSERT_TRUE(store()->FinishRun(*run, "complete", 42, {}, 9).ok());
  auto runs = store()->List<model::CollectionRun>();
  ASSERT_EQ(runs->size(), 1u);
  EXPECT_EQ((*runs)[0].items_added, 42);
  EXPECT_EQ((*runs)[0].status, "complete");
  EXPECT_EQ((*runs)[0].finished_at, std::optional<int64_t>(9));
}

// ArchiveAndApply: the payloads and the rows pointing at them commit
// together, or not at all.
TEST_P(StoreTest, ArchiveAndApplyIsAllOrNothing) {
  std::vector<model::RawPayload> payloads(2);
  for (auto& p : payloads) {
    p = {0, "push:1", "push", "s", "deployments", "/api/v1/push", 1, "application/json", "{}", {}};
  }
  Status s = store()->ArchiveAndApply(payloads, [](const std::vector<int64_t>& ids) {
    model::PullRequest pr = MakePr("github:1:pr:9", "pushed");
    pr.raw_id = ids[1];
    return Result<std::vector<TableWrite>>(
        std::vector{TableWrite::Upsert<model::PullRequest>({pr})});
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  auto raws = store()->List<model::RawPayload>();
  ASSERT_EQ(raws->size(), 2u);
  EXPECT_LT((*raws)[0].id, (*raws)[1].id);
  EXPECT_EQ(store()->List<model::PullRequest>()->front().raw_id,
            std::optional<int64_t>((*raws)[1].id));
  s = store()->ArchiveAndApply(payloads, [](const std::vector<int64_t>&) {
    return Result<std::vector<TableWrite>>(InvalidArgumentError("bad batch"));
  });
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store()->List<model::RawPayload>()->size(), 2u);
}

// A batch as the push writer makes it, larger than one pipeline of the
// PostgreSQL store (512 statements): payload ids increase in payload order
// and each row points at its own payload; a clear and the upsert after it
// apply in order; appends commit with the rest; a statement the server
// refuses at the end of the batch leaves nothing of it.
TEST_P(StoreTest, ArchiveAndApplyOfALargeBatchKeepsOrderAndIsAllOrNothing) {
  constexpr int kItems = 600;
  std::vector<model::RawPayload> payloads(kItems);
  for (int i = 0; i < kItems; ++i) {
    payloads[i] = {0,   "push:1",           "push", "s", "deployments", "u" + std::to_string(i),
                   100, "application/json", "{}",   {}};
  }
  auto make = [](bool fail) {
    return [fail](const std::vector<int64_t>& ids) -> Result<std::vector<TableWrite>> {
      std::vector<model::PullRequest> prs;
      std::vector<model::AuditEntry> audit;
      for (size_t i = 0; i < ids.size(); ++i) {
        model::PullRequest pr = MakePr("github:1:pr:" + std::to_string(i), "u" + std::to_string(i));
        pr.raw_id = ids[i];
        prs.push_back(pr);
        audit.push_back({0, 10, "cli:ann", "push", pr.id, {}, {}, "ok"});
      }
      TableWrite clear = TableWrite::Replace<model::PullRequest>(prs);  // clears, then upserts
      std::vector<TableWrite> writes = {TableWrite::Upsert(prs), std::move(clear),
                                        TableWrite::Append(audit)};
      if (fail) {
        std::vector<model::User> users(
            2, {"u1", "n", "same@example.com", "viewer", {}, {}, {}, 1, {}});
        users[1].id = "u2";  // a second unique column the server checks
        writes.push_back(TableWrite::Upsert(users));
      }
      return writes;
    };
  };
  Status s = store()->ArchiveAndApply(payloads, make(true));
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(*store()->CountRows(model::SpecOf<model::RawPayload>(), {}), 0);
  EXPECT_EQ(*store()->CountRows(model::SpecOf<model::AuditEntry>(), {}), 0);
  EXPECT_EQ(*store()->CountRows(model::SpecOf<model::PullRequest>(), {}), 0);

  s = store()->ArchiveAndApply(payloads, make(false));
  ASSERT_TRUE(s.ok()) << s.ToString();
  auto raws = store()->List<model::RawPayload>();
  ASSERT_EQ(raws->size(), static_cast<size_t>(kItems));
  std::map<int64_t, std::string> url_of;
  for (size_t i = 0; i < raws->size(); ++i) {  // in id order: the payloads' order
    EXPECT_EQ((*raws)[i].url, "u" + std::to_string(i));
    url_of[(*raws)[i].id] = (*raws)[i].url;
  }
  auto prs = store()->List<model::PullRequest>();
  ASSERT_EQ(prs->size(), static_cast<size_t>(kItems));
  for (const model::PullRequest& pr : *prs) {
    ASSERT_TRUE(pr.raw_id.has_value());
    EXPECT_EQ(url_of[*pr.raw_id], pr.title) << pr.id;
  }
  EXPECT_EQ(*store()->CountRows(model::SpecOf<model::AuditEntry>(), {}), kItems);
}

// AppendRow assigns increasing ids, across Store objects too, and never
// overwrites; an append write commits with the rest of ApplyWrites.
TEST_P(StoreTest, AppendRowAssignsIncreasingIds) {
  auto other = OpenAnother();
  const model::TableSpec& spec = model::SpecOf<model::AuditEntry>();
  model::AuditEntry e{0, 10, "cli:ann", "token.create", "token:1", {}, {}, "ok"};
  auto first = store()->AppendRow(spec, model::ToRow(e));
  auto second = other->AppendRow(spec, model::ToRow(e));
  auto third = store()->AppendRow(spec, model::ToRow(e));
  ASSERT_TRUE(first.ok() && second.ok() && third.ok()) << first.status().ToString();
  EXPECT_LT(*first, *second);
  EXPECT_LT(*second, *third);
  e.actor.clear();
  e.action = "";
  model::Row missing = model::ToRow(e);
  missing[spec.ColumnIndex("outcome")] = model::Value{};
  EXPECT_EQ(store()->AppendRow(spec, missing).status().code(), StatusCode::kInvalidArgument);
  Status s = store()->ApplyWrites(
      {TableWrite::Append<model::AuditEntry>({e}), TableWrite::Replace<model::DeploymentLink>({})});
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(*store()->CountRows(spec, {}), 4);
  EXPECT_FALSE(store()->Upsert(std::vector{e}).ok());  // not writable
}

TEST_P(StoreTest, UpdateSetsColumnsOfOneRowEvenOfACollectorsTable) {
  model::RawPayload p;
  p.connection_id = "github:1";
  p.source = "github";
  p.scope = "o/r";
  p.entity = "pulls";
  p.url = "u";
  p.fetched_at = 1;
  p.content_type = "application/json";
  p.body = "[]";
  const int64_t id = *store()->ArchiveRaw(p);
  const auto& spec = model::SpecOf<model::RawPayload>();
  // With an upsert in the same transaction: both or neither.
  const model::PullRequest pr = MakePr("github:1:pr:o/r/7", "t");
  Status ok = store()->ApplyWrites(
      {TableWrite::Upsert(std::vector<model::PullRequest>{pr}),
       TableWrite::Update(spec, {id}, {{"converted_at", int64_t{42}}, {"context", "{}"}})});
  ASSERT_TRUE(ok.ok()) << ok.ToString();
  auto raw = *store()->List<model::RawPayload>();
  EXPECT_EQ(raw[0].converted_at, 42);
  EXPECT_EQ(raw[0].context, "{}");
  EXPECT_EQ(raw[0].body, "[]");  // the other columns are kept
  Status missing = store()->ApplyWrites(
      {TableWrite::Upsert(std::vector<model::PullRequest>{MakePr("github:1:pr:o/r/8", "u")}),
       TableWrite::Update(spec, {id + 1}, {{"converted_at", int64_t{43}}})});
  EXPECT_EQ(missing.code(), StatusCode::kNotFound) << missing.ToString();
  EXPECT_EQ(store()->List<model::PullRequest>()->size(), 1u) << "rolled back with the update";
  for (const TableWrite& bad : {TableWrite::Update(spec, {id}, {{"nope", int64_t{1}}}),
                                TableWrite::Update(spec, {id}, {{"id", int64_t{9}}}),
                                TableWrite::Update(spec, {id}, {{"body", model::Value{}}}),
                                TableWrite::Update(spec, {id}, {})}) {
    EXPECT_EQ(store()->ApplyWrites({bad}).code(), StatusCode::kInvalidArgument);
  }
  EXPECT_EQ((*store()->List<model::RawPayload>())[0].converted_at, 42);
}

TEST_P(StoreTest, ScanPagesByKeyAfterAValue) {
  std::vector<model::PullRequest> prs;
  for (int i = 0; i < 7; ++i) prs.push_back(MakePr("github:1:pr:o/r/" + std::to_string(i), "t"));
  ASSERT_TRUE(store()->Upsert(prs).ok());
  std::vector<std::string> seen;
  std::optional<model::Value> after;
  for (int pages = 0; pages < 10; ++pages) {
    ScanOptions o;
    o.limit = 3;
    o.after = after;
    auto page = *store()->List<model::PullRequest>(o);
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
  auto below = *store()->List<model::PullRequest>(down);
  ASSERT_EQ(below.size(), 3u);
  EXPECT_EQ(below[0].id, "github:1:pr:o/r/2");
  ScanOptions multi;
  multi.after = model::Value{std::string("x")};
  EXPECT_EQ(store()
                ->ScanRows(model::SpecOf<model::PrCommit>(), multi,
                           [](const model::Row&) { return Status::Ok(); })
                .code(),
            StatusCode::kInvalidArgument);
}

// TableWrite::insert_new: a row already there aborts the whole write; also
// when a concurrent transaction holding that row commits while this one
// waits (two servers taking one webhook delivery on PostgreSQL).
TEST_P(StoreTest, InsertNewRefusesARowThatExistsEvenOneCommittedConcurrently) {
  model::WebhookDelivery d{"github", "d-1", "push", 1, 0, "received"};
  auto archive = [](Store& store, const model::WebhookDelivery& delivery,
                    std::function<void()> inside) -> Status {
    model::RawPayload raw;
    raw.connection_id = "github";
    raw.source = "github";
    raw.scope = "webhook";
    raw.entity = "push";
    raw.url = "webhook:github/" + delivery.delivery_id;
    raw.content_type = "application/json";
    raw.body = "{}";
    return store.ArchiveAndApply({raw}, [&](const std::vector<int64_t>&) {
      std::vector<TableWrite> writes{
          TableWrite::InsertNew(std::vector<model::WebhookDelivery>{delivery})};
      if (inside) {
        TableWrite hold;
        hold.spec = &model::SpecOf<model::WebhookDelivery>();
        hold.produce = [inside](const RowCallback&, const RowCallback&) {
          inside();
          return Status::Ok();
        };
        writes.push_back(std::move(hold));
      }
      return Result<std::vector<TableWrite>>(std::move(writes));
    });
  };
  ASSERT_TRUE(archive(*store(), d, nullptr).ok());
  Status again = archive(*store(), d, nullptr);
  EXPECT_EQ(again.code(), StatusCode::kAlreadyExists) << again.ToString();
  EXPECT_NE(again.message().find("github, d-1"), std::string::npos) << again.message();
  EXPECT_EQ(*store()->CountRows(model::SpecOf<model::RawPayload>(), {}), 1);  // rolled back

  // Concurrently: the first holds its transaction open after inserting d-2
  // while the second tries the same delivery on its own connection.
  d.delivery_id = "d-2";
  auto other = OpenAnother();
  std::atomic<bool> inserted{false};
  Status first, second;
  std::thread t([&] {
    first = archive(*store(), d, [&] {
      inserted = true;
      std::this_thread::sleep_for(std::chrono::milliseconds(400));
    });
  });
  while (!inserted) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  second = archive(*other, d, nullptr);
  t.join();
  EXPECT_TRUE(first.ok()) << first.ToString();
  EXPECT_EQ(second.code(), StatusCode::kAlreadyExists) << second.ToString();
  EXPECT_EQ(*store()->CountRows(model::SpecOf<model::RawPayload>(), {}), 2);
  EXPECT_EQ(*store()->CountRows(model::SpecOf<model::WebhookDelivery>(), {}), 2);
}

// PostgreSQL announces every write transaction's commit (NOTIFY) to the
// other Store objects waiting in WaitForChange; SQLite cannot, and says so.
TEST_P(StoreTest, WaitForChangeHearsAnotherStoresCommit) {
  auto listener = OpenAnother();
  Result<bool> first = listener->WaitForChange(std::chrono::milliseconds(50));
  if (!postgres()) {
    EXPECT_EQ(first.status().code(), StatusCode::kFailedPrecondition);
    return;
  }
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_FALSE(*first);  // nothing written yet
  const int64_t before = *listener->DataVersion();
  std::thread writer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    EXPECT_TRUE(
        store()->Upsert(std::vector<model::PullRequest>{MakePr("github:1:pr:n", "t")}).ok());
  });
  Result<bool> heard = listener->WaitForChange(std::chrono::seconds(20));
  writer.join();
  ASSERT_TRUE(heard.ok()) << heard.status().ToString();
  EXPECT_TRUE(*heard);
  EXPECT_NE(*listener->DataVersion(), before);
  // Consumed: no second announcement of the same commit; a read-only
  // transaction announces nothing.
  EXPECT_EQ(store()->List<model::PullRequest>()->size(), 1u);
  EXPECT_FALSE(*listener->WaitForChange(std::chrono::milliseconds(150)));
}

SEI_INSTANTIATE_STORE_BACKENDS(StoreTest);

}  // namespace
}  // namespace sei
