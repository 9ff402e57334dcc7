// MyersCounter (myers_split.h): the divide-and-conquer Myers search with
// git's heuristics, counting changed elements. Diagonal d of a box is
// i1 - i2; the forward search keeps, per diagonal, the furthest i1 reached
// from the box's top-left corner, the backward search the lowest i1 reached
// from its bottom-right corner. See docs/adr/0002-numstat-line-counting.md.
#include "git/myers_split.h"

#include <algorithm>
#include <limits>

namespace sei::git::internal {

namespace {

// A snake longer than this makes a search "interesting" for the heuristic.
constexpr int64_t kSnakeCount = 20;
// The heuristic is only tried once the edit cost exceeds this.
constexpr int64_t kHeuristicMinCost = 256;
// A diagonal qualifies for the heuristic when it has advanced more than this
// many times the edit cost.
constexpr int64_t kHeuristicFactor = 4;
// Lower bound of the cost at which a search gives up and cuts anyway.
constexpr int64_t kMaxCostMin = 256;
constexpr int64_t kUnreached = std::numeric_limits<int64_t>::max();

// 2^(1 + floor(log4(n))): git's cheap stand-in for a square root.
int64_t BogoSqrt(int64_t n) {
  int64_t r = 1;
  for (; n > 0; n >>= 2) r <<= 1;
  return r;
}

}  // namespace

MyersCounts MyersCounter::Count(const uint32_t* a, int64_t n, const uint32_t* b, int64_t m) {
  a_ = a;
  b_ = b;
  // Diagonals run from -(m + 1) to n + 1 in each of the two arrays.
  const int64_t span = n + m + 3;
  if (static_cast<int64_t>(diagonals_.size()) < 2 * span) {
    diagonals_.resize(static_cast<size_t>(2 * span));
  }
  fwd_ = diagonals_.data() + (m + 1);
  bwd_ = diagonals_.data() + span + (m + 1);
  max_cost_ = std::max(kMaxCostMin, BogoSqrt(span));

  MyersCounts counts;
  stack_.clear();
  stack_.push_back({0, n, 0, m, false});
  while (!stack_.empty()) {
    Box box = stack_.back();
    stack_.pop_back();
    while (box.off1 < box.lim1 && box.off2 < box.lim2 && a_[box.off1] == b_[box.off2]) {
      ++box.off1;
      ++box.off2;
    }
    while (box.off1 < box.lim1 && box.off2 < box.lim2 && a_[box.lim1 - 1] == b_[box.lim2 - 1]) {
      --box.lim1;
      --box.lim2;
    }
    if (box.off1 == box.lim1) {
      counts.added += box.lim2 - box.off2;
    } else if (box.off2 == box.lim2) {
      counts.deleted += box.lim1 - box.off1;
    } else {
      const Split split = FindSplit(box);
      stack_.push_back({split.i1, box.lim1, split.i2, box.lim2, split.min_hi});
      stack_.push_back({box.off1, split.i1, box.off2, split.i2, split.min_lo});
    }
  }
  return counts;
}

MyersCounter::Split MyersCounter::FindSplit(const Box& box) {
  Search s;
  s.off1 = box.off1;
  s.lim1 = box.lim1;
  s.off2 = box.off2;
  s.lim2 = box.lim2;
  s.dmin = box.off1 - box.lim2;
  s.dmax = box.lim1 - box.off2;
  s.fmid = box.off1 - box.off2;
  s.bmid = box.lim1 - box.lim2;
  s.odd = ((s.fmid - s.bmid) & 1) != 0;
  s.fmin = s.fmax = s.fmid;
  s.bmin = s.bmax = s.bmid;
  fwd_[s.fmid] = box.off1;
  bwd_[s.bmid] = box.lim1;
  Split split{};
  for (int64_t ec = 1;; ++ec) {
    bool got_snake = false;
    if (ForwardStep(&s, &got_snake, &split)) return split;
    if (BackwardStep(&s, &got_snake, &split)) return split;
    if (box.need_min) continue;
    if (got_snake && ec > kHeuristicMinCost) {
      if (ForwardSnakeHeuristic(s, ec, &split)) return split;
      if (BackwardSnakeHeuristic(s, ec, &split)) return split;
    }
    if (ec >= max_cost_) return CostCutoff(s);
  }
}

// Advances the forward search by one edit; true (and *out) when it meets
// the backward search.
bool MyersCounter::ForwardStep(Search* s, bool* got_snake, Split* out) {
  if (s->fmin > s->dmin) {
    fwd_[--s->fmin - 1] = -1;
  } else {
    ++s->fmin;
  }
  if (s->fmax < s->dmax) {
    fwd_[++s->fmax + 1] = -1;
  } else {
    --s->fmax;
  }
  // Locals: stores through fwd_ could otherwise alias the fields of *s.
  int64_t* const fwd = fwd_;
  const int64_t lim1 = s->lim1, lim2 = s->lim2, bmin = s->bmin, bmax = s->bmax;
  const bool odd = s->odd;
  bool snake = false;
  for (int64_t d = s->fmax, fmin = s->fmin; d >= fmin; d -= 2) {
    int64_t i1 = fwd[d - 1] >= fwd[d + 1] ? fwd[d - 1] + 1 : fwd[d + 1];
    const int64_t start = i1;
    int64_t i2 = i1 - d;
    while (i1 < lim1 && i2 < lim2 && a_[i1] == b_[i2]) {
      ++i1;
      ++i2;
    }
    snake |= i1 - start > kSnakeCount;
    fwd[d] = i1;
    if (odd && bmin <= d && d <= bmax && bwd_[d] <= i1) {
      *out = {i1, i2, true, true};
      return true;
    }
  }
  *got_snake |= snake;
  return false;
}

// Advances the backward search by one edit; true (and *out) when it meets
// the forward search.
bool MyersCounter::BackwardStep(Search* s, bool* got_snake, Split* out) {
  if (s->bmin > s->dmin) {
    bwd_[--s->bmin - 1] = kUnreached;
  } else {
    ++s->bmin;
  }
  if (s->bmax < s->dmax) {
    bwd_[++s->bmax + 1] = kUnreached;
  } else {
    --s->bmax;
  }
  int64_t* const bwd = bwd_;
  const int64_t off1 = s->off1, off2 = s->off2, fmin = s->fmin, fmax = s->fmax;
  const bool odd = s->odd;
  bool snake = false;
  for (int64_t d = s->bmax, bmin = s->bmin; d >= bmin; d -= 2) {
    int64_t i1 = bwd[d - 1] < bwd[d + 1] ? bwd[d - 1] : bwd[d + 1] - 1;
    const int64_t start = i1;
    int64_t i2 = i1 - d;
    while (i1 > off1 && i2 > off2 && a_[i1 - 1] == b_[i2 - 1]) {
      --i1;
      --i2;
    }
    snake |= start - i1 > kSnakeCount;
    bwd[d] = i1;
    if (!odd && fmin <= d && d <= fmax && i1 <= fwd_[d]) {
      *out = {i1, i2, true, true};
      return true;
    }
  }
  *got_snake |= snake;
  return false;
}

// Expensive box with long snakes: cut after the forward diagonal that has
// advanced furthest, provided kSnakeCount equal elements lead up to it.
bool MyersCounter::ForwardSnakeHeuristic(const Search& s, int64_t ec, Split* out) const {
  int64_t best = 0;
  for (int64_t d = s.fmax; d >= s.fmin; d -= 2) {
    const int64_t dd = d > s.fmid ? d - s.fmid : s.fmid - d;
    const int64_t i1 = fwd_[d];
    const int64_t i2 = i1 - d;
    const int64_t v = (i1 - s.off1) + (i2 - s.off2) - dd;
    if (v <= kHeuristicFactor * ec || v <= best) continue;
    if (s.off1 + kSnakeCount > i1 || i1 >= s.lim1) continue;
    if (s.off2 + kSnakeCount > i2 || i2 >= s.lim2) continue;
    for (int64_t k = 1; a_[i1 - k] == b_[i2 - k]; ++k) {
      if (k == kSnakeCount) {
        best = v;
        *out = {i1, i2, true, false};
        break;
      }
    }
  }
  return best > 0;
}

// The same from the backward side: cut before the backward diagonal that has
// advanced furthest, provided kSnakeCount equal elements follow it.
bool MyersCounter::BackwardSnakeHeuristic(const Search& s, int64_t ec, Split* out) const {
  int64_t best = 0;
  for (int64_t d = s.bmax; d >= s.bmin; d -= 2) {
    const int64_t dd = d > s.bmid ? d - s.bmid : s.bmid - d;
    const int64_t i1 = bwd_[d];
    const int64_t i2 = i1 - d;
    const int64_t v = (s.lim1 - i1) + (s.lim2 - i2) - dd;
    if (v <= kHeuristicFactor * ec || v <= best) continue;
    if (s.off1 >= i1 || i1 > s.lim1 - kSnakeCount) continue;
    if (s.off2 >= i2 || i2 > s.lim2 - kSnakeCount) continue;
    for (int64_t k = 0; a_[i1 + k] == b_[i2 + k]; ++k) {
      if (k == kSnakeCount - 1) {
        best = v;
        *out = {i1, i2, false, true};
        break;
      }
    }
  }
  return best > 0;
}

// The search cost too much: cut at the furthest point either search reached.
MyersCounter::Split MyersCounter::CostCutoff(const Search& s) const {
  int64_t fbest = -1;
  int64_t fbest1 = -1;
  for (int64_t d = s.fmax; d >= s.fmin; d -= 2) {
    int64_t i1 = std::min(fwd_[d], s.lim1);
    int64_t i2 = i1 - d;
    if (s.lim2 < i2) {
      i1 = s.lim2 + d;
      i2 = s.lim2;
    }
    if (fbest < i1 + i2) {
      fbest = i1 + i2;
      fbest1 = i1;
    }
  }
  int64_t bbest = kUnreached;
  int64_t bbest1 = kUnreached;
  for (int64_t d = s.bmax; d >= s.bmin; d -= 2) {
    int64_t i1 = std::max(s.off1, bwd_[d]);
    int64_t i2 = i1 - d;
    if (i2 < s.off2) {
      i1 = s.off2 + d;
      i2 = s.off2;
    }
    if (i1 + i2 < bbest) {
      bbest = i1 + i2;
      bbest1 = i1;
    }
  }
  if ((s.lim1 + s.lim2) - bbest < fbest - (s.off1 + s.off2)) {
    return {fbest1, fbest - fbest1, true, false};
  }
  return {bbest1, bbest - bbest1, false, true};
}

}  // namespace sei::git::internal
