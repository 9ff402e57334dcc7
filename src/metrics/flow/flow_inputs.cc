#include "metrics/flow/flow_inputs.h"

#include <algorithm>

#include <fmt/format.h>

namespace sei::metrics::flow {

FlowInputs::FlowInputs(const Dataset& d, const ResolvedScope& s, const Query& q)
    : ds(d), scope(s), query(q), buckets(q.range, q.granularity), wait(d.settings.wait_statuses) {
  wants_cfd_ = q.Wants("flow.wip") || q.Wants("flow.cumulative_flow");
  for (size_t b = 0; b < buckets.size(); ++b) probes_.push_back(buckets.end(b) - 1);
  category_diff_.assign(probes_.size() + 1, {0, 0, 0});
  IssueTimeline timeline;
  for (size_t i = 0; i < ds.issues.size(); ++i) {
    const DsIssue& issue = ds.issues[i];
    if (issue.created_at >= q.range.until) break;  // issues are by created_at
    if (!ds.IssueInScope(scope, issue)) continue;
    timeline.Build(ds, issue);
    Visit(static_cast<Idx>(i), timeline);
  }
  has_issues = issues_in_scope > 0;
  std::sort(done.begin(), done.end(), [&](const DoneIssue& a, const DoneIssue& b) {
    return a.done_at != b.done_at ? a.done_at < b.done_at : a.issue < b.issue;
  });
  by_category.assign(probes_.size(), {0, 0, 0});
  std::array<int64_t, kCategories> run{0, 0, 0};
  for (size_t b = 0; b < probes_.size(); ++b) {
    for (int c = 0; c < kCategories; ++c) run[c] += category_diff_[b][c];
    by_category[b] = run;
  }
  for (const std::vector<int64_t>& diff : status_diff_) {
    std::vector<int64_t> counts(probes_.size());
    int64_t r = 0;
    for (size_t b = 0; b < probes_.size(); ++b) counts[b] = r += diff[b];
    by_status.push_back(std::move(counts));
  }
}

void FlowInputs::Visit(Idx i, const IssueTimeline& t) {
  ++issues_in_scope;
  no_changes += t.no_changes();
  broken_chain += t.broken_chain();
  off_status += t.off_status();
  done_now += t.done();
  if (t.done() && !t.done_at()) ++done_without_time;
  if (t.done_at() && query.range.Contains(*t.done_at())) {
    done.push_back({i, *t.done_at(), buckets.Of(*t.done_at()),
                    t.InProgressBefore(*t.done_at(), wait), t.off_status(), t.broken_chain()});
  }
  if (!wants_cfd_ || probes_.empty()) return;
  Accumulate(t);
  const int64_t last = probes_.back();
  if (const Segment* s = t.At(last)) {
    if (s->category == Category::kInProgress || query.drill) {
      at_end.push_back({i, s->category, s->status, t.InProgressBefore(last + 1, wait).total});
    }
  }
}

// Adds the issue's segments to the counts of the probes they cover.
void FlowInputs::Accumulate(const IssueTimeline& t) {
  const int64_t first = probes_.front(), last = probes_.back();
  for (const Segment& s : t.segments()) {
    if (s.start > last || s.end <= first) continue;
    const size_t from = static_cast<size_t>(
        std::lower_bound(probes_.begin(), probes_.end(), s.start) - probes_.begin());
    const size_t to = static_cast<size_t>(std::lower_bound(probes_.begin(), probes_.end(), s.end) -
                                          probes_.begin());
    if (from >= to) continue;
    const int c = static_cast<int>(s.category);
    ++category_diff_[from][c];
    --category_diff_[to][c];
    std::vector<int64_t>& sd = status_diff_[StatusId(s.status, s.category)];
    ++sd[from];
    --sd[to];
  }
}

size_t FlowInputs::StatusId(std::string_view status, Category category) {
  for (size_t i = 0; i < statuses.size(); ++i) {
    if (statuses[i] == status) return i;
  }
  statuses.push_back(status);
  status_category.push_back(category);
  status_diff_.emplace_back(probes_.size() + 1, 0);
  return statuses.size() - 1;
}

Metric NewMetric(const char* key, const char* name, const char* unit, const char* statistic) {
  Metric m;
  m.key = key;
  m.name = name;
  m.version = 1;
  m.unit = unit;
  m.statistic = statistic;
  return m;
}

DrillRow IssueRow(const DsIssue& issue, std::optional<int64_t> at, std::optional<double> value) {
  DrillRow r;
  r.entity = "issue";
  r.id = issue.id;
  r.title = issue.title;
  r.url = issue.url;
  r.at = at;
  r.value = value;
  r.fields.emplace_back("key", issue.key);
  return r;
}

DrillRow PullRequestRow(const Dataset& ds, const DsPr& pr, std::optional<int64_t> at,
                        std::optional<double> value) {
  DrillRow r;
  r.entity = "pull-request";
  r.id = pr.id;
  r.title = pr.title;
  r.url = pr.url;
  r.at = at;
  r.value = value;
  if (pr.repo != kNone) r.fields.emplace_back("repo", ds.repos[static_cast<size_t>(pr.repo)].name);
  r.fields.emplace_back("number", std::to_string(pr.number));
  return r;
}

std::vector<SeriesPoint> CountSeries(const BucketIndex& buckets, const std::vector<int64_t>& counts,
                                     bool known) {
  std::vector<std::optional<double>> values(counts.size());
  for (size_t b = 0; b < counts.size(); ++b) {
    if (known) values[b] = static_cast<double>(counts[b]);
  }
  return buckets.Series(values, counts);
}

std::vector<SeriesPoint> MedianSeries(const BucketIndex& buckets,
                                      std::vector<std::vector<double>>* per_bucket) {
  std::vector<std::optional<double>> values(per_bucket->size());
  std::vector<int64_t> counts(per_bucket->size());
  for (size_t b = 0; b < per_bucket->size(); ++b) {
    counts[b] = static_cast<int64_t>((*per_bucket)[b].size());
    values[b] = Median(&(*per_bucket)[b]);
  }
  return buckets.Series(values, counts);
}

void NoteIssueHistory(const FlowInputs& in, Completeness* c) {
  c->total = in.issues_in_scope;
  c->measured = in.issues_in_scope - in.no_changes;
  c->NoteMissing(in.no_changes, in.issues_in_scope,
                 "issues have no status changes (state assumed from creation and resolution)");
  c->NoteMissing(in.off_status, in.issues_in_scope,
                 "issues have status changes that do not end in their current status");
  c->NoteMissing(in.broken_chain, in.issues_in_scope,
                 "issues have status changes that do not follow on from each other");
}

std::string FieldNumber(double v) { return fmt::format("{}", v); }

}  // namespace sei::metrics::flow
