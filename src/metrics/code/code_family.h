// The "code" metrics family: churn, rework (an estimate), hotspots,
// ownership and bus factor, from the per-file rows of non-merge commits.
// Needs a Dataset loaded with commits and files (LoadOptions::files);
// registered with the engine (metrics/engine/engine.cc); definitions in
// docs/metrics.md, "Code".
//
// Thread safety: ComputeCode only reads the Dataset; safe from many threads.
#pragma once

#include "common/result.h"
#include "metrics/core/dataset.h"
#include "metrics/core/result.h"

namespace sei::metrics::code {

Result<Report> ComputeCode(const Dataset& ds, const ResolvedScope& scope, const Query& query);

}  // namespace sei::metrics::code
