#include "metrics/flow/flow_family.h"

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
  Report report = Run(ds, scope, query);
  if (query.compare) {
    Query previous = query;
    previous.range = query.range.Previous();
    previous.drill = previous.series = previous.compare = false;
    const Report before = Run(ds, scope, previous);
    for (Metric& m : report.metrics) {
      if (const Metric* p = before.Find(m.key)) m.previous = p->value;
    }
  }
  return report;
}

}  // namespace sei::metrics::flow
