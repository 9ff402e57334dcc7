// Instants: parsing every timestamp format the sources use, formatting, and
// calendar helpers (ISO weeks). UTC throughout; no locale or time-zone
// database is consulted, so results never depend on the machine.
//
// Formats ParseTimestamp accepts (all seen in ../shared/fixtures/payloads):
//   1544462471            epoch seconds      (digits; values > 1e11 are milliseconds)
//   1544462471000         epoch milliseconds (Jenkins)
//   2017-12-10T17:01:11Z  RFC 3339, 't'/'z' in any case, fraction of any length
//   2017-12-10T17:01:11.123+08:00   offset with a colon (GitHub Actions steps)
//   2020-06-12T08:13:13.360+0800    offset without a colon (Jira)
//   2021-04-28T21:50:00-05          hour-only offset
//   2017-12-10 17:01:11 UTC         space separator, "UTC"/"GMT"/"Z" zone (GitLab, Jenkins)
//   2021-04-28 21:50:00 +0200       space, then a numeric zone (GitLab hooks)
//   2017-12-10 17:01:11             no zone at all: UTC, has_offset = false
//   2019-06-28                      date only: midnight UTC
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace sei {

struct Timestamp {
  int64_t unix_seconds = 0;    // UTC instant, whole seconds (floor)
  int32_t nanos = 0;           // 0..999'999'999
  int32_t offset_minutes = 0;  // the UTC offset written in the text
  bool has_offset = false;     // false when the text named no zone
  int64_t UnixMillis() const { return unix_seconds * 1000 + nanos / 1000000; }
};

Result<Timestamp> ParseTimestamp(std::string_view text);

// "2017-12-10T17:01:11Z" (with a trimmed fraction when nanos != 0).
std::string FormatRfc3339Utc(int64_t unix_seconds, int32_t nanos = 0);
// "2017-12-11T01:01:11+08:00": the same instant in a given offset.
std::string FormatRfc3339(int64_t unix_seconds, int32_t offset_minutes);

// Days since 1970-01-01 of a proleptic Gregorian date, and back.
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d);
void CivilFromDays(int64_t days, int64_t* y, unsigned* m, unsigned* d);

// Monday 00:00 UTC of the ISO week holding `unix_seconds`, and its label
// ("2020-W53").
int64_t WeekStartUtc(int64_t unix_seconds);
std::string IsoWeekLabel(int64_t unix_seconds);

// git's "+0530" / "-0800" <-> minutes east of UTC.
Result<int32_t> ParseGitOffset(std::string_view text);
std::string FormatGitOffset(int32_t offset_minutes);

}  // namespace sei
