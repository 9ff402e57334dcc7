#include "metrics/code/file_cohorts.h"

#include <algorithm>

namespace sei::metrics::code {

void FileCohorts::Reset() {
  old_ = 0;
  young_.clear();
}

double FileCohorts::lines() const {
  double total = old_;
  for (const Cohort& c : young_) total += c.lines;
  return total;
}

void FileCohorts::ApplyTotal(char change, bool binary, int32_t added, int32_t deleted) {
  if (binary || change == 'A' || change == 'D') Reset();
  if (binary || change == 'D') return;
  old_ = std::max(0.0, lines() - deleted) + added;
  young_.clear();
}

DeletedLines FileCohorts::Apply(int64_t at, int64_t window, char change, bool binary, int32_t added,
                                int32_t deleted) {
  DeletedLines out;
  if (binary) {
    Reset();  // its lines are unknown from here on
    return out;
  }
  if (change == 'A') Reset();  // the file did not exist before this change
  // Cohorts that reached the window's age are old from now on.
  size_t aged = 0;
  while (aged < young_.size() && at - young_[aged].born >= window) old_ += young_[aged++].lines;
  young_.erase(young_.begin(), young_.begin() + static_cast<std::ptrdiff_t>(aged));
  double young_lines = 0;
  for (const Cohort& c : young_) young_lines += c.lines;
  const double tracked = old_ + young_lines;
  const double d = deleted;
  if (d > 0 && tracked <= 0) {
    out.unknown = d;
  } else if (d >= tracked && d > 0) {
    out.recent = young_lines;
    out.older = old_;
    out.unknown = d - tracked;
    Reset();
  } else if (d > 0) {
    const double keep = 1.0 - d / tracked;
    out.recent = young_lines * (d / tracked);
    out.older = old_ * (d / tracked);
    old_ *= keep;
    for (Cohort& c : young_) c.lines *= keep;
  }
  if (change == 'D') {
    Reset();
  } else if (added > 0) {
    young_.push_back({at, static_cast<double>(added)});
  }
  return out;
}

}  // namespace sei::metrics::code
