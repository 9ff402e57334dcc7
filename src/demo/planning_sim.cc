#include "demo/planning_sim.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "demo/demo_ids.h"
#include "demo/text_gen.h"
#include "demo/work_hours.h"

namespace sei::demo {

namespace {

struct StatusDef {
  const char* name;
  const char* category;
};
constexpr StatusDef kStatuses[] = {{"To Do", "todo"},
                                   {"In Progress", "in_progress"},
                                   {"Blocked", "in_progress"},
                                   {"In Review", "in_progress"},
                                   {"Done", "done"}};
enum : int { kTodo = 0, kInProgress = 1, kBlocked = 2, kInReview = 3, kDone = 4 };

constexpr int64_t kSprintLength = 14 * kDay;
constexpr double kStoryPoints[] = {1, 2, 3, 5, 8, 13};
constexpr double kStoryPointWeights[] = {10, 20, 30, 25, 12, 3};

std::string Capitalized(const std::string& type) {
  std::string s = type;
  s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

}  // namespace

PlanningSimulator::PlanningSimulator(const Org& org, int team)
    : org_(org),
      team_(org.teams[static_cast<size_t>(team)]),
      team_index_(team),
      rng_(Rng::Derive(org.seed, "planning:" + org.teams[static_cast<size_t>(team)].slug)) {}

double PlanningSimulator::Improvement(int64_t t) const { return org_.Improvement(team_index_, t); }

void PlanningSimulator::Run(PlanningRows* out, std::vector<std::vector<WorkItem>>* work) {
  const int32_t tz = team_.tpl->tz_minutes;
  int64_t day = LocalDay(org_.window.sim_start, tz);
  day -= Weekday(day);
  int64_t start = AtLocal(day, 9 * kHour, tz) + (team_index_ % 2) * kWeek;
  std::vector<int> carry;
  for (; start < org_.window.end; start += kSprintLength) {
    SimSprint sprint;
    sprint.start = start;
    sprint.planned_end = start + 11 * kDay + 8 * kHour;  // Friday 17:00 of week two
    sprint.completed = start + kSprintLength - 30 * kMinute;
    PlanSprint(&sprint, &carry);
    AddMidSprint(&sprint);
    sprints_.push_back(std::move(sprint));
  }
  CloseEpics();
  AssignKeys();
  Emit(out, work);
  model::Board board;
  board.id = team_.board_id;
  board.connection_id = kJiraConnection;
  board.name = team_.name + " board";
  board.kind = "scrum";
  board.url = fmt::format("{}/jira/software/projects/{}/boards/1", kJiraHost, team_.key);
  out->boards.push_back(std::move(board));
}

int PlanningSimulator::NewIssue(const std::string& type, int64_t created_at) {
  SimIssue issue;
  issue.type = type;
  issue.title = TextGen::IssueTitle(rng_, type);
  issue.created_at = created_at;
  if (type == "story") {
    issue.points = kStoryPoints[rng_.Weighted(kStoryPointWeights, 6)];
    issue.labels = rng_.Chance(0.5) ? R"(["backend"])" : R"(["frontend"])";
    issue.epic = EpicFor(created_at);
  } else if (type == "bug") {
    if (rng_.Chance(0.5)) issue.points = static_cast<double>(rng_.UniformInt(1, 3));
    issue.labels = rng_.Chance(0.4) ? R"(["customer-reported"])" : R"(["regression"])";
  } else if (type == "task") {
    issue.points = static_cast<double>(rng_.UniformInt(1, 3));
    issue.labels = R"(["tech-debt"])";
  }
  static constexpr const char* kPriorities[] = {"Highest", "High", "Medium", "Low"};
  static constexpr double kBugPriority[] = {0.1, 0.3, 0.45, 0.15};
  static constexpr double kOtherPriority[] = {0.02, 0.18, 0.65, 0.15};
  issue.priority = kPriorities[rng_.Weighted(type == "bug" ? kBugPriority : kOtherPriority, 4)];
  const std::vector<int> members = org_.MembersAt(team_index_, created_at);
  issue.reporter = members.empty() ? -1 : rng_.Pick(members);
  issues_.push_back(std::move(issue));
  return static_cast<int>(issues_.size()) - 1;
}

std::string PlanningSimulator::PickType(bool mid_sprint) {
  static const char* kTypes[] = {"story", "bug", "task"};
  static constexpr double kPlanned[] = {0.55, 0.25, 0.20};
  static constexpr double kAdded[] = {0.15, 0.60, 0.25};
  return kTypes[rng_.Weighted(mid_sprint ? kAdded : kPlanned, 3)];
}

int PlanningSimulator::EpicFor(int64_t t) {
  const int64_t quarter = 13 * kWeek;
  const int64_t q_start = org_.window.sim_start + (t - org_.window.sim_start) / quarter * quarter;
  if (t < org_.window.sim_start || !rng_.Chance(0.7)) return -1;
  std::vector<int> candidates;
  for (const auto& [at, epic] : epics_) {
    if (at == q_start) candidates.push_back(epic);
  }
  if (candidates.empty()) {
    for (int i = 0; i < 2; ++i) {
      SimIssue epic;
      epic.type = "epic";
      epic.title = TextGen::IssueTitle(rng_, "epic");
      epic.created_at = q_start - kWeek;
      epic.priority = "High";
      issues_.push_back(std::move(epic));
      epics_.emplace_back(q_start, static_cast<int>(issues_.size()) - 1);
      candidates.push_back(static_cast<int>(issues_.size()) - 1);
    }
  }
  return rng_.Pick(candidates);
}

double PlanningSimulator::Capacity(int64_t at) {
  double points = 0;
  for (int p : org_.MembersAt(team_index_, at)) {
    const DemoPerson& person = org_.people[static_cast<size_t>(p)];
    if (org_.Away(p, at + 3 * kDay)) continue;
    points += person.role == Role::kEngineer ? 8.0 : person.role == Role::kLead ? 5.0 : 0.0;
  }
  return points * rng_.Uniform(0.85, 1.1);
}

std::vector<int> PlanningSimulator::ChooseScope(const SimSprint& sprint,
                                                const std::vector<int>& carry) {
  // Carried-over work first, then the backlog, then new issues up to capacity.
  const double capacity = Capacity(sprint.start);
  double planned = 0;
  std::vector<int> scope = carry;
  for (int i : scope) planned += std::max(0.0, issues_[static_cast<size_t>(i)].points);
  std::vector<int> backlog;
  for (int i : backlog_) {
    if (planned < capacity) {
      scope.push_back(i);
      planned += std::max(1.0, issues_[static_cast<size_t>(i)].points);
    } else {
      backlog.push_back(i);
    }
  }
  backlog_ = std::move(backlog);
  while (planned < capacity) {
    const int64_t created =
        std::max(org_.window.sim_start - 30 * kDay,
                 sprint.start - static_cast<int64_t>(rng_.Exponential(10.0 * kDay)));
    const int i = NewIssue(PickType(false), created);
    scope.push_back(i);
    planned += std::max(1.0, issues_[static_cast<size_t>(i)].points);
  }
  return scope;
}

void PlanningSimulator::PlanSprint(SimSprint* sprint, std::vector<int>* carry) {
  const std::vector<int> scope = ChooseScope(*sprint, *carry);
  carry->clear();
  for (int i : scope) {
    SimIssue& issue = issues_[static_cast<size_t>(i)];
    model::SprintIssue row;
    row.issue_id = std::to_string(i);
    row.added_at = sprint->start;
    row.committed = true;
    if (issue.points >= 0) row.points_at_start = issue.points;
    if (!issue.started && rng_.Chance(0.05)) {  // descoped: back to the backlog
      row.removed_at = sprint->start + rng_.UniformInt(3, 9) * kDay;
      backlog_.push_back(i);
    } else if (!issue.started) {
      Start(i, sprint->start);
    }
    if (!row.removed_at && issue.done_at >= sprint->completed) carry->push_back(i);
    sprint->rows.push_back(std::move(row));
    sprint->issues.push_back(i);
  }
}

void PlanningSimulator::AddMidSprint(SimSprint* sprint) {
  const int64_t n = rng_.Poisson(1.6);
  for (int64_t k = 0; k < n; ++k) {
    const int64_t created =
        sprint->start + rng_.UniformInt(1, 9) * kDay + rng_.UniformInt(0, 8) * kHour;
    if (created >= org_.window.end) continue;
    const int i = NewIssue(PickType(true), created);
    model::SprintIssue row;
    row.issue_id = std::to_string(i);
    row.added_at = created + rng_.UniformInt(5, 240) * kMinute;
    row.committed = false;
    Start(i, *row.added_at);
    sprint->rows.push_back(std::move(row));
    sprint->issues.push_back(i);
  }
}

void PlanningSimulator::Start(int index, int64_t not_before) {
  SimIssue& issue = issues_[static_cast<size_t>(index)];
  std::vector<int> members = org_.MembersAt(team_index_, not_before);
  std::vector<int> doers;
  for (int p : members) {
    if (org_.people[static_cast<size_t>(p)].role != Role::kManager) doers.push_back(p);
  }
  if (doers.empty()) return;
  issue.assignee = rng_.Pick(doers);
  const DemoPerson& who = org_.people[static_cast<size_t>(issue.assignee)];
  const double f = Improvement(not_before);
  int64_t t = not_before + static_cast<int64_t>(rng_.Uniform(0, 5.5) * kDay);
  t = SnapToWork(t, who.tz, who.off_hours, rng_);
  issue.started = true;
  issue.start_at = t;
  issue.transitions.push_back({t, kInProgress});
  const double size = issue.points > 0 ? std::sqrt(issue.points / 2.0) : 0.7;
  const double work = rng_.LogNormal(1.3 * kDay * size * f, 0.65);
  if (rng_.Chance(0.12)) {
    t = SnapToWork(t + static_cast<int64_t>(0.3 * work), who.tz, who.off_hours, rng_);
    issue.transitions.push_back({t, kBlocked});
    t = SnapToWork(t + static_cast<int64_t>(rng_.LogNormal(1.0 * kDay, 0.8)), who.tz, who.off_hours,
                   rng_);
    issue.transitions.push_back({t, kInProgress});
    t += static_cast<int64_t>(0.45 * work);
  } else {
    t += static_cast<int64_t>(0.75 * work);
  }
  if (rng_.Chance(0.7)) {
    t = SnapToWork(t, who.tz, who.off_hours, rng_);
    issue.transitions.push_back({t, kInReview});
  }
  t = SnapToWork(t + static_cast<int64_t>(0.25 * work), who.tz, who.off_hours, rng_);
  issue.transitions.push_back({t, kDone});
  issue.done_at = t;
}

void PlanningSimulator::CloseEpics() {
  const int64_t quarter = 13 * kWeek;
  for (const auto& [q_start, e] : epics_) {
    int64_t first = kOpenEnded, last = 0;
    bool all_done = q_start + quarter < org_.window.end;
    for (const SimIssue& child : issues_) {
      if (child.epic != e || !child.started) continue;
      first = std::min(first, child.start_at);
      last = std::max(last, child.done_at);
    }
    SimIssue& epic = issues_[static_cast<size_t>(e)];
    if (first == kOpenEnded) continue;
    epic.started = true;
    epic.start_at = first;
    epic.transitions.push_back({first, kInProgress});
    if (all_done && last < org_.window.end && last >= q_start + quarter - 2 * kWeek) {
      epic.transitions.push_back({last + kHour, kDone});
      epic.done_at = last + kHour;
    }
  }
}

void PlanningSimulator::AssignKeys() {
  std::vector<int> order(issues_.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
  std::stable_sort(order.begin(), order.end(), [this](int a, int b) {
    return issues_[static_cast<size_t>(a)].created_at < issues_[static_cast<size_t>(b)].created_at;
  });
  for (size_t n = 0; n < order.size(); ++n) {
    issues_[static_cast<size_t>(order[n])].key = fmt::format("{}-{}", team_.key, n + 1);
  }
}

void PlanningSimulator::Emit(PlanningRows* out, std::vector<std::vector<WorkItem>>* work) {
  for (const SimIssue& issue : issues_) {
    if (issue.created_at >= org_.window.end) continue;
    EmitIssue(issue, out);
    if (issue.started && issue.assignee >= 0 && issue.type != "epic") {
      (*work)[static_cast<size_t>(issue.assignee)].push_back(
          {issue.start_at, std::min(issue.done_at, org_.window.end), issue.key, issue.title});
    }
  }
  EmitSprints(out);
}

int PlanningSimulator::EmitChanges(const SimIssue& s, const std::string& issue_id, int64_t* updated,
                                   PlanningRows* out) {
  int status = kTodo;
  for (size_t n = 0; n < s.transitions.size(); ++n) {
    const Transition& tr = s.transitions[n];
    if (tr.at >= org_.window.end) break;
    model::IssueStatusChange c;
    c.id = model::MakeId(kJiraConnection, "change", fmt::format("{}/{}", s.key, n + 1));
    c.issue_id = issue_id;
    c.from_status = kStatuses[status].name;
    c.from_category = kStatuses[status].category;
    c.to_status = kStatuses[tr.status].name;
    c.to_category = kStatuses[tr.status].category;
    c.changed_at = tr.at;
    if (s.assignee >= 0) {
      c.author_account_id = org_.people[static_cast<size_t>(s.assignee)].jira_account;
    }
    out->changes.push_back(std::move(c));
    status = tr.status;
    *updated = tr.at;
  }
  return status;
}

void PlanningSimulator::EmitIssue(const SimIssue& s, PlanningRows* out) {
  model::Issue issue;
  issue.id = model::MakeId(kJiraConnection, "issue", s.key);
  issue.connection_id = kJiraConnection;
  issue.board_id = team_.board_id;
  issue.key = s.key;
  issue.title = s.title;
  issue.type = s.type;
  issue.raw_type = Capitalized(s.type);
  int64_t updated = s.created_at;
  const int status = EmitChanges(s, issue.id, &updated, out);
  issue.status = kStatuses[status].name;
  issue.status_category = kStatuses[status].category;
  issue.priority = s.priority;
  if (s.points >= 0) issue.story_points = s.points;
  if (s.assignee >= 0)
    issue.assignee_account_id = org_.people[static_cast<size_t>(s.assignee)].jira_account;
  if (s.reporter >= 0)
    issue.reporter_account_id = org_.people[static_cast<size_t>(s.reporter)].jira_account;
  if (s.epic >= 0) {
    issue.epic_id =
        model::MakeId(kJiraConnection, "issue", issues_[static_cast<size_t>(s.epic)].key);
    issue.parent_issue_id = issue.epic_id;
  }
  issue.created_at = s.created_at;
  issue.updated_at = updated;
  if (status == kDone) issue.resolved_at = updated;
  issue.url = fmt::format("{}/browse/{}", kJiraHost, s.key);
  if (!s.labels.empty()) issue.labels = s.labels;
  out->issues.push_back(std::move(issue));
}

void PlanningSimulator::EmitSprints(PlanningRows* out) {
  const int64_t end = org_.window.end;
  int number = 0;
  for (SimSprint& s : sprints_) {
    ++number;
    model::Sprint sprint;
    sprint.id = model::MakeId(kJiraConnection, "sprint", fmt::format("{}/{}", team_.slug, number));
    sprint.board_id = team_.board_id;
    sprint.name = fmt::format("{} Sprint {}", team_.key, number);
    sprint.state = s.completed <= end ? "closed" : "active";
    sprint.goal = "Ship " + TextGen::IssueTitle(rng_, "epic");
    sprint.started_at = s.start;
    sprint.ended_at = s.planned_end;
    if (s.completed <= end) sprint.completed_at = s.completed;
    for (model::SprintIssue& row : s.rows) {
      const SimIssue& issue = issues_[static_cast<size_t>(std::stoi(row.issue_id))];
      if (issue.created_at >= end || (row.added_at && *row.added_at >= end)) continue;
      row.sprint_id = sprint.id;
      row.issue_id = model::MakeId(kJiraConnection, "issue", issue.key);
      if (row.removed_at && *row.removed_at >= end) row.removed_at.reset();
      out->sprint_issues.push_back(std::move(row));
    }
    out->sprints.push_back(std::move(sprint));
  }
  model::Sprint next;
  next.id = model::MakeId(kJiraConnection, "sprint", fmt::format("{}/{}", team_.slug, number + 1));
  next.board_id = team_.board_id;
  next.name = fmt::format("{} Sprint {}", team_.key, number + 1);
  next.state = "future";
  if (!sprints_.empty()) next.started_at = sprints_.back().start + kSprintLength;
  out->sprints.push_back(std::move(next));
}

}  // namespace sei::demo
