// The rework estimate's cohort arithmetic.
#include "metrics/code/file_cohorts.h"

#include <gtest/gtest.h>

namespace sei::metrics::code {
namespace {

constexpr int64_t kDay = 86400;
constexpr int64_t kWindow = 21 * kDay;

TEST(FileCohortsTest, DeletionsTakeFromEveryCohortInProportion) {
  FileCohorts f;
  f.Apply(0, kWindow, 'A', false, 30, 0);          // cohort day 0: 30
  f.Apply(30 * kDay, kWindow, 'M', false, 10, 0);  // cohort day 30: 10 (day 0 now old)
  // Day 35: 40 lines (30 old, 10 young); 20 deleted = half of each.
  const DeletedLines d = f.Apply(35 * kDay, kWindow, 'M', false, 0, 20);
  EXPECT_DOUBLE_EQ(d.recent, 5);
  EXPECT_DOUBLE_EQ(d.older, 15);
  EXPECT_DOUBLE_EQ(d.unknown, 0);
  EXPECT_DOUBLE_EQ(f.lines(), 20);
}

TEST(FileCohortsTest, ALineExactlyAsOldAsTheWindowIsNoLongerRework) {
  FileCohorts f;
  f.Apply(0, kWindow, 'A', false, 10, 0);
  EXPECT_DOUBLE_EQ(f.Apply(kWindow - 1, kWindow, 'M', false, 0, 1).recent, 1);
  EXPECT_DOUBLE_EQ(f.Apply(kWindow, kWindow, 'M', false, 0, 1).older, 1);
}

TEST(FileCohortsTest, DeletingMoreThanTrackedIsOfUnknownAge) {
  FileCohorts f;
  f.Apply(0, kWindow, 'M', false, 4, 0);
  const DeletedLines d = f.Apply(kDay, kWindow, 'M', false, 0, 10);
  EXPECT_DOUBLE_EQ(d.recent, 4);
  EXPECT_DOUBLE_EQ(d.unknown, 6);
  EXPECT_DOUBLE_EQ(f.lines(), 0);
  FileCohorts never_seen;
  EXPECT_DOUBLE_EQ(never_seen.Apply(0, kWindow, 'M', false, 0, 3).unknown, 3);
}

TEST(FileCohortsTest, DeletedAndReAddedFilesStartAfresh) {
  FileCohorts f;
  f.Apply(0, kWindow, 'A', false, 100, 0);
  const DeletedLines gone = f.Apply(kDay, kWindow, 'D', false, 0, 100);
  EXPECT_DOUBLE_EQ(gone.recent, 100);
  EXPECT_DOUBLE_EQ(f.lines(), 0);
  f.Apply(2 * kDay, kWindow, 'A', false, 7, 0);
  EXPECT_DOUBLE_EQ(f.lines(), 7);
  // An 'A' on a file still tracked (its deletion was not collected) resets it too.
  f.Apply(3 * kDay, kWindow, 'A', false, 2, 0);
  EXPECT_DOUBLE_EQ(f.lines(), 2);
}

TEST(FileCohortsTest, BinaryChangesForgetTheLines) {
  FileCohorts f;
  f.Apply(0, kWindow, 'A', false, 10, 0);
  EXPECT_DOUBLE_EQ(f.Apply(kDay, kWindow, 'M', true, 0, 0).recent, 0);
  EXPECT_DOUBLE_EQ(f.lines(), 0);
  EXPECT_DOUBLE_EQ(f.Apply(2 * kDay, kWindow, 'M', false, 0, 5).unknown, 5);
}

TEST(FileCohortsTest, TotalsBeforeTheRangeBecomeOneOldCohort) {
  FileCohorts f;
  f.ApplyTotal('A', false, 50, 0);
  f.ApplyTotal('M', false, 10, 20);  // 50 - 20 + 10 = 40
  EXPECT_DOUBLE_EQ(f.lines(), 40);
  const DeletedLines d = f.Apply(0, kWindow, 'M', false, 0, 10);
  EXPECT_DOUBLE_EQ(d.older, 10);
  EXPECT_DOUBLE_EQ(d.recent, 0);
  f.ApplyTotal('D', false, 0, 30);
  EXPECT_DOUBLE_EQ(f.lines(), 0);
}

}  // namespace
}  // namespace sei::metrics::code
