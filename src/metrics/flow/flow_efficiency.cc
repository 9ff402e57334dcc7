// flow.efficiency: of the time done issues spent in progress, the share that
// was active (not in a waiting status).
#include "metrics/flow/flow_metrics.h"

namespace sei::metrics::flow {

namespace {

MetricPart TimePart(const char* key, double seconds, double of) {
  MetricPart p;
  p.key = key;
  p.value = seconds;
  p.share = Ratio(seconds, of);
  return p;
}

}  // namespace

void AddFlowEfficiency(const FlowInputs& in, Report* report) {
  if (!in.query.Wants("flow.efficiency")) return;
  Metric m = NewMetric("flow.efficiency", "Flow efficiency", "ratio", "ratio");
  std::vector<double> per_issue;
  double active = 0, total = 0;
  std::vector<double> bucket_active(in.buckets.size(), 0), bucket_total(in.buckets.size(), 0);
  std::vector<int64_t> bucket_n(in.buckets.size(), 0);
  for (const DoneIssue& d : in.done) {
    const ProgressTime& p = d.progress;
    std::optional<double> ratio;
    if (p.started && p.total > 0) {
      const double a = static_cast<double>(p.total - p.waiting);
      ratio = a / static_cast<double>(p.total);
      per_issue.push_back(*ratio);
      active += a;
      total += static_cast<double>(p.total);
      if (d.bucket >= 0) {
        bucket_active[static_cast<size_t>(d.bucket)] += a;
        bucket_total[static_cast<size_t>(d.bucket)] += static_cast<double>(p.total);
        ++bucket_n[static_cast<size_t>(d.bucket)];
      }
    }
    if (in.query.drill) {
      DrillRow row = IssueRow(in.ds.issues[static_cast<size_t>(d.issue)], d.done_at, ratio);
      row.fields.emplace_back("active_seconds",
                              FieldNumber(static_cast<double>(p.total - p.waiting)));
      row.fields.emplace_back("waiting_seconds", FieldNumber(static_cast<double>(p.waiting)));
      m.rows.push_back(std::move(row));
    }
  }
  m.value = Ratio(active, total);
  m.distribution = Summarize(&per_issue);
  m.completeness.total = static_cast<int64_t>(in.done.size());
  m.completeness.measured = m.distribution.n;
  m.completeness.NoteMissing(m.completeness.total - m.completeness.measured, m.completeness.total,
                             "done issues have no in-progress status change");
  if (total > 0) {
    m.parts.push_back(TimePart("active", active, total));
    m.parts.push_back(TimePart("waiting", total - active, total));
  }
  if (in.query.series) {
    std::vector<std::optional<double>> values(in.buckets.size());
    for (size_t b = 0; b < values.size(); ++b) values[b] = Ratio(bucket_active[b], bucket_total[b]);
    m.series = in.buckets.Series(values, bucket_n);
  }
  report->metrics.push_back(std::move(m));
}

}  // namespace sei::metrics::flow
