#include "metrics/flow/sprint_figures.h"

#include <algorithm>

#include "metrics/flow/issue_timeline.h"

namespace sei::metrics::flow {

namespace {

bool BoardInScope(const Dataset& ds, const ResolvedScope& scope, Idx board) {
  switch (scope.scope.kind) {
    case ScopeKind::kRepo:
      return false;  // sprints belong to boards, not repositories
    case ScopeKind::kProject: {
      const DsProject& p = ds.projects[static_cast<size_t>(scope.index)];
      return board != kNone && std::find(p.boards.begin(), p.boards.end(), board) != p.boards.end();
    }
    default:
      return true;  // org: every sprint; team and person: filtered by issue
  }
}

bool IssueCounts(const Dataset& ds, const ResolvedScope& scope, const DsIssue& issue) {
  const ScopeKind k = scope.scope.kind;
  if (k == ScopeKind::kTeam || k == ScopeKind::kPerson) return ds.IssueInScope(scope, issue);
  return true;  // the sprint's board decides
}

void Count(const Dataset& ds, const DsSprintIssue& si, IssueTimeline* timeline, SprintFigures* f) {
  const bool committed = si.committed;
  if (!committed && si.added_at && *si.added_at > f->end) return;         // joined after it ended
  if (!committed && si.removed_at && *si.removed_at <= f->start) return;  // left before it began
  const DsIssue& issue = ds.issues[static_cast<size_t>(si.issue)];
  const std::optional<double> points = si.points_at_start ? si.points_at_start : issue.points;
  ++f->issues;
  if (points) ++f->issues_with_points;
  if (committed) {
    f->committed.Add(points);
    if (!points) ++f->committed_without_points;
  } else {
    f->added.Add(points);
  }
  if (si.removed_at && *si.removed_at <= f->end) {
    f->removed.Add(points);
    return;
  }
  timeline->Build(ds, issue);
  const Segment* at_end = timeline->At(f->end);
  if (at_end != nullptr && at_end->category == Category::kDone) {
    f->completed.Add(points);
    if (committed) f->completed_committed.Add(points);
  } else {
    f->carried_over.Add(points);
  }
}

}  // namespace

SprintSelection SelectSprints(const Dataset& ds, const ResolvedScope& scope,
                              const TimeRange& range) {
  SprintSelection out;
  IssueTimeline timeline;
  for (size_t s = 0; s < ds.sprints.size(); ++s) {
    const DsSprint& sprint = ds.sprints[s];
    if (!sprint.started_at || !BoardInScope(ds, scope, sprint.board)) continue;
    const std::optional<int64_t> end = sprint.completed_at ? sprint.completed_at : sprint.ended_at;
    if (!end || !range.Contains(*end)) continue;
    if (sprint.state != "closed" && !sprint.completed_at) {
      ++out.active;
      continue;
    }
    SprintFigures f;
    f.sprint = static_cast<Idx>(s);
    f.start = *sprint.started_at;
    f.end = *end;
    for (uint32_t i = sprint.issues.begin; i < sprint.issues.end; ++i) {
      const DsSprintIssue& si = ds.sprint_issues[i];
      if (!IssueCounts(ds, scope, ds.issues[static_cast<size_t>(si.issue)])) continue;
      Count(ds, si, &timeline, &f);
    }
    if (f.issues > 0 || scope.scope.kind == ScopeKind::kProject ||
        scope.scope.kind == ScopeKind::kOrg) {
      out.sprints.push_back(f);
    }
  }
  std::sort(out.sprints.begin(), out.sprints.end(),
            [](const SprintFigures& a, const SprintFigures& b) {
              return a.end != b.end ? a.end < b.end : a.sprint < b.sprint;
            });
  return out;
}

}  // namespace sei::metrics::flow
