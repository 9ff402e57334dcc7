// Line counting with git's diff behaviour. The steps (see line_diff.h and
// docs/adr/0002-numstat-line-counting.md): split into lines, classify equal
// lines, trim the common head and tail, discard lines that cannot or need
// not match, then run a Myers divide-and-conquer diff with git's cost
// heuristics over what is left, and count the lines marked changed.
#include "git/line_diff.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <vector>

namespace sei::git {

namespace {

constexpr int64_t kSnakeCount = 20;
constexpr int64_t kHeuristicMinCost = 256;
constexpr int64_t kMaxCostMin = 256;
constexpr int64_t kHeuristicFactor = 4;
constexpr int64_t kMaxEqualLimit = 1024;
constexpr int64_t kScanWindow = 100;
constexpr int64_t kKeepRunFactor = 4;
constexpr int64_t kLineMax = std::numeric_limits<int64_t>::max();
constexpr size_t kBinaryProbe = 8000;

// git's integer square-root estimate.
int64_t BogoSqrt(int64_t n) {
  int64_t r = 1;
  for (; n > 0; n >>= 2) r <<= 1;
  return r;
}

uint64_t HashLine(const char* p, size_t n) {
  uint64_t h = 0x9E3779B97F4A7C15ull ^ (n * 0xC2B2AE3D27D4EB4Full);
  while (n >= 8) {
    uint64_t v;
    std::memcpy(&v, p, 8);
    h = (h ^ v) * 0xFF51AFD7ED558CCDull;
    h ^= h >> 32;
    p += 8;
    n -= 8;
  }
  uint64_t tail = 0;
  std::memcpy(&tail, p, n);
  h = (h ^ tail) * 0xC4CEB9FE1A85EC53ull;
  return h ^ (h >> 29);
}

struct Line {
  const char* data;
  uint32_t size;
};

void SplitLines(std::string_view s, std::vector<Line>* out) {
  out->clear();
  const char* p = s.data();
  const char* end = p + s.size();
  while (p < end) {
    const void* nl = std::memchr(p, '\n', static_cast<size_t>(end - p));
    const char* stop = nl != nullptr ? static_cast<const char*>(nl) + 1 : end;
    out->push_back({p, static_cast<uint32_t>(stop - p)});
    p = stop;
  }
}

}  // namespace

bool IsBinary(std::string_view data) {
  return std::memchr(data.data(), 0, std::min(data.size(), kBinaryProbe)) != nullptr;
}

int64_t CountLines(std::string_view data) {
  if (data.empty()) return 0;
  int64_t n = 0;
  const char* p = data.data();
  const char* end = p + data.size();
  while (p < end) {
    const void* nl = std::memchr(p, '\n', static_cast<size_t>(end - p));
    if (nl == nullptr) break;
    ++n;
    p = static_cast<const char*>(nl) + 1;
  }
  return data.back() == '\n' ? n : n + 1;
}

struct LineDiffer::Scratch {
  std::vector<Line> lines_a, lines_b;
  std::vector<uint32_t> class_a, class_b;  // class of each line
  // Classifier: open addressing over (hash, bytes). A slot keeps the hash
  // and length beside the class, so most probes never touch the lines.
  struct Slot {
    uint64_t hash;
    uint32_t size;
    uint32_t cls_plus_one;  // 0 = empty
  };
  std::vector<Slot> slots;
  std::vector<Line> class_line;
  std::vector<int64_t> count_a, count_b;  // occurrences of each class per side
  std::vector<uint8_t> state_a, state_b;  // 0 no match, 1 keep, 2 many matches
  std::vector<uint8_t> changed_a, changed_b;
  std::vector<uint32_t> reduced_a, reduced_b;  // classes of kept lines
  std::vector<int64_t> kv;                     // forward and backward diagonals

  uint32_t Classify(const Line& line) {
    uint64_t h = HashLine(line.data, line.size);
    size_t mask = slots.size() - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
      Slot& slot = slots[i];
      if (slot.cls_plus_one == 0) {
        auto cls = static_cast<uint32_t>(class_line.size());
        slot = {h, line.size, cls + 1};
        class_line.push_back(line);
        count_a.push_back(0);
        count_b.push_back(0);
        return cls;
      }
      if (slot.hash == h && slot.size == line.size &&
          std::memcmp(class_line[slot.cls_plus_one - 1].data, line.data, line.size) == 0) {
        return slot.cls_plus_one - 1;
      }
    }
  }

