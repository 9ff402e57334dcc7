// StoreBackendTest: a GoogleTest fixture parameterized by store backend, so
// that one test body asserts the same behaviour on SQLite and on PostgreSQL
// (a fresh database of the run's test cluster, testing/pg_cluster.h).
//
//   class MyTest : public sei::testing::StoreBackendTest {};
//   TEST_P(MyTest, Works) { ... store() ... OpenAnother() ... }
//   SEI_INSTANTIATE_STORE_BACKENDS(MyTest);
//
// Header-only: sei_testing does not depend on the store libraries; a test
// binary using it links sei_store_sqlite and sei_store_postgres.
//
// Thread safety: a fixture belongs to its test's thread.
#pragma once

#include <gtest/gtest.h>

#include <cstdio>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "model/registry.h"
#include "store/postgres/postgres_store.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store.h"
#include "testing/pg_cluster.h"
#include "testing/test_util.h"

namespace sei::testing {

class StoreBackendTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (postgres()) {
      SEI_PG_CLUSTER_OR_SKIP(cluster);
      cluster_ = cluster;
      std::string why;
      url_ = cluster_->CreateDatabase(&why);
      ASSERT_FALSE(url_.empty()) << why;
    } else {
      url_ = dir_.Sub("sei.db");
    }
    store_ = OpenAnother();
    ASSERT_NE(store_, nullptr);
  }

  void TearDown() override {
    store_.reset();
    if (cluster_ != nullptr && !url_.empty()) cluster_->DropDatabase(url_);
    if (cluster_ != nullptr) {
      for (const std::string& url : extra_) cluster_->DropDatabase(url);
    }
  }

  // A store on a second, separate, new database of this test's backend
  // (removed with the test's own): "a fresh run" to compare with.
  std::unique_ptr<Store> OpenFresh() {
    std::string url;
    if (postgres()) {
      std::string why;
      url = cluster_->CreateDatabase(&why);
      EXPECT_FALSE(url.empty()) << why;
      if (url.empty()) return nullptr;
      extra_.push_back(url);
      auto s = pg::PostgresStore::Open(url);
      EXPECT_TRUE(s.ok()) << s.status().ToString();
      return s.ok() ? std::unique_ptr<Store>(std::move(s).value()) : nullptr;
    }
    url = dir_.Sub("fresh-" + std::to_string(extra_.size()) + ".db");
    extra_.push_back(url);
    auto s = sqlite::SqliteStore::Open(url);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::unique_ptr<Store>(std::move(s).value()) : nullptr;
  }

  bool postgres() const { return GetParam() == "postgres"; }
  Store* store() { return store_.get(); }
  // The --db value of this test's database (a file path or a URL).
  const std::string& db() const { return url_; }
  void CloseStore() { store_.reset(); }

  // Another Store object on the same database (fails the test on error).
  std::unique_ptr<Store> OpenAnother() {
    auto s = Open();
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(s).value() : nullptr;
  }

  Result<std::unique_ptr<Store>> Open() {
    if (postgres()) {
      auto s = pg::PostgresStore::Open(url_);
      if (!s.ok()) return s.status();
      return std::unique_ptr<Store>(std::move(s).value());
    }
    auto s = sqlite::SqliteStore::Open(url_);
    if (!s.ok()) return s.status();
    return std::unique_ptr<Store>(std::move(s).value());
  }

  // Runs SQL directly on the database, outside the Store (test setup only).
  Status ExecSql(const std::string& sql) {
    if (auto* p = dynamic_cast<pg::PostgresStore*>(store_.get())) {
      return p->conn()->Exec(sql).status();
    }
    return dynamic_cast<sqlite::SqliteStore*>(store_.get())->db()->Exec(sql);
  }

  // The one integer a query returns (-1 on error, failing the test).
  int64_t QueryInt(const std::string& sql) {
    if (auto* p = dynamic_cast<pg::PostgresStore*>(store_.get())) {
      auto rows = p->conn()->Query(sql);
      EXPECT_TRUE(rows.ok() && rows->size() == 1) << sql;
      return rows.ok() && rows->size() == 1 ? rows->Int(0, 0) : -1;
    }
    auto stmt = dynamic_cast<sqlite::SqliteStore*>(store_.get())->db()->Prepare(sql);
    EXPECT_TRUE(stmt.ok()) << sql;
    if (!stmt.ok()) return -1;
    auto row = stmt->Step();
    EXPECT_TRUE(row.ok() && *row) << sql;
    return row.ok() && *row ? stmt->ColumnInt(0) : -1;
  }

 private:
  TempDir dir_;
  PgCluster* cluster_ = nullptr;
  std::string url_;
  std::unique_ptr<Store> store_;
  std::vector<std::string> extra_;  // OpenFresh's databases
};

