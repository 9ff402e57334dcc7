// `sei metrics` as a user meets it, on a small demo organisation: the table,
// JSON and CSV carry the same numbers; every family answers; scopes, ranges
// and options that make no sense get one-line errors naming what was wrong.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "testing/test_util.h"

namespace sei {
namespace {

using testing::CommandResult;
using testing::RunCommand;
using testing::TempDir;

class MetricsCliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    CommandResult demo = Sei({"demo", "--size", "0.2"});
    ASSERT_EQ(demo.exit_code, 0) << demo.err;
    ASSERT_NE(demo.out.find("derived"), std::string::npos) << demo.out;
  }
  static void TearDownTestSuite() { delete dir_; }

  static CommandResult Sei(std::vector<std::string> args) {
    std::vector<std::string> argv = {testing::BinaryDir() + "/bin/sei", "--db",
                                     dir_->Sub("demo.db"), "--progress", "never"};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunCommand(argv, dir_->path());
  }
  static CommandResult Metrics(std::vector<std::string> args) {
    args.insert(args.begin(), "metrics");
    for (const char* a : {"--since", "2026-06-01", "--until", "2026-12-01"}) args.push_back(a);
    return Sei(args);
  }

  static TempDir* dir_;
};

TempDir* MetricsCliTest::dir_ = nullptr;

void ExpectOneLineError(const CommandResult& r, const std::string& needle) {
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.err.rfind("sei: error: ", 0), 0u) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(r.err.find(needle), std::string::npos) << r.err;
}

TEST_F(MetricsCliTest, JsonTableAndCsvAgree) {
  CommandResult json = Metrics({"dora", "--format", "json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const nlohmann::json report = nlohmann::json::parse(json.out);
  EXPECT_EQ(report.at("family"), "dora");
  EXPECT_EQ(report.at("since"), "2026-06-01T00:00:00Z");
  std::vector<std::string> keys;
  for (const auto& m : report.at("metrics")) keys.push_back(m.at("key"));
  EXPECT_EQ(keys, (std::vector<std::string>{
                      "dora.deployment_frequency", "dora.lead_time", "dora.change_failure_rate",
                      "dora.failed_deployment_recovery_time", "dora.time_to_restore"}));
  const auto& lead = report.at("metrics").at(1);
  ASSERT_TRUE(lead.at("value").is_number()) << lead.dump();
  EXPECT_GT(lead.at("distribution").at("n").get<int64_t>(), 10);
  EXPECT_TRUE(lead.at("band").is_string());
  EXPECT_EQ(lead.at("series").size(), 27u);  // ISO weeks overlapping Jun 1 - Dec 1 2026
  // The CSV row carries the same value as the JSON.
  CommandResult csv = Metrics({"dora", "--format", "csv"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_NE(csv.out.find(",dora.lead_time,Lead time for changes,1,seconds,median,"),
            std::string::npos)
      << csv.out;
  CommandResult table = Metrics({"dora"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("Lead time for changes"), std::string::npos);
  EXPECT_NE(table.out.find(lead.at("band").get<std::string>()), std::string::npos);
}

TEST_F(MetricsCliTest, EveryFamilyAnswersWithNumbers) {
  for (const char* family : {"dora", "pr", "flow", "code", "bottlenecks"}) {
    CommandResult r = Metrics({family, "--format", "json"});
    ASSERT_EQ(r.exit_code, 0) << family << ": " << r.err;
    const nlohmann::json report = nlohmann::json::parse(r.out);
    int with_value = 0;
    for (const auto& m : report.at("metrics")) with_value += m.at("value").is_number();
    EXPECT_GT(with_value, 0) << family << " has no metric with a value";
  }
}

TEST_F(MetricsCliTest, DrillAndCompareAndOnly) {
  CommandResult r =
      Metrics({"pr", "--metric", "pr.pickup_time", "--drill", "--compare", "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json report = nlohmann::json::parse(r.out);
  ASSERT_EQ(report.at("metrics").size(), 1u);
  const auto& m = report.at("metrics").at(0);
  EXPECT_EQ(m.at("key"), "pr.pickup_time");
  EXPECT_EQ(m.at("rows").size(), m.at("distribution").at("n").get<size_t>());
  EXPECT_TRUE(m.contains("previous"));
  EXPECT_EQ(m.at("rows").at(0).at("entity"), "pull-request");
}

TEST_F(MetricsCliTest, DevLakeModeIsSaid) {
  CommandResult r = Metrics({"dora", "--mode", "devlake", "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("DevLake-compatible definitions"), std::string::npos);
}

TEST_F(MetricsCliTest, BadInputGetsOneLineErrors) {
  ExpectOneLineError(Metrics({"velocity"}), "no metrics family 'velocity'");
  ExpectOneLineError(Metrics({"dora", "--team", "Nobody"}), "no team 'Nobody'");
  ExpectOneLineError(Metrics({"dora", "--team", "a", "--repo", "b"}), "give one scope");
  ExpectOneLineError(Metrics({"dora", "--scope", "squad:x"}), "is not one of org");
  ExpectOneLineError(Metrics({"dora", "--band-year", "2022"}), "no DORA bands for report year");
  ExpectOneLineError(Sei({"metrics", "dora", "--since", "yesterday"}), "--since 'yesterday'");
  ExpectOneLineError(Sei({"metrics", "dora", "--since", "2026-02-01", "--until", "2026-01-01"}),
                     "the time range is empty");
  CommandResult usage = Sei({"metrics", "dora", "--format", "xml"});
  EXPECT_EQ(usage.exit_code, 2) << usage.err;
  CommandResult none = RunCommand(
      {testing::BinaryDir() + "/bin/sei", "--db", dir_->Sub("absent.db"), "metrics", "dora"});
  ExpectOneLineError(none, "no database at");
}

TEST_F(MetricsCliTest, HelpHasExamples) {
  CommandResult r = Sei({"metrics", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* s : {"--team", "--since", "--band-year", "--drill", "--mode", "Examples:"}) {
    EXPECT_NE(r.out.find(s), std::string::npos) << s;
  }
}

}  // namespace
}  // namespace sei