  void ClassifyAll() {
    size_t total = lines_a.size() + lines_b.size();
    size_t cap = 16;
    while (cap < total * 2) cap <<= 1;
    slots.assign(cap, Slot{0, 0, 0});
    class_line.clear();
    count_a.clear();
    count_b.clear();
    class_a.resize(lines_a.size());
    class_b.resize(lines_b.size());
    for (size_t i = 0; i < lines_a.size(); ++i) {
      class_a[i] = Classify(lines_a[i]);
      ++count_a[class_a[i]];
    }
    for (size_t i = 0; i < lines_b.size(); ++i) {
      class_b[i] = Classify(lines_b[i]);
      ++count_b[class_b[i]];
    }
  }
};

namespace {

// Whether a "many matches" line at `i` should be discarded: it sits in a run
// dominated by lines that have no match at all.
bool Discardable(const std::vector<uint8_t>& state, int64_t i, int64_t s, int64_t e) {
  s = std::max(s, i - kScanWindow);
  e = std::min(e, i + kScanWindow);
  int64_t r0 = 0, p0 = 1, r1 = 0, p1 = 1;
  for (int64_t j = i - 1; j >= s; --j) {
    if (state[j] == 0) {
      ++r0;
    } else if (state[j] == 2) {
      ++p0;
    } else {
      break;
    }
  }
  if (r0 == 0) return false;
  for (int64_t j = i + 1; j <= e; ++j) {
    if (state[j] == 0) {
      ++r1;
    } else if (state[j] == 2) {
      ++p1;
    } else {
      break;
    }
  }
  if (r1 == 0) return false;
  int64_t r = r0 + r1, p = p0 + p1;
  return p * kKeepRunFactor < p + r;
}

// Marks each middle line [start, end] of one side as kept (appended to
// `reduced`) or changed, from the counts of its class on the other side.
void DiscardPass(const std::vector<uint32_t>& cls, const std::vector<int64_t>& other_count,
                 int64_t start, int64_t end, std::vector<uint8_t>* state,
                 std::vector<uint8_t>* changed, std::vector<uint32_t>* reduced) {
  int64_t limit = std::min(kMaxEqualLimit, BogoSqrt(static_cast<int64_t>(cls.size())));
  state->assign(cls.size(), 0);
  for (int64_t i = start; i <= end; ++i) {
    int64_t m = other_count[cls[i]];
    (*state)[i] = m == 0 ? 0 : (m >= limit ? 2 : 1);
  }
  reduced->clear();
  for (int64_t i = start; i <= end; ++i) {
    uint8_t st = (*state)[i];
    if (st == 1 || (st == 2 && !Discardable(*state, i, start, end))) {
      reduced->push_back(cls[i]);
    } else {
      (*changed)[i] = 1;
    }
  }
}

struct Split {
  int64_t i1, i2;
  bool min_lo, min_hi;
};

// The Myers middle-snake search with git's heuristics. `fwd` and `bwd` are
// indexed by diagonal (i1 - i2), offset so that -(M+1)..N+1 are valid.
class Splitter {
 public:
  Splitter(const uint32_t* a, const uint32_t* b, int64_t* fwd, int64_t* bwd, int64_t mxcost)
      : a_(a), b_(b), fwd_(fwd), bwd_(bwd), mxcost_(mxcost) {}

  Split Run(int64_t off1, int64_t lim1, int64_t off2, int64_t lim2, bool need_min) const;

 private:
  bool Heuristic(int64_t off1, int64_t lim1, int64_t off2, int64_t lim2, int64_t ec,
                 const int64_t (&r)[6], Split* out) const;
  Split CutOff(int64_t off1, int64_t lim1, int64_t off2, int64_t lim2, const int64_t (&r)[6]) const;

