#include "metrics/core/dataset.h"

#include <algorithm>
#include <cctype>

namespace sei::metrics {

namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

template <class Map>
Idx Find(const Map& map, std::string_view id) {
  auto it = map.find(std::string(id));
  return it == map.end() ? kNone : it->second;
}

}  // namespace

Idx Dataset::PersonOfAccount(std::string_view account_id) const {
  return Find(account_person, account_id);
}
Idx Dataset::RepoById(std::string_view id) const { return Find(repo_index_, id); }
Idx Dataset::PrById(std::string_view id) const { return Find(pr_index_, id); }
Idx Dataset::DeploymentById(std::string_view id) const { return Find(deployment_index_, id); }
Idx Dataset::IssueById(std::string_view id) const { return Find(issue_index_, id); }

void Dataset::BuildIndexes() {
  repo_index_.clear();
  pr_index_.clear();
  deployment_index_.clear();
  issue_index_.clear();
  for (size_t i = 0; i < repos.size(); ++i) repo_index_[repos[i].id] = static_cast<Idx>(i);
  for (size_t i = 0; i < prs.size(); ++i) pr_index_[prs[i].id] = static_cast<Idx>(i);
  for (size_t i = 0; i < deployments.size(); ++i) {
    deployment_index_[deployments[i].id] = static_cast<Idx>(i);
  }
  for (size_t i = 0; i < issues.size(); ++i) issue_index_[issues[i].id] = static_cast<Idx>(i);
}

Result<ResolvedScope> Dataset::Resolve(const Scope& scope) const {
  ResolvedScope r;
  r.scope = scope;
  auto found = [&](Idx i, const std::string& name) {
    r.index = i;
    r.name = name;
    return r;
  };
  switch (scope.kind) {
    case ScopeKind::kOrg:
      r.name = "organisation";
      return r;
    case ScopeKind::kTeam:
      for (size_t i = 0; i < teams.size(); ++i) {
        if (teams[i].id == scope.id || EqualsIgnoreCase(teams[i].name, scope.id)) {
          return found(static_cast<Idx>(i), teams[i].name);
        }
      }
      break;
    case ScopeKind::kProject:
      for (size_t i = 0; i < projects.size(); ++i) {
        if (projects[i].id == scope.id || EqualsIgnoreCase(projects[i].name, scope.id)) {
          return found(static_cast<Idx>(i), projects[i].name);
        }
      }
      break;
    case ScopeKind::kRepo:
      for (size_t i = 0; i < repos.size(); ++i) {
        if (repos[i].id == scope.id || repos[i].name == scope.id || repos[i].location == scope.id) {
          return found(static_cast<Idx>(i), repos[i].name);
        }
      }
      break;
    case ScopeKind::kPerson: {
      for (size_t i = 0; i < people.size(); ++i) {
        const DsPerson& p = people[i];
        if (p.id == scope.id || (p.email && EqualsIgnoreCase(*p.email, scope.id)) ||
            EqualsIgnoreCase(p.name, scope.id)) {
          return found(static_cast<Idx>(i), p.name);
        }
      }
      const Idx by_account = PersonOfAccount(scope.id);
      if (by_account != kNone)
        return found(by_account, people[static_cast<size_t>(by_account)].name);
      break;
    }
  }
  std::string known;
  auto list = [&](const auto& rows) {
    for (size_t i = 0; i < rows.size() && i < 8; ++i) known += (i ? ", " : "") + rows[i].name;
    if (rows.size() > 8) known += ", ...";
  };
  if (scope.kind == ScopeKind::kTeam) list(teams);
  if (scope.kind == ScopeKind::kProject) list(projects);
  if (scope.kind == ScopeKind::kRepo) list(repos);
  return NotFoundError("no " + std::string(ScopeKindName(scope.kind)) + " '" + scope.id +
                       "' in the store" + (known.empty() ? "" : " (known: " + known + ")"));
}

bool Dataset::PersonInTeam(Idx team, Idx person, int64_t at) const {
  if (team == kNone || person == kNone) return false;
  for (const DsMembership& m : teams[static_cast<size_t>(team)].members) {
    if (m.person == person && at >= m.joined_at && at < m.left_at) return true;
  }
  return false;
}

bool Dataset::PersonInScope(const ResolvedScope& s, Idx person, int64_t at) const {
  if (person != kNone && people[static_cast<size_t>(person)].bot) return false;
  switch (s.scope.kind) {
    case ScopeKind::kTeam:
      return PersonInTeam(s.index, person, at);
    case ScopeKind::kPerson:
      return person == s.index;
    default:
      return true;
  }
}

bool Dataset::ReviewInScope(const ResolvedScope& s, const DsReview& r,
                            const TimeRange& range) const {
  if (!r.submitted_at || !range.Contains(*r.submitted_at) || r.pending) return false;
  const DsPr& p = prs[static_cast<size_t>(r.pr)];
  if (r.reviewer == kNone || r.reviewer == p.author) return false;
  if (!PersonInScope(s, r.reviewer, *r.submitted_at)) return false;
  if (s.scope.kind == ScopeKind::kRepo) return p.repo == s.index;
  if (s.scope.kind == ScopeKind::kProject) return PrInScope(s, p);
  return true;
}

