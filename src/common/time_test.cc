#include "common/time.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.h"
// tests/ is not on common_test's include path; the fake is header-only.
#include "fakes/fake_clock.h"

namespace sei {
namespace {

struct Case {
  const char* text;
  int64_t seconds;  // expected values from `date -u -d <equivalent text> +%s`
  int32_t nanos;
  int32_t offset;
  bool has_offset;
};

// One row per shape; the comment says where the shape occurs.
constexpr Case kCases[] = {
    {"2017-12-10T17:01:11Z", 1512925271, 0, 0, true},              // GitHub REST, webhooks
    {"2017-12-10t17:01:11z", 1512925271, 0, 0, true},              // lower case
    {"2019-06-28T05:21:43.743Z", 1561699303, 743000000, 0, true},  // GitLab REST
    {"2022-11-03T06:23:06.000000Z", 1667456586, 0, 0, true},       // PagerDuty via DevLake
    {"2017-12-10T17:01:11.1Z", 1512925271, 100000000, 0, true},    // one digit
    {"2017-12-10T17:01:11.123456789Z", 1512925271, 123456789, 0, true},
    {"2017-12-10T17:01:11.1234567899Z", 1512925271, 123456789, 0, true},  // truncated
    {"2017-12-10T17:01:11,5Z", 1512925271, 500000000, 0, true},           // ISO comma
    {"2017-12-10T17:01:11+08:00", 1512896471, 0, 480, true},
    {"2021-02-18T14:59:13.000+08:00", 1613631553, 0, 480, true},         // Actions steps
    {"2022-12-02T10:09:07.6+08:00", 1669946947, 600000000, 480, true},   // DevLake CSV
    {"2020-06-12T08:13:13.360+0800", 1591920793, 360000000, 480, true},  // Jira
    {"2020-09-28T14:05:20.000+0800", 1601273120, 0, 480, true},          // Jira
    {"2015-12-07T14:19:13.000-0800", 1449526753, 0, -480, true},         // Jira Server
    {"2021-04-28 21:50:00 +0200", 1619639400, 0, 120, true},             // GitLab deploy hook
    {"2021-04-28T21:50:00-05:00", 1619664600, 0, -300, true},            // PagerDuty services
    {"2021-04-28T21:50:00-05", 1619664600, 0, -300, true},               // hour-only offset
    {"2021-04-28T21:50:00+05:45", 1619625900, 0, 345, true},             // Nepal
    {"2015-10-21T16:29:00+14:00", 1445394540, 0, 840, true},             // Kiribati
    {"2017-12-10T17:01:11+18:00", 1512860471, 0, 1080, true},            // the limit
    {"2017-12-10 17:01:11 UTC", 1512925271, 0, 0, true},                 // GitLab hooks
    {"2016-04-19 18:51:32 GMT", 1461091892, 0, 0, true},                 // Jenkins changeSet
    {"2017-12-10 17:01:11 +0000", 1512925271, 0, 0, true},
    {"2017-12-10 17:01:11 Z", 1512925271, 0, 0, true},
    {"2022-06-13 15:36:32.376356+00:00", 1655134592, 376356000, 0, true},  // DevLake CSV
    {"2017-12-10 17:01:11", 1512925271, 0, 0, false},                      // no zone
    {"2022-09-10 6:51:47", 1662792707, 0, 0, false},                       // DevLake CSV
    {"2022-09-10 06:51:47.123", 1662792707, 123000000, 0, false},          // DevLake CSV
    {"2019-06-28", 1561680000, 0, 0, false},                               // GitLab due_date
    {"2017-12-10T17:01Z", 1512925260, 0, 0, true},                         // no seconds
    {"  2017-12-10T17:01:11Z\r\n", 1512925271, 0, 0, true},                // whitespace
    {"1557933565", 1557933565, 0, 0, true},                        // push webhook created_at
    {"1711277071589", 1711277071, 589000000, 0, true},             // Jenkins timestamp (ms)
    {"100000000000", 100000000000, 0, 0, true},                    // 1e11: still seconds
    {"100000000001", 100000000, 1000000, 0, true},                 // > 1e11: milliseconds
    {"-14182940", -14182940, 0, 0, true},                          // negative epoch seconds
    {"-100000000001", -100000001, 999000000, 0, true},             // negative milliseconds
    {"1512925271 +0800", 1512925271, 0, 480, true},                // git raw
    {"1512925271 -0000", 1512925271, 0, 0, true},                  // git raw
    {"Wed, 07 Jun 2023 08:27:45 GMT", 1686126465, 0, 0, true},     // HTTP Date header
    {"Fri, 06 Dec 2013 09:00:01 +0100", 1386316801, 0, 60, true},  // RFC 2822
    {"6 dec 2013 08:00:01 UT", 1386316801, 0, 0, true},
    {"2016-12-31T23:59:60Z", 1483228800, 0, 0, true},  // leap second: the next second
    {"1969-07-20T20:17:40Z", -14182940, 0, 0, true},   // before 1970
    {"1969-12-31T23:59:59.5Z", -1, 500000000, 0, true},
    {"1960-01-01", -315619200, 0, 0, false},
    {"1900-02-28T00:00:00Z", -2203977600, 0, 0, true},
    {"1900-03-01T00:00:00Z", -2203891200, 0, 0, true},  // 1900 is not leap
    {"2000-02-29T12:00:00Z", 951825600, 0, 0, true},    // 2000 is
    {"2024-02-29T23:59:59-12:00", 1709294399, 0, -720, true},
    {"2038-01-19T03:14:08Z", 2147483648, 0, 0, true},  // past 2^31
    {"0000-01-01T00:00:00Z", -62167219200, 0, 0, true},
    {"0001-01-01", -62135596800, 0, 0, false},
    {"9999-12-31T23:59:59Z", 253402300799, 0, 0, true},
};

TEST(TimeTest, ParsesEveryShapeTheSourcesUse) {
  for (const Case& c : kCases) {
    Result<Timestamp> t = ParseTimestamp(c.text);
    ASSERT_TRUE(t.ok()) << c.text << ": " << t.status().ToString();
    EXPECT_EQ(t->unix_seconds, c.seconds) << c.text;
    EXPECT_EQ(t->nanos, c.nanos) << c.text;
    EXPECT_EQ(t->offset_minutes, c.offset) << c.text;
    EXPECT_EQ(t->has_offset, c.has_offset) << c.text;
  }
}

TEST(TimeTest, UnixMillis) {
  EXPECT_EQ(ParseTimestamp("2019-06-28T05:21:43.743Z")->UnixMillis(), 1561699303743);
  EXPECT_EQ(ParseTimestamp("1711277071589")->UnixMillis(), 1711277071589);
  EXPECT_EQ(ParseTimestamp("1969-12-31T23:59:59.5Z")->UnixMillis(), -500);
  EXPECT_EQ(ParseTimestamp("-100000000001")->UnixMillis(), -100000000001);
}

struct Rejection {
  const char* text;
  const char* why;  // a phrase the message must contain
};

constexpr Rejection kRejections[] = {
    {"", "empty"},
    {"   ", "empty"},
    {"yesterday", "weekday"},
    {"2017-13-10T00:00:00Z", "month 13"},
    {"2017-00-10", "month 0"},
    {"2017-12-32T00:00:00Z", "day 32"},
    {"2017-04-31", "day 31 is not in 01..30"},
    {"2019-02-29T00:00:00Z", "day 29 is not in 01..28"},  // not a leap year
    {"2021-02-30", "day 30"},
    {"1900-02-29", "day 29"},
    {"2017-12-10T25:00:00Z", "hour 25"},
    {"2017-12-10T24:00:00Z", "hour 24"},
    {"2017-12-10T17:60:00Z", "minute 60"},
    {"2017-12-10T17:01:61Z", "second 61"},
    {"2017-12-10T17:01:11+19:00", "18:00"},
    {"2017-12-10T17:01:11-18:01", "18:00"},
    {"2017-12-10T17:01:11+08:60", "minutes 60"},
    {"2017-12-10T17:01:11+8", "hours"},
    {"2017-12-10T17:01:11+08:0", "minutes"},
    {"2017-12-10T17:01:11+08:00:00", "unexpected ':00'"},
    {"2017-12-10T17:01:11Zjunk", "zone"},
    {"2017-12-10T17:01:11 PST", "zone"},
    {"2017-12-10X17:01:11Z", "'T' or a space"},
    {"2017-12-10T17:01:11.Z", "decimal point"},
    {"2017-12-10T", "HH:MM"},
    {"2017-12-10T17", "HH:MM"},
    {"2017-12-10T17:1:00Z", "HH:MM"},
    {"2017-12-10T17:01:1Z", "seconds"},
    {"17-12-10", "after the number"},
    {"2017-1-10", "YYYY-MM-DD"},
    {"2017/12/10", "after the number"},
    {"1544462471x", "after the number"},
    {"1544462471.5", "after the number"},
    {"1512925271 +0860", "git"},
    {"-", "digits"},
    {"12345678901234567890", "more than 18 digits"},
    {"999999999999999999", "0000..9999"},
    {"-99999999999", "0000..9999"},
    {"Tue 14 May 2019 12:34:56 GMT", "weekday"},
    {"Tue, 14 Mai 2019 12:34:56 GMT", "month name"},
    {"Tue, 30 Feb 2019 12:00:00 GMT", "day 30"},
    {"Tue, 14 May 2019 12:34:56", "zone"},
    {"Tue, 14 May 19 12:34:56 GMT", "year"},
    {"+2017-12-10", "neither a date nor a number"},
};

TEST(TimeTest, RejectsGarbageNamingTheTextAndWhatWasExpected) {
  for (const Rejection& r : kRejections) {
    Result<Timestamp> t = ParseTimestamp(r.text);
    ASSERT_FALSE(t.ok()) << "accepted '" << r.text << "' as " << t->unix_seconds;
    EXPECT_EQ(t.status().code(), StatusCode::kInvalidArgument);
    const std::string& m = t.status().message();
    EXPECT_NE(m.find(std::string("'") + r.text + "'"), std::string::npos) << m;
    EXPECT_NE(m.find(r.why), std::string::npos) << r.text << ": " << m;
    EXPECT_NE(m.find("expected"), std::string::npos) << m;
  }
}

TEST(TimeTest, ErrorMessagesAreBoundedAndPrintable) {
  std::string long_junk = "2017-12-10T17:01:11Z" + std::string(1000, 'x');
  std::string m = ParseTimestamp(long_junk).status().message();
  EXPECT_LT(m.size(), 600u) << m;
  EXPECT_NE(m.find("xxx..."), std::string::npos) << m;
  m = ParseTimestamp(std::string_view("2017-12-10\x01\x02", 12)).status().message();
  EXPECT_NE(m.find("'2017-12-10?"
                   "?'"),
            std::string::npos)
      << m;
}

TEST(TimeTest, Formats) {
  EXPECT_EQ(FormatRfc3339Utc(1512925271), "2017-12-10T17:01:11Z");
  EXPECT_EQ(FormatRfc3339Utc(1512925271, 120000000), "2017-12-10T17:01:11.12Z");
  EXPECT_EQ(FormatRfc3339Utc(1512925271, 1), "2017-12-10T17:01:11.000000001Z");
  EXPECT_EQ(FormatRfc3339Utc(1561699303, 743000000), "2019-06-28T05:21:43.743Z");
  EXPECT_EQ(FormatRfc3339(1512925271, 480), "2017-12-11T01:01:11+08:00");
  EXPECT_EQ(FormatRfc3339(1512896471, 480), "2017-12-10T17:01:11+08:00");
  EXPECT_EQ(FormatRfc3339(1619664600, -300), "2021-04-28T21:50:00-05:00");
  EXPECT_EQ(FormatRfc3339(1619625900, 345), "2021-04-28T21:50:00+05:45");
  EXPECT_EQ(FormatRfc3339(1512925271, 0), "2017-12-10T17:01:11Z");
  EXPECT_EQ(FormatRfc3339Utc(-14182940), "1969-07-20T20:17:40Z");
  EXPECT_EQ(FormatRfc3339Utc(-1), "1969-12-31T23:59:59Z");
  EXPECT_EQ(FormatRfc3339Utc(-62167219200), "0000-01-01T00:00:00Z");
  EXPECT_EQ(FormatRfc3339Utc(253402300799), "9999-12-31T23:59:59Z");
  EXPECT_EQ(FormatRfc3339Utc(253402300800), "10000-01-01T00:00:00Z");  // beyond RFC 3339
}

TEST(TimeTest, FormatThenParseRoundTrips) {
  // A deterministic sweep over years 0000..9999 (64-bit LCG).
  uint64_t state = 42;
  const int64_t span = 253402300799 - -62167219200 + 1;
  for (int i = 0; i < 20000; ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    const int64_t t = -62167219200 + static_cast<int64_t>((state >> 11) % span);
    const auto nanos = static_cast<int32_t>((state >> 3) % 1000000000);
    const int32_t offsets[] = {0, 330, 345, -570, -720, 840};
    const int32_t off = offsets[i % 6];
    Result<Timestamp> utc = ParseTimestamp(FormatRfc3339Utc(t, nanos));
    ASSERT_TRUE(utc.ok()) << utc.status().ToString();
    EXPECT_EQ(utc->unix_seconds, t);
    EXPECT_EQ(utc->nanos, nanos);
    if (t + off * 60 < -62167219200 || t + off * 60 > 253402300799) continue;
    Result<Timestamp> local = ParseTimestamp(FormatRfc3339(t, off));
    ASSERT_TRUE(local.ok()) << local.status().ToString();
    EXPECT_EQ(local->unix_seconds, t) << FormatRfc3339(t, off);
    EXPECT_EQ(local->offset_minutes, off);
  }
}

TEST(TimeTest, CivilDaysAndLeapYears) {
  EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(DaysFromCivil(1969, 12, 31), -1);
  EXPECT_EQ(DaysFromCivil(2000, 3, 1) - DaysFromCivil(2000, 2, 28), 2);  // 2000 is leap
  EXPECT_EQ(DaysFromCivil(1900, 3, 1) - DaysFromCivil(1900, 2, 28), 1);  // 1900 is not
  EXPECT_EQ(DaysFromCivil(2024, 3, 1) - DaysFromCivil(2024, 2, 28), 2);  // 2024 is
  EXPECT_EQ(DaysFromCivil(2023, 3, 1) - DaysFromCivil(2023, 2, 28), 1);
  EXPECT_EQ(DaysFromCivil(0, 1, 1), -719528);
  // Walk every day of years 0..9999 with a naive calendar and compare both ways.
  const int kMonthDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int64_t expected = DaysFromCivil(0, 1, 1);
  for (int64_t y = 0; y <= 9999; ++y) {
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    for (unsigned m = 1; m <= 12; ++m) {
      const int days = kMonthDays[m - 1] + (m == 2 && leap ? 1 : 0);
      for (unsigned d = 1; d <= static_cast<unsigned>(days); ++d, ++expected) {
        ASSERT_EQ(DaysFromCivil(y, m, d), expected) << y << "-" << m << "-" << d;
        int64_t yy;
        unsigned mm, dd;
        CivilFromDays(expected, &yy, &mm, &dd);
        ASSERT_TRUE(yy == y && mm == m && dd == d) << expected;
      }
    }
  }
  EXPECT_EQ(expected, DaysFromCivil(10000, 1, 1));
}

TEST(TimeTest, IsoWeeks) {
  // Labels and Mondays from `date -u -d DAY +%G-W%V` and `+%u`.
  struct Week {
    int64_t at;  // noon UTC of the day
    const char* day;
    const char* label;
    int64_t monday;
  };
  const Week weeks[] = {
      {1609416000, "2020-12-31", "2020-W53", 1609113600},
      {1609113600 + 6 * 86400 + 43200, "2021-01-03", "2020-W53", 1609113600},
      {1609718400 + 43200, "2021-01-04", "2021-W01", 1609718400},
      {1795341600, "2026-11-22", "2026-W47", 1794787200},
      {1577664000 + 43200, "2019-12-30", "2020-W01", 1577664000},
      {1546214400 + 43200, "2018-12-31", "2019-W01", 1546214400},
      {1451260800 + 3 * 86400 + 43200, "2015-12-31", "2015-W53", 1451260800},
      {1798416000 + 4 * 86400 + 43200, "2027-01-01", "2026-W53", 1798416000},
      {1104105600 + 6 * 86400 + 43200, "2005-01-02", "2004-W53", 1104105600},
      {-259200 + 2 * 86400 + 43200, "1969-12-31", "1970-W01", -259200},
      {-2208988800 + 43200, "1900-01-01", "1900-W01", -2208988800},
  };
  for (const Week& w : weeks) {
    ASSERT_EQ(FormatRfc3339Utc(w.at).substr(0, 10), w.day);
    EXPECT_EQ(IsoWeekLabel(w.at), w.label) << w.day;
    EXPECT_EQ(WeekStartUtc(w.at), w.monday) << w.day;
    EXPECT_EQ(WeekStartUtc(w.monday), w.monday) << w.day;                  // Monday 00:00 itself
    EXPECT_EQ(WeekStartUtc(w.monday - 1), w.monday - 7 * 86400) << w.day;  // Sunday 23:59:59
  }
  // Every week start is a Monday (1970-01-05 was one) at or before the instant.
  for (int64_t t = -5000000000; t < 5000000000; t += 987654321) {
    const int64_t start = WeekStartUtc(t);
    EXPECT_LE(start, t);
    EXPECT_GT(start + 7 * 86400, t);
    EXPECT_EQ(((start / 86400 - 4) % 7 + 7) % 7, 0) << t;
  }
}

TEST(TimeTest, GitOffsets) {
  EXPECT_EQ(*ParseGitOffset("+0530"), 330);
  EXPECT_EQ(*ParseGitOffset("-0800"), -480);
  EXPECT_EQ(*ParseGitOffset("+1400"), 840);
  EXPECT_EQ(*ParseGitOffset("-0000"), 0);
  EXPECT_EQ(*ParseGitOffset("+1800"), 1080);
  for (const char* bad : {"", "0530", "+05:30", "+530", "+05300", "+0560", "+1801", "-1900",
                          "+05a0", "Z", " +0530"}) {
    Result<int32_t> r = ParseGitOffset(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(r.status().message().find(std::string("'") + bad + "'"), std::string::npos)
        << r.status().message();
  }
  EXPECT_EQ(FormatGitOffset(330), "+0530");
  EXPECT_EQ(FormatGitOffset(-720), "-1200");
  EXPECT_EQ(FormatGitOffset(-30), "-0030");
  EXPECT_EQ(FormatGitOffset(0), "+0000");
  for (int32_t m = -1080; m <= 1080; ++m) EXPECT_EQ(*ParseGitOffset(FormatGitOffset(m)), m);
}

TEST(ClockTest, FakeClockSetsAndAdvances) {
  FakeClock clock(1512925271000);
  const Clock& as_clock = clock;
  EXPECT_EQ(as_clock.NowUnixMillis(), 1512925271000);
  EXPECT_EQ(as_clock.NowUnixSeconds(), 1512925271);
  EXPECT_EQ(clock.AdvanceMillis(1500), 1512925272500);
  EXPECT_EQ(clock.AdvanceSeconds(-2), 1512925270500);
  clock.SetUnixSeconds(-1);
  EXPECT_EQ(clock.NowUnixMillis(), -1000);
  clock.SetUnixMillis(-1);
  EXPECT_EQ(clock.NowUnixSeconds(), -1);  // floor, not truncation
  EXPECT_EQ(FakeClock().NowUnixMillis(), 0);
}

TEST(ClockTest, FakeClockIsThreadSafe) {
  FakeClock clock;
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&clock] {
      for (int k = 0; k < 10000; ++k) {
        clock.AdvanceMillis(1);
        (void)clock.NowUnixMillis();
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(clock.NowUnixMillis(), 40000);
}

TEST(ClockTest, SystemClockTracksTheWallClock) {
  const int64_t before = static_cast<int64_t>(std::time(nullptr));
  const int64_t now = SystemClock::Get().NowUnixSeconds();
  const int64_t after = static_cast<int64_t>(std::time(nullptr));
  // time() reads Linux's coarse clock, which can lag the precise one the
  // SystemClock reads by a tick: across a second boundary `now` may be one
  // second past `after` (seen once in a full ctest run).
  EXPECT_GE(now, before);
  EXPECT_LE(now, after + 1);
  EXPECT_GT(SystemClock().NowUnixMillis(), 1577836800000);  // after 2020-01-01
}

// ../shared/fixtures, found from $SEI_SOURCE_DIR or this file's location.
std::filesystem::path SharedFixtures() {
  const char* env = std::getenv("SEI_SOURCE_DIR");
  std::filesystem::path src = env ? std::filesystem::path(env)
                                  : std::filesystem::path(__FILE__).parent_path() / ".." / "..";
  return src / ".." / "shared" / "fixtures";
}

// Every string that starts like a date ("YYYY-MM-DD" then end, 'T' or ' ')
// or an HTTP date right after a quote or a comma, up to the closing quote,
// comma or line end.
std::vector<std::string> TimestampLikeValues(const std::string& body) {
  std::vector<std::string> out;
  for (size_t i = 1; i + 10 <= body.size(); ++i) {
    const char before = body[i - 1];
    if (before != '"' && before != ',' && before != '\n') continue;
    const std::string_view rest(body.data() + i, std::min<size_t>(body.size() - i, 64));
    const bool iso = rest.size() >= 10 && rest[4] == '-' && rest[7] == '-' &&
                     std::isdigit(static_cast<unsigned char>(rest[0])) &&
                     (rest.size() == 10 || rest[10] == 'T' || rest[10] == ' ' || rest[10] == '"' ||
                      rest[10] == ',' || rest[10] == '\n');
    const size_t day = std::string_view("MonTueWedThuFriSatSun").find(rest.substr(0, 3));
    const bool http = rest.size() > 5 && rest.substr(3, 2) == ", " &&
                      day != std::string_view::npos && day % 3 == 0;
    if (!iso && !http) continue;
    const size_t end = rest.find_first_of(before == '"' ? "\"\\\n" : ",\"\\\n");
    out.emplace_back(rest.substr(0, end));
  }
  return out;
}

TEST(TimeTest, ParsesEveryTimestampInTheSharedFixtures) {
  const std::filesystem::path root = SharedFixtures();
  if (!std::filesystem::is_directory(root)) {
    GTEST_SKIP() << "no shared fixtures at " << root << " (set SEI_SOURCE_DIR)";
  }
  size_t parsed = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    const std::string ext = entry.path().extension().string();
    if (!entry.is_regular_file() || (ext != ".json" && ext != ".csv")) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream body;
    body << in.rdbuf();
    for (const std::string& value : TimestampLikeValues(body.str())) {
      Result<Timestamp> t = ParseTimestamp(value);
      EXPECT_TRUE(t.ok()) << entry.path() << ": " << t.status().ToString();
      ++parsed;
    }
  }
  EXPECT_GT(parsed, 10000u) << "the scan found too few timestamps; is the fixture tree complete?";
}

}  // namespace
}  // namespace sei
