#include "metrics/core/dataset_diff.h"

#include <bit>
#include <map>
#include <set>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace sei::metrics {

namespace {

// A 64-bit fingerprint of a row's fields, in the order they are added.
class Fp {
 public:
  Fp& Int(int64_t v) {
    h_ = (h_ ^ static_cast<uint64_t>(v)) * 0x100000001b3ULL;
    h_ ^= h_ >> 31;
    return *this;
  }
  Fp& Str(std::string_view s) {
    return Int(static_cast<int64_t>(std::hash<std::string_view>{}(s)))
        .Int(static_cast<int64_t>(s.size()));
  }
  Fp& Opt(const std::optional<int64_t>& v) { return v ? Int(1).Int(*v) : Int(0); }
  Fp& Opt(const std::optional<std::string>& v) { return v ? Int(1).Str(*v) : Int(0); }
  Fp& Opt(const std::optional<double>& v) {
    return v ? Int(1).Int(std::bit_cast<int64_t>(*v)) : Int(0);
  }
  uint64_t value() const { return h_; }

 private:
  uint64_t h_ = 0xcbf29ce484222325ULL;
};

template <class T>
std::string_view IdAt(const std::vector<T>& v, Idx i) {
  return i == kNone ? std::string_view() : std::string_view(v[static_cast<size_t>(i)].id);
}

uint64_t FpOf(const Dataset& ds, const DsPr& p) {
  Fp f;
  f.Str(p.id).Str(IdAt(ds.repos, p.repo)).Int(p.number).Str(p.title).Opt(p.url).Str(p.state);
  f.Int(p.draft).Str(IdAt(ds.people, p.author)).Int(p.created_at).Opt(p.ready_at);
  f.Opt(p.merged_at).Opt(p.closed_at).Opt(p.updated_at).Opt(p.additions).Opt(p.deletions);
  f.Opt(p.changed_files).Opt(p.merge_sha).Opt(p.head_sha).Opt(p.base_ref).Opt(p.labels);
  f.Str(IdAt(ds.deployments, p.deployment)).Opt(p.deployed_at);
  for (uint32_t i = p.commits.begin; i < p.commits.end; ++i) f.Opt(ds.pr_commits[i].authored_at);
  for (uint32_t i = p.reviews.begin; i < p.reviews.end; ++i) {
    const DsReview& r = ds.reviews[i];
    f.Str(IdAt(ds.people, r.reviewer)).Str(r.state).Opt(r.submitted_at);
  }
  for (uint32_t i = p.comments.begin; i < p.comments.end; ++i) {
    const DsComment& c = ds.comments[i];
    f.Str(IdAt(ds.people, c.author)).Str(c.kind).Int(c.created_at);
  }
  return f.value();
}

uint64_t FpOf(const Dataset& ds, const DsDeployment& d) {
  Fp f;
  f.Str(d.id).Str(IdAt(ds.repos, d.repo)).Opt(d.service).Str(d.environment);
  f.Str(d.environment_type).Int(d.production).Opt(d.commit_sha).Str(d.result);
  f.Opt(d.started_at).Opt(d.finished_at).Opt(d.url).Int(d.has_link);
  f.Str(IdAt(ds.deployments, d.prev)).Int(d.commits_shipped).Int(d.changes_shipped);
  f.Int(d.bounded).Str(d.link_method).Str(IdAt(ds.deployments, d.next_success));
  for (uint32_t i = d.changes.begin; i < d.changes.end; ++i) {
    const DsChange& c = ds.changes[i];
    f.Str(c.change_id).Str(IdAt(ds.prs, c.pr)).Str(IdAt(ds.people, c.author)).Str(c.head_sha);
    f.Int(c.first_commit_at).Int(c.commits).Str(c.link_method);
  }
  for (Idx i : d.incidents) f.Str(IdAt(ds.incidents, i));
  return f.value();
}

uint64_t FpOf(const Dataset& ds, const DsIncident& i) {
  Fp f;
  f.Str(i.id).Str(i.title).Opt(i.url).Opt(i.service).Opt(i.environment).Opt(i.severity);
  f.Str(i.status).Int(i.created_at).Opt(i.acknowledged_at).Opt(i.resolved_at).Str(i.link_method);
  for (Idx d : i.deployments) f.Str(IdAt(ds.deployments, d));
  return f.value();
}

uint64_t FpOf(const Dataset& ds, const DsRelease& r) {
  Fp f;
  f.Str(r.id).Str(IdAt(ds.repos, r.repo)).Str(r.tag_name).Opt(r.name).Opt(r.target);
  f.Int(r.draft).Int(r.prerelease).Str(IdAt(ds.people, r.author)).Int(r.created_at);
  f.Opt(r.published_at).Opt(r.url);
  return f.value();
}

uint64_t FpOf(const Dataset& ds, const DsIssue& i) {
  Fp f;
  f.Str(i.id).Str(i.key).Str(i.title).Str(i.type).Str(i.status).Str(i.status_category);
  f.Opt(i.priority).Opt(i.points).Str(IdAt(ds.people, i.assignee));
  f.Str(IdAt(ds.people, i.reporter)).Str(IdAt(ds.boards, i.board)).Opt(i.epic_id);
  f.Opt(i.parent_id).Int(i.created_at).Opt(i.resolved_at).Opt(i.url).Opt(i.labels);
  for (uint32_t c = i.changes.begin; c < i.changes.end; ++c) {
    const DsStatusChange& s = ds.status_changes[c];
    f.Opt(s.from_status).Str(s.to_status).Str(s.to_category).Int(s.at);
  }
  return f.value();
}

uint64_t FpOf(const Dataset& ds, const DsSprint& s) {
  Fp f;
  f.Str(s.id).Str(IdAt(ds.boards, s.board)).Str(s.name).Str(s.state).Opt(s.started_at);
  f.Opt(s.ended_at).Opt(s.completed_at);
  for (uint32_t i = s.issues.begin; i < s.issues.end; ++i) {
    const DsSprintIssue& si = ds.sprint_issues[i];
    f.Str(IdAt(ds.issues, si.issue)).Opt(si.added_at).Opt(si.removed_at).Int(si.committed);
    f.Opt(si.points_at_start);
  }
  return f.value();
}

uint64_t FpOf(const Dataset& ds, const DsTeam& t) {
  Fp f;
  f.Str(t.id).Str(t.name).Opt(t.parent_id);
  for (const DsMembership& m : t.members) {
    f.Str(IdAt(ds.people, m.person)).Int(m.joined_at).Int(m.left_at).Opt(m.role);
  }
  return f.value();
}

uint64_t FpOf(const Dataset& ds, const DsProject& p) {
  Fp f;
  f.Str(p.id).Str(p.name);
  for (Idx r : p.repos) f.Str(IdAt(ds.repos, r));
  f.Int(-1);
  for (Idx b : p.boards) f.Str(IdAt(ds.boards, b));
  f.Int(-1);
  for (const auto& s : p.services) f.Str(s);
  f.Int(-1);
  for (const auto& e : p.environments) f.Str(e);
  f.Int(-1);
  for (const auto& c : p.ci_scopes) f.Str(c);
  return f.value();
}

// Per (repo id, author id): how many commits, and the sum of each commit's
// own fingerprint (order-independent, so a reload that orders ties
// differently compares equal).
using CommitKey = std::pair<std::string_view, std::string_view>;
struct CommitSums {
  int64_t count = 0;
  uint64_t sum = 0;
  Idx repo = kNone, author = kNone;
  bool operator==(const CommitSums& o) const { return count == o.count && sum == o.sum; }
};

std::map<CommitKey, CommitSums> CommitsOf(const Dataset& ds) {
  std::map<CommitKey, CommitSums> out;
  for (const DsCommit& c : ds.commits) {
    CommitSums& s = out[{IdAt(ds.repos, c.repo), IdAt(ds.people, c.author)}];
    s.repo = c.repo;
    s.author = c.author;
    ++s.count;
    Fp one;
    one.Int(c.author_time).Int(c.committer_time).Int(c.additions).Int(c.deletions);
    one.Int(c.files).Int(c.merge);
    s.sum += one.value();
  }
  return out;
}

// Scopes of one dataset, resolved once.
struct Scopes {
  std::vector<ResolvedScope> teams, projects;
  explicit Scopes(const Dataset& ds) {
    for (size_t i = 0; i < ds.teams.size(); ++i) {
      teams.push_back({{ScopeKind::kTeam, ds.teams[i].id}, ds.teams[i].name, static_cast<Idx>(i)});
    }
    for (size_t i = 0; i < ds.projects.size(); ++i) {
      projects.push_back(
          {{ScopeKind::kProject, ds.projects[i].id}, ds.projects[i].name, static_cast<Idx>(i)});
    }
  }
};

class Collector {
 public:
  Collector(const Dataset& before, const Dataset& after, size_t max_rows)
      : before_(before), after_(after), sb_(before), sa_(after), max_rows_(max_rows) {}

