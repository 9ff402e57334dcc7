// The flow metrics, one function per metric (or pair of closely related
// metrics), each adding what the query wants to the report. Definitions:
// docs/metrics.md, "Delivery and flow".
//
// Thread safety: pure functions of their inputs.
#pragma once

#include "metrics/core/result.h"
#include "metrics/flow/flow_inputs.h"

namespace sei::metrics::flow {

// flow.throughput.issues, flow.throughput.prs
void AddThroughput(const FlowInputs& in, Report* report);
// flow.issue_cycle_time, flow.issue_lead_time
void AddIssueTimes(const FlowInputs& in, Report* report);
// flow.wip.issues, flow.wip.prs
void AddWip(const FlowInputs& in, Report* report);
// flow.cumulative_flow, flow.cumulative_flow.status
void AddCumulativeFlow(const FlowInputs& in, Report* report);
// flow.efficiency
void AddFlowEfficiency(const FlowInputs& in, Report* report);
// flow.sprint_velocity.points, flow.sprint_velocity.issues, flow.planning_accuracy
void AddSprintMetrics(const FlowInputs& in, Report* report);
// flow.investment_mix.type, .type_points, .label, .label_points
void AddInvestmentMix(const FlowInputs& in, Report* report);

}  // namespace sei::metrics::flow
