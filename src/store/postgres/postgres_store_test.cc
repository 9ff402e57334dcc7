// PostgreSQL-specific behaviour: the schema as PostgreSQL reports it (types
// included) against the model and against SQLite's, migrations by several
// processes starting at once, URLs and connection errors (never showing the
// password), read-only opens, locks, lost connections and cursor scans. The
// Store contract itself is asserted on both backends in src/store/store_test.cc.
#include "store/postgres/postgres_store.h"

#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "model/registry.h"
#include "model/review.h"
#include "store/postgres/migrations.h"
#include "store/sqlite/sqlite_store.h"
#include "testing/pg_cluster.h"
#include "testing/test_util.h"

namespace sei::pg {
namespace {

using sei::testing::PgCluster;

class PostgresStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SEI_PG_CLUSTER_OR_SKIP(cluster);
    cluster_ = cluster;
    std::string why;
    url_ = cluster_->CreateDatabase(&why);
    ASSERT_FALSE(url_.empty()) << why;
  }
  void TearDown() override {
    if (cluster_ != nullptr && !url_.empty()) cluster_->DropDatabase(url_);
  }

  std::unique_ptr<PostgresStore> OpenOrDie(PostgresStoreOptions options = {}) {
    auto store = PostgresStore::Open(url_, options);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(store).value() : nullptr;
  }

  // The URL of this test's database with `userinfo` ("user:password").
  std::string UrlAs(const std::string& userinfo) const {
    return "postgres://" + userinfo + "@127.0.0.1:" + std::to_string(cluster_->port()) + "/" +
           url_.substr(url_.rfind('/') + 1);
  }

  static std::vector<std::string> Strings(Conn* conn, const std::string& sql) {
    auto rows = conn->Query(sql);
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    std::vector<std::string> out;
    for (int i = 0; rows.ok() && i < rows->size(); ++i) out.push_back(rows->String(i, 0));
    return out;
  }

  PgCluster* cluster_ = nullptr;
  std::string url_;
};

model::PullRequest MakePr(const std::string& id) {
  model::PullRequest pr;
  pr.id = id;
  pr.connection_id = "github:1";
  pr.repo_id = "github:1:repo:1";
  pr.title = "t";
  pr.state = "open";
  pr.created_at = 1;
  return pr;
}

std::string ExpectedType(model::ColumnType type) {
  switch (type) {
    case model::ColumnType::kInteger:
      return "bigint";
    case model::ColumnType::kBoolean:
      return "boolean";
    case model::ColumnType::kReal:
      return "double precision";
    case model::ColumnType::kText:
      return "text";
  }
  return "";
}

// Every table and view has the model's columns in order, with its
// nullability and PostgreSQL's type for its kind (BYTEA where SQLite says BLOB).
TEST_F(PostgresStoreTest, SchemaMatchesEveryModelEntityWithTypes) {
  auto store = OpenOrDie();
  for (const model::TableSpec* spec : model::AllSpecs()) {
    auto rows = store->conn()->Query(
        "SELECT column_name, is_nullable = 'NO', data_type FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
        Params().Text(spec->view));
    ASSERT_TRUE(rows.ok()) << rows.status().ToString();
    std::vector<size_t> cells;
    for (int i = 0; i < rows->size(); ++i) {
      if (rows->String(i, 0) == "pk" && spec->ColumnIndex("pk") < 0) continue;  // surrogate key
      cells.push_back(static_cast<size_t>(i));
    }
    ASSERT_EQ(cells.size(), spec->columns.size()) << spec->view;
    for (size_t c = 0; c < cells.size(); ++c) {
      const int i = static_cast<int>(cells[c]);
      const model::Column& col = spec->columns[c];
      EXPECT_EQ(rows->String(i, 0), col.name) << spec->view;
      const std::string type = rows->String(i, 2);
      const bool bytes = type == "bytea" && col.type == model::ColumnType::kText;
      EXPECT_TRUE(type == ExpectedType(col.type) || bytes)
          << spec->view << "." << col.name << " is " << type;
      if (spec->view == spec->table) {
        EXPECT_EQ(rows->Int(i, 1) != 0, !col.nullable)
            << spec->table << "." << col.name << " nullability differs from the model";
      }
    }
  }
}

