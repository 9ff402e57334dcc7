// `sei migrate` through the real binary: a demo organisation in SQLite (with
// tokens, a connection's sealed secrets and audit entries) moved into a new
// PostgreSQL database of the test cluster has every table's rows (counted
// with SQL on both sides, for every table the SQLite schema has), the same
// reports, and takes new writes after it (ids past the copied ones); a
// destination with data is refused, a changed row is found by
// --verify-only with its table named, an interrupted copy is finished by
// --resume, a table the copy does not know stops it, and bad input is a
// clear error that writes nothing.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "store/postgres/pg_conn.h"
#include "store/sqlite/sqlite_store.h"
#include "testing/pg_cluster.h"
#include "testing/test_util.h"

namespace sei {
namespace {

using testing::CommandResult;
using testing::TempDir;

// One demo database for the whole file (a few seconds to make), with the
// writes an installation has besides collected data.
const std::string& DemoDb() {
  static TempDir* dir = new TempDir();
  static const std::string path = [] {
    const std::string db = dir->Sub("demo.db");
    const std::string sei = testing::BinaryDir() + "/bin/sei";
    auto run = [&](std::vector<std::string> args, std::vector<std::string> env = {}) {
      std::vector<std::string> argv = {sei, "--db", db, "--progress", "never"};
      argv.insert(argv.end(), args.begin(), args.end());
      CommandResult r = testing::RunCommand(argv, dir->path(), env);
      EXPECT_EQ(r.exit_code, 0) << args[0] << ": " << r.err;
    };
    run({"demo", "--size", "0.2"});
    run({"token", "create", "--role", "admin", "--name", "ops"});
    run({"token", "create", "--role", "viewer", "--name", "grafana"});
    run({"user", "add", "--email", "ann@example.com", "--name", "Ann", "--role", "manager"});
    run({"connect", "github", "--name", "acme", "--token-env", "GH_TOKEN"},
        {"GH_TOKEN=ghp_migrate_secret_1"});
    return db;
  }();
  return path;
}

class MigrateCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SEI_PG_CLUSTER_OR_SKIP(cluster);
    cluster_ = cluster;
    url_ = NewDatabase();
  }
  void TearDown() override {
    for (const std::string& url : databases_) cluster_->DropDatabase(url);
  }

  std::string NewDatabase() {
    std::string why;
    std::string url = cluster_->CreateDatabase(&why);
    EXPECT_FALSE(url.empty()) << why;
    databases_.push_back(url);
    return url;
  }

  CommandResult Sei(std::vector<std::string> args, const std::string& db = "") {
    std::vector<std::string> argv = {testing::BinaryDir() + "/bin/sei", "--progress", "never"};
    if (!db.empty()) argv.insert(argv.end(), {"--db", db});
    argv.insert(argv.end(), args.begin(), args.end());
    return testing::RunCommand(argv, dir_.path());
  }
  CommandResult Migrate(const std::string& from, const std::string& to,
                        std::vector<std::string> more = {}) {
    std::vector<std::string> args = {"migrate", "--from", from, "--to", to};
    args.insert(args.end(), more.begin(), more.end());
    return Sei(args);
  }

  // Row counts of every table, by SQL on the database itself.
  std::map<std::string, int64_t> PgCounts(const std::string& url) {
    std::map<std::string, int64_t> counts;
    auto conn = pg::Conn::Open(url, {});
    EXPECT_TRUE(conn.ok()) << conn.status().ToString();
    if (!conn.ok()) return counts;
    auto tables = (*conn)->Query(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN "
        "('schema_migrations', 'sei_data_version')");
    EXPECT_TRUE(tables.ok());
    for (int i = 0; tables.ok() && i < tables->size(); ++i) {
      const std::string t = tables->String(i, 0);
      auto n = (*conn)->Query("SELECT count(*) FROM " + t);
      EXPECT_TRUE(n.ok()) << t;
      counts[t] = n.ok() ? n->Int(0, 0) : -1;
    }
    return counts;
  }
  std::map<std::string, int64_t> SqliteCounts(const std::string& file) {
    std::map<std::string, int64_t> counts;
    auto store = sqlite::SqliteStore::Open(file);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    if (!store.ok()) return counts;
    auto tables = (*store)->db()->Prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND "
        "name <> 'schema_migrations'");
    EXPECT_TRUE(tables.ok());
    std::vector<std::string> names;
    while (tables.ok() && *tables->Step()) names.push_back(tables->ColumnText(0));
    for (const std::string& t : names) {
      auto n = (*store)->db()->Prepare("SELECT count(*) FROM " + t);
      EXPECT_TRUE(n.ok() && *n->Step()) << t;
      counts[t] = n.ok() ? n->ColumnInt(0) : -1;
    }
    return counts;
  }
  Status PgSql(const std::string& url, const std::string& sql) {
    auto conn = pg::Conn::Open(url, {});
    if (!conn.ok()) return conn.status();
    return (*conn)->Exec(sql).status();
  }

  TempDir dir_;
  testing::PgCluster* cluster_ = nullptr;
  std::string url_;
  std::vector<std::string> databases_;
};

