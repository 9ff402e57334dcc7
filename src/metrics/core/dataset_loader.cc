#include "metrics/core/dataset_loader.h"

#include "metrics/core/pr_facts.h"

#include <algorithm>
#include <chrono>
#include <numeric>
#include <regex>
#include <unordered_map>
#include <unordered_set>

#include "metrics/core/commit_file_loader.h"
#include "model/delivery.h"
#include "model/derived.h"
#include "model/git.h"
#include "model/org.h"
#include "model/review.h"
#include "model/work.h"

namespace sei::metrics {

namespace {

using model::Row;

// Groups child rows by parent index: sorts `rows` by (parent, key) and sets
// each parent's span.
template <class Child, class Parent, class ParentOf, class KeyOf>
void Group(std::vector<Child>* rows, std::vector<Parent>* parents, Span Parent::*span,
           ParentOf parent_of, KeyOf key_of) {
  std::stable_sort(rows->begin(), rows->end(), [&](const Child& a, const Child& b) {
    const Idx pa = parent_of(a), pb = parent_of(b);
    if (pa != pb) return pa < pb;
    return key_of(a) < key_of(b);
  });
  for (auto& p : *parents) p.*span = Span{};
  for (uint32_t i = 0; i < rows->size();) {
    const Idx p = parent_of((*rows)[i]);
    uint32_t j = i;
    while (j < rows->size() && parent_of((*rows)[j]) == p) ++j;
    if (p != kNone) (*parents)[static_cast<size_t>(p)].*span = Span{i, j};
    i = j;
  }
}

class Loader {
 public:
  Loader(Store& store, const MetricsSettings& settings, Dataset* ds)
      : store_(store), settings_(settings), ds_(*ds) {}

  Status Run(const LoadOptions& options) {
    SEI_RETURN_IF_ERROR(LoadPeople());
    SEI_RETURN_IF_ERROR(LoadTeams());
    SEI_RETURN_IF_ERROR(LoadReposBoardsProjects());
    SEI_RETURN_IF_ERROR(LoadPullRequests());
    SEI_RETURN_IF_ERROR(LoadDeployments());
    SEI_RETURN_IF_ERROR(LoadIncidents());
    SEI_RETURN_IF_ERROR(LoadReleases());
    SEI_RETURN_IF_ERROR(LoadIssues());
    SEI_RETURN_IF_ERROR(LoadSprints());
    if (options.files) files_.emplace();
    if (options.commits || options.files) SEI_RETURN_IF_ERROR(LoadCommits());
    if (files_) SEI_RETURN_IF_ERROR(files_->Load(store_, repo_index_, &ds_));
    ds_.BuildIndexes();
    ds_.pr_facts.reserve(ds_.prs.size());
    for (const DsPr& pr : ds_.prs) ds_.pr_facts.push_back(ComputePrFacts(ds_, pr));
    for (DsChange& c : ds_.changes) {
      c.first_bounded = c.link_method == "first-bounded";
      if (c.pr == kNone) continue;
      const PrFacts& f = ds_.pr_facts[static_cast<size_t>(c.pr)];
      const std::optional<int64_t>* stage[4] = {&f.coding, &f.pickup, &f.review, &f.deploy};
      for (int k = 0; k < 4; ++k) {
        if (*stage[k] && **stage[k] >= INT32_MIN + 1 && **stage[k] <= INT32_MAX) {
          c.stages[k] = static_cast<int32_t>(**stage[k]);
        }
      }
    }
    return Status::Ok();
  }

 private:
  Idx Person(const std::optional<std::string>& account_id) {
    if (!account_id) return kNone;
    return ds_.PersonOfAccount(*account_id);
  }

