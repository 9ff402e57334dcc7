// Change failure rate, failed deployment recovery time, and time to restore
// service.
#include <algorithm>

#include "metrics/core/drill.h"
#include "metrics/core/series.h"
#include "metrics/core/stats.h"
#include "metrics/dora/dora_context.h"

namespace sei::metrics::dora {

namespace {

// Whether a production deployment counts as a change failure. Default: its
// own result says it failed (failure, rolled back), or it caused an
// incident. DevLake mode: it caused an incident.
bool Failed(const Dataset& ds, const DsDeployment& d) {
  const bool devlake = ds.settings.mode == Mode::kDevLake;
  return (!devlake && IsFailure(d)) || !d.incidents.empty();
}

// Why, for the drill-down rows.
std::string FailureReason(const Dataset& ds, const DsDeployment& d) {
  if (ds.settings.mode != Mode::kDevLake && IsFailure(d)) return "result: " + d.result;
  return "incident: " + ds.incidents[static_cast<size_t>(d.incidents.front())].id;
}

int64_t UnlinkedIncidents(const Context& c) {
  int64_t n = 0;
  for (const DsIncident& i : c.ds.incidents) {
    if (c.range.Contains(i.created_at) && i.deployments.empty() &&
        c.ds.IncidentInScope(c.scope, i)) {
      ++n;
    }
  }
  return n;
}

}  // namespace

Metric ChangeFailureRate(const Context& c) {
  const bool devlake = c.ds.settings.mode == Mode::kDevLake;
  Metric m;
  m.key = "dora.change_failure_rate";
  m.name = "Change failure rate";
  m.unit = "ratio";
  m.statistic = "ratio";
  SeriesBuilder series(c.range, c.query.granularity);
  int64_t total = 0, failed = 0, unfinished = 0;
  for (Idx i : c.deployments) {
    const DsDeployment& d = c.ds.deployments[static_cast<size_t>(i)];
    const bool counts = devlake ? IsSuccess(d) : IsFinished(d);
    if (!counts) {
      ++unfinished;
      continue;
    }
    ++total;
    const bool failure = Failed(c.ds, d);
    if (failure) ++failed;
    series.AddRatio(d.at, failure ? 1 : 0, 1);
    if (c.query.drill && failure) {
      DrillRow row = DeploymentRow(c.ds, d, 1);
      row.fields.push_back({"failure", FailureReason(c.ds, d)});
      m.rows.push_back(std::move(row));
    }
  }
  m.value = Ratio(static_cast<double>(failed), static_cast<double>(total));
  m.distribution.n = total;
  m.parts = {{"failed", static_cast<double>(failed), {}, {}, "count"},
             {"deployments", static_cast<double>(total), {}, {}, "count"}};
  m.completeness.total = total + unfinished;
  m.completeness.measured = total;
  m.completeness.NoteMissing(unfinished, total + unfinished,
                             devlake ? "production deployments did not succeed (DevLake counts "
                                       "successful deployments only)"
                                     : "production deployments had not finished");
  if (const int64_t orphans = UnlinkedIncidents(c); orphans > 0) {
    m.notes.push_back(std::to_string(orphans) +
                      " incidents in range are linked to no deployment and do not count");
  }
  if (c.query.series) m.series = series.Ratios();
  SetBand(c.bands, "change_failure_rate", &m);
  return m;
}

Metric FailedDeploymentRecoveryTime(const Context& c) {
  Metric m;
  m.key = "dora.failed_deployment_recovery_time";
  m.name = "Failed deployment recovery time";
  m.unit = "seconds";
  m.statistic = "median";
  SeriesBuilder series(c.range, c.query.granularity);
  std::vector<double> values;
  int64_t failures = 0;
  for (Idx i : c.deployments) {
    const DsDeployment& d = c.ds.deployments[static_cast<size_t>(i)];
    if (!IsFinished(d) || !Failed(c.ds, d)) continue;
    ++failures;
    // Recovered: when every incident it caused was resolved; without
    // incidents, at the next successful deployment of the same target.
    std::optional<int64_t> recovered;
    if (!d.incidents.empty()) {
      bool all = true;
      for (Idx inc : d.incidents) {
        const auto& r = c.ds.incidents[static_cast<size_t>(inc)].resolved_at;
        if (!r) all = false;
        if (r && (!recovered || *r > *recovered)) recovered = r;
      }
      if (!all) recovered.reset();
    } else if (d.next_success != kNone) {
      recovered = c.ds.deployments[static_cast<size_t>(d.next_success)].at;
    }
    if (!recovered) continue;
    const double v = static_cast<double>(std::max<int64_t>(0, *recovered - d.at));
    values.push_back(v);
    series.Add(d.at, v);
    if (c.query.drill) m.rows.push_back(DeploymentRow(c.ds, d, v));
  }
  m.distribution = Summarize(&values);
  m.value = m.distribution.p50;
  m.completeness.total = failures;
  m.completeness.measured = static_cast<int64_t>(values.size());
  m.completeness.NoteMissing(failures - m.completeness.measured, failures,
                             "failed deployments have not recovered yet");
  if (c.query.series) m.series = series.Medians();
  SetBand(c.bands, "failed_deployment_recovery_time", &m);
  return m;
}

Metric TimeToRestore(const Context& c) {
  Metric m;
  m.key = "dora.time_to_restore";
  m.name = "Time to restore service";
  m.unit = "seconds";
  m.statistic = "median";
  SeriesBuilder series(c.range, c.query.granularity);
  std::vector<double> values;
  int64_t total = 0;
  for (const DsIncident& i : c.ds.incidents) {
    if (!c.range.Contains(i.created_at) || !c.ds.IncidentInScope(c.scope, i)) continue;
    ++total;
    if (!i.resolved_at) continue;
    const double v = static_cast<double>(std::max<int64_t>(0, *i.resolved_at - i.created_at));
    values.push_back(v);
    series.Add(i.created_at, v);
    if (c.query.drill) m.rows.push_back(IncidentRow(c.ds, i, v));
  }
  m.distribution = Summarize(&values);
  m.value = m.distribution.p50;
  m.completeness.total = total;
  m.completeness.measured = static_cast<int64_t>(values.size());
  m.completeness.NoteMissing(total - m.completeness.measured, total,
                             "incidents are not resolved yet");
  if (c.query.series) m.series = series.Medians();
  SetBand(c.bands, "time_to_restore", &m);
  return m;
}

}  // namespace sei::metrics::dora
