// Working hours: the weekly rhythm every demo timestamp follows. People work
// 09:00-18:00 on weekdays in their own time zone; an event that would fall
// outside those hours is moved to the next working morning, unless the person
// is one who works late or at weekends now and then (`off_hours` is that
// chance). The season factor thins activity over the year-end holidays.
//
// Time zones are fixed UTC offsets in minutes east of UTC (as git writes
// them); the demo does not model daylight saving.
//
// Thread safety: pure functions (the Rng passed in is the caller's).
#pragma once

#include <cstdint>

#include "demo/rng.h"

namespace sei::demo {

inline constexpr int64_t kMinute = 60;
inline constexpr int64_t kHour = 3600;
inline constexpr int64_t kDay = 86400;
inline constexpr int64_t kWeek = 7 * kDay;

// Days since 1970-01-01 of the local date of `t` in zone `tz_minutes`.
int64_t LocalDay(int64_t t, int32_t tz_minutes);
// Day of the week of a day number: 0 Monday ... 6 Sunday.
int Weekday(int64_t day);
bool IsWeekend(int64_t day);
// The UTC instant of `seconds` after local midnight of `day` in zone `tz`.
int64_t AtLocal(int64_t day, int64_t seconds, int32_t tz_minutes);
// Whether `t` lies in working hours (weekday, 09:00-18:00 local).
bool InWorkingHours(int64_t t, int32_t tz_minutes);

// `t` itself when it lies in working hours (or, with chance `off_hours`, when
// it does not); otherwise a moment early on the next working morning. Never
// earlier than `t`.
int64_t SnapToWork(int64_t t, int32_t tz_minutes, double off_hours, Rng& rng);

// Activity multiplier for a day: 0.15 from 22 December to 1 January, else 1.
double SeasonFactor(int64_t day);

}  // namespace sei::demo