  Status LoadPeople() {
    std::regex bot;
    try {
      bot = std::regex(settings_.bot_pattern, std::regex::ECMAScript | std::regex::icase);
    } catch (const std::regex_error& e) {
      return InvalidArgumentError("metrics.bot_pattern '" + settings_.bot_pattern +
                                  "' is not a valid regular expression: " + e.what());
    }
    SEI_ASSIGN_OR_RETURN(auto people, store_.List<model::Person>());
    std::unordered_map<std::string, Idx> person_index;
    for (const model::Person& p : people) {
      person_index[p.id] = static_cast<Idx>(ds_.people.size());
      ds_.people.push_back({p.id, p.display_name, p.primary_email, p.is_bot});
    }
    SEI_ASSIGN_OR_RETURN(auto links, store_.List<model::IdentityLink>());
    std::unordered_map<std::string, std::string> linked;
    for (const model::IdentityLink& l : links) linked[l.account_id] = l.person_id;
    SEI_ASSIGN_OR_RETURN(auto accounts, store_.List<model::Account>());
    for (const model::Account& a : accounts) {
      std::optional<std::string> pid = a.person_id;
      if (auto it = linked.find(a.id); it != linked.end()) pid = it->second;
      Idx p = kNone;
      if (pid) {
        auto it = person_index.find(*pid);
        if (it != person_index.end()) p = it->second;
      }
      if (p == kNone) {
        // Not resolved yet: the account stands for a person of its own, a
        // bot when it is flagged or matches the pattern. (A resolved person
        // is a bot when identity resolution said so: all its accounts are.)
        p = static_cast<Idx>(ds_.people.size());
        person_index[a.id] = p;
        const bool matches = (a.login && std::regex_search(*a.login, bot)) ||
                             (a.name && std::regex_search(*a.name, bot)) ||
                             (a.email && std::regex_search(*a.email, bot));
        ds_.people.push_back({a.id, a.name.value_or(a.login.value_or(a.email.value_or(a.id))),
                              a.email, a.is_bot || matches});
      }
      ds_.account_person[a.id] = p;
    }
    person_index_ = std::move(person_index);
    return Status::Ok();
  }

  Status LoadTeams() {
    SEI_ASSIGN_OR_RETURN(auto teams, store_.List<model::Team>());
    std::unordered_map<std::string, Idx> team_index;
    for (const model::Team& t : teams) {
      team_index[t.id] = static_cast<Idx>(ds_.teams.size());
      ds_.teams.push_back({t.id, t.name, t.parent_team_id, {}});
    }
    SEI_ASSIGN_OR_RETURN(auto members, store_.List<model::TeamMember>());
    for (const model::TeamMember& m : members) {
      auto t = team_index.find(m.team_id);
      auto p = person_index_.find(m.person_id);
      if (t == team_index.end() || p == person_index_.end()) continue;
      ds_.teams[static_cast<size_t>(t->second)].members.push_back(
          {p->second, m.joined_at, m.left_at.value_or(kForever), m.role});
    }
    return Status::Ok();
  }

  Status LoadReposBoardsProjects() {
    SEI_ASSIGN_OR_RETURN(auto repos, store_.List<model::Repo>());
    for (const model::Repo& r : repos) {
      repo_index_[r.id] = static_cast<Idx>(ds_.repos.size());
      ds_.repos.push_back({r.id, r.name, r.location});
    }
    SEI_ASSIGN_OR_RETURN(auto boards, store_.List<model::Board>());
    for (const model::Board& b : boards) {
      board_index_[b.id] = static_cast<Idx>(ds_.boards.size());
      ds_.boards.push_back({b.id, b.name});
    }
    SEI_ASSIGN_OR_RETURN(auto projects, store_.List<model::Project>());
    std::unordered_map<std::string, Idx> project_index;
    for (const model::Project& p : projects) {
      project_index[p.id] = static_cast<Idx>(ds_.projects.size());
      ds_.projects.push_back({p.id, p.name, {}, {}, {}, {}, {}});
    }
    SEI_ASSIGN_OR_RETURN(auto scopes, store_.List<model::ProjectScope>());
    for (const model::ProjectScope& s : scopes) {
      auto p = project_index.find(s.project_id);
      if (p == project_index.end()) continue;
      DsProject& proj = ds_.projects[static_cast<size_t>(p->second)];
      if (s.kind == "repo") {
        if (auto r = repo_index_.find(s.scope_id); r != repo_index_.end()) {
          proj.repos.push_back(r->second);
        }
      } else if (s.kind == "board") {
        if (auto b = board_index_.find(s.scope_id); b != board_index_.end()) {
          proj.boards.push_back(b->second);
        }
      } else if (s.kind == "service") {
        proj.services.push_back(s.scope_id);
      } else if (s.kind == "environment") {
        proj.environments.push_back(s.scope_id);
      } else if (s.kind == "ci_scope") {
        proj.ci_scopes.push_back(s.scope_id);
      }
    }
    return Status::Ok();
  }

