// The bottlenecks family: for a scope and range, which stage of the flow
// holds work longest — the PR stages (coding, pickup, review, deploy) and the
// in-progress statuses of issues (In Review, Blocked, QA ...) — and what
// changed against the previous period of the same length. The call-outs are
// plain sentences in each metric's notes, for dashboards to show as they are.
// Definitions: docs/metrics.md, "Bottlenecks".
//
// Thread safety: pure functions of a read-only Dataset.
#pragma once

#include "common/result.h"
#include "metrics/core/dataset.h"
#include "metrics/core/result.h"

namespace sei::metrics::bottlenecks {

Result<Report> ComputeBottlenecks(const Dataset& ds, const ResolvedScope& scope,
                                  const Query& query);

}  // namespace sei::metrics::bottlenecks