TEST_F(MigrateCliTest, MovesTheDemoToPostgresWithEveryRowAndTheSameReports) {
  const std::string& demo = DemoDb();
  CommandResult r = Migrate(demo, url_, {"--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_TRUE(j["ok"].get<bool>());
  EXPECT_TRUE(j["copied"].get<bool>());
  EXPECT_GT(j["copied_rows"].get<int64_t>(), 50000);
  // Every table of the SQLite schema, counted by SQL on both sides.
  const std::map<std::string, int64_t> lite = SqliteCounts(demo);
  const std::map<std::string, int64_t> pg = PgCounts(url_);
  EXPECT_EQ(pg, lite);
  EXPECT_EQ(j["tables"].size(), lite.size());
  for (const char* t : {"commits", "commit_files", "pull_requests", "deployments", "accounts",
                        "api_tokens", "users", "audit_log", "connections", "connection_secrets",
                        "identity_links", "deployment_changes", "sync_state"}) {
    EXPECT_GT(lite.at(t), 0) << t << " is empty in the demo: the test checks less than it says";
  }
  for (const auto& t : j["tables"]) {
    EXPECT_TRUE(t["ok"].get<bool>()) << t.dump();
    EXPECT_EQ(t["source_checksum"], t["destination_checksum"]) << t.dump();
  }
  // The same reports from both databases.
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"stats", "--weeks", "520", "--top", "20"},
           {"metrics", "dora", "--since", "90d", "--until", "2026-12-01", "--format", "json"},
           {"metrics", "pr", "--since", "90d", "--until", "2026-12-01", "--format", "json"},
           {"metrics", "flow", "--team", "Payments", "--since", "180d", "--until", "2026-12-01"},
           {"export", "audit-log", "--format", "jsonl"},
           {"export", "connection-secrets", "--format", "tsv"},
           {"token", "list"}}) {
    CommandResult a = Sei(args, demo);
    CommandResult b = Sei(args, url_);
    ASSERT_EQ(a.exit_code, 0) << args[0] << " " << args[1] << ": " << a.err;
    ASSERT_EQ(b.exit_code, 0) << args[0] << " " << args[1] << ": " << b.err;
    EXPECT_FALSE(b.out.empty());
    EXPECT_EQ(b.out, a.out) << args[0] << " " << args[1];
  }
  // New writes take ids past the copied ones: the audit log's entry follows
  // the copied entries instead of colliding with entry 1.
  const int64_t audit_before = pg.at("audit_log");
  CommandResult token = Sei({"token", "create", "--role", "viewer", "--name", "after"}, url_);
  ASSERT_EQ(token.exit_code, 0) << token.err;
  auto conn = pg::Conn::Open(url_, {});
  ASSERT_TRUE(conn.ok());
  auto max = (*conn)->Query("SELECT max(id), count(*) FROM audit_log");
  ASSERT_TRUE(max.ok());
  EXPECT_EQ(max->Int(0, 1), audit_before + 1);
  EXPECT_EQ(max->Int(0, 0), audit_before + 1);
  // And now the two differ, which --verify-only says, naming the tables.
  CommandResult verify = Migrate(demo, url_, {"--verify-only"});
  EXPECT_EQ(verify.exit_code, 1) << verify.out;
  EXPECT_NE(verify.err.find("api_tokens ("), std::string::npos) << verify.err;
  EXPECT_NE(verify.err.find("audit_log ("), std::string::npos) << verify.err;
  EXPECT_NE(verify.out.find("ROWS DIFFER"), std::string::npos) << verify.out;
  // Back into a new SQLite file: the same reports again.
  const std::string back = dir_.Sub("back.db");
  CommandResult home = Migrate(url_, "sqlite:" + back, {"--jobs", "3"});
  ASSERT_EQ(home.exit_code, 0) << home.err;
  EXPECT_NE(home.out.find("row counts and checksums equal"), std::string::npos) << home.out;
  EXPECT_EQ(Sei({"stats"}, back).out, Sei({"stats"}, demo).out);
}

