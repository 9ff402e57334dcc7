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

// Active and in-progress seconds, summed over the whole range and per bucket.
struct Sums {
  double active = 0, total = 0;
  std::vector<double> bucket_active, bucket_total;
  std::vector<int64_t> bucket_n;
  std::vector<double> per_issue;  // each issue's own efficiency
};

// Adds one done issue; returns its efficiency (nullopt: never in progress).
std::optional<double> Add(const DoneIssue& d, Sums* s) {
  const ProgressTime& p = d.progress;
  if (!p.started || p.total <= 0) return std::nullopt;
  const double active = static_cast<double>(p.total - p.waiting);
  const double total = static_cast<double>(p.total);
  s->per_issue.push_back(active / total);
  s->active += active;
  s->total += total;
  if (d.bucket >= 0) {
    s->bucket_active[static_cast<size_t>(d.bucket)] += active;
    s->bucket_total[static_cast<size_t>(d.bucket)] += total;
    ++s->bucket_n[static_cast<size_t>(d.bucket)];
  }
  return active / total;
}

DrillRow EfficiencyRow(const FlowInputs& in, const DoneIssue& d, std::optional<double> ratio) {
  DrillRow row = IssueRow(in.ds.issues[static_cast<size_t>(d.issue)], d.done_at, ratio);
  const ProgressTime& p = d.progress;
  row.fields.emplace_back("active_seconds", FieldNumber(static_cast<double>(p.total - p.waiting)));
  row.fields.emplace_back("waiting_seconds", FieldNumber(static_cast<double>(p.waiting)));
  return row;
}

}  // namespace

void AddFlowEfficiency(const FlowInputs& in, Report* report) {
  if (!in.query.Wants("flow.efficiency")) return;
  Metric m = NewMetric("flow.efficiency", "Flow efficiency", "ratio", "ratio");
  Sums s;
  s.bucket_active.assign(in.buckets.size(), 0);
  s.bucket_total.assign(in.buckets.size(), 0);
  s.bucket_n.assign(in.buckets.size(), 0);
  for (const DoneIssue& d : in.done) {
    const std::optional<double> ratio = Add(d, &s);
    if (in.query.drill) m.rows.push_back(EfficiencyRow(in, d, ratio));
  }
  m.value = Ratio(s.active, s.total);
  m.distribution = Summarize(&s.per_issue);
  m.completeness.total = static_cast<int64_t>(in.done.size());
  m.completeness.measured = m.distribution.n;
  m.completeness.NoteMissing(m.completeness.total - m.completeness.measured, m.completeness.total,
                             "done issues have no in-progress status change");
  if (s.total > 0) {
    m.parts.push_back(TimePart("active", s.active, s.total));
    m.parts.push_back(TimePart("waiting", s.total - s.active, s.total));
  }
  if (in.query.series) {
    std::vector<std::optional<double>> values(in.buckets.size());
    for (size_t b = 0; b < values.size(); ++b)
      values[b] = Ratio(s.bucket_active[b], s.bucket_total[b]);
    m.series = in.buckets.Series(values, s.bucket_n);
  }
  report->metrics.push_back(std::move(m));
}

}  // namespace sei::metrics::flow
