// `sei db migrate` (what the migration Job and ExecStartPre run), the
// SEI_DB variable that gives every command its database, and the hidden
// `--parse-only` the deployment tests check command lines with.
#include <gtest/gtest.h>

#include <filesystem>

#include "deploy/deploy_support.h"
#include "testing/test_util.h"

namespace sei::deploy_test {
namespace {

namespace fs = std::filesystem;

// The schema version this sei migrates to: the last line of
// `sei db status`'s header.
std::string SchemaLine(const std::string& db) {
  testing::CommandResult r = Sei({"--db", db, "db", "status"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const size_t at = r.out.find("schema");
  return at == std::string::npos ? "" : r.out.substr(at, r.out.find('\n', at) - at);
}

TEST(DbMigrateTest, CreatesThenFindsTheSchemaCurrent) {
  testing::TempDir dir;
  const std::string db = dir.Sub("new.db");
  testing::CommandResult first = Sei({"--db", db, "db", "migrate"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.out.find("schema version 0 -> "), std::string::npos) << first.out;
  EXPECT_TRUE(fs::exists(db));
  const std::string version = first.out.substr(first.out.find("-> ") + 3);
  EXPECT_EQ(SchemaLine(db), "schema        version " + version.substr(0, version.find('\n')));
  testing::CommandResult again = Sei({"--db", db, "db", "migrate"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("up to date"), std::string::npos) << again.out;
  testing::CommandResult quiet = Sei({"--quiet", "--db", db, "db", "migrate"});
  EXPECT_EQ(quiet.exit_code, 0);
  EXPECT_EQ(quiet.out, "");
}

TEST(DbMigrateTest, RefusesADatabaseFromANewerSei) {
  testing::TempDir dir;
  const std::string db = dir.Sub("future.db");
  ASSERT_EQ(Sei({"--db", db, "db", "migrate"}).exit_code, 0);
  ASSERT_EQ(testing::RunCommand(
                {"sqlite3", db, "INSERT INTO schema_migrations VALUES (9999, 'future', 0)"})
                .exit_code,
            0);
  testing::CommandResult r = Sei({"--db", db, "db", "migrate"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("newer sei"), std::string::npos) << r.err;
}

TEST(DbMigrateTest, AnUnreachableServerIsAnError) {
  // Port 1 on the loopback: nothing listens there.
  testing::CommandResult r = Sei({"--db", "postgres://sei@127.0.0.1:1/sei", "db", "migrate"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("127.0.0.1"), std::string::npos) << r.err;
}

TEST(SeiDbVariableTest, NamesTheDatabaseUnlessDbIsGiven) {
  testing::TempDir dir;
  testing::CommandResult r = Sei({"db", "migrate"}, {"SEI_DB=" + dir.Sub("env.db")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir.Sub("env.db")));
  r = Sei({"--db", dir.Sub("flag.db"), "db", "migrate"}, {"SEI_DB=" + dir.Sub("other.db")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir.Sub("flag.db")));
  EXPECT_FALSE(fs::exists(dir.Sub("other.db"))) << "--db wins over SEI_DB";
  // SEI_DB wins over the config file's db:.
  ASSERT_TRUE(testing::WriteFile(dir.Sub("sei.yaml"), "db: " + dir.Sub("config.db") + "\n"));
  r = Sei({"--config", dir.Sub("sei.yaml"), "db", "migrate"}, {"SEI_DB=" + dir.Sub("env2.db")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir.Sub("env2.db")));
  EXPECT_FALSE(fs::exists(dir.Sub("config.db")));
}

TEST(ParseOnlyTest, NamesTheCommandAndRefusesWhatSeiRefuses) {
  EXPECT_EQ(ParseWithSei({"serve", "--listen", "0.0.0.0:8080"}).command, "serve");
  EXPECT_EQ(ParseWithSei({"--quiet", "db", "migrate"}).command, "db migrate");
  // Unlike --help, which prints help whatever follows, a wrong command
  // line fails as it would in a real run.
  EXPECT_EQ(ParseWithSei({"serve", "--no-such-flag"}).exit_code, 2);
  EXPECT_EQ(ParseWithSei({"no-such-command"}).exit_code, 2);
  EXPECT_EQ(ParseWithSei({"serve", "--threads", "100000"}).exit_code, 2);
  const Parsed missing = ParseWithSei({"no-such-command"});
  EXPECT_FALSE(NoWorkerCommand(missing)) << "only a missing worker is excused";
  // Nothing is opened: no database appears.
  testing::TempDir dir;
  EXPECT_EQ(ParseWithSei({"--db", dir.Sub("x.db"), "db", "migrate"}).exit_code, 0);
  EXPECT_FALSE(fs::exists(dir.Sub("x.db")));
}

}  // namespace
}  // namespace sei::deploy_test
