#include "metrics/dora/dora.h"

#include <algorithm>
#include <set>

#include "metrics/core/drill.h"
#include "metrics/core/series.h"
#include "metrics/core/stats.h"
#include "metrics/dora/dora_context.h"

namespace sei::metrics::dora {

std::vector<Idx> ProductionDeployments(const Dataset& ds, const ResolvedScope& scope,
                                       const TimeRange& range) {
  std::vector<Idx> out;
  auto first = std::lower_bound(ds.deployments.begin(), ds.deployments.end(), range.since,
                                [](const DsDeployment& d, int64_t t) { return d.at < t; });
  for (auto it = first; it != ds.deployments.end() && it->at < range.until; ++it) {
    if (it->production && ds.DeploymentInScope(scope, *it)) {
      out.push_back(static_cast<Idx>(it - ds.deployments.begin()));
    }
  }
  return out;
}

void SetBand(const BandTable& table, const std::string& band_metric, Metric* m) {
  if (!m->value) return;
  m->band = Classify(table, band_metric, *m->value);
  if (m->band) m->band_year = table.year;
}

namespace {

// Median number of deployment days per bucket, over the buckets of `g` that
// overlap the range (six months: consecutive windows from the range start).
std::optional<double> MedianDaysPer(const std::set<int64_t>& days, const TimeRange& range,
                                    Granularity g, int months_per_window = 1) {
  std::vector<int64_t> starts = BucketStarts(range, g);
  if (months_per_window > 1) {
    std::vector<int64_t> windows;
    for (size_t i = 0; i < starts.size(); i += static_cast<size_t>(months_per_window)) {
      windows.push_back(starts[i]);
    }
    starts = windows;
  }
  std::vector<double> counts;
  for (size_t i = 0; i < starts.size(); ++i) {
    const int64_t end = i + 1 < starts.size() ? starts[i + 1] : range.until;
    const auto lo = days.lower_bound(starts[i] / 86400);
    const auto hi = days.lower_bound((end + 86399) / 86400);
    counts.push_back(static_cast<double>(std::distance(lo, hi)));
  }
  return Median(&counts);
}

bool AnyProductionDeployment(const Dataset& ds, const ResolvedScope& scope) {
  for (const DsDeployment& d : ds.deployments) {
    if (d.production && ds.DeploymentInScope(scope, d)) return true;
  }
  return false;
}

}  // namespace

Metric DeploymentFrequency(const Context& c) {
  Metric m;
  m.key = "dora.deployment_frequency";
  m.name = "Deployment frequency";
  m.unit = "per_week";
  m.statistic = "rate";
  SeriesBuilder series(c.range, c.query.granularity);
  std::set<int64_t> days;
  int64_t successes = 0, finished = 0;
  for (Idx i : c.deployments) {
    const DsDeployment& d = c.ds.deployments[static_cast<size_t>(i)];
    if (IsFinished(d)) ++finished;
    if (!IsSuccess(d)) continue;
    ++successes;
    days.insert(d.at >= 0 ? d.at / 86400 : (d.at - 86399) / 86400);
    series.Add(d.at, 1);
    if (c.query.drill) m.rows.push_back(DeploymentRow(c.ds, d, 1));
  }
  m.value = static_cast<double>(successes) / c.range.Weeks();
  m.distribution.n = successes;
  m.completeness.total = static_cast<int64_t>(c.deployments.size());
  m.completeness.measured = finished;
  m.completeness.NoteMissing(m.completeness.total - finished, m.completeness.total,
                             "production deployments had not finished (in progress or cancelled)");
  FrequencyMeasures fm;
  fm.days_per_week = MedianDaysPer(days, c.range, Granularity::kWeek);
  fm.days_per_month = MedianDaysPer(days, c.range, Granularity::kMonth);
  fm.days_per_six_months = MedianDaysPer(days, c.range, Granularity::kMonth, 6);
  m.parts = {{"deployments", static_cast<double>(successes), {}, {}, "count"},
             {"deployment_days", static_cast<double>(days.size()), {}, {}, "count"},
             {"median_days_per_week", fm.days_per_week, {}, {}, "days"},
             {"median_days_per_month", fm.days_per_month, {}, {}, "days"}};
  m.band = ClassifyFrequency(c.bands, fm);
  if (m.band) m.band_year = c.bands.year;
  if (c.query.series) m.series = series.Counts();
  if (c.deployments.empty() && !AnyProductionDeployment(c.ds, c.scope)) {
    // No deployment data at all is missing, not a frequency of zero.
    m.value.reset();
    m.band.reset();
    m.band_year.reset();
    m.notes.push_back(
        "no production deployments collected for this scope: connect a CI/CD "
        "source or push deployments (POST /api/v1/push/deployments)");
  }
  return m;
}

namespace {

using MetricFn = Metric (*)(const Context&);

Metric WithPrevious(const Context& c, MetricFn fn) {
  Metric m = fn(c);
  if (!c.query.compare) return m;
  Query q = c.query;
  q.drill = false;
  q.series = false;
  q.compare = false;
  const TimeRange prev = c.range.Previous();
  Context pc{c.ds, c.scope, q, prev, c.bands, ProductionDeployments(c.ds, c.scope, prev)};
  m.previous = fn(pc).value;
  return m;
}

}  // namespace

Result<Report> ComputeDora(const Dataset& ds, const ResolvedScope& scope, const Query& query) {
  const std::string year = query.band_year.empty() ? ds.settings.band_year : query.band_year;
  SEI_ASSIGN_OR_RETURN(const BandTable* bands, BandsFor(year));
  Context c{ds, scope, query, query.range, *bands, ProductionDeployments(ds, scope, query.range)};
  Report r;
  const std::pair<const char*, MetricFn> metrics[] = {
      {"dora.deployment_frequency", &DeploymentFrequency},
      {"dora.lead_time", &LeadTime},
      {"dora.change_failure_rate", &ChangeFailureRate},
      {"dora.failed_deployment_recovery_time", &FailedDeploymentRecoveryTime},
      {"dora.time_to_restore", &TimeToRestore},
  };
  for (const auto& [key, fn] : metrics) {
    if (query.Wants(key)) r.metrics.push_back(WithPrevious(c, fn));
  }
  for (const std::string& n : bands->notes) r.notes.push_back("bands " + year + ": " + n);
  if (ds.settings.mode == Mode::kDevLake) r.notes.push_back("DevLake-compatible definitions");
  return r;
}

}  // namespace sei::metrics::dora
