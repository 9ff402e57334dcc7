// Numstat line counting (line_diff.h), the preprocessing half: find the
// common head and tail, split and classify the lines between them, apply
// git's discard rules, and hand the surviving lines to MyersCounter
// (myers_split.h). The algorithm is specified in
// docs/adr/0002-numstat-line-counting.md.
//
// Where this differs in method (never in result) from the specification:
// - The common head and tail are found by comparing bytes, not classes, so
//   their lines are never split or hashed unless their counts matter.
// - When one middle is empty, or no line of the old middle equals a line of
//   the new middle, every middle line is changed whatever the later steps
//   do, so the counts are returned at once.
// - Only middle lines enter the class table; a head or tail line is looked
//   up (to count its class) only when its length is that of a middle line.
#include "git/line_diff.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "git/line_classes.h"
#include "git/line_scan.h"
#include "git/myers_split.h"

namespace sei::git {

namespace {

constexpr size_t kBinaryProbeBytes = 8000;
// Cap on the "many matches" threshold of the discard pass.
constexpr int64_t kMaxEqualLimit = 1024;
// How far the discard pass looks either side of a line.
constexpr int64_t kDiscardWindow = 100;

// Discard-pass states of a middle line, from its class's count on the other side.
enum LineState : uint8_t { kNoMatch = 0, kKeep = 1, kManyMatches = 2 };

// 2^(1 + floor(log4(n))): git's cheap stand-in for a square root.
int64_t BogoSqrt(int64_t n) {
  int64_t r = 1;
  for (; n > 0; n >>= 2) r <<= 1;
  return r;
}

// Where the two middles lie: old[head, tail_a) and new[head, tail_b).
struct Middles {
  bool identical = false;
  size_t head = 0;
  size_t tail_a = 0;
  size_t tail_b = 0;
};

bool AtLineStart(std::string_view s, size_t pos) { return pos == 0 || s[pos - 1] == '\n'; }

// Trims the lines the two sides share at their start and end (the first
// never overlapping the second).
Middles FindMiddles(std::string_view a, std::string_view b) {
  Middles m;
  const size_t same = line_scan::CommonPrefix(a.data(), b.data(), std::min(a.size(), b.size()));
  if (same == a.size() && same == b.size()) {
    m.identical = true;
    return m;
  }
  // Every line that ends within the equal bytes is equal; the line holding
  // the first difference (or the end of the shorter side) is not.
  const void* nl = line_scan::LastNewline(a.data(), same);
  m.head = nl == nullptr ? 0 : static_cast<size_t>(static_cast<const char*>(nl) - a.data()) + 1;
  const size_t room = std::min(a.size(), b.size()) - m.head;
  const size_t back = line_scan::CommonSuffix(a.data() + a.size(), b.data() + b.size(), room);
  m.tail_a = a.size();
  if (back > 0) {
    // The equal tail bytes start with a partial line unless both sides
    // have a line boundary there.
    size_t start = a.size() - back;
    if (!AtLineStart(a, start) || !AtLineStart(b, b.size() - back)) {
      const void* next = std::memchr(a.data() + start, '\n', back);
      start = next == nullptr ? a.size()
                              : static_cast<size_t>(static_cast<const char*>(next) - a.data()) + 1;
    }
    m.tail_a = start;
  }
  m.tail_b = b.size() - (a.size() - m.tail_a);
  return m;
}

}  // namespace

bool IsBinary(std::string_view data) {
  if (data.empty()) return false;  // data() may be null
  return std::memchr(data.data(), 0, std::min(data.size(), kBinaryProbeBytes)) != nullptr;
}

int64_t CountLines(std::string_view data) {
  if (data.empty()) return 0;
  const auto newlines = static_cast<int64_t>(line_scan::CountNewlines(data.data(), data.size()));
  return data.back() == '\n' ? newlines : newlines + 1;
}

// Buffers reused by every Count() call: after the first few calls, Count()
// allocates only when an input is larger than any before.
struct LineDiffer::Scratch {
  // The discard pass of one side.
  struct Side {
    std::vector<uint32_t> cls;        // class of each middle line
    std::vector<uint32_t> count;      // occurrences of each class in the whole side
    std::vector<uint8_t> state;       // LineState of each middle line
    std::vector<uint32_t> no_match;   // no_match[i]: kNoMatch lines before middle line i
    std::vector<uint32_t> next_keep;  // next_keep[i]: first kKeep line after i (or size)
    std::vector<uint32_t> kept;       // classes of the lines the diff sees

