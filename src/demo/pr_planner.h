// PrPlanner: the pull requests of one team's repositories over the window.
//
// Arrivals: each member opens PRs as a Poisson process over their working
// days (rate per person, thinned by holidays and the year-end season), in
// the team's repositories they mostly work on; dependabot opens dependency
// bumps in every repository. Each PR then lives through a timeline whose
// stage times are log-normal (long-tailed): coding (first commit to open,
// drafts opened early and marked ready later), pickup (to the first review by
// a teammate), review rounds with rework commits after changes are
// requested, and the merge. Some PRs are merged without review, some closed
// unmerged, some abandoned open. The team's template sets the medians: the
// bottleneck team's pickup is several times longer (one senior reviewer
// takes most reviews) and the improving team's stage times shrink over the
// year (Org::Improvement). Every instant snaps to the actor's working hours.
// Events after the end of the window are cut off: a PR not merged by then is
// open.
//
// Thread safety: one planner per thread; reads the Org only.
#pragma once

#include <vector>

#include "demo/file_model.h"
#include "demo/org.h"
#include "demo/planning_sim.h"
#include "demo/pr_plan.h"
#include "demo/rng.h"

namespace sei::demo {

class PrPlanner {
 public:
  // `files` has one model per repository of the organisation (by index);
  // `work` is what each person worked on (PlanningSimulator).
  PrPlanner(const Org& org, int team, std::vector<FileModel>* files,
            const std::vector<std::vector<WorkItem>>& work);

  // Plans per repository of the team (aligned with DemoTeam::repos), each
  // sorted by creation and numbered.
  std::vector<std::vector<PrPlan>> Run();

 private:
  struct Context {
    int repo = 0;  // organisation-wide repository index
    double f = 1;  // the team's improvement factor at the PR's start
  };

  void PlanMember(const Membership& m, std::vector<std::vector<PrPlan>>* out);
  void PlanBots(std::vector<std::vector<PrPlan>>* out);
  PrPlan PlanBot(int repo, int64_t t);
  PrPlan PlanHuman(int author, int repo, int64_t t0);
  void PlanCoding(const Context& c, PrPlan* pr, int64_t t0);
  int64_t PlanReviews(const Context& c, PrPlan* pr, int64_t open_at);
  void PlanClosed(const Context& c, PrPlan* pr, int64_t open_at);
  void AddReviewComments(const Context& c, PrPlan* pr, int review);
  void AddRework(const Context& c, PrPlan* pr, int64_t after);
  int PickReviewer(int author, int64_t t);
  PlannedCommit MakeCommit(const Context& c, int author, int64_t at,
                           const std::vector<FileRef>& focus, size_t files, bool after_review);
  void Title(int author, int64_t t0, PrPlan* pr);
  int64_t Snap(int person, int64_t t);
  void ClipToWindow(PrPlan* pr) const;
  MergeKind PickKind(int repo);

  const Org& org_;
  const DemoTeam& team_;
  int team_index_;
  std::vector<FileModel>* files_;
  const std::vector<std::vector<WorkItem>>& work_;
  Rng rng_;
  std::vector<FileRef> focus_;  // the current PR's files
};

}  // namespace sei::demo
