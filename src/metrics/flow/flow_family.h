// The "flow" metrics family: delivery and flow metrics of a scope's issues,
// pull requests and sprints (throughput, issue cycle and lead time, WIP,
// flow efficiency, cumulative flow, sprint velocity, planning accuracy,
// investment mix). Registered with the engine (metrics/engine/engine.cc);
// definitions in docs/metrics.md, "Delivery and flow".
//
// Thread safety: ComputeFlow only reads the Dataset; safe from many threads.
#pragma once

#include "common/result.h"
#include "metrics/core/dataset.h"
#include "metrics/core/result.h"

namespace sei::metrics::flow {

Result<Report> ComputeFlow(const Dataset& ds, const ResolvedScope& scope, const Query& query);

}  // namespace sei::metrics::flow
