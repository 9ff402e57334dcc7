// flow.wip.issues and flow.wip.prs: work in progress at each bucket's end.
#include <algorithm>

#include "metrics/flow/flow_metrics.h"

namespace sei::metrics::flow {

namespace {

void IssueWip(const FlowInputs& in, Report* report) {
  Metric m = NewMetric("flow.wip.issues", "Issues in progress", "count", "count");
  std::vector<int64_t> counts(in.buckets.size());
  for (size_t b = 0; b < counts.size(); ++b) {
    counts[b] = in.by_category[b][static_cast<int>(Category::kInProgress)];
  }
  const int64_t now = counts.empty() ? 0 : counts.back();
  if (in.has_issues) m.value = static_cast<double>(now);
  m.distribution.n = now;
  NoteIssueHistory(in, &m.completeness);
  if (in.query.series) m.series = CountSeries(in.buckets, counts, in.has_issues);
  if (in.query.drill) {
    for (const IssueAtEnd& e : in.at_end) {
      if (e.category != Category::kInProgress) continue;
      DrillRow row = IssueRow(in.ds.issues[static_cast<size_t>(e.issue)], std::nullopt,
                              static_cast<double>(e.in_progress));
      row.fields.emplace_back("status", std::string(e.status));
      m.rows.push_back(std::move(row));
    }
  }
  report->metrics.push_back(std::move(m));
}

// When a PR stopped being work in progress: merged or closed, whichever came
// first; kForever while open; nullopt when it is not open but has no time.
std::optional<int64_t> PrEnd(const DsPr& pr) {
  std::optional<int64_t> end;
  if (pr.merged_at) end = pr.merged_at;
  if (pr.closed_at && (!end || *pr.closed_at < *end)) end = pr.closed_at;
  if (!end && pr.state == "open") end = kForever;
  return end;
}

void PrWip(const FlowInputs& in, Report* report) {
  Metric m = NewMetric("flow.wip.prs", "Pull requests open", "count", "count");
  const Dataset& ds = in.ds;
  std::vector<int64_t> probes;
  for (size_t b = 0; b < in.buckets.size(); ++b) probes.push_back(in.buckets.end(b) - 1);
  std::vector<int64_t> diff(probes.size() + 1, 0);
  int64_t total = 0, unknown = 0;
  for (const DsPr& pr : ds.prs) {
    if (pr.created_at >= in.query.range.until) break;
    if (!ds.PrInScope(in.scope, pr)) continue;
    ++total;
    const std::optional<int64_t> end = PrEnd(pr);
    if (!end) {
      ++unknown;
      continue;
    }
    const auto from =
        std::lower_bound(probes.begin(), probes.end(), pr.created_at) - probes.begin();
    const auto to = std::lower_bound(probes.begin(), probes.end(), *end) - probes.begin();
    if (from >= to) continue;
    ++diff[static_cast<size_t>(from)];
    --diff[static_cast<size_t>(to)];
    if (in.query.drill && static_cast<size_t>(to) == probes.size()) {
      m.rows.push_back(PullRequestRow(ds, pr, pr.created_at,
                                      static_cast<double>(in.query.range.until - pr.created_at)));
    }
  }
  std::vector<int64_t> counts(probes.size());
  int64_t run = 0;
  for (size_t b = 0; b < probes.size(); ++b) counts[b] = run += diff[b];
  const int64_t now = counts.empty() ? 0 : counts.back();
  if (total > 0) m.value = static_cast<double>(now);
  m.distribution.n = now;
  m.completeness.total = total;
  m.completeness.measured = total - unknown;
  m.completeness.NoteMissing(unknown, total, "pull requests are closed with no close time");
  if (in.query.series) m.series = CountSeries(in.buckets, counts, total > 0);
  report->metrics.push_back(std::move(m));
}

}  // namespace

void AddWip(const FlowInputs& in, Report* report) {
  if (in.query.Wants("flow.wip.issues")) IssueWip(in, report);
  if (in.query.Wants("flow.wip.prs")) PrWip(in, report);
}

}  // namespace sei::metrics::flow
