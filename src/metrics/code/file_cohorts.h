// FileCohorts: an estimate of how old the lines a change deletes were, for
// the rework metric. numstat rows say how many lines a commit added to and
// deleted from a file, not which ones, so the exact age of a deleted line
// is unknown. The estimate (docs/metrics.md, "Rework"):
//
//  - the lines a commit adds form a cohort, dated with the commit's author
//    time;
//  - a later deletion of d lines from a file holding L tracked lines takes
//    d/L of every cohort (deletions consume the file's lines in proportion
//    to cohort sizes); the part taken from cohorts younger than the window
//    is rework, the rest is older code;
//  - lines deleted beyond the tracked L (history before the first collected
//    commit, or a binary past) are of unknown age;
//  - an added file ('A') starts with no lines; a deleted file ('D') loses
//    all of them; a binary change makes its line count unknown (reset).
//
// Deterministic: the same rows in the same order give the same numbers. The
// exact line-level approach (blame-style line tracking through each diff's
// hunks) is future work; it needs hunk positions the store does not keep.
//
// Cohorts older than the window are merged into one, so the state of a file
// is bounded by the number of its changes within one window.
//
// Thread safety: a value type; one per file per computation.
#pragma once

#include <cstdint>
#include <vector>

namespace sei::metrics::code {

// How the lines one change deleted split by age.
struct DeletedLines {
  double recent = 0;   // from cohorts younger than the window: rework
  double older = 0;    // from older cohorts
  double unknown = 0;  // beyond the tracked lines
};

class FileCohorts {
 public:
  // Applies one change made at `at`. `window` is in seconds.
  DeletedLines Apply(int64_t at, int64_t window, char change, bool binary, int32_t added,
                     int32_t deleted);
  // Applies a change whose split is not needed (before the counted range):
  // only the file's total is kept, as one old cohort.
  void ApplyTotal(char change, bool binary, int32_t added, int32_t deleted);

  double lines() const;

 private:
  struct Cohort {
    int64_t born = 0;
    double lines = 0;
  };
  void Reset();

  double old_ = 0;             // lines older than the window at the last change
  std::vector<Cohort> young_;  // by born
};

}  // namespace sei::metrics::code