  bool full() const { return all_; }

  void Mark(ScopeKind kind, std::string_view id) { set_.emplace(kind, std::string(id)); }
  void MarkPerson(const Dataset& ds, Idx p) {
    if (p != kNone) Mark(ScopeKind::kPerson, ds.people[static_cast<size_t>(p)].id);
  }
  void MarkRepo(const Dataset& ds, Idx r) {
    if (r != kNone) Mark(ScopeKind::kRepo, ds.repos[static_cast<size_t>(r)].id);
  }
  // A row changed: counts it, and marks what it belongs to in `ds`.
  template <class Row, class InScope>
  void Touch(const Dataset& ds, const Row& row, InScope in_scope) {
    Mark(ScopeKind::kOrg, "");
    const Scopes& sc = &ds == &before_ ? sb_ : sa_;
    for (const auto& t : sc.teams) {
      if (in_scope(t, row)) Mark(ScopeKind::kTeam, t.scope.id);
    }
    for (const auto& p : sc.projects) {
      if (in_scope(p, row)) Mark(ScopeKind::kProject, p.scope.id);
    }
  }
  // Counts `n` changed rows; false once past the cap.
  bool Count(int64_t n = 1) {
    rows_ += n;
    if (rows_ > static_cast<int64_t>(max_rows_)) all_ = true;
    return !all_;
  }
  void SetAll() { all_ = true; }

