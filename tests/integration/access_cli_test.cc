// End to end through the real binary and store: `sei token` and `sei user`
// print what they should where they should (the token alone on stdout),
// store only hashes, refuse bad input with the reason, and audit each write.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "model/access.h"
#include "store/sqlite/sqlite_store.h"
#include "testing/test_util.h"

namespace sei {
namespace {

using nlohmann::json;
using testing::CommandResult;
using testing::TempDir;

class AccessCliTest : public ::testing::Test {
 protected:
  CommandResult Sei(std::vector<std::string> args, std::vector<std::string> env = {}) {
    std::vector<std::string> argv = {testing::BinaryDir() + "/bin/sei", "--db", dir_.Sub("sei.db"),
                                     "--progress", "never"};
    argv.insert(argv.end(), args.begin(), args.end());
    return testing::RunCommand(argv, dir_.path(), env);
  }
  std::unique_ptr<sqlite::SqliteStore> Store() {
    auto s = sqlite::SqliteStore::Open(dir_.Sub("sei.db"));
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return std::move(*s);
  }
  std::vector<model::AuditEntry> Audit() { return *Store()->List<model::AuditEntry>(); }
  TempDir dir_;
};

TEST_F(AccessCliTest, TokenCreatePrintsTheTokenAloneAndStoresItsHash) {
  CommandResult r = Sei({"token", "create", "--role", "admin", "--name", "bootstrap"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(r.out.size(), 48u) << r.out;  // "sei_" + 43 characters + "\n"
  const std::string token = r.out.substr(0, 47);
  EXPECT_EQ(token.substr(0, 4), "sei_");
  EXPECT_EQ(r.out.back(), '\n');
  EXPECT_NE(r.err.find("shown once"), std::string::npos) << r.err;

  auto stored = Store()->List<model::ApiToken>();
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->size(), 1u);
  EXPECT_NE((*stored)[0].token_hash, token);
  EXPECT_EQ((*stored)[0].token_hash.find(token.substr(4)), std::string::npos);
  EXPECT_EQ((*stored)[0].role, "admin");
  // The whole database file never holds the token.
  EXPECT_EQ(testing::ReadFile(dir_.Sub("sei.db")).find(token.substr(4)), std::string::npos);

  CommandResult list = Sei({"token", "list"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_NE(list.out.find("bootstrap"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find(token.substr(0, 8)), std::string::npos) << list.out;
  EXPECT_EQ(list.out.find(token), std::string::npos) << list.out;
  EXPECT_EQ(Sei({"token", "list", "--format", "json"}).out.find(token.substr(8)),
            std::string::npos);

  std::vector<model::AuditEntry> audit = Audit();
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].action, "token.create");
  EXPECT_EQ(audit[0].actor.rfind("cli:", 0), 0u) << audit[0].actor;
  EXPECT_EQ(audit[0].target, "token:" + (*stored)[0].id);
  EXPECT_EQ(audit[0].detail.value_or("").find(token.substr(4)), std::string::npos);
}

TEST_F(AccessCliTest, RevokeMarksTheTokenAndIsAudited) {
  ASSERT_EQ(Sei({"token", "create", "--role", "viewer", "--expires", "30d"}).exit_code, 0);
  auto stored = Store()->List<model::ApiToken>();
  ASSERT_EQ(stored->size(), 1u);
  const model::ApiToken t = (*stored)[0];
  ASSERT_TRUE(t.expires_at.has_value());
  EXPECT_EQ(*t.expires_at - t.created_at, 30 * 86400);
  CommandResult r = Sei({"token", "revoke", t.id});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE((*Store()->List<model::ApiToken>())[0].revoked_at.has_value());
  CommandResult again = Sei({"token", "revoke", "tk-000000000000"});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.err.find("no API token with id 'tk-000000000000'"), std::string::npos)
      << again.err;
  std::vector<model::AuditEntry> audit = Audit();
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[1].action, "token.revoke");
  EXPECT_EQ(audit[1].target, "token:" + t.id);
}

TEST_F(AccessCliTest, BadRolesAndDurationsAreRefusedWithTheReason) {
  CommandResult role = Sei({"token", "create", "--role", "owner"});
  EXPECT_EQ(role.exit_code, 1);
  EXPECT_NE(role.err.find("valid roles are admin, manager, member and viewer"), std::string::npos)
      << role.err;
  EXPECT_TRUE(role.out.empty());
  CommandResult expires = Sei({"token", "create", "--role", "viewer", "--expires", "2w"});
  EXPECT_EQ(expires.exit_code, 1);
  EXPECT_NE(expires.err.find("30d, 12h, 90m"), std::string::npos) << expires.err;
  EXPECT_EQ(Sei({"token", "create"}).exit_code, 2);  // --role is required
  CommandResult user = Sei({"token", "create", "--role", "member", "--user", "x@example.com"});
  EXPECT_EQ(user.exit_code, 1);
  EXPECT_NE(user.err.find("no user with email x@example.com"), std::string::npos) << user.err;
  EXPECT_TRUE(Store()->List<model::ApiToken>()->empty());
  EXPECT_TRUE(Audit().empty());
}

TEST_F(AccessCliTest, UserAddListDisable) {
  CommandResult add = Sei({"user", "add", "--email", "Ann@Example.com", "--name", "Ann Lee",
                           "--role", "manager", "--password-env", "ANN_PW"},
                          {"ANN_PW=a long passphrase"});
  ASSERT_EQ(add.exit_code, 0) << add.err;
  auto users = Store()->List<model::User>();
  ASSERT_EQ(users->size(), 1u);
  const model::User ann = (*users)[0];
  EXPECT_EQ(ann.email, "ann@example.com");
  ASSERT_TRUE(ann.password_hash.has_value());
  EXPECT_EQ(ann.password_hash->find("a long passphrase"), std::string::npos);

  CommandResult dup =
      Sei({"user", "add", "--email", "ann@example.com", "--name", "A", "--role", "viewer"});
  EXPECT_EQ(dup.exit_code, 1);
  EXPECT_NE(dup.err.find("exists already"), std::string::npos) << dup.err;
  CommandResult bad = Sei(
      {"user", "add", "--email", "nope", "--name", "B", "--role", "member", "--team", "Nowhere"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("'nope' is not an email address"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("no team 'Nowhere'"), std::string::npos) << bad.err;
  CommandResult no_env = Sei({"user", "add", "--email", "c@example.com", "--name", "C", "--role",
                              "member", "--password-env", "UNSET_VAR_FOR_TEST"});
  EXPECT_EQ(no_env.exit_code, 1);
  EXPECT_NE(no_env.err.find("UNSET_VAR_FOR_TEST"), std::string::npos) << no_env.err;

  CommandResult list = Sei({"user", "list", "--format", "json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  json j = json::parse(list.out);
  ASSERT_EQ(j.size(), 1u);
  EXPECT_EQ(j[0]["email"], "ann@example.com");
  EXPECT_EQ(j[0]["role"], "manager");
  EXPECT_FALSE(j[0].contains("password_hash"));
  EXPECT_EQ(list.out.find("argon2"), std::string::npos);

  ASSERT_EQ(Sei({"user", "disable", "ann@example.com"}).exit_code, 0);
  EXPECT_TRUE((*Store()->List<model::User>())[0].disabled_at.has_value());
  EXPECT_EQ(Sei({"user", "disable", "nobody@example.com"}).exit_code, 1);

  std::vector<model::AuditEntry> audit = Audit();
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[0].action, "user.add");
  EXPECT_EQ(audit[0].target, "user:" + ann.id);
  EXPECT_EQ(audit[0].detail.value_or("").find("passphrase"), std::string::npos);
  EXPECT_EQ(audit[1].action, "user.disable");
}

TEST_F(AccessCliTest, HelpShowsExamples) {
  for (const char* group :
       {"token create", "token list", "token revoke", "user add", "user list", "user disable"}) {
    std::vector<std::string> args;
    std::string g(group);
    args.push_back(g.substr(0, g.find(' ')));
    args.push_back(g.substr(g.find(' ') + 1));
    args.push_back("--help");
    CommandResult r = Sei(args);
    EXPECT_EQ(r.exit_code, 0) << group;
    EXPECT_NE(r.out.find("Example"), std::string::npos) << group << ": " << r.out;
  }
}

}  // namespace
}  // namespace sei
