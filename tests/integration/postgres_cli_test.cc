// The `sei` binary on PostgreSQL (a database of the run's test cluster):
// a URL in --db collects, reports and exports as a SQLite file does, with
// the same numbers; bad URLs and unreachable servers are clear errors that
// never show the password.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "testing/pg_cluster.h"
#include "testing/repo_builder.h"
#include "testing/sei_server.h"
#include "testing/test_util.h"

namespace sei {
namespace {

using testing::CommandResult;
using testing::RunCommand;
using testing::TempDir;

CommandResult Sei(const TempDir& dir, const std::string& db, std::vector<std::string> args) {
  std::vector<std::string> argv = {testing::BinaryDir() + "/bin/sei",
                                   "--db",
                                   db,
                                   "--data-dir",
                                   dir.Sub("data"),
                                   "--progress",
                                   "never"};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunCommand(argv, dir.path());
}

class PostgresCliTest : public ::testing::Test {
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
  TempDir dir_;
  testing::PgCluster* cluster_ = nullptr;
  std::string url_;
};

TEST_F(PostgresCliTest, CollectsAndReportsTheSameAsSqlite) {
  const std::string repo = dir_.Sub("edge");
  ASSERT_TRUE(testing::BuildEdgeCaseRepo(repo).ok());
  const std::string file = dir_.Sub("sei.db");
  for (const std::string& db : {file, url_}) {
    CommandResult r = Sei(dir_, db, {"collect", "git", repo});
    ASSERT_EQ(r.exit_code, 0) << db << ": " << r.err;
  }
  CommandResult status = Sei(dir_, url_, {"db", "status"});
  ASSERT_EQ(status.exit_code, 0) << status.err;
  EXPECT_NE(status.out.find("postgres://postgres@127.0.0.1:"), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("version"), std::string::npos);
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"export", "commit-files", "--format", "tsv"},
                                             {"export", "accounts", "--format", "jsonl"},
                                             {"stats", "--weeks", "520", "--top", "20"}}) {
    CommandResult lite = Sei(dir_, file, args);
    CommandResult pg = Sei(dir_, url_, args);
    ASSERT_EQ(lite.exit_code, 0) << lite.err;
    ASSERT_EQ(pg.exit_code, 0) << pg.err;
    EXPECT_FALSE(pg.out.empty());
    EXPECT_EQ(pg.out, lite.out) << args[0] << " " << args[1];
  }
}

TEST_F(PostgresCliTest, BadUrlsAndUnreachableServersAreClearErrors) {
  CommandResult bad = Sei(dir_, "postgres://ann:s3cret@127.0.0.1:notaport/x", {"db", "status"});
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.err.find("postgres://user[:password]@host"), std::string::npos) << bad.err;
  EXPECT_EQ(bad.err.find("s3cret"), std::string::npos) << bad.err;
  CommandResult refused = Sei(dir_, "postgresql://ann:s3cret@127.0.0.1:1/x", {"db", "status"});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.err.find("postgres://ann@127.0.0.1:1/x"), std::string::npos) << refused.err;
  EXPECT_EQ(refused.err.find("s3cret"), std::string::npos) << refused.err;
  // A read-only command on a database nothing was collected into.
  CommandResult empty = Sei(dir_, url_, {"stats"});
  EXPECT_NE(empty.exit_code, 0);
  EXPECT_NE(empty.err.find("sei collect git"), std::string::npos) << empty.err;
}

// The demo organisation into SQLite and into PostgreSQL, each served by
// `sei serve`: the API answers the same (metrics of every family, entity
// lists, paging), but for when each server loaded its data.
TEST_F(PostgresCliTest, ServesTheSameAnswersAsSqlite) {
  const std::string file = dir_.Sub("demo.db");
  for (const std::string& db : {file, url_}) {
    CommandResult r = Sei(dir_, db, {"demo"});
    ASSERT_EQ(r.exit_code, 0) << db << ": " << r.err;
  }
  std::vector<std::unique_ptr<testing::SeiServer>> servers;
  for (const std::string& db : {file, url_}) {
    CommandResult t = Sei(dir_, db, {"token", "create", "--role", "admin", "--name", "same"});
    ASSERT_EQ(t.exit_code, 0) << t.err;
    auto s = std::make_unique<testing::SeiServer>(db, std::vector<std::string>{"--no-schedule"});
    ASSERT_TRUE(s->started()) << s->startup_output();
    s->set_token(t.out.substr(0, t.out.find_first_of("\r\n")));
    servers.push_back(std::move(s));
  }
  const std::string range = "since=2026-01-01&until=2026-12-01";
  int compared = 0;
  for (const std::string& target : std::vector<std::string>{
           "/api/v1/metrics/dora?" + range, "/api/v1/metrics/pr?" + range,
           "/api/v1/metrics/flow?" + range, "/api/v1/metrics/code?" + range,
           "/api/v1/metrics/dora?team=platform&" + range,
           std::string("/api/v1/pull-requests?limit=100"),
           "/api/v1/pull-requests?limit=20&sort=-cycle_time&" + range,
           "/api/v1/deployments?limit=100&" + range, "/api/v1/incidents?" + range,
           std::string("/api/v1/people?limit=200"), std::string("/api/v1/teams"),
           std::string("/api/v1/repos")}) {
    nlohmann::json answers[2];
    for (int i = 0; i < 2; ++i) {
      testing::HttpReply r = servers[static_cast<size_t>(i)]->Get(target);
      ASSERT_EQ(r.status, 200) << (i ? "postgres " : "sqlite ") << target << ": " << r.body;
      answers[i] = nlohmann::json::parse(r.body, nullptr, false);
      ASSERT_TRUE(answers[i].is_object()) << target;
      answers[i].erase("data");  // the server's generation and load time
    }
    EXPECT_EQ(answers[1], answers[0]) << target;
    ++compared;
  }
  EXPECT_EQ(compared, 12);
}

}  // namespace
}  // namespace sei