  ScopeChanges Finish() {
    ScopeChanges out;
    out.rows_changed = rows_;
    out.all = all_;
    if (!all_) {
      for (const auto& [k, id] : set_) out.scopes.push_back({k, id});
    }
    return out;
  }

  const Dataset& before_;
  const Dataset& after_;

 private:
  Scopes sb_, sa_;
  size_t max_rows_;
  int64_t rows_ = 0;
  bool all_ = false;
  std::set<std::pair<ScopeKind, std::string>> set_;
};

// Compares rows of one kind by id; `touch(ds, row)` marks a changed row's
// scopes in the load it comes from. False when the cap was reached.
template <class Row, class Touch>
bool DiffRows(Collector& c, const std::vector<Row>& before, const std::vector<Row>& after,
              Touch touch) {
  std::unordered_map<std::string_view, std::pair<uint64_t, size_t>> old;
  old.reserve(before.size());
  for (size_t i = 0; i < before.size(); ++i) {
    old.emplace(before[i].id, std::make_pair(FpOf(c.before_, before[i]), i));
  }
  for (const Row& row : after) {
    auto it = old.find(row.id);
    if (it == old.end()) {
      if (!c.Count()) return false;
      touch(c.after_, row);
      continue;
    }
    const uint64_t fp = FpOf(c.after_, row);
    const size_t was = it->second.second;
    const bool same = fp == it->second.first;
    old.erase(it);
    if (same) continue;
    if (!c.Count()) return false;
    touch(c.after_, row);
    touch(c.before_, before[was]);
  }
  for (const auto& [id, v] : old) {
    if (!c.Count()) return false;
    touch(c.before_, before[v.second]);
  }
  return true;
}

template <class Row>
bool DiffDefinitions(Collector& c, const std::vector<Row>& before, const std::vector<Row>& after,
                     ScopeKind kind) {
  std::unordered_map<std::string_view, uint64_t> old;
  for (const Row& r : before) old.emplace(r.id, FpOf(c.before_, r));
  for (const Row& r : after) {
    auto it = old.find(r.id);
    if (it == old.end() || it->second != FpOf(c.after_, r)) {
      if (!c.Count()) return false;
      c.Mark(kind, r.id);
    }
    if (it != old.end()) old.erase(it);
  }
  for (const auto& [id, fp] : old) {
    if (!c.Count()) return false;
    c.Mark(kind, id);
  }
  return true;
}

bool IdentitiesMoved(const Dataset& a, const Dataset& b) {
  if (a.account_person.size() != b.account_person.size()) return true;
  for (const auto& [account, p] : a.account_person) {
    auto it = b.account_person.find(account);
    if (it == b.account_person.end() || IdAt(a.people, p) != IdAt(b.people, it->second)) {
      return true;
    }
  }
  std::unordered_map<std::string_view, bool> bots;
  for (const DsPerson& p : a.people) bots.emplace(p.id, p.bot);
  for (const DsPerson& p : b.people) {
    auto it = bots.find(p.id);
    if (it != bots.end() && it->second != p.bot) return true;  // bots leave or join every scope
  }
  return false;
}

}  // namespace

