// `sei identity list | overrides`, `sei teams` and `sei projects`: what the
// store holds, as a table or as JSON.
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>

#include "app/cmd_identity.h"
#include "common/strings.h"
#include "common/time.h"
#include "identity/text.h"
#include "model/derived.h"
#include "model/git.h"
#include "model/org.h"
#include "model/work.h"

namespace sei::app {

namespace {

using nlohmann::json;

void PrintJson(const json& j) {
  std::printf("%s\n", j.dump(2, ' ', false, json::error_handler_t::replace).c_str());
}

std::string Ident(const model::Account& a) {
  std::string s = a.name.value_or("");
  if (a.email) s += (s.empty() ? "<" : " <") + *a.email + ">";
  if (a.login) s += (s.empty() ? "@" : " @") + *a.login;
  return s;
}

struct PersonView {
  const model::Person* person = nullptr;
  std::vector<std::pair<const model::Account*, const model::IdentityLink*>> accounts;
};

bool Matches(const PersonView& v, const std::string& q) {
  if (q.empty()) return true;
  const std::string lq = identity::AsciiLower(q);
  const model::Person& p = *v.person;
  if (p.id == q || identity::AsciiLower(p.display_name).find(lq) != std::string::npos) {
    return true;
  }
  if (p.primary_email && identity::NormalizeEmail(*p.primary_email) == lq) return true;
  for (const auto& [a, l] : v.accounts) {
    if (a->id == q || (a->email && identity::NormalizeEmail(*a->email) == lq) ||
        (a->login && identity::NormalizeLogin(*a->login) == identity::NormalizeLogin(q))) {
      return true;
    }
  }
  return false;
}

json PersonJson(const PersonView& v) {
  json accounts = json::array();
  for (const auto& [a, l] : v.accounts) {
    accounts.push_back({{"id", a->id},
                        {"source", a->source},
                        {"login", a->login ? json(*a->login) : json(nullptr)},
                        {"email", a->email ? json(*a->email) : json(nullptr)},
                        {"name", a->name ? json(*a->name) : json(nullptr)},
                        {"is_bot", a->is_bot},
                        {"reason", l ? json(l->reason) : json(nullptr)},
                        {"confidence", l ? json(l->confidence) : json(nullptr)},
                        {"method", l ? json(l->method) : json(nullptr)}});
  }
  const model::Person& p = *v.person;
  return {{"id", p.id},
          {"display_name", p.display_name},
          {"primary_email", p.primary_email ? json(*p.primary_email) : json(nullptr)},
          {"is_bot", p.is_bot},
          {"accounts", accounts}};
}

void PrintPerson(const PersonView& v) {
  const model::Person& p = *v.person;
  std::printf("%s%s%s  %s  (%zu account%s)\n", p.display_name.c_str(),
              p.primary_email ? (" <" + *p.primary_email + ">").c_str() : "",
              p.is_bot ? " [bot]" : "", p.id.c_str(), v.accounts.size(),
              v.accounts.size() == 1 ? "" : "s");
  for (const auto& [a, l] : v.accounts) {
    std::printf("  %-14s %4.2f %-6s  %s  %s  %s\n", l ? l->reason.c_str() : "-",
                l ? l->confidence : 0.0, l ? l->method.c_str() : "-", a->id.c_str(),
                a->source.c_str(), Ident(*a).c_str());
  }
}

std::string When(int64_t t) { return FormatRfc3339Utc(t).substr(0, 16) + "Z"; }

std::string Joined(int64_t t) { return t == 0 ? "(always)" : DayOrInstant(t); }
// The last day of a membership (left_at is exclusive).
std::string Left(const std::optional<int64_t>& t) {
  if (!t) return "(still)";
  return *t % 86400 == 0 ? DayOrInstant(*t - 86400) : DayOrInstant(*t);
}

bool NameOrId(const std::string& id, const std::string& name, const std::string& q) {
  return q.empty() || id == q || identity::AsciiLower(name) == identity::AsciiLower(q);
}

// People with their accounts, by name; accounts no person holds go to
// *unresolved.
std::vector<PersonView> BuildViews(const std::vector<model::Person>& people,
                                   const std::vector<model::Account>& accounts,
                                   const std::vector<model::IdentityLink>& links,
                                   size_t* unresolved) {
  std::map<std::string, const model::IdentityLink*> link_of;
  for (const auto& l : links) link_of[l.account_id] = &l;
  std::map<std::string, PersonView> views;
  for (const auto& p : people) views[p.id].person = &p;
  for (const auto& a : accounts) {
    auto l = link_of.find(a.id);
    const std::string pid = l != link_of.end() ? l->second->person_id : a.person_id.value_or("");
    auto v = views.find(pid);
    if (v == views.end()) {
      ++*unresolved;
      continue;
    }
    v->second.accounts.push_back({&a, l != link_of.end() ? l->second : nullptr});
  }
  std::vector<PersonView> out;
  for (auto& [id, v] : views) out.push_back(std::move(v));
  std::sort(out.begin(), out.end(), [](const PersonView& a, const PersonView& b) {
    const std::string na = identity::AsciiLower(a.person->display_name),
                      nb = identity::AsciiLower(b.person->display_name);
    return na != nb ? na < nb : a.person->id < b.person->id;
  });
  return out;
}

// One team with its members: printed, or appended to `out` as JSON.
void ShowTeam(const model::Team& t, const std::vector<model::TeamMember>& members,
              const std::map<std::string, const model::Person*>& person, bool as_json, json* out) {
  std::vector<const model::TeamMember*> mine;
  for (const auto& m : members) {
    if (m.team_id == t.id) mine.push_back(&m);
  }
  if (!as_json) {
    std::printf("%s  (%s%s)  %zu membership%s\n", t.name.c_str(), t.id.c_str(),
                t.parent_team_id ? (", parent " + *t.parent_team_id).c_str() : "", mine.size(),
                mine.size() == 1 ? "" : "s");
  }
  json jm = json::array();
  for (const model::TeamMember* m : mine) {
    auto p = person.find(m->person_id);
    const std::string name = p != person.end() ? p->second->display_name : "(unknown person)";
    if (as_json) {
      jm.push_back({{"person_id", m->person_id},
                    {"name", name},
                    {"joined_at", m->joined_at},
                    {"left_at", m->left_at ? json(*m->left_at) : json(nullptr)},
                    {"role", m->role ? json(*m->role) : json(nullptr)}});
    } else {
      std::printf("  %s %-36s %s .. %s%s\n", PadRight(name, 24).c_str(), m->person_id.c_str(),
                  Joined(m->joined_at).c_str(), Left(m->left_at).c_str(),
                  m->role ? ("  " + *m->role).c_str() : "");
    }
  }
  if (!as_json) return;
  out->push_back({{"id", t.id},
                  {"name", t.name},
                  {"parent_team_id", t.parent_team_id ? json(*t.parent_team_id) : json(nullptr)},
                  {"description", t.description ? json(*t.description) : json(nullptr)},
                  {"members", jm}});
}

// A project's scopes by kind; in text, repos and boards with their names.
std::map<std::string, std::vector<std::string>> ScopesOf(
    const model::Project& p, const std::vector<model::ProjectScope>& scopes,
    const std::map<std::string, std::string>& names, bool as_json) {
  std::map<std::string, std::vector<std::string>> by_kind;
  for (const auto& s : scopes) {
    if (s.project_id != p.id) continue;
    auto n = names.find(s.kind + ":" + s.scope_id);
    by_kind[s.kind].push_back(as_json || n == names.end() ? s.scope_id
                                                          : n->second + " (" + s.scope_id + ")");
  }
  return by_kind;
}

}  // namespace

Status RunIdentityList(const Globals& g, const IdentityListArgs& args) {
  SEI_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenCollectedStore(g, true));
  SEI_ASSIGN_OR_RETURN(auto people, store->List<model::Person>());
  SEI_ASSIGN_OR_RETURN(auto accounts, store->List<model::Account>());
  SEI_ASSIGN_OR_RETURN(auto links, store->List<model::IdentityLink>());
  size_t unresolved = 0;
  json out = json::array();
  size_t shown = 0;
  for (const PersonView& v : BuildViews(people, accounts, links, &unresolved)) {
    if (!Matches(v, args.person)) continue;
    ++shown;
    if (args.format == "json") {
      out.push_back(PersonJson(v));
    } else {
      PrintPerson(v);
    }
  }
  if (args.format == "json") PrintJson(out);
  if (!args.person.empty() && shown == 0) {
    return NotFoundError("no person matches '" + args.person +
                         "' (by person id, name or email, or an account id, email or login)");
  }
  if (args.person.empty() && unresolved > 0 && !g.quiet) {
    std::fprintf(stderr,
                 "sei: note: %zu accounts are not resolved yet; run `sei identity resolve`\n",
                 unresolved);
  }
  return Status::Ok();
}