  Idx Repo(const std::optional<std::string>& id) {
    if (!id) return kNone;
    auto it = repo_index_.find(*id);
    return it == repo_index_.end() ? kNone : it->second;
  }

  // Streams `columns` of an entity's rows (not the whole entity: comments
  // carry bodies) to `fn`, which reads cells by position in `columns`.
  template <class T, class Fn>
  Status Scan(const std::vector<std::string>& columns, Fn&& fn) {
    model::TableSpec spec = model::SpecOf<T>();
    std::vector<model::Column> cols;
    for (const std::string& c : columns) cols.push_back(spec.columns[spec.ColumnIndex(c)]);
    spec.columns = std::move(cols);
    return store_.ScanRows(spec, {}, [&](const Row& row) {
      fn(row);
      return Status::Ok();
    });
  }
  static const std::string& Str(const Row& r, size_t i) { return std::get<std::string>(r[i]); }
  static std::optional<std::string> OptStr(const Row& r, size_t i) {
    if (const auto* s = std::get_if<std::string>(&r[i])) return *s;
    return std::nullopt;
  }
  static std::optional<int64_t> OptInt(const Row& r, size_t i) {
    if (const auto* v = std::get_if<int64_t>(&r[i])) return *v;
    return std::nullopt;
  }
  Idx PrOf(const Row& r, size_t i) {
    auto it = pr_index_.find(Str(r, i));
    return it == pr_index_.end() ? kNone : it->second;
  }

  Status LoadPullRequests() {
    // Every column but connection_id and raw_id, in model order.
    SEI_RETURN_IF_ERROR(Scan<model::PullRequest>(
        {"id",         "repo_id",           "number",        "title",     "state",
         "is_draft",   "author_account_id", "base_ref",      "head_sha",  "merge_sha",
         "created_at", "updated_at",        "ready_at",      "closed_at", "merged_at",
         "additions",  "deletions",         "changed_files", "url",       "labels"},
        [&](const Row& r) {
          DsPr d;
          d.id = Str(r, 0);
          d.repo = Repo(OptStr(r, 1));
          d.number = *OptInt(r, 2);
          d.title = Str(r, 3);
          d.state = Str(r, 4);
          d.draft = OptInt(r, 5).value_or(0) != 0;
          d.author = Person(OptStr(r, 6));
          d.base_ref = OptStr(r, 7);
          d.head_sha = OptStr(r, 8);
          d.merge_sha = OptStr(r, 9);
          d.created_at = *OptInt(r, 10);
          d.updated_at = OptInt(r, 11);
          d.ready_at = OptInt(r, 12);
          d.closed_at = OptInt(r, 13);
          d.merged_at = OptInt(r, 14);
          d.additions = OptInt(r, 15);
          d.deletions = OptInt(r, 16);
          d.changed_files = OptInt(r, 17);
          d.url = OptStr(r, 18);
          d.labels = OptStr(r, 19);
          ds_.prs.push_back(std::move(d));
        }));
    std::sort(ds_.prs.begin(), ds_.prs.end(), [](const DsPr& a, const DsPr& b) {
      return a.created_at != b.created_at ? a.created_at < b.created_at : a.id < b.id;
    });
    pr_index_.reserve(ds_.prs.size());
    for (size_t i = 0; i < ds_.prs.size(); ++i) pr_index_[ds_.prs[i].id] = static_cast<Idx>(i);
    SEI_RETURN_IF_ERROR(Scan<model::PrCommit>({"pr_id", "authored_at"}, [&](const Row& r) {
      const Idx pr = PrOf(r, 0);
      if (pr != kNone) ds_.pr_commits.push_back({pr, OptInt(r, 1)});
    }));
    Group(
        &ds_.pr_commits, &ds_.prs, &DsPr::commits, [](const DsPrCommit& c) { return c.pr; },
        [](const DsPrCommit& c) { return c.authored_at.value_or(kForever); });
    SEI_RETURN_IF_ERROR(Scan<model::PrReview>(
        {"pr_id", "reviewer_account_id", "state", "submitted_at"}, [&](const Row& r) {
          const Idx pr = PrOf(r, 0);
          if (pr == kNone) return;
          const std::string& state = Str(r, 2);
          ds_.reviews.push_back(
              {pr, Person(OptStr(r, 1)), state, state == "pending", OptInt(r, 3)});
        }));
    Group(
        &ds_.reviews, &ds_.prs, &DsPr::reviews, [](const DsReview& r) { return r.pr; },
        [](const DsReview& r) { return r.submitted_at.value_or(kForever); });
    SEI_RETURN_IF_ERROR(Scan<model::PrComment>(
        {"pr_id", "author_account_id", "kind", "created_at"}, [&](const Row& r) {
          const Idx pr = PrOf(r, 0);
          if (pr == kNone) return;
          ds_.comments.push_back({pr, Person(OptStr(r, 1)), Str(r, 2), *OptInt(r, 3)});
        }));
    Group(
        &ds_.comments, &ds_.prs, &DsPr::comments, [](const DsComment& c) { return c.pr; },
        [](const DsComment& c) { return c.created_at; });
    return Status::Ok();
  }

