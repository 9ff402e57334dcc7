#include "demo/unit_generator.h"

#include <fmt/format.h>

#include "demo/delivery_sim.h"
#include "demo/demo_ids.h"
#include "demo/file_model.h"
#include "demo/org_builder.h"
#include "demo/planning_sim.h"
#include "demo/pr_planner.h"
#include "demo/repo_sim.h"

namespace sei::demo {

namespace {

template <class T>
void Append(std::vector<T>* to, std::vector<T>* from) {
  if (to->empty()) {
    *to = std::move(*from);
  } else {
    to->insert(to->end(), std::make_move_iterator(from->begin()),
               std::make_move_iterator(from->end()));
  }
  from->clear();
  from->shrink_to_fit();
}

}  // namespace

void DemoCounts::Add(const DemoCounts& o) {
  units += o.units;
  people += o.people;
  teams += o.teams;
  repos += o.repos;
  accounts += o.accounts;
  commits += o.commits;
  commit_files += o.commit_files;
  direct_commits += o.direct_commits;
  prs += o.prs;
  for (int i = 0; i < 3; ++i) merged[i] += o.merged[i];
  closed += o.closed;
  open += o.open;
  pr_commits += o.pr_commits;
  reviews += o.reviews;
  comments += o.comments;
  issues += o.issues;
  status_changes += o.status_changes;
  sprints += o.sprints;
  sprint_issues += o.sprint_issues;
  pipelines += o.pipelines;
  jobs += o.jobs;
  deployments += o.deployments;
  production += o.production;
  production_failed += o.production_failed;
  staging += o.staging;
  incidents += o.incidents;
  incidents_open += o.incidents_open;
  findings += o.findings;
}

UnitData UnitGenerator::Generate(int unit) const {
  const Org org = OrgBuilder(options_, window_).Build(unit);
  UnitData data;
  data.unit = unit;
  std::vector<FileModel> files;
  files.reserve(org.repos.size());
  for (const DemoRepo& repo : org.repos) files.emplace_back(repo, options_.seed);
  std::vector<std::vector<WorkItem>> work(org.people.size());
  for (size_t t = 0; t < org.teams.size(); ++t) {
    PlanningSimulator(org, static_cast<int>(t)).Run(&data.planning, &work);
  }
  for (size_t t = 0; t < org.teams.size(); ++t) {
    std::vector<std::vector<PrPlan>> plans =
        PrPlanner(org, static_cast<int>(t), &files, work).Run();
    const DemoTeam& team = org.teams[t];
    for (size_t i = 0; i < team.repos.size(); ++i) {
      // Two services keep an incident open at the end (growth's and search's first).
      const bool open_incident = i == 0 && (t == 3 || t == 4);
      Repo(org, team.repos[i], &files[static_cast<size_t>(team.repos[i])], std::move(plans[i]),
           open_incident, &data);
    }
  }
  OrgRows(org, &data);
  Count(&data);
  return data;
}

void UnitGenerator::Repo(const Org& org, int repo, FileModel* files, std::vector<PrPlan> plans,
                         bool open_incident, UnitData* data) const {
  RepoOutput out = RepoSimulator(org, repo, files, std::move(plans)).Run();
  const DeliveryCounts d =
      DeliverySimulator(org, repo, out.main, *files, open_incident).Run(&data->delivery);
  DemoCounts& c = data->counts;
  c.production += d.production;
  c.production_failed += d.production_failed;
  c.staging += d.staging;
  c.incidents_open += d.incidents_open;
  c.commits += out.counts.commits;
  c.commit_files += out.counts.commit_files;
  c.direct_commits += out.counts.direct_commits;
  for (int k = 0; k < 3; ++k) c.merged[k] += out.counts.merged[k];
  c.closed += out.counts.closed;
  c.open += out.counts.open;
  Append(&data->prs, &out.prs);
  Append(&data->pr_commits, &out.pr_commits);
  Append(&data->reviews, &out.reviews);
  Append(&data->comments, &out.comments);
  data->git.push_back({std::move(out.repo), std::move(out.commits), std::move(out.sync)});
}

void UnitGenerator::OrgRows(const Org& org, UnitData* data) const {
  model::Team division;
  division.id = org.division_id;
  division.name = org.division_name;
  division.description = "All engineering teams of the demo organisation";
  data->teams.push_back(std::move(division));
  for (const DemoTeam& t : org.teams) {
    model::Team team;
    team.id = t.id;
    team.name = t.name;
    team.parent_team_id = org.division_id;
    team.description = fmt::format("{} ({}). {}", t.name, t.tpl->city, t.tpl->story);
    data->teams.push_back(std::move(team));
  }
  for (const DemoPerson& p : org.people) {
    if (p.bot) continue;
    data->people.push_back({p.person_id, p.name, p.work.email, false, p.hired_at});
  }
  for (const Membership& m : org.memberships) {
    model::TeamMember member;
    member.team_id = org.teams[static_cast<size_t>(m.team)].id;
    member.person_id = org.people[static_cast<size_t>(m.person)].person_id;
    member.role = m.role;
    member.joined_at = m.from;
    if (m.to != kOpenEnded) member.left_at = m.to;
    data->members.push_back(std::move(member));
  }
  Accounts(org, data);
  Projects(org, data);
}

void UnitGenerator::Accounts(const Org& org, UnitData* data) const {
  for (const DemoPerson& p : org.people) {
    if (p.bot && org.unit > 0) continue;  // the bots are the same in every division
    model::Account gh;
    gh.id = p.github_account;
    gh.connection_id = kGitHubConnection;
    gh.source = "github";
    gh.login = p.github_login;
    if (!p.bot && p.github_public_email) gh.email = p.work.email;
    if (p.bot || p.github_has_name) gh.name = p.name;
    gh.external_id = std::to_string(p.github_id);
    gh.is_bot = p.bot;
    data->accounts.push_back(std::move(gh));
    if (p.bot) continue;
    model::Account jira;
    jira.id = p.jira_account;
    jira.connection_id = kJiraConnection;
    jira.source = "jira";
    if (p.jira_has_email) jira.email = p.work.email;
    jira.name = p.name;
    jira.external_id = p.jira_account_id;
    data->accounts.push_back(std::move(jira));
  }
}

void UnitGenerator::Projects(const Org& org, UnitData* data) const {
  auto add_repo = [&](const std::string& project, const DemoRepo& repo) {
    data->scopes.push_back({project, "repo", repo.id});
    if (!repo.service.empty()) data->scopes.push_back({project, "service", repo.service});
  };
  for (const DemoTeam& t : org.teams) {
    data->projects.push_back({t.project_id, t.name, std::string(t.tpl->story)});
    for (int r : t.repos) add_repo(t.project_id, org.repos[static_cast<size_t>(r)]);
    data->scopes.push_back({t.project_id, "board", t.board_id});
    data->scopes.push_back({t.project_id, "environment", "production"});
    data->scopes.push_back({t.project_id, "environment", "staging"});
  }
  // A cross-team initiative: Payments and Growth rebuild checkout together.
  const std::string slug =
      org.unit == 0 ? "checkout-revamp" : fmt::format("d{}-checkout-revamp", org.unit + 1);
  const std::string id = ProjectId(slug);
  data->projects.push_back(
      {id, "Checkout revamp", std::string("Payments and Growth rebuild checkout")});
  for (int t : {0, 3}) {
    const DemoTeam& team = org.teams[static_cast<size_t>(t)];
    for (size_t i = 0; i < 2; ++i) add_repo(id, org.repos[static_cast<size_t>(team.repos[i])]);
  }
  data->scopes.push_back({id, "environment", "production"});
}

void UnitGenerator::Count(UnitData* data) const {
  DemoCounts& c = data->counts;
  c.units = 1;
  c.people = static_cast<int64_t>(data->people.size());
  c.teams = static_cast<int64_t>(data->teams.size());
  c.repos = static_cast<int64_t>(data->git.size());
  c.accounts = static_cast<int64_t>(data->accounts.size());
  c.prs = static_cast<int64_t>(data->prs.size());
  c.pr_commits = static_cast<int64_t>(data->pr_commits.size());
  c.reviews = static_cast<int64_t>(data->reviews.size());
  c.comments = static_cast<int64_t>(data->comments.size());
  c.issues = static_cast<int64_t>(data->planning.issues.size());
  c.status_changes = static_cast<int64_t>(data->planning.changes.size());
  c.sprints = static_cast<int64_t>(data->planning.sprints.size());
  c.sprint_issues = static_cast<int64_t>(data->planning.sprint_issues.size());
  c.pipelines = static_cast<int64_t>(data->delivery.pipelines.size());
  c.jobs = static_cast<int64_t>(data->delivery.jobs.size());
  c.deployments = static_cast<int64_t>(data->delivery.deployments.size());
  c.incidents = static_cast<int64_t>(data->delivery.incidents.size());
  c.findings = static_cast<int64_t>(data->delivery.findings.size());
}

}  // namespace sei::demo
