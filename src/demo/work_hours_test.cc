#include "demo/work_hours.h"

#include <gtest/gtest.h>

#include "common/time.h"

namespace sei::demo {
namespace {

int64_t At(const char* rfc3339) { return ParseTimestamp(rfc3339)->unix_seconds; }

TEST(WorkHoursTest, WeekdaysAndLocalDays) {
  // 2026-11-30 is a Monday, 2026-11-28 a Saturday, 1970-01-01 a Thursday.
  EXPECT_EQ(Weekday(DaysFromCivil(2026, 11, 30)), 0);
  EXPECT_EQ(Weekday(DaysFromCivil(2026, 11, 28)), 5);
  EXPECT_EQ(Weekday(0), 3);
  EXPECT_TRUE(IsWeekend(DaysFromCivil(2026, 11, 29)));
  // 23:30 UTC on Sunday is already Monday 05:00 in Bangalore (+05:30).
  const int64_t t = At("2026-11-29T23:30:00Z");
  EXPECT_EQ(LocalDay(t, 0), DaysFromCivil(2026, 11, 29));
  EXPECT_EQ(LocalDay(t, 330), DaysFromCivil(2026, 11, 30));
  EXPECT_EQ(AtLocal(DaysFromCivil(2026, 11, 30), 9 * kHour, 330), At("2026-11-30T03:30:00Z"));
}

TEST(WorkHoursTest, SnapKeepsWorkingHoursAndMovesTheRest) {
  Rng rng(1);
  const int32_t berlin = 60;
  const int64_t tuesday_ten = At("2026-12-01T09:00:00Z");  // 10:00 in Berlin
  EXPECT_TRUE(InWorkingHours(tuesday_ten, berlin));
  EXPECT_EQ(SnapToWork(tuesday_ten, berlin, 0.0, rng), tuesday_ten);
  for (int i = 0; i < 200; ++i) {
    // Saturday noon moves to Monday morning (09:00-15:00 Berlin time).
    const int64_t saturday = At("2026-11-28T11:00:00Z");
    const int64_t snapped = SnapToWork(saturday, berlin, 0.0, rng);
    EXPECT_GE(snapped, At("2026-11-30T08:00:00Z"));
    EXPECT_LE(snapped, At("2026-11-30T14:00:00Z"));
    // 21:00 on a Tuesday moves to Wednesday morning; 06:00 to the same morning.
    const int64_t evening = SnapToWork(At("2026-12-01T20:00:00Z"), berlin, 0.0, rng);
    EXPECT_GE(evening, At("2026-12-02T08:00:00Z"));
    EXPECT_LE(evening, At("2026-12-02T14:00:00Z"));
    const int64_t early = SnapToWork(At("2026-12-01T05:00:00Z"), berlin, 0.0, rng);
    EXPECT_GE(early, At("2026-12-01T08:00:00Z"));
    EXPECT_LE(early, At("2026-12-01T14:00:00Z"));
  }
  // Someone who always works off hours keeps the instant.
  EXPECT_EQ(SnapToWork(At("2026-11-28T11:00:00Z"), berlin, 1.0, rng), At("2026-11-28T11:00:00Z"));
}

TEST(WorkHoursTest, SeasonFactorThinsTheHolidays) {
  EXPECT_LT(SeasonFactor(DaysFromCivil(2025, 12, 24)), 0.5);
  EXPECT_LT(SeasonFactor(DaysFromCivil(2026, 1, 1)), 0.5);
  EXPECT_EQ(SeasonFactor(DaysFromCivil(2026, 1, 2)), 1.0);
  EXPECT_EQ(SeasonFactor(DaysFromCivil(2026, 6, 15)), 1.0);
}

}  // namespace
}  // namespace sei::demo