  Status LoadDeployments() {
    SEI_ASSIGN_OR_RETURN(auto deps, store_.List<model::Deployment>());
    std::vector<DsDeployment> out;
    out.reserve(deps.size());
    for (model::Deployment& d : deps) {
      if (!d.finished_at && !d.started_at) continue;  // no time: cannot be placed
      DsDeployment x;
      x.id = std::move(d.id);
      x.repo = Repo(d.repo_id);
      x.service = std::move(d.service);
      x.environment = std::move(d.environment);
      x.environment_type = std::move(d.environment_type);
      x.production = std::find(settings_.production_types.begin(), settings_.production_types.end(),
                               x.environment_type) != settings_.production_types.end();
      x.commit_sha = std::move(d.commit_sha);
      x.result = std::move(d.result);
      x.outcome = x.result == "success"       ? Outcome::kSuccess
                  : x.result == "failure"     ? Outcome::kFailure
                  : x.result == "rolled_back" ? Outcome::kRolledBack
                                              : Outcome::kOther;
      x.started_at = d.started_at;
      x.finished_at = d.finished_at;
      x.at = d.finished_at.value_or(*d.started_at);
      x.url = std::move(d.url);
      out.push_back(std::move(x));
    }
    std::sort(out.begin(), out.end(), [](const DsDeployment& a, const DsDeployment& b) {
      return a.at != b.at ? a.at < b.at : a.id < b.id;
    });
    ds_.deployments = std::move(out);
    LinkNextSuccess();
    for (size_t i = 0; i < ds_.deployments.size(); ++i) {
      dep_index_[ds_.deployments[i].id] = static_cast<Idx>(i);
    }
    SEI_ASSIGN_OR_RETURN(auto links, store_.List<model::DeploymentLink>());
    for (const model::DeploymentLink& l : links) {
      const Idx d = Dep(l.deployment_id);
      if (d == kNone) continue;
      DsDeployment& x = ds_.deployments[static_cast<size_t>(d)];
      x.has_link = true;
      x.prev = l.prev_deployment_id ? Dep(*l.prev_deployment_id) : kNone;
      x.commits_shipped = l.commits_shipped;
      x.changes_shipped = l.changes_shipped;
      x.bounded = l.bounded;
      x.link_method = l.link_method;
    }
    SEI_RETURN_IF_ERROR(Scan<model::DeploymentChange>(
        {"deployment_id", "change_id", "repo_id", "pr_id", "head_sha", "first_commit_at", "commits",
         "author_account_id", "link_method"},
        [&](const Row& r) {
          const Idx d = Dep(Str(r, 0));
          if (d == kNone) return;
          DsChange x;
          x.deployment = d;
          x.change_id = Str(r, 1);
          x.repo = Repo(OptStr(r, 2));
          const std::optional<std::string> pr = OptStr(r, 3);
          x.pr = pr ? PrIdx(*pr) : kNone;
          x.head_sha = Str(r, 4);
          x.first_commit_at = *OptInt(r, 5);
          x.commits = *OptInt(r, 6);
          x.author = Person(OptStr(r, 7));
          x.link_method = Str(r, 8);
          ds_.changes.push_back(std::move(x));
        }));
    Group(
        &ds_.changes, &ds_.deployments, &DsDeployment::changes,
        [](const DsChange& c) { return c.deployment; },
        [](const DsChange& c) { return c.first_commit_at; });
    // Each PR's first production deployment.
    for (const DsChange& c : ds_.changes) {
      if (c.pr == kNone) continue;
      const DsDeployment& d = ds_.deployments[static_cast<size_t>(c.deployment)];
      if (!d.production || d.result != "success") continue;
      DsPr& pr = ds_.prs[static_cast<size_t>(c.pr)];
      if (!pr.deployed_at || d.at < *pr.deployed_at) {
        pr.deployed_at = d.at;
        pr.deployment = c.deployment;
      }
    }
    return Status::Ok();
  }

