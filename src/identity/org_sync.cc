#include "identity/org_sync.h"

#include <fmt/format.h>

#include <filesystem>
#include <map>
#include <set>
#include <unordered_map>

#include "identity/text.h"

namespace sei::identity {

namespace {

namespace fs = std::filesystem;

class MemberIndex {
 public:
  explicit MemberIndex(const OrgSnapshot& s) {
    for (const model::Person& p : s.people) {
      people_.insert(p.id);
      if (p.primary_email) by_primary_email_[NormalizeEmail(*p.primary_email)].insert(p.id);
    }
    for (const model::Account& a : s.accounts) {
      if (!a.person_id) continue;
      by_account_[a.id] = *a.person_id;
      if (a.email) by_email_[NormalizeEmail(*a.email)].insert(*a.person_id);
      if (a.login) by_login_[NormalizeLogin(*a.login)].insert(*a.person_id);
    }
  }

  // The people `who` names, and what was tried.
  std::set<std::string> Find(const std::string& who, std::string* tried) const {
    if (people_.count(who) != 0) return {who};
    if (auto it = by_account_.find(who); it != by_account_.end()) return {it->second};
    const std::string email = NormalizeEmail(who);
    if (!email.empty()) {
      *tried = "no person id, account id, account email or person email equals it";
      // An account's own email first: a person's primary email can be a
      // .mailmap's proper email that a split-off account still carries.
      if (auto it = by_email_.find(email); it != by_email_.end()) return it->second;
      auto it = by_primary_email_.find(email);
      return it == by_primary_email_.end() ? std::set<std::string>{} : it->second;
    }
    *tried = "no person id, account id or account login equals it";
    auto it = by_login_.find(NormalizeLogin(who));
    return it == by_login_.end() ? std::set<std::string>{} : it->second;
  }

