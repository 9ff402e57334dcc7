// Human units in the metrics table, and the CSV shape.
#include "app/metrics_format.h"

#include <gtest/gtest.h>

namespace sei::app {
namespace {

TEST(MetricsFormatTest, DurationsReadLikePeopleSayThem) {
  EXPECT_EQ(HumanDuration(std::nullopt), "-");
  EXPECT_EQ(HumanDuration(12), "12s");
  EXPECT_EQ(HumanDuration(45 * 60), "45m");
  EXPECT_EQ(HumanDuration(3600), "1h");
  EXPECT_EQ(HumanDuration(3600 + 30 * 60), "1h 30m");
  EXPECT_EQ(HumanDuration(100800), "1d 4h");
  EXPECT_EQ(HumanDuration(7 * 86400), "7d");
  EXPECT_EQ(HumanDuration(-90), "-2m");
}

TEST(MetricsFormatTest, ValuesInTheirUnit) {
  EXPECT_EQ(HumanValue("ratio", 0.6), "60%");
  EXPECT_EQ(HumanValue("ratio", 0.0333), "3.3%");
  EXPECT_EQ(HumanValue("ratio", 0.0), "0%");
  EXPECT_EQ(HumanValue("per_week", 3.25), "3.25/week");
  EXPECT_EQ(HumanValue("lines", 150), "150 lines");
  EXPECT_EQ(HumanValue("count", 2.5), "2.5");
  EXPECT_EQ(HumanValue("count", std::nullopt), "-");
}

TEST(MetricsFormatTest, CsvHasOneRowPerMetricAndQuotesNotes) {
  metrics::Report r;
  r.family = "dora";
  r.query.range = {1704067200, 1706745600};
  metrics::Metric m;
  m.key = "dora.lead_time";
  m.name = "Lead time for changes";
  m.unit = "seconds";
  m.statistic = "median";
  m.value = 100800;
  m.distribution.n = 3;
  m.completeness.total = 4;
  m.completeness.measured = 3;
  m.completeness.notes = {"25% of deployments, say, \"unlinked\""};
  r.metrics.push_back(m);
  r.metrics.push_back(metrics::Metric{});
  const std::string csv = FormatCsv(r);
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 3);
  EXPECT_NE(csv.find(",dora.lead_time,Lead time for changes,1,seconds,median,100800,3,"),
            std::string::npos)
      << csv;
  EXPECT_NE(csv.find(",0.75,\"25% of deployments, say, \"\"unlinked\"\"\""), std::string::npos)
      << csv;
}

}  // namespace
}  // namespace sei::app
