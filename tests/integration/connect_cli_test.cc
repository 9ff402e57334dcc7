// `sei connect` and `sei connections` through the real binary and store:
// idempotent by source and name, secrets read from the environment, sealed
// (never in the database file in clear, never printed), every write audited,
// bad input refused with the reason.
#include <gtest/gtest.h>

#include <filesystem>

#include "model/access.h"
#include "model/org.h"
#include "store/sqlite/sqlite_store.h"
#include "testing/test_util.h"

namespace sei {
namespace {

class ConnectCliTest : public ::testing::Test {
 protected:
  testing::CommandResult Sei(std::vector<std::string> args, std::vector<std::string> env = {}) {
    std::vector<std::string> argv = {testing::BinaryDir() + "/bin/sei", "--db", dir_.Sub("sei.db"),
                                     "--progress", "never"};
    argv.insert(argv.end(), args.begin(), args.end());
    return testing::RunCommand(argv, dir_.path(), env);
  }
  testing::TempDir dir_;
};

TEST_F(ConnectCliTest, ConnectIsIdempotentAndNeverShowsASecret) {
  const std::vector<std::string> env = {"GH_HOOK=cli-hook-secret-9", "GH_TOKEN=ghp_cli_token_9"};
  auto first = Sei({"connect", "github", "--name", "acme", "--base-url", "https://ghe.example.com",
                    "--token-env", "GH_TOKEN", "--webhook-secret-env", "GH_HOOK"},
                   env);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.out.find("Created connection github:acme"), std::string::npos) << first.out;
  auto second = Sei({"connect", "github", "--name", "acme"}, env);
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.out.find("Updated connection github:acme"), std::string::npos);
  EXPECT_NE(second.out.find("webhook_secret"), std::string::npos);  // kept
  auto list = Sei({"connections", "list"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_NE(list.out.find("github:acme"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("https://ghe.example.com"), std::string::npos);
  for (const auto& r : {first, second, list, Sei({"connections", "list", "--format", "json"})}) {
    EXPECT_EQ((r.out + r.err).find("cli-hook-secret-9"), std::string::npos);
    EXPECT_EQ((r.out + r.err).find("ghp_cli_token_9"), std::string::npos);
  }
  auto s = sqlite::SqliteStore::Open(dir_.Sub("sei.db"));
  ASSERT_TRUE(s.ok());
  EXPECT_EQ((*s)->List<model::Connection>()->size(), 1u);
  EXPECT_EQ((*s)->List<model::ConnectionSecret>()->size(), 2u);
  auto audit = *(*s)->List<model::AuditEntry>();
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[0].action, "connection.create");
  EXPECT_EQ(audit[0].actor.rfind("cli:", 0), 0u);
  s->reset();
  const std::string db =
      testing::ReadFile(dir_.Sub("sei.db")) + testing::ReadFile(dir_.Sub("sei.db-wal"));
  EXPECT_EQ(db.find("cli-hook-secret-9"), std::string::npos);
  EXPECT_EQ(db.find("ghp_cli_token_9"), std::string::npos);
  // The key file was made beside the database, readable by its owner only.
  EXPECT_TRUE(std::filesystem::exists(dir_.Sub(".sei/secret.key")));
  auto del = Sei({"connections", "delete", "github:acme"});
  ASSERT_EQ(del.exit_code, 0) << del.err;
  EXPECT_EQ(Sei({"connections", "delete", "github:acme"}).exit_code, 1);
}

TEST_F(ConnectCliTest, RefusesBadInputWithTheReason) {
  auto no_env = Sei({"connect", "gitlab", "--name", "self", "--token-env", "NOT_SET_ANYWHERE"});
  EXPECT_EQ(no_env.exit_code, 1);
  EXPECT_NE(no_env.err.find("NOT_SET_ANYWHERE is not set"), std::string::npos) << no_env.err;
  auto bad = Sei({"connect", "gitbucket", "--name", "Bad Name"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("source must be one of"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("name must be"), std::string::npos) << bad.err;
  auto no_name = Sei({"connect", "github"});  // --name, or --org for github
  EXPECT_EQ(no_name.exit_code, 1);
  EXPECT_NE(no_name.err.find("--name is required"), std::string::npos) << no_name.err;
  EXPECT_EQ(Sei({"connect", "gitlab", "--org", "acme", "--name", "x"}).exit_code, 1);
  auto help = Sei({"connect", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  for (const char* s : {"--name", "--base-url", "--token-env", "--webhook-secret-env", "Examples",
                        "/webhooks/generic/ci"}) {
    EXPECT_NE(help.out.find(s), std::string::npos) << s;
  }
  EXPECT_EQ(Sei({"connections", "list"}).exit_code, 0);
}

}  // namespace
}  // namespace sei