  const uint32_t* a_;
  const uint32_t* b_;
  int64_t* fwd_;
  int64_t* bwd_;
  int64_t mxcost_;
};

// r = {fmin, fmax, bmin, bmax, fmid, bmid}
bool Splitter::Heuristic(int64_t off1, int64_t lim1, int64_t off2, int64_t lim2, int64_t ec,
                         const int64_t (&r)[6], Split* out) const {
  int64_t best = 0;
  for (int64_t d = r[1]; d >= r[0]; d -= 2) {
    int64_t dd = d > r[4] ? d - r[4] : r[4] - d;
    int64_t i1 = fwd_[d], i2 = i1 - d;
    int64_t v = (i1 - off1) + (i2 - off2) - dd;
    if (v > kHeuristicFactor * ec && v > best && off1 + kSnakeCount <= i1 && i1 < lim1 &&
        off2 + kSnakeCount <= i2 && i2 < lim2) {
      for (int64_t k = 1; a_[i1 - k] == b_[i2 - k]; ++k) {
        if (k == kSnakeCount) {
          best = v;
          *out = {i1, i2, true, false};
          break;
        }
      }
    }
  }
  if (best > 0) return true;
  for (int64_t d = r[3]; d >= r[2]; d -= 2) {
    int64_t dd = d > r[5] ? d - r[5] : r[5] - d;
    int64_t i1 = bwd_[d], i2 = i1 - d;
    int64_t v = (lim1 - i1) + (lim2 - i2) - dd;
    if (v > kHeuristicFactor * ec && v > best && off1 < i1 && i1 <= lim1 - kSnakeCount &&
        off2 < i2 && i2 <= lim2 - kSnakeCount) {
      for (int64_t k = 0; a_[i1 + k] == b_[i2 + k]; ++k) {
        if (k == kSnakeCount - 1) {
          best = v;
          *out = {i1, i2, false, true};
          break;
        }
      }
    }
  }
  return best > 0;
}

Split Splitter::CutOff(int64_t off1, int64_t lim1, int64_t off2, int64_t lim2,
                       const int64_t (&r)[6]) const {
  int64_t fbest = -1, fbest1 = -1;
  for (int64_t d = r[1]; d >= r[0]; d -= 2) {
    int64_t i1 = std::min(fwd_[d], lim1), i2 = i1 - d;
    if (lim2 < i2) {
      i1 = lim2 + d;
      i2 = lim2;
    }
    if (fbest < i1 + i2) {
      fbest = i1 + i2;
      fbest1 = i1;
    }
  }
  int64_t bbest = kLineMax, bbest1 = kLineMax;
  for (int64_t d = r[3]; d >= r[2]; d -= 2) {
    int64_t i1 = std::max(off1, bwd_[d]), i2 = i1 - d;
    if (i2 < off2) {
      i1 = off2 + d;
      i2 = off2;
    }
    if (i1 + i2 < bbest) {
      bbest = i1 + i2;
      bbest1 = i1;
    }
  }
  if ((lim1 + lim2) - bbest < fbest - (off1 + off2)) {
    return {fbest1, fbest - fbest1, true, false};
  }
  return {bbest1, bbest - bbest1, false, true};
}

Split Splitter::Run(int64_t off1, int64_t lim1, int64_t off2, int64_t lim2, bool need_min) const {
  const int64_t dmin = off1 - lim2, dmax = lim1 - off2;
  const int64_t fmid = off1 - off2, bmid = lim1 - lim2;
  const bool odd = ((fmid - bmid) & 1) != 0;
  int64_t fmin = fmid, fmax = fmid, bmin = bmid, bmax = bmid;
  fwd_[fmid] = off1;
  bwd_[bmid] = lim1;
  for (int64_t ec = 1;; ++ec) {
    bool got_snake = false;
    if (fmin > dmin) {
      fwd_[--fmin - 1] = -1;
    } else {
      ++fmin;
    }
    if (fmax < dmax) {
      fwd_[++fmax + 1] = -1;
    } else {
      --fmax;
    }
    for (int64_t d = fmax; d >= fmin; d -= 2) {
      int64_t i1 = fwd_[d - 1] >= fwd_[d + 1] ? fwd_[d - 1] + 1 : fwd_[d + 1];
      int64_t prev = i1, i2 = i1 - d;
      while (i1 < lim1 && i2 < lim2 && a_[i1] == b_[i2]) ++i1, ++i2;
      if (i1 - prev > kSnakeCount) got_snake = true;
      fwd_[d] = i1;
      if (odd && bmin <= d && d <= bmax && bwd_[d] <= i1) return {i1, i2, true, true};
    }
    if (bmin > dmin) {
      bwd_[--bmin - 1] = kLineMax;
    } else {
      ++bmin;
    }
    if (bmax < dmax) {
      bwd_[++bmax + 1] = kLineMax;
    } else {
      --bmax;
    }
    for (int64_t d = bmax; d >= bmin; d -= 2) {
      int64_t i1 = bwd_[d - 1] < bwd_[d + 1] ? bwd_[d - 1] : bwd_[d + 1] - 1;
      int64_t prev = i1, i2 = i1 - d;
      while (i1 > off1 && i2 > off2 && a_[i1 - 1] == b_[i2 - 1]) --i1, --i2;
      if (prev - i1 > kSnakeCount) got_snake = true;
      bwd_[d] = i1;
      if (!odd && fmin <= d && d <= fmax && i1 <= fwd_[d]) return {i1, i2, true, true};
    }
    if (need_min) continue;
    const int64_t r[6] = {fmin, fmax, bmin, bmax, fmid, bmid};
    Split split{};
    if (got_snake && ec > kHeuristicMinCost && Heuristic(off1, lim1, off2, lim2, ec, r, &split)) {
      return split;
    }
    if (ec >= mxcost_) return CutOff(off1, lim1, off2, lim2, r);
  }
}

}  // namespace

