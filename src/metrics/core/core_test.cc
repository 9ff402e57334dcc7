// Order statistics, scopes, buckets and completeness notes.
#include <gtest/gtest.h>

#include "common/time.h"
#include "metrics/core/result.h"
#include "metrics/core/scope.h"
#include "metrics/core/stats.h"

namespace sei::metrics {
namespace {

int64_t At(const char* text) { return ParseTimestamp(text).value().unix_seconds; }

TEST(StatsTest, MedianOfEvenAndOddCounts) {
  std::vector<double> odd = {5, 1, 3};
  EXPECT_EQ(Median(&odd), 3.0);
  std::vector<double> even = {4, 1, 3, 2};
  EXPECT_EQ(Median(&even), 2.5);
  std::vector<double> none;
  EXPECT_FALSE(Median(&none).has_value());
}

TEST(StatsTest, PercentilesInterpolateBetweenRanks) {
  // numpy.percentile([1..10], [50, 75, 90]) = 5.5, 7.75, 9.1
  Distribution d = Summarize(std::vector<double>{10, 9, 8, 7, 6, 5, 4, 3, 2, 1}, true);
  EXPECT_EQ(d.n, 10);
  EXPECT_DOUBLE_EQ(*d.p50, 5.5);
  EXPECT_DOUBLE_EQ(*d.p75, 7.75);
  EXPECT_DOUBLE_EQ(*d.p90, 9.1);
  EXPECT_DOUBLE_EQ(*d.mean, 5.5);
  EXPECT_EQ(*d.min, 1);
  EXPECT_EQ(*d.max, 10);
}

TEST(StatsTest, EmptyHasNoValuesAndNoMeanUnlessAsked) {
  Distribution d = Summarize(std::vector<double>{});
  EXPECT_EQ(d.n, 0);
  EXPECT_FALSE(d.p50 || d.p75 || d.p90 || d.min || d.max || d.mean);
  Distribution one = Summarize(std::vector<double>{7});
  EXPECT_EQ(*one.p90, 7);
  EXPECT_FALSE(one.mean.has_value());
  EXPECT_FALSE(Ratio(1, 0).has_value());
  EXPECT_EQ(*Ratio(1, 4), 0.25);
}

TEST(ScopeTest, ParsesEveryKindAndRejectsOthers) {
  EXPECT_EQ(ParseScope("org").value().kind, ScopeKind::kOrg);
  Scope t = ParseScope("team:Platform Core").value();
  EXPECT_EQ(t.kind, ScopeKind::kTeam);
  EXPECT_EQ(t.id, "Platform Core");
  EXPECT_EQ(t.ToString(), "team:Platform Core");
  EXPECT_EQ(ParseScope("repo:git:local:repo:/a:b").value().id, "git:local:repo:/a:b");
  EXPECT_EQ(ParseScope("person:ann@example.com").value().kind, ScopeKind::kPerson);
  EXPECT_EQ(ParseScope("project:x").value().kind, ScopeKind::kProject);
  auto bad = ParseScope("squad:x");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("team:NAME"), std::string::npos);
  EXPECT_FALSE(ParseScope("team:").ok());
}

TEST(ScopeTest, BucketsAreUtcDaysMondayWeeksAndCalendarMonths) {
  const int64_t t = At("2024-02-29T13:00:00Z");  // a Thursday in a leap February
  EXPECT_EQ(BucketStart(t, Granularity::kDay), At("2024-02-29T00:00:00Z"));
  EXPECT_EQ(BucketStart(t, Granularity::kWeek), At("2024-02-26T00:00:00Z"));
  EXPECT_EQ(BucketStart(t, Granularity::kMonth), At("2024-02-01T00:00:00Z"));
  EXPECT_EQ(NextBucket(At("2024-12-01T00:00:00Z"), Granularity::kMonth),
            At("2025-01-01T00:00:00Z"));
  EXPECT_EQ(BucketStart(At("1969-12-31T23:00:00Z"), Granularity::kDay), At("1969-12-31T00:00:00Z"));
  TimeRange r{At("2024-01-15T00:00:00Z"), At("2024-04-01T00:00:00Z")};
  std::vector<int64_t> months = BucketStarts(r, Granularity::kMonth);
  ASSERT_EQ(months.size(), 3u);
  EXPECT_EQ(months[0], At("2024-01-01T00:00:00Z"));
  EXPECT_EQ(months[2], At("2024-03-01T00:00:00Z"));
  EXPECT_EQ(BucketStarts(r, Granularity::kWeek).size(), 11u);
  EXPECT_TRUE(BucketStarts({r.until, r.since}, Granularity::kDay).empty());
  EXPECT_EQ(r.Previous().until, r.since);
}

TEST(CompletenessTest, NotesRoundButNeverHideAGap) {
  Completeness c;
  c.NoteMissing(31, 100, "deployments have no linked commit");
  c.NoteMissing(1, 2000, "PRs have no first commit");
  c.NoteMissing(0, 10, "never shown");
  ASSERT_EQ(c.notes.size(), 2u);
  EXPECT_EQ(c.notes[0], "31% of deployments have no linked commit");
  EXPECT_EQ(c.notes[1], "0.1% of PRs have no first commit");
  EXPECT_FALSE(c.Fraction().has_value());
  c.total = 4;
  c.measured = 3;
  EXPECT_EQ(*c.Fraction(), 0.75);
}

TEST(QueryTest, OnlySelectsKeysAndPrefixes) {
  Query q;
  EXPECT_TRUE(q.Wants("dora.lead_time"));
  q.only = {"dora", "pr.pickup_time"};
  EXPECT_TRUE(q.Wants("dora.lead_time"));
  EXPECT_TRUE(q.Wants("pr.pickup_time"));
  EXPECT_FALSE(q.Wants("pr.review_time"));
  EXPECT_FALSE(q.Wants("doraemon"));
  // A group's shared inputs are wanted when one metric of it is.
  q.only = {"flow.investment_mix.type"};
  EXPECT_FALSE(q.Wants("flow.investment_mix"));
  EXPECT_TRUE(q.WantsAny("flow.investment_mix"));
  EXPECT_FALSE(q.WantsAny("flow.wip"));
  EXPECT_FALSE(q.WantsAny("flow.investment"));  // whole segments only
}

}  // namespace
}  // namespace sei::metrics
