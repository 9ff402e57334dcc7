// SQLite-specific behaviour: WAL, the file on disk (not a database, an
// unwritable directory, a full disk, a lock held by another process) and the
// schema as SQLite reports it. The Store contract itself is asserted on both
// backends in src/store/store_test.cc.
#include "store/sqlite/sqlite_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <set>
#include <thread>

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

// Processes (here: threads with their own connections) that open a new
// database at the same moment migrate it once, and all open it.
TEST(SqliteStoreTest, StoresOpeningANewDatabaseTogetherMigrateItOnce) {
  TempDir dir;
  std::vector<Status> opened(6);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < opened.size(); ++i) {
    threads.emplace_back([&, i] { opened[i] = SqliteStore::Open(dir.Sub("sei.db")).status(); });
  }
  for (auto& t : threads) t.join();
  for (const Status& s : opened) EXPECT_TRUE(s.ok()) << s.ToString();
  auto store = OpenOrDie(dir.Sub("sei.db"));
  auto n = store->db()->Prepare("SELECT count(*), count(DISTINCT version) FROM schema_migrations");
  ASSERT_TRUE(n.ok() && *n->Step());
  EXPECT_EQ(n->ColumnInt(0), static_cast<int64_t>(SqliteMigrations().size()));
  EXPECT_EQ(n->ColumnInt(1), n->ColumnInt(0));
}

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

}  // namespace
}  // namespace sei::sqlite
