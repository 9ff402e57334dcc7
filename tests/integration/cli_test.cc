// The `sei` command line as a user meets it: help at every level, exit codes,
// and one-line errors that say what was wrong and how to fix it, with
// nothing half-written.
#include <gtest/gtest.h>

#include <filesystem>

#include "testing/repo_builder.h"
#include "testing/test_util.h"

namespace sei {
namespace {

using testing::CommandResult;
using testing::RunCommand;
using testing::TempDir;

std::string Sei() { return testing::BinaryDir() + "/bin/sei"; }

CommandResult RunSei(const TempDir& dir, std::vector<std::string> args,
                     const std::string& db = "") {
  std::vector<std::string> argv = {
      Sei(),        "--db", db.empty() ? dir.Sub("sei.db") : db, "--data-dir", dir.Sub("data"),
      "--progress", "never"};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunCommand(argv, dir.path());
}

// One line on stderr, starting "sei: error:", containing `needle`.
void ExpectOneLineError(const CommandResult& r, int code, const std::string& needle) {
  EXPECT_EQ(r.exit_code, code) << r.err;
  EXPECT_EQ(r.err.rfind("sei: error: ", 0), 0u) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(r.err.find(needle), std::string::npos) << r.err;
}

std::string SmallRepo(const TempDir& dir) {
  std::string repo = dir.Sub("repo");
  EXPECT_TRUE(testing::BuildEdgeCaseRepo(repo).ok());
  return repo;
}

TEST(CliTest, HelpAtEveryLevel) {
  for (std::vector<std::string> args : {std::vector<std::string>{"--help"},
                                        {"collect", "--help"},
                                        {"collect", "git", "--help"},
                                        {"export", "--help"},
                                        {"stats", "--help"},
                                        {"db", "--help"},
                                        {"db", "status", "--help"}}) {
    args.insert(args.begin(), Sei());
    auto r = RunCommand(args);
    EXPECT_EQ(r.exit_code, 0) << args[1];
    EXPECT_NE(r.out.find("Usage:"), std::string::npos) << args[1];
  }
  auto top = RunCommand({Sei(), "--help"});
  for (const char* s : {"collect", "export", "stats", "db", "--db", "--config", "--data-dir"}) {
    EXPECT_NE(top.out.find(s), std::string::npos) << s;
  }
  auto git = RunCommand({Sei(), "collect", "git", "--help"});
  for (const char* s : {"--jobs", "--renames", "--include-remotes", "PATH_OR_URL"}) {
    EXPECT_NE(git.out.find(s), std::string::npos) << s;
  }
  auto version = RunCommand({Sei(), "--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_EQ(version.out.rfind("sei ", 0), 0u);
}

TEST(CliTest, UsageErrorsExitTwo) {
  TempDir dir;
  for (std::vector<std::string> args : {std::vector<std::string>{},
                                        {"collect"},
                                        {"export"},
                                        {"collect", "git", "--jobs", "x"},
                                        {"frobnicate"},
                                        {"export", "commits", "--format", "xml"}}) {
    auto r = RunSei(dir, args);
    EXPECT_EQ(r.exit_code, 2) << (args.empty() ? "" : args[0]) << r.err;
    EXPECT_NE(r.err.find("sei"), std::string::npos);
  }
}

TEST(CliTest, BadRepositoriesGiveOneLineErrors) {
  TempDir dir;
  ExpectOneLineError(RunSei(dir, {"collect", "git", dir.Sub("missing")}), 1, "does not exist");
  std::filesystem::create_directories(dir.Sub("plain"));
  ExpectOneLineError(RunSei(dir, {"collect", "git", dir.Sub("plain")}), 1,
                     "is not a git repository");
  ExpectOneLineError(RunSei(dir, {"collect", "git", "file://" + dir.Sub("missing")}), 1,
                     "cannot clone");
  ExpectOneLineError(RunSei(dir, {"collect", "git"}), 1, "no repository given");
}

TEST(CliTest, BadDatabasesGiveOneLineErrors) {
  TempDir dir;
  std::string repo = SmallRepo(dir);
  ExpectOneLineError(RunSei(dir, {"stats"}), 1, "no database at");
  ExpectOneLineError(RunSei(dir, {"collect", "git", repo}, dir.Sub("no/such/dir/sei.db")), 1,
                     "cannot open database");
  ASSERT_TRUE(testing::WriteFile(dir.Sub("junk.db"), std::string(4096, 'j')));
  ExpectOneLineError(RunSei(dir, {"collect", "git", repo}, dir.Sub("junk.db")), 1,
                     "not a valid SEI database");
  ASSERT_EQ(RunSei(dir, {"collect", "git", repo}).exit_code, 0);
  auto sql = RunCommand(
      {"sqlite3", dir.Sub("sei.db"), "INSERT INTO schema_migrations VALUES (999, 'future', 0)"});
  ASSERT_EQ(sql.exit_code, 0) << sql.err;
  ExpectOneLineError(RunSei(dir, {"collect", "git", repo}), 1, "written by a newer sei");
  ExpectOneLineError(RunSei(dir, {"stats"}), 1, "written by a newer sei");
  ExpectOneLineError(RunSei(dir, {"export", "nonsense"}), 1, "unknown entity");
}

TEST(CliTest, FullDiskFailsCleanlyAndTheNextRunCompletes) {
  TempDir dir;
  std::string repo = SmallRepo(dir);
  ASSERT_TRUE(testing::AppendLinearCommits(repo, "main", 300, 3).ok());
  // A file-size limit makes every write past 256 KiB fail as a full disk would.
  std::vector<std::string> argv = {
      "prlimit",    "--fsize=262144", "--",      Sei(), "--db", dir.Sub("sei.db"),
      "--progress", "never",          "collect", "git", repo};
  auto r = RunCommand(argv);
  ExpectOneLineError(r, 1, "full");
  auto check = RunCommand({"sqlite3", dir.Sub("sei.db"), "PRAGMA integrity_check"});
  EXPECT_EQ(check.out, "ok\n");
  auto again = RunSei(dir, {"collect", "git", repo});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  auto after = RunSei(dir, {"collect", "git", repo});
  EXPECT_NE(after.out.find("up to date"), std::string::npos);
}

TEST(CliTest, ConfigFileErrorsNameTheLine) {
  TempDir dir;
  ASSERT_TRUE(testing::WriteFile(dir.Sub("sei.yaml"), "db: x.db\nsourcs:\n  git: []\n"));
  ExpectOneLineError(RunSei(dir, {"--config", dir.Sub("sei.yaml"), "stats"}), 1,
                     "sei.yaml:2: unknown key 'sourcs'");
  ASSERT_TRUE(testing::WriteFile(dir.Sub("bad.yaml"), "settings:\n  jobs: many\n"));
  ExpectOneLineError(RunSei(dir, {"--config", dir.Sub("bad.yaml"), "stats"}), 1, "bad.yaml:2");
  ExpectOneLineError(RunSei(dir, {"--config", dir.Sub("none.yaml"), "stats"}), 1, "does not exist");
}

TEST(CliTest, ConfigListsSourcesAndTheDatabase) {
  TempDir dir;
  std::string repo = SmallRepo(dir);
  ASSERT_TRUE(testing::WriteFile(dir.Sub("sei.yaml"),
                                 "db: from-config.db\nsources:\n  git:\n"
                                 "    - path: repo\n      name: edge\n"));
  auto r = RunCommand({Sei(), "--progress", "never", "collect", "git"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::filesystem::exists(dir.Sub("from-config.db")));
  auto stats = RunCommand({Sei(), "stats", "--format", "json"}, dir.path());
  ASSERT_EQ(stats.exit_code, 0) << stats.err;
  EXPECT_NE(stats.out.find("\"name\": \"edge\""), std::string::npos) << stats.out;
}

TEST(CliTest, StatsAndExportsDescribeTheRepository) {
  TempDir dir;
  std::string repo = SmallRepo(dir);
  ASSERT_EQ(RunSei(dir, {"collect", "git", repo}).exit_code, 0);
  auto stats = RunSei(dir, {"stats", "--weeks", "4", "--top", "3"});
  ASSERT_EQ(stats.exit_code, 0) << stats.err;
  EXPECT_NE(stats.out.find("commits ("), std::string::npos) << stats.out;
  EXPECT_NE(stats.out.find("top files by churn"), std::string::npos) << stats.out;
  auto csv = RunSei(dir, {"export", "commits", "--columns", "sha,author_name"});
  ASSERT_EQ(csv.exit_code, 0);
  EXPECT_EQ(csv.out.rfind("sha,author_name\r\n", 0), 0u);
  auto list = RunSei(dir, {"export", "--list"});
  for (const char* e : {"commits", "commit-files", "pull-requests", "deployments", "incidents"}) {
    EXPECT_NE(list.out.find(e), std::string::npos) << e;
  }
  auto status = RunSei(dir, {"db", "status"});
  EXPECT_NE(status.out.find("schema        version"), std::string::npos) << status.out;
  auto bad_col = RunSei(dir, {"export", "commits", "--columns", "sha,nope"});
  ExpectOneLineError(bad_col, 1, "no column 'nope'");
}

}  // namespace
}  // namespace sei
