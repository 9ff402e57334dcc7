#include "metrics/flow/flow_family.h"

#include "metrics/core/compare.h"

#include "metrics/flow/flow_inputs.h"
#include "metrics/flow/flow_metrics.h"

namespace sei::metrics::flow {

namespace {

Report Run(const Dataset& ds, const ResolvedScope& scope, const Query& query) {
  const FlowInputs in(ds, scope, query);
  Report report;
  AddThroughput(in, &report);
  AddIssueTimes(in, &report);
  AddWip(in, &report);
  AddFlowEfficiency(in, &report);
  AddCumulativeFlow(in, &report);
  AddSprintMetrics(in, &report);
  AddInvestmentMix(in, &report);
  if (in.issues_in_scope > 0 && in.with_changes == 0) {
    report.notes.push_back(
        "no issue of the scope has status changes: cycle time, flow efficiency and WIP need "
        "the issue history (collect changelogs)");
  }
  return report;
}

}  // namespace

Result<Report> ComputeFlow(const Dataset& ds, const ResolvedScope& scope, const Query& query) {
  return WithPreviousPeriod(query, [&](const Query& q) { return Run(ds, scope, q); });
}

}  // namespace sei::metrics::flow
