// PlanningSimulator: one team's Jira-like board over the demo's window:
// two-week sprints with committed scope (points up to the team's capacity),
// issues added mid-sprint, the odd issue removed, unfinished work carried
// over to the next sprint; stories, bugs and tasks under quarterly epics,
// with story points and labels; and every status change (To Do -> In
// Progress, sometimes through Blocked and In Review -> Done) at working-hour
// times with log-normal durations.
//
// It also returns what each person worked on when (WorkItem), so pull
// requests can name the issue they belong to ("PAY-42: ...").
//
// Thread safety: one simulator per thread; reads the Org only.
#pragma once

#include <string>
#include <vector>

#include "demo/org.h"
#include "demo/rng.h"
#include "model/work.h"

namespace sei::demo {

struct WorkItem {
  int64_t from = 0;
  int64_t to = 0;
  std::string key;
  std::string title;
};

struct PlanningRows {
  std::vector<model::Board> boards;
  std::vector<model::Sprint> sprints;
  std::vector<model::Issue> issues;
  std::vector<model::IssueStatusChange> changes;
  std::vector<model::SprintIssue> sprint_issues;
};

class PlanningSimulator {
 public:
  PlanningSimulator(const Org& org, int team);

  // Appends the team's rows to `out` and its members' work to `work`
  // (indexed by person).
  void Run(PlanningRows* out, std::vector<std::vector<WorkItem>>* work);

 private:
  struct Transition {
    int64_t at;
    int status;  // index into the status table
  };
  struct SimIssue {
    std::string type;
    std::string title;
    double points = -1;  // < 0: not estimated
    std::string priority;
    std::string labels;
    int64_t created_at = 0;
    int assignee = -1;
    int reporter = -1;
    int epic = -1;
    bool started = false;
    int64_t start_at = 0;
    int64_t done_at = kOpenEnded;
    std::vector<Transition> transitions;
    std::string key;
  };
  struct SimSprint {
    int64_t start = 0, planned_end = 0, completed = 0;
    std::vector<model::SprintIssue> rows;  // issue_id holds the issue index until keys exist
    std::vector<int> issues;
  };

  int NewIssue(const std::string& type, int64_t created_at);
  std::string PickType(bool mid_sprint);
  double Capacity(int64_t at);
  std::vector<int> ChooseScope(const SimSprint& sprint, const std::vector<int>& carry);
  void PlanSprint(SimSprint* sprint, std::vector<int>* carry);
  void AddMidSprint(SimSprint* sprint);
  void Start(int issue, int64_t not_before);
  void CloseEpics();
  void AssignKeys();
  void Emit(PlanningRows* out, std::vector<std::vector<WorkItem>>* work);
  void EmitIssue(const SimIssue& issue, PlanningRows* out);
  // Appends the issue's status changes up to the end; returns its status then.
  int EmitChanges(const SimIssue& issue, const std::string& issue_id, int64_t* updated,
                  PlanningRows* out);
  void EmitSprints(PlanningRows* out);
  double Improvement(int64_t t) const;
  int EpicFor(int64_t t);

  const Org& org_;
  const DemoTeam& team_;
  int team_index_;
  Rng rng_;
  std::vector<SimIssue> issues_;
  std::vector<SimSprint> sprints_;
  std::vector<int> backlog_;
  std::vector<std::pair<int64_t, int>> epics_;  // quarter start, epic issue
};

}  // namespace sei::demo