TEST_F(MigrateCliTest, RefusesADestinationThatHoldsDataAndFindsAChangedRow) {
  const std::string& demo = DemoDb();
  ASSERT_EQ(Migrate(demo, url_).exit_code, 0);
  const std::map<std::string, int64_t> before = PgCounts(url_);
  CommandResult again = Migrate(demo, url_);
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.err.find("already holds data"), std::string::npos) << again.err;
  EXPECT_NE(again.err.find("--resume"), std::string::npos) << again.err;
  EXPECT_EQ(PgCounts(url_), before);

  CommandResult same = Migrate(demo, url_, {"--verify-only", "--jobs", "2"});
  ASSERT_EQ(same.exit_code, 0) << same.err;
  EXPECT_NE(same.out.find("row counts and checksums equal"), std::string::npos) << same.out;
  ASSERT_TRUE(PgSql(url_,
                    "UPDATE pull_requests SET title = title || '.' WHERE id = (SELECT min(id) "
                    "FROM pull_requests)")
                  .ok());
  CommandResult changed = Migrate(demo, url_, {"--verify-only", "--format", "json"});
  EXPECT_EQ(changed.exit_code, 1);
  EXPECT_NE(changed.err.find("pull_requests (same"), std::string::npos) << changed.err;
  EXPECT_NE(changed.err.find("checksums differ"), std::string::npos) << changed.err;
  nlohmann::json j = nlohmann::json::parse(changed.out);
  EXPECT_FALSE(j["ok"].get<bool>());
  int bad = 0;
  for (const auto& t : j["tables"]) {
    if (!t["ok"].get<bool>()) {
      ++bad;
      EXPECT_EQ(t["table"], "pull_requests");
    }
  }
  EXPECT_EQ(bad, 1);
}

TEST_F(MigrateCliTest, ResumeFinishesAPartialCopy) {
  const std::string& demo = DemoDb();
  ASSERT_EQ(Migrate(demo, url_).exit_code, 0);
  // What an interrupted copy leaves: whole tables, one half done, the rest
  // empty.
  ASSERT_TRUE(PgSql(url_,
                    "DELETE FROM commit_files WHERE commit_pk > (SELECT avg(commit_pk) FROM "
                    "commit_files); DELETE FROM refs; DELETE FROM audit_log WHERE id > 1; "
                    "DELETE FROM api_tokens; DELETE FROM deployment_changes")
                  .ok());
  EXPECT_EQ(Migrate(demo, url_).exit_code, 1);
  CommandResult resumed = Migrate(demo, url_, {"--resume", "--format", "json", "--jobs", "4"});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  nlohmann::json j = nlohmann::json::parse(resumed.out);
  EXPECT_TRUE(j["ok"].get<bool>());
  std::map<std::string, bool> skipped;
  for (const auto& t : j["tables"]) skipped[t["table"]] = t["skipped"].get<bool>();
  EXPECT_TRUE(skipped["commits"]);
  EXPECT_TRUE(skipped["pull_requests"]);
  EXPECT_FALSE(skipped["commit_files"]);
  EXPECT_FALSE(skipped["audit_log"]);
  EXPECT_EQ(PgCounts(url_), SqliteCounts(demo));
  // The sequences followed: a new token's audit entry does not collide.
  EXPECT_EQ(Sei({"token", "create", "--role", "viewer"}, url_).exit_code, 0);
  // A destination holding rows the source lacks is not a partial copy.
  ASSERT_TRUE(PgSql(url_,
                    "UPDATE teams SET name = 'Elsewhere' WHERE id = (SELECT min(id) FROM "
                    "teams)")
                  .ok());
  CommandResult foreign = Migrate(demo, url_, {"--resume"});
  EXPECT_EQ(foreign.exit_code, 1);
  EXPECT_NE(foreign.err.find("not a partial copy"), std::string::npos) << foreign.err;
}

