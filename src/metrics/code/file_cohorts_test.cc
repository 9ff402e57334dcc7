// The rework estimate's cohort arithmetic.
#include "metrics/code/file_cohorts.h"

#include <gtest/gtest.h>

namespace sei::metrics::code {
namespace {

constexpr int64_t kDay = 86400;
constexpr int64_t kWindow = 21 * kDay;

TEST(FileCohortsTest, DeletionsTakeFromEveryCohortInProportion) {
  FileCohorts f(1, kWindow);
  f.Apply(0, 0, 'A', false, 30, 0, 0);          // cohort day 0: 30
  f.Apply(0, 30 * kDay, 'M', false, 10, 0, 0);  // cohort day 30: 10 (day 0 now old)
  // Day 35: 40 lines (30 old, 10 young); 20 deleted = half of each.
  const DeletedLines d = f.Apply(0, 35 * kDay, 'M', false, 0, 20, 0);
  EXPECT_DOUBLE_EQ(d.recent, 5);
  EXPECT_DOUBLE_EQ(d.older, 15);
  EXPECT_DOUBLE_EQ(d.unknown, 0);
  EXPECT_DOUBLE_EQ(f.lines(0), 20);
}

TEST(FileCohortsTest, ALineExactlyAsOldAsTheWindowIsNoLongerRework) {
  FileCohorts f(1, kWindow);
  f.Apply(0, 0, 'A', false, 10, 0, 0);
  EXPECT_DOUBLE_EQ(f.Apply(0, kWindow - 1, 'M', false, 0, 1, 0).recent, 1);
  EXPECT_DOUBLE_EQ(f.Apply(0, kWindow, 'M', false, 0, 1, 0).older, 1);
}

TEST(FileCohortsTest, DeletingMoreThanTrackedIsOfUnknownAge) {
  FileCohorts f(1, kWindow);
  f.Apply(0, 0, 'M', false, 4, 0, 0);
  const DeletedLines d = f.Apply(0, kDay, 'M', false, 0, 10, 0);
  EXPECT_DOUBLE_EQ(d.recent, 4);
  EXPECT_DOUBLE_EQ(d.unknown, 6);
  EXPECT_DOUBLE_EQ(f.lines(0), 0);
  FileCohorts never_seen(1, kWindow);
  EXPECT_DOUBLE_EQ(never_seen.Apply(0, 0, 'M', false, 0, 3, 0).unknown, 3);
}

TEST(FileCohortsTest, DeletedAndReAddedFilesStartAfresh) {
  FileCohorts f(1, kWindow);
  f.Apply(0, 0, 'A', false, 100, 0, 0);
  const DeletedLines gone = f.Apply(0, kDay, 'D', false, 0, 100, 0);
  EXPECT_DOUBLE_EQ(gone.recent, 100);
  EXPECT_DOUBLE_EQ(f.lines(0), 0);
  f.Apply(0, 2 * kDay, 'A', false, 7, 0, 0);
  EXPECT_DOUBLE_EQ(f.lines(0), 7);
  // An 'A' on a file still tracked (its deletion was not collected) resets it too.
  f.Apply(0, 3 * kDay, 'A', false, 2, 0, 0);
  EXPECT_DOUBLE_EQ(f.lines(0), 2);
}

TEST(FileCohortsTest, BinaryChangesForgetTheLines) {
  FileCohorts f(1, kWindow);
  f.Apply(0, 0, 'A', false, 10, 0, 0);
  EXPECT_DOUBLE_EQ(f.Apply(0, kDay, 'M', true, 0, 0, 0).recent, 0);
  EXPECT_DOUBLE_EQ(f.lines(0), 0);
  EXPECT_DOUBLE_EQ(f.Apply(0, 2 * kDay, 'M', false, 0, 5, 0).unknown, 5);
}

TEST(FileCohortsTest, ManyYoungCohortsSpillAndStillSplitExactly) {
  FileCohorts f(1, kWindow);
  for (int i = 0; i < 5; ++i) f.Apply(0, i * kDay, 'M', false, 10, 0, 0);  // five cohorts of 10
  // Day 5: 50 young lines; deleting 25 takes half of each.
  EXPECT_DOUBLE_EQ(f.Apply(0, 5 * kDay, 'M', false, 0, 25, 0).recent, 25);
  // Day 22: the day-0 and day-1 cohorts (5 lines each) are old: 10 old, 15 young;
  // deleting 5 takes 0.2 of each: 2 older, 3 recent.
  const DeletedLines d = f.Apply(0, 22 * kDay, 'M', false, 0, 5, 0);
  EXPECT_DOUBLE_EQ(d.older, 2);
  EXPECT_DOUBLE_EQ(d.recent, 3);
  EXPECT_DOUBLE_EQ(f.lines(0), 20);
  // Re-added: the spilled cohorts are gone.
  f.Apply(0, 23 * kDay, 'A', false, 4, 0, 0);
  EXPECT_DOUBLE_EQ(f.lines(0), 4);
  EXPECT_DOUBLE_EQ(f.Apply(0, 24 * kDay, 'M', false, 0, 4, 0).recent, 4);
}

TEST(FileCohortsTest, FilesAreTrackedApart) {
  FileCohorts f(2, kWindow);
  f.Apply(0, 0, 'A', false, 10, 0, 0);
  f.Apply(1, 0, 'A', false, 4, 0, 0);
  EXPECT_DOUBLE_EQ(f.Apply(1, kDay, 'M', false, 0, 2, 0).recent, 2);
  EXPECT_DOUBLE_EQ(f.lines(0), 10);
  EXPECT_DOUBLE_EQ(f.lines(1), 2);
}

TEST(FileCohortsTest, LinesBeforeTheFirstReplayedChangeAreOld) {
  FileCohorts f(1, kWindow);
  // The file held 40 lines (DsCommitFile::lines_before) when replaying starts.
  const DeletedLines d = f.Apply(0, 0, 'M', false, 5, 10, 40);
  EXPECT_DOUBLE_EQ(d.older, 10);
  EXPECT_DOUBLE_EQ(d.recent, 0);
  EXPECT_DOUBLE_EQ(f.lines(0), 35);
  // Only the first change reads it.
  EXPECT_DOUBLE_EQ(f.Apply(0, kDay, 'M', false, 0, 0, 999).recent, 0);
  EXPECT_DOUBLE_EQ(f.lines(0), 35);
}

}  // namespace
}  // namespace sei::metrics::code
