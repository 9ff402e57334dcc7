// Shared by the PR family's files: the merged PRs of a query with their
// facts, and the metric builders each file provides.
//
// Thread safety: built and used by one thread.
#pragma once

#include <vector>

#include "metrics/core/dataset.h"
#include "metrics/core/pr_facts.h"
#include "metrics/core/result.h"

namespace sei::metrics::pr {

// One merged PR, with the few figures the review metrics read copied in,
// so their passes touch one small record per PR.
struct MergedPr {
  const DsPr* pr;
  const PrFacts* facts;  // Dataset::pr_facts
  int64_t merged_at;
  int64_t lines;  // additions + deletions, -1 when unknown
  int32_t depth;  // reviews and comments by others
  int16_t reviewers;
  int16_t commits;
  int16_t commits_after_review;
  bool reviewed;  // before the merge
};

struct Flow {
  const Dataset& ds;
  const ResolvedScope& scope;
  const Query& query;
  TimeRange range;
  std::vector<MergedPr> merged;  // in scope, merged in range
};

Flow CollectMerged(const Dataset& ds, const ResolvedScope& scope, const Query& query,
                   const TimeRange& range);

// pr_flow.cc: coding, pickup, review, deploy and cycle time.
std::vector<Metric> StageMetrics(const Flow& f);
// pr_review.cc: size, review depth, rework, merged without review.
std::vector<Metric> ReviewMetrics(const Flow& f);
// pr_open.cc: age of open PRs, stale PRs, review load.
std::vector<Metric> OpenAndLoadMetrics(const Flow& f);

}  // namespace sei::metrics::pr
