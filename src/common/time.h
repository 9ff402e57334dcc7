// Instants: parsing every timestamp shape the sources send, formatting them
// back as RFC 3339, and the calendar helpers (civil dates, ISO weeks) the
// metrics bucket by.
//
// Why: each source writes time its own way (GitHub "Z", Jira "+0800",
// GitLab hooks "... UTC", Jenkins epoch milliseconds, HTTP dates in headers),
// and every converter needs one fast, strict parser that runs per row. No
// locale, strptime or time-zone database is consulted, so results never
// depend on the machine. Everything is UTC plus the offset the text wrote.
//
// Shapes ParseTimestamp accepts (all but the last two seen in
// ../shared/fixtures; surrounding ASCII whitespace is ignored):
//   1544462471                      epoch seconds (optional leading '-')
//   1544462471123                   epoch milliseconds (Jenkins). Rule: a value
//                                   whose magnitude is > 1e11 is milliseconds
//                                   (1e11 s is the year 5138; 1e11 ms is
//                                   1973-03-03, so millisecond values before
//                                   1973-03-03 read as seconds)
//   1544462471 +0800                git's raw form: epoch seconds and offset
//   2017-12-10T17:01:11Z            RFC 3339; 'T'/'Z' in either case
//   2019-06-28T05:21:43.743Z        fraction of any length ('.' or ','); digits
//                                   past nanoseconds are dropped (truncated)
//   2021-02-18T14:59:13.000+08:00   offset with a colon (GitHub Actions steps)
//   2020-06-12T08:13:13.360+0800    offset without a colon (Jira)
//   2021-04-28T21:50:00-05          hour-only offset
//   2017-12-10 17:01:11 UTC         space for 'T'; zone "UTC"/"GMT"/"UT"/"Z"
//                                   (GitLab hooks, Jenkins changeSet dates)
//   2021-04-28 21:50:00 +0200       space, then a numeric zone (GitLab hooks)
//   2022-09-10 6:51:47.000          no zone (UTC, has_offset = false); a
//                                   one-digit hour (DevLake CSVs)
//   2019-06-28                      date only: midnight UTC (GitLab due_date)
//   2017-12-10T17:01Z               seconds omitted
//   Tue, 14 May 2019 12:34:56 GMT   HTTP date / RFC 2822 (response headers:
//                                   Date, Last-Modified); weekday optional and
//                                   not checked; zone as above or +hhmm
// Second 60 (a leap second) is accepted and counts as the next second, as in
// POSIX time. Years are 0000..9999; offsets at most +-18:00.
//
// Thread safety: pure functions; safe from any number of threads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace sei {

struct Timestamp {
  int64_t unix_seconds = 0;    // UTC instant, whole seconds (floor, also before 1970)
  int32_t nanos = 0;           // fractional part, 0..999'999'999
  int32_t offset_minutes = 0;  // UTC offset written in the text (0 for Z/UTC/epoch forms)
  bool has_offset = false;     // false when the text named no zone (then read as UTC);
                               // true for epoch numbers, which are UTC by definition
  int64_t UnixMillis() const { return unix_seconds * 1000 + nanos / 1'000'000; }
};

// Parses any shape listed above. Errors are InvalidArgument and name the text,
// what was wrong, and what was expected.
Result<Timestamp> ParseTimestamp(std::string_view text);

// RFC 3339 in UTC with a Z: "2017-12-10T17:01:11Z", with a trailing-zero
// trimmed fraction when nanos != 0 ("...:11.12Z").
std::string FormatRfc3339Utc(int64_t unix_seconds, int32_t nanos = 0);
// RFC 3339 in a given offset: "2017-12-11T01:01:11+08:00" (offset 0 is "Z").
std::string FormatRfc3339(int64_t unix_seconds, int32_t offset_minutes);

// Days since 1970-01-01 of a proleptic Gregorian date, and back (Howard
// Hinnant's algorithms; exact for any year an int64 day count can hold).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d);
void CivilFromDays(int64_t days, int64_t* y, unsigned* m, unsigned* d);

// Monday 00:00 UTC of the ISO 8601 week holding `unix_seconds`, and that
// week's label, e.g. "2020-W53" (the ISO year is the year of its Thursday).
int64_t WeekStartUtc(int64_t unix_seconds);
std::string IsoWeekLabel(int64_t unix_seconds);

// git's offset "+0530" / "-0800" <-> minutes east of UTC. Exactly a sign and
// four digits, minutes < 60, at most +-18:00.
Result<int32_t> ParseGitOffset(std::string_view text);
std::string FormatGitOffset(int32_t offset_minutes);

}  // namespace sei
