// The PR family: how pull requests flow from first commit to production
// (coding, pickup, review, deploy and cycle time), their size, how deeply
// they are reviewed, rework after review, PRs merged without review, the age
// of open PRs and stale ones, and who reviews how much (review load).
// Definitions: docs/metrics.md, "PR flow"; per-PR stages: core/pr_facts.h.
//
// Thread safety: pure functions of a read-only Dataset.
#pragma once

#include "common/result.h"
#include "metrics/core/dataset.h"
#include "metrics/core/result.h"

namespace sei::metrics::pr {

Result<Report> ComputePr(const Dataset& ds, const ResolvedScope& scope, const Query& query);

}  // namespace sei::metrics::pr