LineDiffer::LineDiffer() : scratch_(std::make_unique<Scratch>()) {}
LineDiffer::~LineDiffer() = default;

LineCounts LineDiffer::Count(std::string_view old_data, std::string_view new_data) {
  Scratch& s = *scratch_;
  SplitLines(old_data, &s.lines_a);
  SplitLines(new_data, &s.lines_b);
  s.ClassifyAll();
  const auto na = static_cast<int64_t>(s.lines_a.size());
  const auto nb = static_cast<int64_t>(s.lines_b.size());
  // Common head and tail.
  int64_t head = 0;
  while (head < na && head < nb && s.class_a[head] == s.class_b[head]) ++head;
  int64_t tail = 0;
  while (tail < std::min(na, nb) - head && s.class_a[na - 1 - tail] == s.class_b[nb - 1 - tail]) {
    ++tail;
  }
  s.changed_a.assign(na, 0);
  s.changed_b.assign(nb, 0);
  DiscardPass(s.class_a, s.count_b, head, na - tail - 1, &s.state_a, &s.changed_a, &s.reduced_a);
  DiscardPass(s.class_b, s.count_a, head, nb - tail - 1, &s.state_b, &s.changed_b, &s.reduced_b);
  // Lines marked changed by the diff proper, per side.
  const auto n = static_cast<int64_t>(s.reduced_a.size());
  const auto m = static_cast<int64_t>(s.reduced_b.size());
  s.kv.assign(static_cast<size_t>(2 * (n + m + 3)), 0);
  int64_t* fwd = s.kv.data() + (m + 1);
  int64_t* bwd = s.kv.data() + (n + m + 3) + (m + 1);
  const int64_t mxcost = std::max(kMaxCostMin, BogoSqrt(n + m + 3));
  const uint32_t* a = s.reduced_a.data();
  const uint32_t* b = s.reduced_b.data();
  Splitter splitter(a, b, fwd, bwd, mxcost);
  int64_t diff_deleted = 0, diff_added = 0;
  struct Box {
    int64_t off1, lim1, off2, lim2;
    bool need_min;
  };
  std::vector<Box> stack = {{0, n, 0, m, false}};
  while (!stack.empty()) {
    Box box = stack.back();
    stack.pop_back();
    while (box.off1 < box.lim1 && box.off2 < box.lim2 && a[box.off1] == b[box.off2]) {
      ++box.off1, ++box.off2;
    }
    while (box.off1 < box.lim1 && box.off2 < box.lim2 && a[box.lim1 - 1] == b[box.lim2 - 1]) {
      --box.lim1, --box.lim2;
    }
    if (box.off1 == box.lim1) {
      diff_added += box.lim2 - box.off2;
    } else if (box.off2 == box.lim2) {
      diff_deleted += box.lim1 - box.off1;
    } else {
      Split sp = splitter.Run(box.off1, box.lim1, box.off2, box.lim2, box.need_min);
      stack.push_back({sp.i1, box.lim1, sp.i2, box.lim2, sp.min_hi});
      stack.push_back({box.off1, sp.i1, box.off2, sp.i2, sp.min_lo});
    }
  }
  LineCounts counts;
  counts.deleted = diff_deleted;
  counts.added = diff_added;
  for (uint8_t c : s.changed_a) counts.deleted += c;
  for (uint8_t c : s.changed_b) counts.added += c;
  return counts;
}

}  // namespace sei::git