  // Walks deployments backwards, remembering the latest success seen per
  // (repo or service, environment).
  void LinkNextSuccess() {
    std::unordered_map<std::string, Idx> next;
    for (size_t i = ds_.deployments.size(); i-- > 0;) {
      DsDeployment& d = ds_.deployments[i];
      const std::string key =
          (d.repo != kNone ? "r" + std::to_string(d.repo) : "s" + d.service.value_or("")) + "\n" +
          d.environment;
      auto it = next.find(key);
      d.next_success = it == next.end() ? kNone : it->second;
      if (d.result == "success") next[key] = static_cast<Idx>(i);
    }
  }

  Idx Dep(const std::string& id) {
    auto it = dep_index_.find(id);
    return it == dep_index_.end() ? kNone : it->second;
  }
  Idx PrIdx(const std::string& id) {
    auto it = pr_index_.find(id);
    return it == pr_index_.end() ? kNone : it->second;
  }

  Status LoadIncidents() {
    SEI_ASSIGN_OR_RETURN(auto incidents, store_.List<model::Incident>());
    std::sort(incidents.begin(), incidents.end(), [](const auto& a, const auto& b) {
      return a.created_at != b.created_at ? a.created_at < b.created_at : a.id < b.id;
    });
    std::unordered_map<std::string, Idx> index;
    for (model::Incident& i : incidents) {
      index[i.id] = static_cast<Idx>(ds_.incidents.size());
      DsIncident x;
      x.id = std::move(i.id);
      x.title = std::move(i.title);
      x.url = std::move(i.url);
      x.service = std::move(i.service);
      x.environment = std::move(i.environment);
      x.severity = std::move(i.severity);
      x.status = std::move(i.status);
      x.created_at = i.created_at;
      x.acknowledged_at = i.acknowledged_at;
      x.resolved_at = i.resolved_at;
      ds_.incidents.push_back(std::move(x));
    }
    SEI_ASSIGN_OR_RETURN(auto links, store_.List<model::IncidentDeployment>());
    for (const model::IncidentDeployment& l : links) {
      auto it = index.find(l.incident_id);
      const Idx d = Dep(l.deployment_id);
      if (it == index.end() || d == kNone) continue;
      DsIncident& inc = ds_.incidents[static_cast<size_t>(it->second)];
      inc.deployments.push_back(d);
      if (inc.link_method.empty()) inc.link_method = l.link_method;
      ds_.deployments[static_cast<size_t>(d)].incidents.push_back(it->second);
    }
    return Status::Ok();
  }