ScopeChanges DiffScopes(const Dataset& before, const Dataset& after, size_t max_rows) {
  Collector c(before, after, max_rows);
  if (IdentitiesMoved(before, after)) {
    c.SetAll();
    return c.Finish();
  }
  auto pr = [&c](const Dataset& ds, const DsPr& p) {
    c.Touch(ds, p, [&ds](const ResolvedScope& s, const DsPr& r) { return ds.PrInScope(s, r); });
    c.MarkRepo(ds, p.repo);
    c.MarkPerson(ds, p.author);
    for (uint32_t i = p.reviews.begin; i < p.reviews.end; ++i) {
      c.MarkPerson(ds, ds.reviews[i].reviewer);
    }
    for (uint32_t i = p.comments.begin; i < p.comments.end; ++i) {
      c.MarkPerson(ds, ds.comments[i].author);
    }
  };
  auto deployment = [&c](const Dataset& ds, const DsDeployment& d) {
    c.Touch(ds, d, [&ds](const ResolvedScope& s, const DsDeployment& r) {
      return ds.DeploymentInScope(s, r);
    });
    c.MarkRepo(ds, d.repo);
    for (uint32_t i = d.changes.begin; i < d.changes.end; ++i) {
      c.MarkPerson(ds, ds.changes[i].author);
    }
  };
  auto incident = [&c](const Dataset& ds, const DsIncident& in) {
    c.Touch(ds, in, [&ds](const ResolvedScope& s, const DsIncident& r) {
      return ds.IncidentInScope(s, r);
    });
    for (Idx d : in.deployments) {
      const DsDeployment& dep = ds.deployments[static_cast<size_t>(d)];
      c.MarkRepo(ds, dep.repo);
      for (uint32_t i = dep.changes.begin; i < dep.changes.end; ++i) {
        c.MarkPerson(ds, ds.changes[i].author);
      }
    }
  };
  auto release = [&c](const Dataset& ds, const DsRelease& r) {
    c.Touch(ds, r,
            [&ds](const ResolvedScope& s, const DsRelease& x) { return ds.ReleaseInScope(s, x); });
    c.MarkRepo(ds, r.repo);
    c.MarkPerson(ds, r.author);
  };
  auto issue = [&c](const Dataset& ds, const DsIssue& is) {
    c.Touch(ds, is,
            [&ds](const ResolvedScope& s, const DsIssue& r) { return ds.IssueInScope(s, r); });
    c.MarkPerson(ds, is.assignee);
    c.MarkPerson(ds, is.reporter);
  };
  auto sprint = [&c, &issue](const Dataset& ds, const DsSprint& sp) {
    c.Mark(ScopeKind::kOrg, "");
    for (uint32_t i = sp.issues.begin; i < sp.issues.end; ++i) {
      const Idx is = ds.sprint_issues[i].issue;
      if (is != kNone) issue(ds, ds.issues[static_cast<size_t>(is)]);
    }
  };
  const bool within = DiffRows(c, before.prs, after.prs, pr) &&
                      DiffRows(c, before.deployments, after.deployments, deployment) &&
                      DiffRows(c, before.incidents, after.incidents, incident) &&
                      DiffRows(c, before.releases, after.releases, release) &&
                      DiffRows(c, before.issues, after.issues, issue) &&
                      DiffRows(c, before.sprints, after.sprints, sprint) &&
                      DiffDefinitions(c, before.teams, after.teams, ScopeKind::kTeam) &&
                      DiffDefinitions(c, before.projects, after.projects, ScopeKind::kProject);
  if (!within) return c.Finish();
  if (before.has_commits && after.has_commits) {
    auto b = CommitsOf(before);
    auto a = CommitsOf(after);
    auto touch = [&c](const Dataset& ds, const CommitSums& s) {
      DsCommit probe;
      probe.repo = s.repo;
      probe.author = s.author;
      c.Touch(ds, probe, [&ds, &s](const ResolvedScope& sc, const DsCommit& r) {
        if (sc.scope.kind != ScopeKind::kTeam) return ds.CommitInScope(sc, r);
        // Membership at any time: the sums do not say when.
        for (const DsMembership& m : ds.teams[static_cast<size_t>(sc.index)].members) {
          if (m.person == s.author && !ds.IsBot(s.author)) return true;
        }
        return false;
      });
      c.MarkRepo(ds, s.repo);
      c.MarkPerson(ds, s.author);
    };
    for (const auto& [k, s] : a) {
      auto it = b.find(k);
      if (it != b.end() && it->second == s) continue;
      const int64_t rows = std::abs(s.count - (it == b.end() ? 0 : it->second.count));
      if (!c.Count(std::max<int64_t>(rows, 1))) return c.Finish();
      touch(after, s);
      if (it != b.end()) touch(before, it->second);
    }
    for (const auto& [k, s] : b) {
      if (a.count(k)) continue;
      if (!c.Count(s.count)) return c.Finish();
      touch(before, s);
    }
  }
  return c.Finish();
}

}  // namespace sei::metrics
