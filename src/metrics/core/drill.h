// Drill-down rows: how each entity appears in Metric::rows, so that every
// family describes a deployment, a change, an incident or a PR the same way
// and the dashboards can link each row to the source tool.
//
// Thread safety: pure functions.
#pragma once

#include <optional>

#include "metrics/core/dataset.h"
#include "metrics/core/result.h"

namespace sei::metrics {

DrillRow DeploymentRow(const Dataset& ds, const DsDeployment& d, std::optional<double> value);
DrillRow ChangeRow(const Dataset& ds, const DsChange& c, std::optional<double> value);
DrillRow IncidentRow(const Dataset& ds, const DsIncident& i, std::optional<double> value);
DrillRow PrRow(const Dataset& ds, const DsPr& pr, int64_t at, std::optional<double> value);
DrillRow IssueRow(const DsIssue& issue, std::optional<int64_t> at, std::optional<double> value);

// The name of a person row, "" for kNone.
const std::string& PersonName(const Dataset& ds, Idx person);

}  // namespace sei::metrics
