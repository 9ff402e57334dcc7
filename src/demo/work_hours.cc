#include "demo/work_hours.h"

#include "common/time.h"

namespace sei::demo {

namespace {

constexpr int64_t kStart = 9 * kHour;
constexpr int64_t kEnd = 18 * kHour;

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

}  // namespace

int64_t LocalDay(int64_t t, int32_t tz_minutes) {
  return FloorDiv(t + static_cast<int64_t>(tz_minutes) * kMinute, kDay);
}

int Weekday(int64_t day) {
  // 1970-01-01 was a Thursday (3 with Monday = 0).
  return static_cast<int>(((day + 3) % 7 + 7) % 7);
}

bool IsWeekend(int64_t day) { return Weekday(day) >= 5; }

int64_t AtLocal(int64_t day, int64_t seconds, int32_t tz_minutes) {
  return day * kDay + seconds - static_cast<int64_t>(tz_minutes) * kMinute;
}

bool InWorkingHours(int64_t t, int32_t tz_minutes) {
  const int64_t day = LocalDay(t, tz_minutes);
  if (IsWeekend(day)) return false;
  const int64_t sec = t + static_cast<int64_t>(tz_minutes) * kMinute - day * kDay;
  return sec >= kStart && sec < kEnd;
}

int64_t SnapToWork(int64_t t, int32_t tz_minutes, double off_hours, Rng& rng) {
  if (InWorkingHours(t, tz_minutes)) return t;
  if (rng.Chance(off_hours)) return t;
  const int64_t day = LocalDay(t, tz_minutes);
  const int64_t sec = t + static_cast<int64_t>(tz_minutes) * kMinute - day * kDay;
  int64_t next = (sec < kStart && !IsWeekend(day)) ? day : day + 1;
  while (IsWeekend(next)) ++next;
  // Mornings start slowly: most work resumes within the first two hours.
  const int64_t offset = static_cast<int64_t>(rng.Exponential(0.9 * kHour));
  int64_t snapped = AtLocal(next, kStart + (offset < 6 * kHour ? offset : 6 * kHour), tz_minutes);
  return snapped < t ? t : snapped;
}

double SeasonFactor(int64_t day) {
  int64_t y = 0;
  unsigned m = 0, d = 0;
  CivilFromDays(day, &y, &m, &d);
  if ((m == 12 && d >= 22) || (m == 1 && d == 1)) return 0.15;
  return 1.0;
}

}  // namespace sei::demo
