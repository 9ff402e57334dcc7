// flow.throughput.issues and flow.throughput.prs: items finished per bucket.
#include "metrics/flow/flow_metrics.h"

namespace sei::metrics::flow {

namespace {

void IssueThroughput(const FlowInputs& in, Report* report) {
  Metric m = NewMetric("flow.throughput.issues", "Issues done", "count", "count");
  std::vector<int64_t> counts(in.buckets.size(), 0);
  for (const DoneIssue& d : in.done) {
    if (d.bucket >= 0) ++counts[static_cast<size_t>(d.bucket)];
    if (in.query.drill) {
      m.rows.push_back(IssueRow(in.ds.issues[static_cast<size_t>(d.issue)], d.done_at, 1.0));
    }
  }
  const int64_t n = static_cast<int64_t>(in.done.size());
  if (in.has_issues) m.value = static_cast<double>(n);
  m.distribution.n = n;
  m.completeness.total = m.completeness.measured = n;
  m.completeness.NoteMissing(in.done_without_time, in.done_now,
                             "done issues have no done time and are not counted");
  if (!in.has_issues) m.notes.push_back("no issue of the scope exists by the range's end");
  if (in.query.series) m.series = CountSeries(in.buckets, counts, in.has_issues);
  report->metrics.push_back(std::move(m));
}

void PrThroughput(const FlowInputs& in, Report* report) {
  Metric m = NewMetric("flow.throughput.prs", "Pull requests merged", "count", "count");
  const Dataset& ds = in.ds;
  std::vector<int64_t> counts(in.buckets.size(), 0);
  const bool has_prs = !in.prs.empty();
  int64_t n = 0;
  for (const ScopePr& p : in.prs) {
    if (!p.merged_at || !in.query.range.Contains(*p.merged_at)) continue;
    ++n;
    ++counts[static_cast<size_t>(in.buckets.Of(*p.merged_at))];
    if (in.query.drill) {
      m.rows.push_back(PrRow(ds, ds.prs[static_cast<size_t>(p.pr)], *p.merged_at, 1.0));
    }
  }
  if (has_prs) m.value = static_cast<double>(n);
  m.distribution.n = n;
  m.completeness.total = m.completeness.measured = n;
  if (!has_prs) m.notes.push_back("no pull request of the scope exists by the range's end");
  if (in.query.series) m.series = CountSeries(in.buckets, counts, has_prs);
  report->metrics.push_back(std::move(m));
}

}  // namespace

void AddThroughput(const FlowInputs& in, Report* report) {
  if (in.query.Wants("flow.throughput.issues")) IssueThroughput(in, report);
  if (in.query.Wants("flow.throughput.prs")) PrThroughput(in, report);
}

}  // namespace sei::metrics::flow