Status RunIdentityOverrides(const Globals& g, const FormatArgs& args) {
  SEI_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenCollectedStore(g, true));
  SEI_ASSIGN_OR_RETURN(auto overrides, store->List<model::IdentityOverride>());
  std::sort(overrides.begin(), overrides.end(), [](const auto& a, const auto& b) {
    return a.created_at != b.created_at ? a.created_at < b.created_at : a.id < b.id;
  });
  json out = json::array();
  for (const auto& o : overrides) {
    if (args.format == "json") {
      out.push_back(
          {{"id", o.id},
           {"action", o.action},
           {"account_id", o.account_id},
           {"other_account_id", o.other_account_id ? json(*o.other_account_id) : json(nullptr)},
           {"display_name", o.display_name ? json(*o.display_name) : json(nullptr)},
           {"created_at", o.created_at},
           {"created_by", o.created_by ? json(*o.created_by) : json(nullptr)},
           {"note", o.note ? json(*o.note) : json(nullptr)}});
      continue;
    }
    std::string what =
        o.action == "merge"
            ? fmt::format("merge {} + {}", o.account_id, o.other_account_id.value_or("?"))
        : o.other_account_id ? fmt::format("split {} from {}", o.account_id, *o.other_account_id)
                             : fmt::format("split {} off (no automatic links)", o.account_id);
    if (o.display_name) what += fmt::format(" as \"{}\"", *o.display_name);
    std::printf("%-6s %s  %s%s%s\n", o.id.c_str(), When(o.created_at).c_str(), what.c_str(),
                o.created_by ? (" by " + *o.created_by).c_str() : "",
                o.note ? (" — " + *o.note).c_str() : "");
  }
  if (args.format == "json") {
    PrintJson(out);
  } else if (overrides.empty() && !g.quiet) {
    std::printf("No manual merges or splits. Add one with `sei identity merge` or `split`.\n");
  }
  return Status::Ok();
}