 private:
  std::set<std::string> people_;
  std::unordered_map<std::string, std::string> by_account_;
  std::unordered_map<std::string, std::set<std::string>> by_email_, by_primary_email_, by_login_;
};

std::string NormalPath(const std::string& p) {
  std::string s = fs::path(p).lexically_normal().string();
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

}  // namespace

std::set<std::string> FindRepos(const std::vector<model::Repo>& repos, const std::string& text,
                                const std::string& base_dir) {
  for (const model::Repo& r : repos) {
    if (r.id == text) return {r.id};
  }
  std::set<std::string> out;
  for (const model::Repo& r : repos) {
    if (AsciiLower(r.name) == AsciiLower(text)) out.insert(r.id);
  }
  if (!out.empty()) return out;
  std::set<std::string> paths = {NormalPath(text)};
  if (text.find("://") == std::string::npos && !fs::path(text).is_absolute()) {
    paths.insert(NormalPath((fs::path(base_dir) / text).string()));
  }
  std::error_code ec;
  for (const std::string& p : std::set<std::string>(paths)) {
    fs::path canonical = fs::weakly_canonical(p, ec);
    if (!ec) paths.insert(NormalPath(canonical.string()));
  }
  for (const model::Repo& r : repos) {
    if (paths.count(NormalPath(r.location)) != 0) out.insert(r.id);
  }
  return out;
}

std::set<std::string> FindBoards(const std::vector<model::Board>& boards, const std::string& text) {
  std::set<std::string> out;
  for (const model::Board& b : boards) {
    if (b.id == text) return {b.id};
    if (AsciiLower(b.name) == AsciiLower(text)) out.insert(b.id);
  }
  return out;
}

namespace {

std::string Plural(size_t n, const char* one, const char* many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

class Planner {
 public:
  Planner(const OrgConfig& config, const OrgSnapshot& snapshot)
      : config_(config), snapshot_(snapshot), members_(snapshot) {}

  OrgPlan Go() {
    PlanTeams();
    PlanProjects();
    return std::move(plan_);
  }

 private:
  // One id from a lookup, else an Unmatched entry.
  std::optional<std::string> One(const std::set<std::string>& found, Unmatched u) {
    if (found.size() == 1) return *found.begin();
    if (found.size() > 1) {
      u.tried = "it matches more than one; use an id";
      u.candidates.assign(found.begin(), found.end());
    }
    plan_.unmatched.push_back(std::move(u));
    return std::nullopt;
  }

  std::optional<std::string> ParentId(const TeamSpec& t) {
    for (const TeamSpec& o : config_.teams) {
      if (AsciiLower(o.name) == AsciiLower(*t.parent) || (o.id && *o.id == *t.parent) ||
          o.StoreId() == *t.parent) {
        return o.StoreId();
      }
    }
    for (const model::Team& o : snapshot_.teams) {
      if (o.id == *t.parent) return o.id;
    }
    plan_.unmatched.push_back({"parent",
                               *t.parent,
                               "team " + t.name,
                               t.where,
                               "no config team name or id, and no team id in the store, equals it",
                               {}});
    return std::nullopt;
  }

  void AddMembers(const TeamSpec& t, const std::string& team_id,
                  std::vector<model::TeamMember>* out) {
    std::set<std::pair<std::string, int64_t>> seen;
    for (const MemberSpec& m : t.members) {
      std::string tried;
      std::set<std::string> found = members_.Find(m.who, &tried);
      std::optional<std::string> person =
          One(found, {"member", m.who, "team " + t.name, m.where, tried, {}});
      if (!person) continue;
      const int64_t joined = m.joined_at.value_or(0);
      if (!seen.emplace(*person, joined).second) continue;  // two spellings of one person
      out->push_back({team_id, *person, m.role, joined, m.left_at});
    }
  }

  void PlanTeams() {
    std::vector<model::Team> teams;
    std::vector<model::TeamMember> members;
    std::set<std::string> ids;
    for (const TeamSpec& t : config_.teams) {
      const std::string id = t.StoreId();
      ids.insert(id);
      std::optional<std::string> parent;
      if (t.parent) parent = ParentId(t);
      teams.push_back({id, t.name, parent, t.description});
      AddMembers(t, id, &members);
    }
    std::set<std::string> old;
    for (const model::Team& t : snapshot_.teams) {
      if (t.id.rfind(kConfigTeamPrefix, 0) == 0) old.insert(t.id);
    }
    for (const std::string& id : old) {
      if (ids.count(id) == 0) {
        plan_.writes.push_back(Clear(model::SpecOf<model::Team>(), "id", id));
        ++plan_.removed_teams;
      }
    }
    old.insert(ids.begin(), ids.end());
    for (const std::string& id : old) {
      plan_.writes.push_back(Clear(model::SpecOf<model::TeamMember>(), "team_id", id));
    }
    plan_.teams = static_cast<int64_t>(teams.size());
    plan_.memberships = static_cast<int64_t>(members.size());
    plan_.writes.push_back(TableWrite::Upsert(teams));
    plan_.writes.push_back(TableWrite::Upsert(members));
  }

  void AddScopes(const ProjectSpec& p, const std::string& id,
                 std::vector<model::ProjectScope>* out) {
    const std::string owner = "project " + p.name;
    for (const std::string& r : p.repos) {
      if (auto repo =
              One(FindRepos(snapshot_.repos, r, p.base_dir),
                  {"repo", r, owner, p.where, "no repo id, name or location equals it", {}})) {
        out->push_back({id, "repo", *repo});
      }
    }
    for (const std::string& b : p.boards) {
      if (auto board = One(FindBoards(snapshot_.boards, b),
                           {"board", b, owner, p.where, "no board id or name equals it", {}})) {
        out->push_back({id, "board", *board});
      }
    }
    for (const std::string& s : p.services) out->push_back({id, "service", s});
    for (const std::string& e : p.environments) out->push_back({id, "environment", e});
    for (const std::string& c : p.ci_scopes) out->push_back({id, "ci_scope", c});
  }

  void PlanProjects() {
    std::vector<model::Project> projects;
    std::vector<model::ProjectScope> scopes;
    std::set<std::string> ids;
    for (const ProjectSpec& p : config_.projects) {
      const std::string id = p.StoreId();
      ids.insert(id);
      projects.push_back({id, p.name, p.description});
      AddScopes(p, id, &scopes);
    }
    std::set<std::string> old;
    for (const model::Project& p : snapshot_.projects) {
      if (p.id.rfind(kConfigProjectPrefix, 0) == 0) old.insert(p.id);
    }
    for (const std::string& id : old) {
      if (ids.count(id) == 0) {
        plan_.writes.push_back(Clear(model::SpecOf<model::Project>(), "id", id));
        ++plan_.removed_projects;
      }
    }
    old.insert(ids.begin(), ids.end());
    for (const std::string& id : old) {
      plan_.writes.push_back(Clear(model::SpecOf<model::ProjectScope>(), "project_id", id));
    }
    // One scope listed twice (a repo by name and by path) is one row.
    std::set<std::tuple<std::string, std::string, std::string>> unique;
    std::vector<model::ProjectScope> deduped;
    for (model::ProjectScope& s : scopes) {
      if (unique.emplace(s.project_id, s.kind, s.scope_id).second) deduped.push_back(std::move(s));
    }
    plan_.projects = static_cast<int64_t>(projects.size());
    plan_.scopes = static_cast<int64_t>(deduped.size());
    plan_.writes.push_back(TableWrite::Upsert(projects));
    plan_.writes.push_back(TableWrite::Upsert(deduped));
  }

  static TableWrite Clear(const model::TableSpec& spec, const char* column, const std::string& v) {
    TableWrite w;
    w.spec = &spec;
    w.clear = true;
    w.clear_where.push_back({column, model::Value(v)});
    return w;
  }

  const OrgConfig& config_;
  const OrgSnapshot& snapshot_;
  MemberIndex members_;
  OrgPlan plan_;
};

}  // namespace

std::string OrgPlan::UnmatchedMessage() const {
  if (unmatched.empty()) return "";
  std::map<std::string, std::vector<const Unmatched*>> by_what;
  for (const Unmatched& u : unmatched) by_what[u.what].push_back(&u);
  std::string out;
  for (const auto& [what, list] : by_what) {
    if (!out.empty()) out += "\n";
    const char* left = what == "member"   ? "team member"
                       : what == "parent" ? "parent team"
                                          : (what == "repo" ? "project repo" : "project board");
    out += fmt::format("{} in the config {} nothing and {} left out until {}:",
                       Plural(list.size(), left, (std::string(left) + "s").c_str()),
                       list.size() == 1 ? "matches" : "match", list.size() == 1 ? "is" : "are",
                       list.size() == 1 ? "it does" : "they do");
    for (const Unmatched* u : list) {
      out += fmt::format("\n  '{}' in {} ({}): {}", u->text, u->owner, u->where, u->tried);
      if (!u->candidates.empty()) out += fmt::format(" ({})", fmt::join(u->candidates, ", "));
    }
  }
  return out;
}

OrgPlan OrgSync::Plan(const OrgConfig& config, const OrgSnapshot& snapshot) {
  return Planner(config, snapshot).Go();
}

}  // namespace sei::identity
