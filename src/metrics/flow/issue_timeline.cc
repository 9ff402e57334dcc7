#include "metrics/flow/issue_timeline.h"

#include <algorithm>

namespace sei::metrics::flow {

namespace {

char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

Category CategoryOf(std::string_view name) {
  if (name == "in_progress") return Category::kInProgress;
  if (name == "done") return Category::kDone;
  return Category::kTodo;
}

std::string_view CategoryName(Category c) {
  switch (c) {
    case Category::kTodo:
      return "todo";
    case Category::kInProgress:
      return "in_progress";
    case Category::kDone:
      return "done";
  }
  return "todo";
}

WaitStatuses::WaitStatuses(const std::vector<std::string>& names) {
  for (const std::string& n : names) {
    std::string lower = n;
    for (char& c : lower) c = AsciiLower(c);
    lower_.push_back(std::move(lower));
  }
}

bool WaitStatuses::Contains(std::string_view status) const {
  for (const std::string& w : lower_) {
    if (w.size() != status.size()) continue;
    size_t i = 0;
    while (i < w.size() && AsciiLower(status[i]) == w[i]) ++i;
    if (i == w.size()) return true;
  }
  return false;
}

void IssueTimeline::Push(int64_t at, Category category, std::string_view status) {
  if (!segments_.empty()) {
    Segment& last = segments_.back();
    if (at <= last.start) {  // zero length: the new state replaces it
      last.category = category;
      last.status = status;
      const size_t n = segments_.size();
      if (n >= 2 && segments_[n - 2].category == category && segments_[n - 2].status == status) {
        segments_.pop_back();
        segments_.back().end = kForever;
      }
      return;
    }
    if (last.category == category && last.status == status) return;
    last.end = at;
  }
  segments_.push_back({at, kForever, category, status});
}

void IssueTimeline::BuildWithoutChanges(const DsIssue& issue, Category now) {
  no_changes_ = true;
  const int64_t created = issue.created_at;
  if (done_ && issue.resolved_at && *issue.resolved_at > created) {
    Push(created, Category::kTodo, "");  // before its resolution: assumed todo
    Push(*issue.resolved_at, Category::kDone, issue.status);
  } else {
    Push(created, now, issue.status);
  }
  if (done_ && issue.resolved_at) done_at_ = std::max(*issue.resolved_at, created);
}

void IssueTimeline::Build(const Dataset& ds, const DsIssue& issue) {
  segments_.clear();
  done_at_.reset();
  no_changes_ = broken_chain_ = off_status_ = false;
  const Category now = CategoryOf(issue.status_category);
  done_ = now == Category::kDone;
  if (issue.changes.empty()) {
    BuildWithoutChanges(issue, now);
    return;
  }
  const int64_t created = issue.created_at;
  const DsStatusChange& first = ds.status_changes[issue.changes.begin];
  Push(created, first.from_category ? CategoryOf(*first.from_category) : Category::kTodo,
       first.from_status ? std::string_view(*first.from_status) : std::string_view());
  const std::string* prev_to = nullptr;
  for (uint32_t i = issue.changes.begin; i < issue.changes.end; ++i) {
    const DsStatusChange& c = ds.status_changes[i];
    if (prev_to != nullptr && c.from_status && *c.from_status != *prev_to) broken_chain_ = true;
    Push(std::max(c.at, created), CategoryOf(c.to_category), c.to_status);
    prev_to = &c.to_status;
  }
  if (segments_.back().category != now) {
    off_status_ = true;
    if (done_ && issue.resolved_at) {
      Push(std::max(*issue.resolved_at, segments_.back().start), Category::kDone, issue.status);
    }
  }
  if (done_ && segments_.back().category == Category::kDone) {
    size_t i = segments_.size() - 1;
    while (i > 0 && segments_[i - 1].category == Category::kDone) --i;
    done_at_ = segments_[i].start;
  }
}

ProgressTime IssueTimeline::InProgressBefore(int64_t until, const WaitStatuses& wait) const {
  ProgressTime t;
  for (const Segment& s : segments_) {
    if (s.start >= until) break;
    if (s.category != Category::kInProgress) continue;
    const int64_t seconds = std::min(s.end, until) - s.start;
    t.started = true;
    t.total += seconds;
    if (wait.Contains(s.status)) t.waiting += seconds;
  }
  return t;
}

const Segment* IssueTimeline::At(int64_t t) const {
  for (auto it = segments_.rbegin(); it != segments_.rend(); ++it) {
    if (it->start <= t) return t < it->end ? &*it : nullptr;
  }
  return nullptr;
}

}  // namespace sei::metrics::flow
