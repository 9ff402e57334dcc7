// SprintFigures: what happened to one sprint's scope, the input of sprint
// velocity and planning accuracy. For each closed sprint whose end lies in
// the range (end: completed_at, else the planned ended_at), and each of its
// issues in the query's scope:
//   committed     in the sprint when it started (sprint_issues.committed)
//   added         joined after the start (not committed)
//   removed       left before the end (removed_at <= end)
//   completed     still in the sprint at its end and in the done category
//                 then (the issue timeline at the end instant)
//   carried over  still in the sprint at its end and not done
// An issue's points are its points_at_start, else its current points; an
// issue with neither has no points (counted, but not in any points sum).
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "metrics/core/dataset.h"

namespace sei::metrics::flow {

// One count and its points.
struct Amount {
  int64_t issues = 0;
  double points = 0;
  void Add(const std::optional<double>& p) {
    ++issues;
    if (p) points += *p;
  }
};

struct SprintFigures {
  Idx sprint = kNone;
  int64_t start = 0, end = 0;
  Amount committed, added, removed, completed, carried_over;
  Amount completed_committed;  // committed and completed
  int64_t issues = 0;          // sprint issues counted (in scope)
  int64_t issues_with_points = 0;
  int64_t committed_without_points = 0;

  bool has_points() const { return issues_with_points > 0; }
};

struct SprintSelection {
  std::vector<SprintFigures> sprints;  // by end
  int64_t active = 0;  // started, not closed, planned to end in the range: not measured
};

// The sprints of the scope that ended in the range, with their figures.
SprintSelection SelectSprints(const Dataset& ds, const ResolvedScope& scope,
                              const TimeRange& range);

}  // namespace sei::metrics::flow