Status RunTeams(const Globals& g, const FormatArgs& args) {
  SEI_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenCollectedStore(g, true));
  SEI_ASSIGN_OR_RETURN(auto teams, store->List<model::Team>());
  SEI_ASSIGN_OR_RETURN(auto members, store->List<model::TeamMember>());
  SEI_ASSIGN_OR_RETURN(auto people, store->List<model::Person>());
  std::map<std::string, const model::Person*> person;
  for (const auto& p : people) person[p.id] = &p;
  json out = json::array();
  size_t shown = 0;
  for (const auto& t : teams) {
    if (!NameOrId(t.id, t.name, args.filter)) continue;
    ++shown;
    ShowTeam(t, members, person, args.format == "json", &out);
  }
  if (args.format == "json") PrintJson(out);
  if (!args.filter.empty() && shown == 0) {
    return NotFoundError("no team has the id or name '" + args.filter +
                         "' (`sei teams` lists them)");
  }
  if (teams.empty() && args.format != "json" && !g.quiet) {
    std::printf(
        "No teams. Declare them under teams: in the config, then run `sei identity "
        "resolve`.\n");
  }
  return Status::Ok();
}

Status RunProjects(const Globals& g, const FormatArgs& args) {
  SEI_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenCollectedStore(g, true));
  SEI_ASSIGN_OR_RETURN(auto projects, store->List<model::Project>());
  SEI_ASSIGN_OR_RETURN(auto scopes, store->List<model::ProjectScope>());
  SEI_ASSIGN_OR_RETURN(auto repos, store->List<model::Repo>());
  SEI_ASSIGN_OR_RETURN(auto boards, store->List<model::Board>());
  std::map<std::string, std::string> names;
  for (const auto& r : repos) names["repo:" + r.id] = r.name;
  for (const auto& b : boards) names["board:" + b.id] = b.name;
  const bool as_json = args.format == "json";
  json out = json::array();
  size_t shown = 0;
  for (const auto& p : projects) {
    if (!NameOrId(p.id, p.name, args.filter)) continue;
    ++shown;
    const auto by_kind = ScopesOf(p, scopes, names, as_json);
    if (as_json) {
      out.push_back({{"id", p.id},
                     {"name", p.name},
                     {"description", p.description ? json(*p.description) : json(nullptr)},
                     {"scopes", by_kind}});
      continue;
    }
    std::printf("%s  (%s)\n", p.name.c_str(), p.id.c_str());
    for (const auto& [kind, list] : by_kind) {
      std::printf("  %-12s %s\n", (kind + ":").c_str(),
                  fmt::format("{}", fmt::join(list, ", ")).c_str());
    }
  }
  if (as_json) PrintJson(out);
  if (!args.filter.empty() && shown == 0) {
    return NotFoundError("no project has the id or name '" + args.filter +
                         "' (`sei projects` lists them)");
  }
  if (projects.empty() && !as_json && !g.quiet) {
    std::printf(
        "No projects. Declare them under projects: in the config, then run `sei "
        "identity resolve`.\n");
  }
  return Status::Ok();
}

}  // namespace sei::app