    bool SetStates(const std::vector<uint32_t>& other_count, int64_t total_lines);
    bool Discardable(int64_t i, int64_t prev_keep) const;
    int64_t Discard(bool any_many);
  };

  internal::LineClasses classes;
  Side a, b;
  internal::MyersCounter myers;

  bool ClassifyMiddles(std::string_view mid_a, std::string_view mid_b);
  int64_t CountSharedLines(std::string_view lines);
  LineCounts CountMiddles(std::string_view old_data, std::string_view new_data, const Middles& m);
};

// Classifies the middle lines of both sides and counts their classes.
// Returns whether any class occurs in both middles.
bool LineDiffer::Scratch::ClassifyMiddles(std::string_view mid_a, std::string_view mid_b) {
  classes.Reset(static_cast<size_t>(CountLines(mid_a) + CountLines(mid_b)));
  a.cls.clear();
  b.cls.clear();
  a.count.clear();
  b.count.clear();
  auto classify = [this](const char* p, size_t n, Side* side) {
    const uint32_t cls = classes.Insert(p, n);
    if (cls == a.count.size()) {
      a.count.push_back(0);
      b.count.push_back(0);
    }
    side->cls.push_back(cls);
    ++side->count[cls];
    return cls;
  };
  line_scan::ForEachLine(mid_a.data(), mid_a.size(),
                         [&](const char* p, size_t n) { classify(p, n, &a); });
  const uint32_t classes_in_a = classes.size();
  bool shared = false;
  line_scan::ForEachLine(mid_b.data(), mid_b.size(), [&](const char* p, size_t n) {
    shared |= classify(p, n, &b) < classes_in_a;
  });
  return shared;
}

// Adds the head or tail lines in `lines` (present on both sides) to the
// counts of the middle classes they belong to; returns how many lines.
int64_t LineDiffer::Scratch::CountSharedLines(std::string_view lines) {
  int64_t total = 0;
  line_scan::ForEachLine(lines.data(), lines.size(), [&](const char* p, size_t n) {
    ++total;
    const uint32_t cls = classes.Find(p, n);
    if (cls != internal::LineClasses::kNone) {
      ++a.count[cls];
      ++b.count[cls];
    }
  });
  return total;
}

// The discard-pass state of each middle line, from how often its class
// occurs in the whole of the other side. Returns whether any line has many
// matches.
bool LineDiffer::Scratch::Side::SetStates(const std::vector<uint32_t>& other_count,
                                          int64_t total_lines) {
  const int64_t limit = std::min(kMaxEqualLimit, BogoSqrt(total_lines));
  state.resize(cls.size());
  bool any_many = false;
  for (size_t i = 0; i < cls.size(); ++i) {
    const int64_t m = other_count[cls[i]];
    state[i] = m == 0 ? kNoMatch : (m >= limit ? kManyMatches : kKeep);
    any_many |= state[i] == kManyMatches;
  }
  return any_many;
}

// Whether the "many matches" line `i` sits in a run dominated by lines with
// no match at all, and so is better treated as changed outright. The
// specification scans up to kDiscardWindow lines each way, stopping at a
// kKeep line; the prefix counts give the same numbers without the scan.
bool LineDiffer::Scratch::Side::Discardable(int64_t i, int64_t prev_keep) const {
  const int64_t lo = std::max({int64_t{0}, i - kDiscardWindow, prev_keep + 1});
  const int64_t no_match_before = no_match[i] - no_match[lo];
  if (no_match_before == 0) return false;
  const int64_t hi = std::min({static_cast<int64_t>(state.size()) - 1, i + kDiscardWindow,
                               static_cast<int64_t>(next_keep[i]) - 1});
  const int64_t no_match_after = no_match[hi + 1] - no_match[i + 1];
  if (no_match_after == 0) return false;
  const int64_t no_match_total = no_match_before + no_match_after;
  // Each side's count of "many matches" lines starts at 1.
  const int64_t many = 2 + (hi - lo) - no_match_total;
  return many * 4 < many + no_match_total;
}

// Copies the classes of the lines that survive the discard pass into
// `kept`; returns how many lines it marked changed.
int64_t LineDiffer::Scratch::Side::Discard(bool any_many) {
  kept.clear();
  const size_t n = cls.size();
  if (any_many) {
    no_match.resize(n + 1);
    next_keep.resize(n);
    no_match[0] = 0;
    for (size_t i = 0; i < n; ++i) no_match[i + 1] = no_match[i] + (state[i] == kNoMatch);
    auto next = static_cast<uint32_t>(n);
    for (size_t i = n; i-- > 0;) {
      next_keep[i] = next;
      if (state[i] == kKeep) next = static_cast<uint32_t>(i);
    }
  }
  int64_t prev_keep = -1;
  for (size_t i = 0; i < n; ++i) {
    if (state[i] == kKeep) {
      kept.push_back(cls[i]);
      prev_keep = static_cast<int64_t>(i);
    } else if (state[i] == kManyMatches && !Discardable(static_cast<int64_t>(i), prev_keep)) {
      kept.push_back(cls[i]);
    }
  }
  return static_cast<int64_t>(n - kept.size());
}

LineCounts LineDiffer::Scratch::CountMiddles(std::string_view old_data, std::string_view new_data,
                                             const Middles& m) {
  const std::string_view mid_a = old_data.substr(m.head, m.tail_a - m.head);
  const std::string_view mid_b = new_data.substr(m.head, m.tail_b - m.head);
  if (!ClassifyMiddles(mid_a, mid_b)) {
    // Nothing in one middle equals anything in the other: all changed.
    return {static_cast<int64_t>(b.cls.size()), static_cast<int64_t>(a.cls.size())};
  }
  const int64_t shared_lines =
      CountSharedLines(old_data.substr(0, m.head)) + CountSharedLines(old_data.substr(m.tail_a));
  const bool many_a = a.SetStates(b.count, shared_lines + static_cast<int64_t>(a.cls.size()));
  const bool many_b = b.SetStates(a.count, shared_lines + static_cast<int64_t>(b.cls.size()));
  LineCounts counts;
  counts.deleted = a.Discard(many_a);
  counts.added = b.Discard(many_b);
  const internal::MyersCounts diff =
      myers.Count(a.kept.data(), static_cast<int64_t>(a.kept.size()), b.kept.data(),
                  static_cast<int64_t>(b.kept.size()));
  counts.deleted += diff.deleted;
  counts.added += diff.added;
  return counts;
}

LineDiffer::LineDiffer() : scratch_(std::make_unique<Scratch>()) {}
LineDiffer::~LineDiffer() = default;

LineCounts LineDiffer::Count(std::string_view old_data, std::string_view new_data) {
  const Middles m = FindMiddles(old_data, new_data);
  if (m.identical) return {};
  if (m.tail_a == m.head) return {CountLines(new_data.substr(m.head, m.tail_b - m.head)), 0};
  if (m.tail_b == m.head) return {0, CountLines(old_data.substr(m.head, m.tail_a - m.head))};
  return scratch_->CountMiddles(old_data, new_data, m);
}

}  // namespace sei::git