  Status LoadReleases() {
    SEI_ASSIGN_OR_RETURN(auto releases, store_.List<model::Release>());
    ds_.releases.reserve(releases.size());
    for (model::Release& r : releases) {
      DsRelease x;
      x.id = std::move(r.id);
      x.repo = Repo(r.repo_id);
      x.tag_name = std::move(r.tag_name);
      x.name = std::move(r.name);
      x.target = std::move(r.target);
      x.draft = r.draft;
      x.prerelease = r.prerelease;
      x.author = Person(r.author_account_id);
      x.created_at = r.created_at;
      x.published_at = r.published_at;
      x.at = r.published_at.value_or(r.created_at);
      x.url = std::move(r.url);
      ds_.releases.push_back(std::move(x));
    }
    std::sort(ds_.releases.begin(), ds_.releases.end(), [](const DsRelease& a, const DsRelease& b) {
      return a.at != b.at ? a.at < b.at : a.id < b.id;
    });
    return Status::Ok();
  }

  Status LoadIssues() {
    SEI_ASSIGN_OR_RETURN(auto issues, store_.List<model::Issue>());
    std::sort(issues.begin(), issues.end(), [](const auto& a, const auto& b) {
      return a.created_at != b.created_at ? a.created_at < b.created_at : a.id < b.id;
    });
    for (model::Issue& i : issues) {
      issue_index_[i.id] = static_cast<Idx>(ds_.issues.size());
      DsIssue x;
      x.id = std::move(i.id);
      x.key = std::move(i.key);
      x.title = std::move(i.title);
      x.type = std::move(i.type);
      x.status = std::move(i.status);
      x.status_category = std::move(i.status_category);
      x.priority = std::move(i.priority);
      x.points = i.story_points;
      x.assignee = Person(i.assignee_account_id);
      x.reporter = Person(i.reporter_account_id);
      if (i.board_id) {
        auto b = board_index_.find(*i.board_id);
        if (b != board_index_.end()) x.board = b->second;
      }
      x.epic_id = std::move(i.epic_id);
      x.parent_id = std::move(i.parent_issue_id);
      x.created_at = i.created_at;
      x.resolved_at = i.resolved_at;
      x.url = std::move(i.url);
      x.labels = std::move(i.labels);
      ds_.issues.push_back(std::move(x));
    }
    SEI_ASSIGN_OR_RETURN(auto changes, store_.List<model::IssueStatusChange>());
    for (model::IssueStatusChange& c : changes) {
      auto it = issue_index_.find(c.issue_id);
      if (it == issue_index_.end()) continue;
      ds_.status_changes.push_back({it->second, std::move(c.from_status),
                                    std::move(c.from_category), std::move(c.to_status),
                                    std::move(c.to_category), c.changed_at});
    }
    Group(
        &ds_.status_changes, &ds_.issues, &DsIssue::changes,
        [](const DsStatusChange& c) { return c.issue; },
        [](const DsStatusChange& c) { return c.at; });
    return Status::Ok();
  }

