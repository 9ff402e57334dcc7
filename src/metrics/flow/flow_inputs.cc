#include "metrics/flow/flow_inputs.h"

#include <algorithm>

#include <fmt/format.h>

namespace sei::metrics::flow {

FlowInputs::FlowInputs(const Dataset& d, const ResolvedScope& s, const Query& q)
    : ds(d), scope(s), query(q), buckets(q.range, q.granularity), wait(d.settings.wait_statuses) {
  wants_cfd_ = q.WantsAny("flow.wip") || q.WantsAny("flow.cumulative_flow");
  for (size_t b = 0; b < buckets.size(); ++b) probes.push_back(buckets.end(b) - 1);
  category_diff_.assign(probes.size() + 1, {0, 0, 0});
  const bool wants_issues = q.Wants("flow.throughput.issues") || q.Wants("flow.issue_cycle_time") ||
                            q.Wants("flow.issue_lead_time") || q.Wants("flow.efficiency") ||
                            q.WantsAny("flow.investment_mix") || q.Wants("flow.wip.issues") ||
                            q.WantsAny("flow.cumulative_flow");
  IssueTimeline timeline;
  for (size_t i = 0; wants_issues && i < ds.issues.size(); ++i) {
    const DsIssue& issue = ds.issues[i];
    if (issue.created_at >= q.range.until) break;  // issues are by created_at
    if (!ds.IssueInScope(scope, issue)) continue;
    with_changes += !issue.changes.empty();
    std::string_view status;
    if (SettledBefore(issue, &status)) {
      VisitSettled(static_cast<Idx>(i), status);
      continue;
    }
    timeline.Build(ds, issue);
    Visit(static_cast<Idx>(i), timeline);
  }
  has_issues = issues_in_scope > 0;
  if (q.Wants("flow.throughput.prs") || q.Wants("flow.wip.prs")) CollectPrs();
  if (q.drill) {  // drill-down rows list done issues by done time; the metrics need no order
    std::sort(done.begin(), done.end(), [&](const DoneIssue& a, const DoneIssue& b) {
      return a.done_at != b.done_at ? a.done_at < b.done_at : a.issue < b.issue;
    });
  }
  Finish();
}

void FlowInputs::CollectPrs() {
  for (size_t i = 0; i < ds.prs.size(); ++i) {
    const DsPr& pr = ds.prs[i];
    if (pr.created_at >= query.range.until) break;  // PRs are by created_at
    if (!ds.PrInScope(scope, pr)) continue;
    std::optional<int64_t> end = pr.merged_at;
    if (pr.closed_at && (!end || *pr.closed_at < *end)) end = pr.closed_at;
    if (!end && pr.state == "open") end = kForever;
    prs.push_back({static_cast<Idx>(i), pr.created_at, pr.merged_at, end});
  }
}

// Prefix sums of the difference arrays: the counts at each probe.
void FlowInputs::Finish() {
  by_category.assign(probes.size(), {0, 0, 0});
  std::array<int64_t, kCategories> run{0, 0, 0};
  for (size_t b = 0; b < probes.size(); ++b) {
    for (int c = 0; c < kCategories; ++c) run[c] += category_diff_[b][c];
    by_category[b] = run;
  }
  for (const std::vector<int64_t>& diff : status_diff_) {
    std::vector<int64_t> counts(probes.size());
    int64_t r = 0;
    for (size_t b = 0; b < probes.size(); ++b) counts[b] = r += diff[b];
    by_status.push_back(std::move(counts));
  }
}

// Done for good before the range: done now, its last change (or, without
// changes, its resolution) entered done before the range began. Its whole
// range is spent done, so its timeline need not be built. Most issues of a
// long history are settled.
bool FlowInputs::SettledBefore(const DsIssue& issue, std::string_view* status) const {
  if (issue.status_category != "done") return false;
  if (issue.changes.empty()) {
    *status = issue.status;
    return issue.resolved_at && *issue.resolved_at < query.range.since;
  }
  const DsStatusChange& last = ds.status_changes[issue.changes.end - 1];
  *status = last.to_status;
  return last.to_category == "done" && last.at < query.range.since;
}

void FlowInputs::VisitSettled(Idx i, std::string_view status) {
  ++issues_in_scope;
  ++done_now;
  if (!wants_cfd_ || probes.empty()) return;
  const int c = static_cast<int>(Category::kDone);
  ++category_diff_[0][c];
  --category_diff_[probes.size()][c];
  std::vector<int64_t>& sd = status_diff_[StatusId(status, Category::kDone)];
  ++sd[0];
  --sd[probes.size()];
  if (query.drill) at_end.push_back({i, Category::kDone, status, 0});
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
  if (!wants_cfd_ || probes.empty()) return;
  Accumulate(t);
  const int64_t last = probes.back();
  if (const Segment* s = t.At(last)) {
    if (s->category == Category::kInProgress || query.drill) {
      at_end.push_back({i, s->category, s->status, t.InProgressBefore(last + 1, wait).total});
    }
  }
}

// Adds the issue's segments to the counts of the probes they cover.
void FlowInputs::Accumulate(const IssueTimeline& t) {
  const int64_t first = probes.front(), last = probes.back();
  for (const Segment& s : t.segments()) {
    if (s.start > last || s.end <= first) continue;
    const size_t from = static_cast<size_t>(
        std::lower_bound(probes.begin(), probes.end(), s.start) - probes.begin());
    const size_t to =
        static_cast<size_t>(std::lower_bound(probes.begin(), probes.end(), s.end) - probes.begin());
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
  status_diff_.emplace_back(probes.size() + 1, 0);
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