// One printable line per row of `spec` in key order; the cells of
// `ignore` ("table.column") are left out (instants taken from the clock).
inline std::vector<std::string> RowLines(Store& store, const model::TableSpec& spec,
                                         const std::set<std::string>& ignore = {}) {
  std::vector<std::string> lines;
  Status s = store.ScanRows(spec, {}, [&](const model::Row& row) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      if (ignore.count(spec.table + "." + spec.columns[i].name) != 0) continue;
      line += spec.columns[i].name + "=";
      if (const auto* n = std::get_if<int64_t>(&row[i])) {
        line += std::to_string(*n);
      } else if (const auto* d = std::get_if<double>(&row[i])) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.17g", *d);
        line += buf;
      } else if (const auto* t = std::get_if<std::string>(&row[i])) {
        line += "'" + *t + "'";
      } else {
        line += "NULL";
      }
      line += " ";
    }
    lines.push_back(std::move(line));
    return Status::Ok();
  });
  EXPECT_TRUE(s.ok()) << spec.table << ": " << s.ToString();
  return lines;
}

// Every table holds the same rows in both stores (but `ignore`'s cells);
// returns how many rows were compared.
inline int64_t ExpectSameRows(Store& a, Store& b, const std::set<std::string>& ignore = {}) {
  int64_t compared = 0;
  for (const model::TableSpec* spec : model::AllSpecs()) {
    const std::vector<std::string> left = RowLines(a, *spec, ignore);
    const std::vector<std::string> right = RowLines(b, *spec, ignore);
    EXPECT_EQ(left.size(), right.size())
        << spec->table << ": " << a.Describe() << " vs " << b.Describe();
    for (size_t i = 0; i < left.size() && i < right.size(); ++i) {
      if (left[i] != right[i]) {
        ADD_FAILURE() << spec->table << " row " << i << " differs:\n  " << a.Describe() << ": "
                      << left[i] << "\n  " << b.Describe() << ": " << right[i];
        break;
      }
    }
    compared += static_cast<int64_t>(left.size());
  }
  return compared;
}

// A SQLite store and a PostgreSQL store on fresh databases, for tests that
// run the same work into both and compare the rows (ExpectSameRows).
class StoreParityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SEI_PG_CLUSTER_OR_SKIP(cluster);
    cluster_ = cluster;
    std::string why;
    url_ = cluster_->CreateDatabase(&why);
    ASSERT_FALSE(url_.empty()) << why;
    auto lite = sqlite::SqliteStore::Open(dir_.Sub("parity.db"));
    ASSERT_TRUE(lite.ok()) << lite.status().ToString();
    sqlite_ = std::move(lite).value();
    auto pg = pg::PostgresStore::Open(url_);
    ASSERT_TRUE(pg.ok()) << pg.status().ToString();
    postgres_ = std::move(pg).value();
  }
  void TearDown() override {
    postgres_.reset();
    if (cluster_ != nullptr && !url_.empty()) cluster_->DropDatabase(url_);
  }

  Store* sqlite() { return sqlite_.get(); }
  Store* postgres() { return postgres_.get(); }
  std::vector<Store*> both() { return {sqlite_.get(), postgres_.get()}; }
  const TempDir& dir() const { return dir_; }

 private:
  TempDir dir_;
  PgCluster* cluster_ = nullptr;
  std::string url_;
  std::unique_ptr<Store> sqlite_;
  std::unique_ptr<Store> postgres_;
};

}  // namespace sei::testing

#define SEI_INSTANTIATE_STORE_BACKENDS(suite)                   \
  INSTANTIATE_TEST_SUITE_P(                                     \
      Backends, suite, ::testing::Values("sqlite", "postgres"), \
      [](const ::testing::TestParamInfo<std::string>& param) { return param.param; })