  Status LoadSprints() {
    SEI_ASSIGN_OR_RETURN(auto sprints, store_.List<model::Sprint>());
    std::sort(sprints.begin(), sprints.end(), [](const auto& a, const auto& b) {
      const int64_t sa = a.started_at.value_or(kForever), sb = b.started_at.value_or(kForever);
      return sa != sb ? sa < sb : a.id < b.id;
    });
    std::unordered_map<std::string, Idx> index;
    for (model::Sprint& s : sprints) {
      index[s.id] = static_cast<Idx>(ds_.sprints.size());
      DsSprint x;
      x.id = std::move(s.id);
      if (auto b = board_index_.find(s.board_id); b != board_index_.end()) x.board = b->second;
      x.name = std::move(s.name);
      x.state = std::move(s.state);
      x.started_at = s.started_at;
      x.ended_at = s.ended_at;
      x.completed_at = s.completed_at;
      ds_.sprints.push_back(std::move(x));
    }
    SEI_ASSIGN_OR_RETURN(auto rows, store_.List<model::SprintIssue>());
    for (const model::SprintIssue& r : rows) {
      auto s = index.find(r.sprint_id);
      auto i = issue_index_.find(r.issue_id);
      if (s == index.end() || i == issue_index_.end()) continue;
      ds_.sprint_issues.push_back(
          {s->second, i->second, r.added_at, r.removed_at, r.committed, r.points_at_start});
    }
    Group(
        &ds_.sprint_issues, &ds_.sprints, &DsSprint::issues,
        [](const DsSprintIssue& r) { return r.sprint; },
        [](const DsSprintIssue& r) { return r.issue; });
    return Status::Ok();
  }

  Status LoadCommits() {
    // Only the columns the metrics use (the message can be large).
    model::TableSpec spec = model::SpecOf<model::Commit>();
    std::vector<std::string> wanted = {"repo_id",        "author_account_id", "author_time",
                                       "committer_time", "additions",         "deletions",
                                       "files_changed",  "is_merge",          "reachable"};
    if (files_) wanted.push_back("sha");  // row[9]: to attach commit_files
    std::vector<model::Column> cols;
    for (const std::string& w : wanted) cols.push_back(spec.columns[spec.ColumnIndex(w)]);
    spec.columns = cols;
    std::string last_repo;
    Idx last_repo_idx = kNone;
    SEI_RETURN_IF_ERROR(store_.ScanRows(spec, {}, [&](const Row& row) {
      if (std::get<int64_t>(row[8]) == 0) return Status::Ok();  // unreachable (force-pushed away)
      const std::string& repo = std::get<std::string>(row[0]);
      if (repo != last_repo) {
        last_repo = repo;
        last_repo_idx = Repo(repo);
      }
      DsCommit c;
      c.repo = last_repo_idx;
      c.author = ds_.PersonOfAccount(std::get<std::string>(row[1]));
      c.author_time = std::get<int64_t>(row[2]);
      c.committer_time = std::get<int64_t>(row[3]);
      c.additions = static_cast<int32_t>(std::get<int64_t>(row[4]));
      c.deletions = static_cast<int32_t>(std::get<int64_t>(row[5]));
      c.files = static_cast<int32_t>(std::get<int64_t>(row[6]));
      c.merge = std::get<int64_t>(row[7]) != 0;
      if (files_ && !c.merge && c.repo != kNone) {
        files_->AddCommit(c.repo, std::get<std::string>(row[9]),
                          static_cast<Idx>(ds_.commits.size()));
      }
      ds_.commits.push_back(c);
      return Status::Ok();
    }));
    if (files_) {
      files_->SortCommitsByAuthorTime(&ds_.commits);  // the same order, positions followed
    } else {
      std::stable_sort(
          ds_.commits.begin(), ds_.commits.end(),
          [](const DsCommit& a, const DsCommit& b) { return a.author_time < b.author_time; });
    }
    ds_.has_commits = true;
    return Status::Ok();
  }

  Store& store_;
  const MetricsSettings& settings_;
  Dataset& ds_;
  std::optional<CommitFileLoader> files_;  // only with LoadOptions::files
  std::unordered_map<std::string, Idx> person_index_, repo_index_, board_index_, pr_index_,
      dep_index_, issue_index_;
};

}  // namespace

Result<std::unique_ptr<Dataset>> LoadDataset(Store& store, const MetricsSettings& settings,
                                             const LoadOptions& options) {
  auto ds = std::make_unique<Dataset>();
  ds->settings = settings;
  ds->loaded_at = std::chrono::duration_cast<std::chrono::seconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  Loader loader(store, settings, ds.get());
  SEI_RETURN_IF_ERROR(loader.Run(options));
  return ds;
}

}  // namespace sei::metrics
