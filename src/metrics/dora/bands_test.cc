// The band tables in dora_bands.json: every year has every metric, bands
// are ordered best first, and the thresholds the reports publish land where
// docs/metrics.md says.
#include "metrics/dora/bands.h"

#include <gtest/gtest.h>

namespace sei::metrics::dora {
namespace {

constexpr double kHour = 3600, kDay = 86400, kWeek = 7 * kDay, kMonth = 30 * kDay;

std::string Band(const char* year, const char* metric, double v) {
  const BandTable* t = BandsFor(year).value();
  return Classify(*t, metric, v).value_or("none");
}

TEST(BandsTest, EveryYearHasEveryMetricBestFirst) {
  EXPECT_EQ(BandYears(), (std::vector<std::string>{"2021", "2023", "2024"}));
  for (const std::string& y : BandYears()) {
    const BandTable* t = BandsFor(y).value();
    EXPECT_FALSE(t->source.empty()) << y;
    for (const char* m : {"deployment_frequency", "lead_time", "change_failure_rate",
                          "failed_deployment_recovery_time", "time_to_restore"}) {
      ASSERT_TRUE(t->metrics.count(m)) << y << " " << m;
      const auto& rules = t->metrics.at(m);
      EXPECT_EQ(rules.front().band, "elite") << y << " " << m;
      EXPECT_EQ(rules.back().band, "low") << y << " " << m;
    }
  }
  auto bad = BandsFor("2022");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("2021, 2023, 2024"), std::string::npos);
}

TEST(BandsTest, LeadTimeBoundaries) {
  EXPECT_EQ(Band("2021", "lead_time", 59 * 60), "elite");
  EXPECT_EQ(Band("2021", "lead_time", kHour), "high");
  EXPECT_EQ(Band("2021", "lead_time", 10 * kDay), "medium");
  EXPECT_EQ(Band("2021", "lead_time", 200 * kDay), "low");
  EXPECT_EQ(Band("2023", "lead_time", 23 * kHour), "elite");
  EXPECT_EQ(Band("2023", "lead_time", kDay), "high");
  EXPECT_EQ(Band("2023", "lead_time", kWeek), "medium");
  EXPECT_EQ(Band("2023", "lead_time", kMonth), "low");
  EXPECT_EQ(Band("2024", "lead_time", 45 * kDay), "low");
}

TEST(BandsTest, ChangeFailureRateBoundariesIncludeTheirEdge) {
  EXPECT_EQ(Band("2021", "change_failure_rate", 0.15), "elite");
  EXPECT_EQ(Band("2021", "change_failure_rate", 0.18), "high");
  EXPECT_EQ(Band("2021", "change_failure_rate", 0.31), "low");
  EXPECT_EQ(Band("2023", "change_failure_rate", 0.05), "elite");
  EXPECT_EQ(Band("2023", "change_failure_rate", 0.10), "high");
  EXPECT_EQ(Band("2023", "change_failure_rate", 0.12), "medium");
  EXPECT_EQ(Band("2023", "change_failure_rate", 0.18), "low");
  EXPECT_EQ(Band("2024", "change_failure_rate", 0.18), "high");
  EXPECT_EQ(Band("2024", "change_failure_rate", 0.25), "medium");
  EXPECT_EQ(Band("2024", "change_failure_rate", 0.45), "low");
}

TEST(BandsTest, RecoveryBoundaries) {
  EXPECT_EQ(Band("2023", "failed_deployment_recovery_time", 30 * 60), "elite");
  EXPECT_EQ(Band("2023", "failed_deployment_recovery_time", 5 * kHour), "high");
  EXPECT_EQ(Band("2023", "failed_deployment_recovery_time", 3 * kDay), "medium");
  EXPECT_EQ(Band("2023", "failed_deployment_recovery_time", 2 * kWeek), "low");
  EXPECT_EQ(Band("2021", "time_to_restore", 2 * kWeek), "low");
}

TEST(BandsTest, DeploymentFrequencyTestsTheNamedMeasure) {
  const BandTable* y2023 = BandsFor("2023").value();
  const BandTable* y2021 = BandsFor("2021").value();
  FrequencyMeasures m{5, 20, 110};
  EXPECT_EQ(ClassifyFrequency(*y2023, m), "elite");
  m = {1, 4, 25};
  EXPECT_EQ(ClassifyFrequency(*y2023, m), "high");
  EXPECT_EQ(ClassifyFrequency(*y2021, m), "high");  // 2021 high: once per day to once per month
  m = {0, 1, 6};
  EXPECT_EQ(ClassifyFrequency(*y2023, m), "medium");
  EXPECT_EQ(ClassifyFrequency(*y2021, m), "high");
  m = {0, 0, 2};
  EXPECT_EQ(ClassifyFrequency(*y2023, m), "low");
  EXPECT_EQ(ClassifyFrequency(*y2021, m), "medium");
  m = {0, 0, 0};
  EXPECT_EQ(ClassifyFrequency(*y2021, m), "low");
}

}  // namespace
}  // namespace sei::metrics::dora