bool Dataset::ProjectHasRepo(const DsProject& p, Idx repo) const {
  return repo != kNone && std::find(p.repos.begin(), p.repos.end(), repo) != p.repos.end();
}

bool Dataset::ProjectHasService(const DsProject& p, const std::optional<std::string>& service,
                                const std::optional<std::string>& environment) const {
  if (!p.environments.empty() && environment) {
    bool env_ok = false;
    for (const std::string& e : p.environments) env_ok |= EqualsIgnoreCase(e, *environment);
    if (!env_ok) return false;
  }
  if (!service) return false;
  for (const std::string& sv : p.services) {
    if (EqualsIgnoreCase(sv, *service)) return true;
  }
  return false;
}

bool Dataset::PrInScope(const ResolvedScope& s, const DsPr& pr) const {
  switch (s.scope.kind) {
    case ScopeKind::kOrg:
      return !IsBot(pr.author);
    case ScopeKind::kRepo:
      return pr.repo == s.index && !IsBot(pr.author);
    case ScopeKind::kProject:
      return ProjectHasRepo(projects[static_cast<size_t>(s.index)], pr.repo) && !IsBot(pr.author);
    case ScopeKind::kTeam:
    case ScopeKind::kPerson:
      return PersonInScope(s, pr.author, pr.created_at);
  }
  return false;
}

bool Dataset::CommitInScope(const ResolvedScope& s, const DsCommit& c) const {
  switch (s.scope.kind) {
    case ScopeKind::kOrg:
      return !IsBot(c.author);
    case ScopeKind::kRepo:
      return c.repo == s.index && !IsBot(c.author);
    case ScopeKind::kProject:
      return ProjectHasRepo(projects[static_cast<size_t>(s.index)], c.repo) && !IsBot(c.author);
    case ScopeKind::kTeam:
    case ScopeKind::kPerson:
      return PersonInScope(s, c.author, c.author_time);
  }
  return false;
}

bool Dataset::ChangeInScope(const ResolvedScope& s, const DsChange& c) const {
  switch (s.scope.kind) {
    case ScopeKind::kOrg:
      return true;
    case ScopeKind::kRepo:
      return c.repo == s.index;
    case ScopeKind::kProject:
      return ProjectHasRepo(projects[static_cast<size_t>(s.index)], c.repo);
    case ScopeKind::kTeam:
    case ScopeKind::kPerson:
      return PersonInScope(s, c.author, c.first_commit_at);
  }
  return false;
}

bool Dataset::DeploymentInScope(const ResolvedScope& s, const DsDeployment& d) const {
  switch (s.scope.kind) {
    case ScopeKind::kOrg:
      return true;
    case ScopeKind::kRepo:
      return d.repo == s.index;
    case ScopeKind::kProject: {
      const DsProject& p = projects[static_cast<size_t>(s.index)];
      if (!p.environments.empty()) {
        bool env_ok = false;
        for (const std::string& e : p.environments) env_ok |= EqualsIgnoreCase(e, d.environment);
        if (!env_ok) return false;
      }
      return ProjectHasRepo(p, d.repo) || ProjectHasService(p, d.service, std::nullopt);
    }
    case ScopeKind::kTeam:
    case ScopeKind::kPerson:
      for (uint32_t c = d.changes.begin; c < d.changes.end; ++c) {
        if (ChangeInScope(s, changes[c])) return true;
      }
      return false;
  }
  return false;
}

bool Dataset::IncidentInScope(const ResolvedScope& s, const DsIncident& i) const {
  if (s.scope.kind == ScopeKind::kOrg) return true;
  if (s.scope.kind == ScopeKind::kProject &&
      ProjectHasService(projects[static_cast<size_t>(s.index)], i.service, i.environment)) {
    return true;
  }
  for (Idx d : i.deployments) {
    if (DeploymentInScope(s, deployments[static_cast<size_t>(d)])) return true;
  }
  return false;
}

bool Dataset::IssueInScope(const ResolvedScope& s, const DsIssue& issue) const {
  switch (s.scope.kind) {
    case ScopeKind::kOrg:
      return true;
    case ScopeKind::kRepo:
      return false;  // issues belong to boards, not repositories
    case ScopeKind::kProject: {
      const DsProject& p = projects[static_cast<size_t>(s.index)];
      return issue.board != kNone &&
             std::find(p.boards.begin(), p.boards.end(), issue.board) != p.boards.end();
    }
    case ScopeKind::kTeam:
    case ScopeKind::kPerson: {
      // Assigned to a member when it was created or, when done, resolved.
      const int64_t at = issue.resolved_at.value_or(issue.created_at);
      return PersonInScope(s, issue.assignee, at) ||
             (issue.assignee == kNone && PersonInScope(s, issue.reporter, issue.created_at));
    }
  }
  return false;
}

bool Dataset::ReleaseInScope(const ResolvedScope& s, const DsRelease& r) const {
  switch (s.scope.kind) {
    case ScopeKind::kOrg:
      return true;
    case ScopeKind::kRepo:
      return r.repo == s.index;
    case ScopeKind::kProject:
      return ProjectHasRepo(projects[static_cast<size_t>(s.index)], r.repo);
    case ScopeKind::kTeam:
    case ScopeKind::kPerson:
      return PersonInScope(s, r.author, r.at);
  }
  return false;
}

}  // namespace sei::metrics
