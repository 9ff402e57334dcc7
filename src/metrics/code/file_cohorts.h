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
//    all of them; a binary change makes its line count unknown (reset);
//  - the lines a file held before the first change replayed are old.
//
// Deterministic: the same rows in the same order give the same numbers. The
// exact line-level approach (blame-style line tracking through each diff's
// hunks) is future work; it needs hunk positions the store does not keep.
//
// Cohorts older than the window are merged into one, so the state of a file
// is bounded by the number of its changes within one window. Each file's
// state is one 64-byte record in a dense array, holding up to three young
// cohorts inline (a file changed more often within one window spills them
// to a vector of its own), so a change costs one cache line.
//
// Thread safety: a value type; one per computation.
#pragma once

#include <cstddef>
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
  // For files 0 .. files - 1 (Dataset::file_paths); `window` in seconds.
  FileCohorts(size_t files, int64_t window);

  // Applies one change to `file` made at `at` (changes in time order).
  // `lines_before` (DsCommitFile::lines_before) seeds a file's first change
  // here as old lines: the history before the first change replayed is
  // older than the window by the time the counted range starts.
  DeletedLines Apply(int32_t file, int64_t at, char change, bool binary, int32_t added,
                     int32_t deleted, int32_t lines_before);

  double lines(int32_t file) const;

 private:
  struct Cohort {
    int64_t born = 0;
    double lines = 0;
  };
  static constexpr uint32_t kInline = 3;
  static constexpr uint32_t kUnseen = ~uint32_t{0};  // spill of a file not changed yet
  struct State {
    double old = 0;            // lines older than the window at the file's last change
    uint32_t young = 0;        // young cohorts, by born
    uint32_t spill = kUnseen;  // 1 + index into spill_ once they outgrew the inline ones
    Cohort inline_cohorts[kInline];
  };

  Cohort* YoungCohorts(State& s);
  void DropOldest(State& s, uint32_t n);
  void Age(State& s, int64_t at);
  void PushYoung(State& s, Cohort c);
  static void Reset(State& s) { s.old = 0, s.young = 0; }
  double Lines(const State& s) const;
  const Cohort* YoungCohorts(const State& s) const;

  int64_t window_;
  std::vector<State> files_;
  std::vector<std::vector<Cohort>> spill_;
};

}  // namespace sei::metrics::code
