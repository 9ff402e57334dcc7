// `sei demo` as a user meets it: help with examples, a summary of what was
// written, an idempotent re-run, and one-line refusals for a database that
// holds another demo or for bad options.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "testing/test_util.h"

namespace sei {
namespace {

using testing::CommandResult;
using testing::RunCommand;
using testing::TempDir;

CommandResult RunDemo(const TempDir& dir, std::vector<std::string> args) {
  std::vector<std::string> argv = {
      testing::BinaryDir() + "/bin/sei", "--db", dir.Sub("demo.db"), "--progress", "never", "demo"};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunCommand(argv, dir.path());
}

void ExpectOneLineError(const CommandResult& r, int code, const std::string& needle) {
  EXPECT_EQ(r.exit_code, code) << r.err;
  EXPECT_EQ(r.err.rfind("sei: error: ", 0), 0u) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(r.err.find(needle), std::string::npos) << r.err;
}

TEST(DemoCliTest, HelpNamesTheOptionsAndGivesExamples) {
  TempDir dir;
  CommandResult r = RunDemo(dir, {"--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* s :
       {"--seed", "--until", "--months", "--scale", "Examples:", "sei --db demo.db demo"}) {
    EXPECT_NE(r.out.find(s), std::string::npos) << s;
  }
  EXPECT_EQ(r.out.find("--size"), std::string::npos) << "hidden options stay hidden";
  EXPECT_FALSE(std::filesystem::exists(dir.Sub("demo.db")));
}

TEST(DemoCliTest, WritesSummarisesAndRefreshes) {
  TempDir dir;
  CommandResult first = RunDemo(dir, {"--size", "0.1"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  for (const char* s : {"Demo organisation written to", "people", "commits", "pull requests",
                        "deployments", "incidents", "marker demo-v1;seed=1"}) {
    EXPECT_NE(first.out.find(s), std::string::npos) << s << "\n" << first.out;
  }
  CommandResult again = RunDemo(dir, {"--size", "0.1"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("Demo organisation refreshed in"), std::string::npos) << again.out;

  ExpectOneLineError(RunDemo(dir, {"--size", "0.1", "--seed", "2"}), 1, "--seed 1");
}

TEST(DemoCliTest, BadOptionsAreRefusedBeforeAnythingIsWritten) {
  TempDir dir;
  ExpectOneLineError(RunDemo(dir, {"--until", "2026-02-30"}), 1, "--until");
  EXPECT_FALSE(std::filesystem::exists(dir.Sub("demo.db")));
  CommandResult r = RunDemo(dir, {"--months", "0"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
}

}  // namespace
}  // namespace sei
