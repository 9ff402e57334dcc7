// PrFacts: what one pull request's timeline says, computed once per PR and
// shared by every family that looks at PRs (PR flow, DORA lead-time stages,
// bottlenecks): when work started, when it was ready for review, its first
// review by someone else, merge and first production deployment, and the
// stage durations between them.
//
// Stages (docs/metrics.md, "PR flow"), default mode:
//   coding  first commit -> ready for review (PR opened, or left draft: draft
//           time counts as coding); 0 when the PR was opened before its
//           first commit
//   pickup  ready for review -> first review by someone else (not the
//           author, not a bot); 0 when that review came before ready;
//           missing when the only reviews came after the merge
//   review  first review -> merge
//   deploy  merge -> first successful production deployment shipping it
//           (missing when that deployment is dated before the merge)
//   cycle   first commit, or opened when that was earlier -> that deployment
// A stage whose end has not happened (or whose data is missing) is missing,
// never zero. DevLake mode follows DevLake's project_pr_metrics: the first
// review is the first comment by someone else, coding ends at creation,
// negative stages are dropped, and cycle time ends at the deployment or,
// when there is none, at the merge.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>

#include "metrics/core/dataset.h"

namespace sei::metrics {

// PrFacts itself is defined in dataset.h (the Dataset keeps one per PR).

PrFacts ComputePrFacts(const Dataset& ds, const DsPr& pr);

}  // namespace sei::metrics
