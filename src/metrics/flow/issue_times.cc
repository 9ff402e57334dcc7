// flow.issue_cycle_time (time in the in-progress category, summed across
// re-openings) and flow.issue_lead_time (created -> done), for the issues
// done inside the range.
#include "metrics/flow/flow_metrics.h"

namespace sei::metrics::flow {

namespace {

// Fills the distribution, headline median, series and drill rows from one
// value per done issue (nullopt: the issue has none).
template <class ValueOf>
void FromDone(const FlowInputs& in, ValueOf value_of, Metric* m) {
  std::vector<double> all;
  std::vector<std::vector<double>> per_bucket(in.buckets.size());
  for (const DoneIssue& d : in.done) {
    const std::optional<double> v = value_of(d);
    if (in.query.drill) {
      DrillRow row = IssueRow(in.ds.issues[static_cast<size_t>(d.issue)], d.done_at, v);
      m->rows.push_back(std::move(row));
    }
    if (!v) continue;
    all.push_back(*v);
    if (d.bucket >= 0) per_bucket[static_cast<size_t>(d.bucket)].push_back(*v);
  }
  m->completeness.total = static_cast<int64_t>(in.done.size());
  m->completeness.measured = static_cast<int64_t>(all.size());
  m->distribution = Summarize(&all);
  m->value = m->distribution.p50;
  if (in.query.series) m->series = MedianSeries(in.buckets, &per_bucket);
}

// How many done issues had inconsistent status changes.
void NoteDoneHistory(const FlowInputs& in, Completeness* c) {
  int64_t off = 0, broken = 0;
  for (const DoneIssue& d : in.done) {
    off += d.off_status;
    broken += d.broken_chain;
  }
  const int64_t n = static_cast<int64_t>(in.done.size());
  c->NoteMissing(off, n,
                 "done issues have status changes that do not end in done (done time taken "
                 "from the resolution)");
  c->NoteMissing(broken, n,
                 "done issues have status changes that do not follow on from each other");
}

void CycleTime(const FlowInputs& in, Report* report) {
  Metric m = NewMetric("flow.issue_cycle_time", "Issue cycle time", "seconds", "median");
  FromDone(
      in,
      [](const DoneIssue& d) -> std::optional<double> {
        if (!d.progress.started) return std::nullopt;  // never in progress: none
        return static_cast<double>(d.progress.total);
      },
      &m);
  m.completeness.NoteMissing(m.completeness.total - m.completeness.measured, m.completeness.total,
                             "done issues have no in-progress status change");
  NoteDoneHistory(in, &m.completeness);
  report->metrics.push_back(std::move(m));
}

void LeadTime(const FlowInputs& in, Report* report) {
  Metric m = NewMetric("flow.issue_lead_time", "Issue lead time", "seconds", "median");
  FromDone(
      in,
      [&](const DoneIssue& d) -> std::optional<double> {
        return static_cast<double>(d.done_at -
                                   in.ds.issues[static_cast<size_t>(d.issue)].created_at);
      },
      &m);
  m.completeness.NoteMissing(in.done_without_time, in.done_now,
                             "done issues have no done time and are not counted");
  NoteDoneHistory(in, &m.completeness);
  report->metrics.push_back(std::move(m));
}

}  // namespace

void AddIssueTimes(const FlowInputs& in, Report* report) {
  if (in.query.Wants("flow.issue_cycle_time")) CycleTime(in, report);
  if (in.query.Wants("flow.issue_lead_time")) LeadTime(in, report);
}

}  // namespace sei::metrics::flow