// The PostgreSQL migrations create the same tables, views and indexes as
// SQLite's, by name.
TEST_F(PostgresStoreTest, SchemaHasSqlitesTablesViewsAndIndexes) {
  auto store = OpenOrDie();
  sei::testing::TempDir dir;
  auto lite = sqlite::SqliteStore::Open(dir.Sub("s.db"));
  ASSERT_TRUE(lite.ok());
  auto names = [&](const std::string& type) {
    auto stmt = (*lite)->db()->Prepare(
        "SELECT name FROM sqlite_master WHERE type = ? AND sql IS NOT NULL AND name NOT LIKE "
        "'sqlite\\_%' ESCAPE '\\' ORDER BY name");
    EXPECT_TRUE(stmt.ok());
    stmt->BindText(1, type);
    std::set<std::string> out;
    while (*stmt->Step()) out.insert(stmt->ColumnText(0));
    return out;
  };
  auto pg = [&](const std::string& sql) {
    std::vector<std::string> v = Strings(store->conn(), sql);
    return std::set<std::string>(v.begin(), v.end());
  };
  std::set<std::string> pg_tables =
      pg("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> "
         "'sei_data_version'");
  EXPECT_EQ(pg_tables, names("table"));
  EXPECT_EQ(pg("SELECT viewname FROM pg_views WHERE schemaname = current_schema()"), names("view"));
  EXPECT_EQ(pg("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND "
               "indexname NOT LIKE '%\\_pkey' AND indexname NOT LIKE '%\\_key'"),
            names("index"));
}

// Processes starting together on a fresh database migrate it once.
TEST_F(PostgresStoreTest, ConcurrentOpensMigrateOnce) {
  constexpr int kOpeners = 8;
  std::vector<std::thread> threads;
  std::vector<int> applied(kOpeners, -1);
  std::vector<std::string> errors(kOpeners);
  for (int i = 0; i < kOpeners; ++i) {
    threads.emplace_back([&, i] {
      auto store = PostgresStore::Open(url_);
      if (!store.ok()) {
        errors[i] = store.status().ToString();
        return;
      }
      applied[i] = (*store)->migrations_applied();
    });
  }
  for (auto& t : threads) t.join();
  int total = 0;
  for (int i = 0; i < kOpeners; ++i) {
    EXPECT_EQ(errors[i], "") << "opener " << i;
    total += applied[i];
  }
  EXPECT_EQ(total, static_cast<int>(PostgresMigrations().size()));
  auto store = OpenOrDie();
  EXPECT_EQ(store->migrations_applied(), 0);
  auto rows =
      store->conn()->Query("SELECT count(*), count(DISTINCT version) FROM schema_migrations");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(rows->Int(0, 0), static_cast<int64_t>(PostgresMigrations().size()));
  EXPECT_EQ(rows->Int(0, 1), rows->Int(0, 0));
}

TEST_F(PostgresStoreTest, BadUrlIsAClearErrorWithoutThePassword) {
  auto store = PostgresStore::Open("postgres://ann:s3cr%zzet@127.0.0.1:5432/sei");
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(store.status().message().find("postgres://user[:password]@host"), std::string::npos)
      << store.status().message();
  EXPECT_EQ(store.status().message().find("s3cr"), std::string::npos) << store.status().message();
  store = PostgresStore::Open("postgres://127.0.0.1/sei?nonsense_option=1");
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(store.status().message().find("nonsense_option"), std::string::npos);
}

TEST_F(PostgresStoreTest, RefusedConnectionNamesTheServer) {
  // A port nothing listens on: bound by nobody once this socket is closed.
  const std::string url = "postgres://ann:hunter2@127.0.0.1:1/sei";
  auto store = PostgresStore::Open(url, {.connect_timeout_s = 2});
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kUnavailable);
  const std::string& m = store.status().message();
  EXPECT_NE(m.find("postgres://ann@127.0.0.1:1/sei"), std::string::npos) << m;
  EXPECT_NE(m.find("server is running"), std::string::npos) << m;
  EXPECT_EQ(m.find("hunter2"), std::string::npos) << m;
}

TEST_F(PostgresStoreTest, WrongPasswordIsPermissionDeniedWithoutThePassword) {
  auto admin = OpenOrDie();
  const std::string user = PgCluster::kPasswordUser;
  // Roles are cluster-wide; the password is this test's.
  ASSERT_TRUE(admin->conn()
                  ->Exec("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" +
                         user + "') THEN CREATE ROLE " + user +
                         " LOGIN; END IF; END $$; ALTER ROLE " + user +
                         " PASSWORD 'right-pass'; GRANT ALL ON SCHEMA public TO " + user +
                         "; GRANT ALL ON ALL TABLES IN SCHEMA public TO " + user +
                         "; GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO " + user)
                  .ok());
  auto wrong = PostgresStore::Open(UrlAs(user + ":wrong-s3cret"));
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.status().code(), StatusCode::kPermissionDenied);
  const std::string& m = wrong.status().message();
  EXPECT_NE(m.find("password"), std::string::npos) << m;
  EXPECT_NE(m.find(user), std::string::npos) << m;
  EXPECT_EQ(m.find("wrong-s3cret"), std::string::npos) << m;
  auto right = PostgresStore::Open(UrlAs(user + ":right-pass"));
  ASSERT_TRUE(right.ok()) << right.status().ToString();
  EXPECT_EQ((*right)->Describe().find("right-pass"), std::string::npos);
  EXPECT_NE((*right)->Describe().find("postgres://" + user + "@127.0.0.1:"), std::string::npos);
}