TEST_F(MigrateCliTest, ATableTheCopyDoesNotKnowStopsItBeforeAnythingIsWritten) {
  const std::string copy = dir_.Sub("copy.db");
  std::filesystem::copy_file(DemoDb(), copy);
  {
    auto store = sqlite::SqliteStore::Open(copy);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)
                    ->db()
                    ->Exec("CREATE TABLE plugin_notes (id INTEGER PRIMARY KEY, note "
                           "TEXT); INSERT INTO plugin_notes (note) VALUES ('keep me')")
                    .ok());
  }
  CommandResult r = Migrate(copy, url_);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("plugin_notes"), std::string::npos) << r.err;
  for (const auto& [table, rows] : PgCounts(url_)) EXPECT_EQ(rows, 0) << table;
  CommandResult lite = Migrate(copy, dir_.Sub("never.db"));
  EXPECT_EQ(lite.exit_code, 1);
  EXPECT_FALSE(std::filesystem::exists(dir_.Sub("never.db"))) << "no empty file left behind";
}

TEST_F(MigrateCliTest, BadInputIsAClearErrorThatWritesNothing) {
  CommandResult missing = Migrate(dir_.Sub("nowhere.db"), url_);
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("no database at"), std::string::npos) << missing.err;
  EXPECT_FALSE(std::filesystem::exists(dir_.Sub("nowhere.db")));
  EXPECT_TRUE(PgCounts(url_).empty()) << "the destination was not even migrated";
  CommandResult to_file = Migrate(dir_.Sub("nowhere.db"), dir_.Sub("new.db"));
  EXPECT_EQ(to_file.exit_code, 1);
  EXPECT_FALSE(std::filesystem::exists(dir_.Sub("new.db")));

  // A SQLite file that is not SEI's is neither copied nor given SEI's schema.
  const std::string other = dir_.Sub("other.db");
  {
    auto db = sqlite::Db::Open(other, {});
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->Exec("CREATE TABLE notes (t TEXT); INSERT INTO notes VALUES ('mine')").ok());
  }
  CommandResult foreign = Migrate(other, url_);
  EXPECT_EQ(foreign.exit_code, 1);
  EXPECT_NE(foreign.err.find("holds no SEI data"), std::string::npos) << foreign.err;
  {
    auto db = sqlite::Db::Open(other, {true});
    ASSERT_TRUE(db.ok());
    auto tables = (*db)->Prepare("SELECT count(*) FROM sqlite_master");
    ASSERT_TRUE(tables.ok() && *tables->Step());
    EXPECT_EQ(tables->ColumnInt(0), 1) << "the other program's file was left as it was";
  }
  std::filesystem::remove(other);

  const std::string& demo = DemoDb();
  CommandResult refused = Migrate(demo, "postgresql://ann:s3cret@127.0.0.1:1/sei");
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("postgres://ann@127.0.0.1:1/sei"), std::string::npos) << refused.err;
  EXPECT_EQ(refused.err.find("s3cret"), std::string::npos) << refused.err;
  CommandResult bad_url = Migrate(demo, "postgres://ann:s3cret@127.0.0.1:notaport/sei");
  EXPECT_EQ(bad_url.exit_code, 1);
  EXPECT_EQ(bad_url.err.find("s3cret"), std::string::npos) << bad_url.err;
  CommandResult scheme = Migrate(demo, "mysql://ann:s3cret@db/sei");
  EXPECT_EQ(scheme.exit_code, 1);
  EXPECT_NE(scheme.err.find("'mysql://...' is not a database sei knows"), std::string::npos)
      << scheme.err;
  EXPECT_EQ(scheme.err.find("s3cret"), std::string::npos) << scheme.err;
  EXPECT_TRUE(std::filesystem::is_empty(dir_.path())) << "no file named after a URL";
  CommandResult itself = Migrate(demo, "sqlite:" + demo);
  EXPECT_EQ(itself.exit_code, 1);
  EXPECT_NE(itself.err.find("the same database"), std::string::npos) << itself.err;
  EXPECT_EQ(Sei({"migrate", "--from", demo}).exit_code, 2) << "--to is required";
  for (const CommandResult& r : {missing, refused, bad_url, scheme, itself}) {
    EXPECT_EQ(r.err.rfind("sei: error: ", 0), 0u) << r.err;
  }

  CommandResult help = Sei({"migrate", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  for (const char* s : {"--from", "--to", "--resume", "--verify-only", "--format",
                        "Examples:", "sei migrate --from sqlite:"}) {
    EXPECT_NE(help.out.find(s), std::string::npos) << s;
  }
}

}  // namespace
}  // namespace sei
