#include "metrics/code/file_cohorts.h"

#include <algorithm>

namespace sei::metrics::code {

FileCohorts::FileCohorts(size_t files, int64_t window) : window_(window), files_(files) {}

FileCohorts::Cohort* FileCohorts::YoungCohorts(State& s) {
  return s.spill == 0 ? s.inline_cohorts : spill_[s.spill - 1].data();
}

const FileCohorts::Cohort* FileCohorts::YoungCohorts(const State& s) const {
  return s.spill == 0 || s.spill == kUnseen ? s.inline_cohorts : spill_[s.spill - 1].data();
}

void FileCohorts::DropOldest(State& s, uint32_t n) {
  if (n == 0) return;
  if (s.spill != 0) {
    std::vector<Cohort>& v = spill_[s.spill - 1];
    v.erase(v.begin(), v.begin() + n);
  } else {
    std::copy(s.inline_cohorts + n, s.inline_cohorts + s.young, s.inline_cohorts);
  }
  s.young -= n;
}

void FileCohorts::PushYoung(State& s, Cohort c) {
  if (s.spill == 0 && s.young < kInline) {
    s.inline_cohorts[s.young++] = c;
    return;
  }
  if (s.spill == 0) {
    spill_.emplace_back(s.inline_cohorts, s.inline_cohorts + s.young);
    s.spill = static_cast<uint32_t>(spill_.size());
  }
  std::vector<Cohort>& v = spill_[s.spill - 1];
  v.resize(s.young);  // a Reset may have emptied it
  v.push_back(c);
  ++s.young;
}

// Cohorts that reached the window's age by `at` are old from then on.
void FileCohorts::Age(State& s, int64_t at) {
  const Cohort* young = YoungCohorts(s);
  uint32_t aged = 0;
  while (aged < s.young && at - young[aged].born >= window_) s.old += young[aged++].lines;
  DropOldest(s, aged);
}

double FileCohorts::Lines(const State& s) const {
  double total = s.old;
  const Cohort* young = YoungCohorts(s);
  for (uint32_t i = 0; i < s.young; ++i) total += young[i].lines;
  return total;
}

double FileCohorts::lines(int32_t file) const { return Lines(files_[static_cast<size_t>(file)]); }

DeletedLines FileCohorts::Apply(int32_t file, int64_t at, char change, bool binary, int32_t added,
                                int32_t deleted, int32_t lines_before) {
  State& s = files_[static_cast<size_t>(file)];
  if (s.spill == kUnseen) {
    s.spill = 0;
    s.old = lines_before;
  }
  DeletedLines out;
  if (binary) {
    Reset(s);  // its lines are unknown from here on
    return out;
  }
  if (change == 'A') Reset(s);  // the file did not exist before this change
  Age(s, at);
  Cohort* young = YoungCohorts(s);
  double young_lines = 0;
  for (uint32_t i = 0; i < s.young; ++i) young_lines += young[i].lines;
  const double tracked = s.old + young_lines;
  const double d = deleted;
  if (d > 0 && tracked <= 0) {
    out.unknown = d;
  } else if (d >= tracked && d > 0) {
    out = {young_lines, s.old, d - tracked};
    Reset(s);
  } else if (d > 0) {
    const double share = d / tracked;
    out.recent = young_lines * share;
    out.older = s.old * share;
    s.old *= 1.0 - share;
    for (uint32_t i = 0; i < s.young; ++i) young[i].lines *= 1.0 - share;
  }
  if (change == 'D') {
    Reset(s);
  } else if (added > 0) {
    PushYoung(s, {at, static_cast<double>(added)});
  }
  return out;
}

}  // namespace sei::metrics::code