TEST_F(PostgresStoreTest, MissingDatabaseSaysHowToCreateIt) {
  auto store = PostgresStore::Open(cluster_->Url("no_such_db"));
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kNotFound);
  EXPECT_NE(store.status().message().find("createdb no_such_db"), std::string::npos)
      << store.status().message();
}

TEST_F(PostgresStoreTest, ReadOnlyNeedsASchemaAndRefusesWrites) {
  auto empty = PostgresStore::Open(url_, {.read_only = true});
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().code(), StatusCode::kNotFound);
  EXPECT_NE(empty.status().message().find("sei collect"), std::string::npos);
  auto writer = OpenOrDie();
  ASSERT_TRUE(writer->Upsert(std::vector{MakePr("github:1:pr:1")}).ok());
  auto reader = OpenOrDie({.read_only = true});
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(*reader->CountRows(model::SpecOf<model::PullRequest>(), {}), 1);
  Status s = reader->Upsert(std::vector{MakePr("github:1:pr:2")});
  EXPECT_EQ(s.code(), StatusCode::kPermissionDenied) << s.ToString();
  EXPECT_NE(s.message().find("read-only"), std::string::npos);
}

// A write waiting on a row another session holds gives up after the lock
// timeout with SQLite's "locked" message; readers are not blocked.
TEST_F(PostgresStoreTest, LockedRowGivesClearError) {
  auto holder = OpenOrDie();
  auto waiter = OpenOrDie({.lock_timeout_ms = 50});
  ASSERT_TRUE(holder->Upsert(std::vector{MakePr("github:1:pr:1")}).ok());
  ASSERT_TRUE(holder->conn()->Exec("BEGIN; UPDATE pull_requests SET title = 'held'").ok());
  Status s = waiter->Upsert(std::vector{MakePr("github:1:pr:1")});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_NE(s.message().find("locked"), std::string::npos) << s.message();
  auto count = waiter->CountRows(model::SpecOf<model::PullRequest>(), {});
  EXPECT_TRUE(count.ok());
  ASSERT_TRUE(holder->conn()->Exec("ROLLBACK").ok());
  EXPECT_TRUE(waiter->Upsert(std::vector{MakePr("github:1:pr:1")}).ok());
}

// A connection the server dropped is replaced on the next call.
TEST_F(PostgresStoreTest, ReconnectsAfterTheServerDropsTheConnection) {
  auto store = OpenOrDie();
  auto killer = OpenOrDie();
  ASSERT_TRUE(store->Upsert(std::vector{MakePr("github:1:pr:1")}).ok());
  auto pid = store->conn()->Query("SELECT pg_backend_pid()");
  ASSERT_TRUE(pid.ok());
  ASSERT_TRUE(
      killer->conn()->Run("SELECT pg_terminate_backend($1)", Params().Int(pid->Int(0, 0))).ok());
  auto count = store->CountRows(model::SpecOf<model::PullRequest>(), {});
  ASSERT_TRUE(count.ok()) << count.status().ToString();
  EXPECT_EQ(*count, 1);
  EXPECT_TRUE(store->Upsert(std::vector{MakePr("github:1:pr:2")}).ok());
}

// Scans larger than a cursor batch see every row once, in order.
TEST_F(PostgresStoreTest, ScansFetchInBatches) {
  auto store = OpenOrDie({.scan_batch_rows = 3});
  std::vector<model::PullRequest> prs;
  for (int i = 0; i < 10; ++i) prs.push_back(MakePr("github:1:pr:" + std::to_string(i)));
  ASSERT_TRUE(store->Upsert(prs).ok());
  for (int64_t limit : {-1, 2, 3, 7}) {
    ScanOptions o;
    o.limit = limit;
    auto all = store->List<model::PullRequest>(o);
    ASSERT_TRUE(all.ok()) << all.status().ToString();
    ASSERT_EQ(all->size(), limit < 0 ? 10u : static_cast<size_t>(limit));
    for (size_t i = 0; i < all->size(); ++i) EXPECT_EQ((*all)[i].id, prs[i].id);
  }
}

TEST(PostgresUrlTest, PasswordsAreFoundAndRedacted) {
  EXPECT_EQ(UrlPassword("postgres://ann:pw@h/db"), "pw");
  EXPECT_EQ(UrlPassword("postgresql://ann:p:w@h:5/db?x=1"), "p:w");
  EXPECT_EQ(UrlPassword("postgres://ann@h/db"), "");
  EXPECT_EQ(UrlPassword("postgres://h/db"), "");
  EXPECT_EQ(UrlPassword("host=h password=pw dbname=x"), "pw");
  EXPECT_EQ(Redact("a pw b pw", "pw"), "a *** b ***");
  EXPECT_EQ(Redact("nothing", ""), "nothing");
  EXPECT_EQ(TextArray({"a", "b\"c", "d\\e"}), "{\"a\",\"b\\\"c\",\"d\\\\e\"}");
}

}  // namespace
}  // namespace sei::pg
