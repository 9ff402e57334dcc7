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

void PrWip(const FlowInputs& in, Report* report) {
  Metric m = NewMetric("flow.wip.prs", "Pull requests open", "count", "count");
  const Dataset& ds = in.ds;
  const std::vector<int64_t>& probes = in.probes;
  std::vector<int64_t> diff(probes.size() + 1, 0);
  const int64_t total = static_cast<int64_t>(in.prs.size());
  int64_t unknown = 0;
  for (const ScopePr& p : in.prs) {
    if (!p.end) {
      ++unknown;
      continue;
    }
    const auto from = std::lower_bound(probes.begin(), probes.end(), p.created_at) - probes.begin();
    const auto to = std::lower_bound(probes.begin(), probes.end(), *p.end) - probes.begin();
    if (from >= to) continue;
    ++diff[static_cast<size_t>(from)];
    --diff[static_cast<size_t>(to)];
    if (in.query.drill && static_cast<size_t>(to) == probes.size()) {
      m.rows.push_back(PrRow(ds, ds.prs[static_cast<size_t>(p.pr)], p.created_at,
                             static_cast<double>(in.query.range.until - p.created_at)));
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
