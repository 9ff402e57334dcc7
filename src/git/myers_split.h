// MyersCounter: the second half of numstat line counting (line_diff.h). Given
// the two sequences of line classes left after git's preprocessing, it runs
// the divide-and-conquer Myers O(ND) search with git's cost heuristics and
// reports how many elements of each side end up marked changed. It counts
// only; it never records which elements changed.
//
// The behaviour (which split each box takes, and so the counts) is the one
// specified in docs/adr/0002-numstat-line-counting.md. The search uses an
// explicit stack of boxes, so no input can exhaust the call stack.
//
// Internal to sei_git: only line_diff.cc uses it.
//
// Thread safety: a MyersCounter keeps scratch buffers between calls and is
// NOT thread-safe; use one per thread.
#pragma once

#include <cstdint>
#include <vector>

namespace sei::git::internal {

struct MyersCounts {
  int64_t deleted = 0;  // elements of `a` marked changed
  int64_t added = 0;    // elements of `b` marked changed
};

class MyersCounter {
 public:
  // Counts the elements of a[0, n) and b[0, m) that git's diff marks
  // changed. Equal values mean equal lines.
  MyersCounts Count(const uint32_t* a, int64_t n, const uint32_t* b, int64_t m);

 private:
  // A pair of ranges [off1, lim1) x [off2, lim2) still to be compared.
  struct Box {
    int64_t off1, lim1, off2, lim2;
    bool need_min;
  };
  // Where a box is cut in two, and whether each half must be minimal.
  struct Split {
    int64_t i1, i2;
    bool min_lo, min_hi;
  };
  // The state of one middle-snake search: the box, its diagonal bounds and
  // the diagonal ranges the forward and backward searches have reached.
  struct Search {
    int64_t off1, lim1, off2, lim2;
    int64_t dmin, dmax, fmid, bmid;
    bool odd;
    int64_t fmin, fmax, bmin, bmax;
  };

  Split FindSplit(const Box& box);
  bool ForwardStep(Search* s, bool* got_snake, Split* out);
  bool BackwardStep(Search* s, bool* got_snake, Split* out);
  bool ForwardSnakeHeuristic(const Search& s, int64_t ec, Split* out) const;
  bool BackwardSnakeHeuristic(const Search& s, int64_t ec, Split* out) const;
  Split CostCutoff(const Search& s) const;

  const uint32_t* a_ = nullptr;
  const uint32_t* b_ = nullptr;
  int64_t* fwd_ = nullptr;  // furthest i1 of the forward search, by diagonal
  int64_t* bwd_ = nullptr;  // lowest i1 of the backward search, by diagonal
  int64_t max_cost_ = 0;
  std::vector<int64_t> diagonals_;  // storage of fwd_ and bwd_
  std::vector<Box> stack_;
};

}  // namespace sei::git::internal
