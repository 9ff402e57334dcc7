// flow.cumulative_flow (issues per status category at each bucket's end)
// and flow.cumulative_flow.status (per status name).
#include <algorithm>
#include <numeric>
#include <string>

#include "metrics/flow/flow_metrics.h"

namespace sei::metrics::flow {

namespace {

std::string StatusName(std::string_view s) { return s.empty() ? "(unknown)" : std::string(s); }

MetricPart CountPart(const FlowInputs& in, std::string key, const std::vector<int64_t>& counts,
                     int64_t total_now) {
  MetricPart p;
  p.key = std::move(key);
  const int64_t now = counts.empty() ? 0 : counts.back();
  if (in.has_issues) {
    p.value = static_cast<double>(now);
    p.share = Ratio(static_cast<double>(now), static_cast<double>(total_now));
  }
  p.distribution.n = now;
  if (in.query.series) p.series = CountSeries(in.buckets, counts, in.has_issues);
  return p;
}

// The whole: issues that exist at each bucket's end.
void Totals(const FlowInputs& in, Metric* m, std::vector<int64_t>* totals) {
  totals->assign(in.buckets.size(), 0);
  for (size_t b = 0; b < totals->size(); ++b) {
    for (int c = 0; c < kCategories; ++c) (*totals)[b] += in.by_category[b][c];
  }
  const int64_t now = totals->empty() ? 0 : totals->back();
  if (in.has_issues) m->value = static_cast<double>(now);
  m->distribution.n = now;
  NoteIssueHistory(in, &m->completeness);
  if (in.query.series) m->series = CountSeries(in.buckets, *totals, in.has_issues);
}

void AddDrill(const FlowInputs& in, Metric* m) {
  if (!in.query.drill) return;
  for (const IssueAtEnd& e : in.at_end) {
    DrillRow row = IssueRow(in.ds.issues[static_cast<size_t>(e.issue)], std::nullopt, 1.0);
    row.fields.emplace_back("category", std::string(CategoryName(e.category)));
    row.fields.emplace_back("status", StatusName(e.status));
    m->rows.push_back(std::move(row));
  }
}

void ByCategory(const FlowInputs& in, Report* report) {
  Metric m = NewMetric("flow.cumulative_flow", "Cumulative flow", "count", "count");
  std::vector<int64_t> totals;
  Totals(in, &m, &totals);
  const int64_t now = totals.empty() ? 0 : totals.back();
  for (int c = 0; c < kCategories; ++c) {
    std::vector<int64_t> counts(in.buckets.size());
    for (size_t b = 0; b < counts.size(); ++b) counts[b] = in.by_category[b][c];
    m.parts.push_back(
        CountPart(in, std::string(CategoryName(static_cast<Category>(c))), counts, now));
  }
  AddDrill(in, &m);
  report->metrics.push_back(std::move(m));
}

void ByStatus(const FlowInputs& in, Report* report) {
  Metric m =
      NewMetric("flow.cumulative_flow.status", "Cumulative flow by status", "count", "count");
  std::vector<int64_t> totals;
  Totals(in, &m, &totals);
  const int64_t now = totals.empty() ? 0 : totals.back();
  // Workflow order is unknown: statuses by category, then name.
  std::vector<size_t> order(in.statuses.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (in.status_category[a] != in.status_category[b]) {
      return in.status_category[a] < in.status_category[b];
    }
    return in.statuses[a] < in.statuses[b];
  });
  for (size_t s : order)
    m.parts.push_back(CountPart(in, StatusName(in.statuses[s]), in.by_status[s], now));
  AddDrill(in, &m);
  report->metrics.push_back(std::move(m));
}

}  // namespace

void AddCumulativeFlow(const FlowInputs& in, Report* report) {
  if (in.query.Wants("flow.cumulative_flow")) ByCategory(in, report);
  if (in.query.Wants("flow.cumulative_flow.status")) ByStatus(in, report);
}

}  // namespace sei::metrics::flow
