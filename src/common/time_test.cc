#include "common/time.h"

#include <gtest/gtest.h>

namespace sei {
namespace {

struct Case {
  const char* text;
  int64_t seconds;  // expected values computed with `date -u -d TEXT +%s`
  int32_t nanos;
  int32_t offset;
  bool has_offset;
};

TEST(TimeTest, ParsesEveryFormatTheSourcesUse) {
  const Case cases[] = {
      {"2017-12-10T17:01:11Z", 1512925271, 0, 0, true},              // GitHub
      {"2017-12-10t17:01:11z", 1512925271, 0, 0, true},              // lower case
      {"2019-06-28T05:21:43.743Z", 1561699303, 743000000, 0, true},  // GitLab millis
      {"2022-11-03T06:23:06.000000Z", 1667456586, 0, 0, true},       // DevLake 6 digits
      {"2017-12-10T17:01:11.123456789Z", 1512925271, 123456789, 0, true},
      {"2017-12-10T17:01:11.1234567891Z", 1512925271, 123456789, 0, true},  // truncated
      {"2017-12-10T17:01:11+08:00", 1512896471, 0, 480, true},              // Actions steps
      {"2021-02-18T14:59:13.000+08:00", 1613631553, 0, 480, true},
      {"2020-06-12T08:13:13.360+0800", 1591920793, 360000000, 480, true},  // Jira
      {"2021-04-28 21:50:00 +0200", 1619639400, 0, 120, true},             // GitLab hook
      {"2021-04-28T21:50:00-05:00", 1619664600, 0, -300, true},
      {"2021-04-28T21:50:00-05", 1619664600, 0, -300, true},  // hour only
      {"2017-12-10 17:01:11 UTC", 1512925271, 0, 0, true},    // GitLab hooks
      {"2016-04-19 18:51:32 GMT", 1461091892, 0, 0, true},    // Jenkins changeSet
      {"2017-12-10 17:01:11", 1512925271, 0, 0, false},       // no zone
      {"2019-06-28", 1561680000, 0, 0, false},                // date only
      {"1544462471", 1544462471, 0, 0, true},                 // epoch seconds
      {"1544462471123", 1544462471, 123000000, 0, true},      // epoch millis
      {"1969-07-20T20:17:40Z", -14182940, 0, 0, true},        // before 1970
      {"1900-03-01T00:00:00Z", -2203891200, 0, 0, true},
      {"2000-02-29T12:00:00Z", 951825600, 0, 0, true},  // leap 2000
      {"2024-02-29T23:59:59-12:00", 1709294399, 0, -720, true},
      {"2038-01-19T03:14:08Z", 2147483648, 0, 0, true},  // past 2^31
  };
  for (const Case& c : cases) {
    auto t = ParseTimestamp(c.text);
    ASSERT_TRUE(t.ok()) << c.text << ": " << t.status().ToString();
    EXPECT_EQ(t->unix_seconds, c.seconds) << c.text;
    EXPECT_EQ(t->nanos, c.nanos) << c.text;
    EXPECT_EQ(t->offset_minutes, c.offset) << c.text;
    EXPECT_EQ(t->has_offset, c.has_offset) << c.text;
  }
  EXPECT_EQ(ParseTimestamp("2019-06-28T05:21:43.743Z")->UnixMillis(), 1561699303743);
}

TEST(TimeTest, RejectsGarbageWithTheTextInTheMessage) {
  for (const char* bad :
       {"", "yesterday", "2017-13-10T00:00:00Z", "2017-12-32T00:00:00Z", "2019-02-29T00:00:00Z",
        "1900-02-29", "2017-12-10T25:00:00Z", "2017-12-10T17:61:00Z", "2017-12-10T17:01:11+19:00",
        "2017-12-10T17:01:11Zjunk", "2017-12-10X17:01:11Z", "2017-12-10T17:01:11.Z",
        "12345678901234567890"}) {
    auto t = ParseTimestamp(bad);
    ASSERT_FALSE(t.ok()) << "accepted: " << bad;
    EXPECT_EQ(t.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(t.status().message().find(std::string("'") + bad + "'"), std::string::npos)
        << t.status().message();
  }
}

TEST(TimeTest, FormatsAndRoundTrips) {
  EXPECT_EQ(FormatRfc3339Utc(1512925271), "2017-12-10T17:01:11Z");
  EXPECT_EQ(FormatRfc3339Utc(1512925271, 120000000), "2017-12-10T17:01:11.12Z");
  EXPECT_EQ(FormatRfc3339(1512896471, 480), "2017-12-10T17:01:11+08:00");
  EXPECT_EQ(FormatRfc3339(1619664600, -300), "2021-04-28T21:50:00-05:00");
  EXPECT_EQ(FormatRfc3339Utc(-14182940), "1969-07-20T20:17:40Z");
  for (int64_t t :
       {int64_t{0}, int64_t{-1}, int64_t{951825600}, int64_t{4102444800}, int64_t{-2203891200}}) {
    for (int32_t off : {0, 330, -720, 840}) {
      auto back = ParseTimestamp(FormatRfc3339(t, off));
      ASSERT_TRUE(back.ok());
      EXPECT_EQ(back->unix_seconds, t);
      EXPECT_EQ(back->offset_minutes, off);
    }
  }
}

TEST(TimeTest, CivilDaysAndLeapYears) {
  EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(DaysFromCivil(2000, 3, 1) - DaysFromCivil(2000, 2, 28), 2);  // 2000 is leap
  EXPECT_EQ(DaysFromCivil(1900, 3, 1) - DaysFromCivil(1900, 2, 28), 1);  // 1900 is not
  EXPECT_EQ(DaysFromCivil(2024, 3, 1) - DaysFromCivil(2024, 2, 28), 2);
  for (int64_t days :
       {int64_t{-800000}, int64_t{-1}, int64_t{0}, int64_t{19000}, int64_t{2932896}}) {
    int64_t y;
    unsigned m, d;
    CivilFromDays(days, &y, &m, &d);
    EXPECT_EQ(DaysFromCivil(y, m, d), days);
  }
}

TEST(TimeTest, IsoWeeks) {
  auto at = [](const char* s) { return ParseTimestamp(s)->unix_seconds; };
  EXPECT_EQ(IsoWeekLabel(at("2020-12-31T12:00:00Z")), "2020-W53");
  EXPECT_EQ(IsoWeekLabel(at("2021-01-03T23:59:59Z")), "2020-W53");
  EXPECT_EQ(IsoWeekLabel(at("2021-01-04T00:00:00Z")), "2021-W01");
  EXPECT_EQ(IsoWeekLabel(at("2026-11-22T10:00:00Z")), "2026-W47");
  EXPECT_EQ(IsoWeekLabel(at("2019-12-30T00:00:00Z")), "2020-W01");
  EXPECT_EQ(WeekStartUtc(at("2026-11-22T10:00:00Z")), at("2026-11-16T00:00:00Z"));
  EXPECT_EQ(WeekStartUtc(at("1970-01-01T00:00:00Z")), at("1969-12-29T00:00:00Z"));
  EXPECT_EQ(WeekStartUtc(at("1969-12-31T23:00:00Z")), at("1969-12-29T00:00:00Z"));
}

TEST(TimeTest, GitOffsets) {
  EXPECT_EQ(*ParseGitOffset("+0530"), 330);
  EXPECT_EQ(*ParseGitOffset("-0800"), -480);
  EXPECT_EQ(*ParseGitOffset("+1400"), 840);
  EXPECT_FALSE(ParseGitOffset("0530").ok());
  EXPECT_FALSE(ParseGitOffset("+05:30x").ok());
  EXPECT_EQ(FormatGitOffset(330), "+0530");
  EXPECT_EQ(FormatGitOffset(-720), "-1200");
  EXPECT_EQ(FormatGitOffset(0), "+0000");
}

}  // namespace
}  // namespace sei
