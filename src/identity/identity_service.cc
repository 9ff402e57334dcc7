#include "identity/identity_service.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "identity/repo_mailmap.h"
#include "model/git.h"
#include "model/work.h"

namespace sei::identity {

namespace {

struct Loaded {
  std::vector<model::Account> accounts;
  std::vector<model::IdentityOverride> overrides;
  std::vector<model::IdentityLink> links;
  std::vector<model::Person> people;
  std::vector<model::Repo> repos;
  std::vector<model::Board> boards;
  std::vector<model::Team> teams;
  std::vector<model::TeamMember> members;
  std::vector<model::Project> projects;
};

Result<Loaded> Load(Store& store) {
  Loaded l;
  SEI_ASSIGN_OR_RETURN(l.accounts, store.List<model::Account>());
  SEI_ASSIGN_OR_RETURN(l.overrides, store.List<model::IdentityOverride>());
  SEI_ASSIGN_OR_RETURN(l.links, store.List<model::IdentityLink>());
  SEI_ASSIGN_OR_RETURN(l.people, store.List<model::Person>());
  SEI_ASSIGN_OR_RETURN(l.repos, store.List<model::Repo>());
  SEI_ASSIGN_OR_RETURN(l.boards, store.List<model::Board>());
  SEI_ASSIGN_OR_RETURN(l.teams, store.List<model::Team>());
  SEI_ASSIGN_OR_RETURN(l.members, store.List<model::TeamMember>());
  SEI_ASSIGN_OR_RETURN(l.projects, store.List<model::Project>());
  return l;
}

Status ChangeOverrides(const ServiceOptions& o, std::vector<model::IdentityOverride>* list) {
  for (const std::string& id : o.remove_overrides) {
    auto it = std::find_if(list->begin(), list->end(), [&](const auto& x) { return x.id == id; });
    if (it == list->end()) {
      return NotFoundError("no identity override '" + id +
                           "' (`sei identity overrides` lists them)");
    }
    list->erase(it);
  }
  for (const model::IdentityOverride& add : o.add_overrides) {
    for (const model::IdentityOverride& x : *list) {
      if (x.id == add.id) return AlreadyExistsError("identity override '" + add.id + "' exists");
    }
    list->push_back(add);
  }
  return Status::Ok();
}

std::vector<Mailmap> ReadMailmaps(std::vector<model::Repo> repos, ServiceReport* report) {
  std::sort(repos.begin(), repos.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  std::vector<Mailmap> out;
  for (const model::Repo& r : repos) {
    Result<Mailmap> m = ReadRepoMailmap(r.mirror_path.value_or(r.location));
    if (!m.ok()) {
      report->warnings.push_back(m.status().message() + " (its .mailmap is not used)");
      continue;
    }
    if (m->empty()) continue;
    ++report->mailmaps;
    out.push_back(std::move(*m));
  }
  return out;
}

TableWrite ClearRow(const model::TeamMember& m) {
  TableWrite w;
  w.spec = &model::SpecOf<model::TeamMember>();
  w.clear = true;
  w.clear_where = {{"team_id", m.team_id}, {"person_id", m.person_id}, {"joined_at", m.joined_at}};
  return w;
}

// Memberships whose person id vanished move to the person holding most of
// its accounts; a vanished person nobody holds stays while named.
void RemapMemberships(const Loaded& before, const Resolution& res, bool skip_config_teams,
                      std::vector<TableWrite>* writes, std::vector<model::Person>* keep,
                      int64_t* moved) {
  std::unordered_set<std::string> now;
  for (const model::Person& p : res.people) now.insert(p.id);
  std::unordered_map<std::string, std::string> person_now;
  for (const model::Account& a : res.accounts) person_now[a.id] = *a.person_id;
  std::unordered_map<std::string, std::map<std::string, int64_t>> heirs;
  auto inherit = [&](const std::string& old_person, const std::string& account) {
    auto it = person_now.find(account);
    if (it != person_now.end()) ++heirs[old_person][it->second];
  };
  for (const model::Account& a : before.accounts) {
    if (a.person_id) inherit(*a.person_id, a.id);
  }
  for (const model::IdentityLink& l : before.links) inherit(l.person_id, l.account_id);
  // An existing person retired into another (two existing people in one
  // set): its heir is named.
  for (const auto& [old_person, heir] : res.retired) heirs[old_person] = {{heir, 1}};
  std::set<std::string> kept;
  std::vector<model::TeamMember> moved_rows;
  for (const model::TeamMember& m : before.members) {
    if (now.count(m.person_id) != 0) continue;
    if (skip_config_teams && m.team_id.rfind(kConfigTeamPrefix, 0) == 0) continue;
    auto h = heirs.find(m.person_id);
    if (h == heirs.end()) {
      kept.insert(m.person_id);
      continue;
    }
    const auto best =
        std::max_element(h->second.begin(), h->second.end(), [](const auto& a, const auto& b) {
          return a.second != b.second ? a.second < b.second : a.first > b.first;
        });
    writes->push_back(ClearRow(m));
    moved_rows.push_back(m);
    moved_rows.back().person_id = best->first;
    ++*moved;
  }
  if (!moved_rows.empty()) writes->push_back(TableWrite::Upsert(moved_rows));
  for (const model::Person& p : before.people) {
    if (kept.count(p.id) != 0) keep->push_back(p);
  }
}

std::vector<model::Account> ChangedAccounts(const Loaded& before, const Resolution& res) {
  std::unordered_map<std::string, const model::Account*> old;
  for (const model::Account& a : before.accounts) old[a.id] = &a;
  std::vector<model::Account> out;
  for (const model::Account& a : res.accounts) {
    auto it = old.find(a.id);
    if (it == old.end() || it->second->person_id != a.person_id) out.push_back(a);
  }
  return out;
}

// Undoing a merge of an account with an existing person's id: the accounts
// resolution gave that person stop pointing at it (accounts.person_id would
// otherwise claim it again), so only what still claims it — an email,
// another merge, a source's pointer it has not rewritten — holds.
void ForgetUndonePersonMerges(const ServiceOptions& options, const Loaded& before,
                              std::vector<model::Account>* accounts) {
  std::unordered_set<std::string> people, forget;
  for (const model::Person& p : before.people) people.insert(p.id);
  std::unordered_set<std::string> account_ids;
  for (const model::Account& a : before.accounts) account_ids.insert(a.id);
  for (const std::string& id : options.remove_overrides) {
    for (const model::IdentityOverride& o : before.overrides) {
      if (o.id != id || o.action != "merge" || !o.other_account_id) continue;
      for (const std::string* side : {&o.account_id, &*o.other_account_id}) {
        if (account_ids.count(*side) == 0 && people.count(*side) != 0) forget.insert(*side);
      }
    }
  }
  if (forget.empty()) return;
  std::unordered_map<std::string, std::string> linked;
  for (const model::IdentityLink& l : before.links) linked[l.account_id] = l.person_id;
  for (model::Account& a : *accounts) {
    if (!a.person_id || forget.count(*a.person_id) == 0) continue;
    auto l = linked.find(a.id);
    if (l != linked.end() && l->second == *a.person_id) a.person_id.reset();
  }
}

Status CheckIssues(const ServiceOptions& options, const Resolution& res) {
  for (const OverrideIssue& issue : res.issues) {
    auto added = std::find_if(options.add_overrides.begin(), options.add_overrides.end(),
                              [&](const auto& o) { return o.id == issue.override_id; });
    if (added != options.add_overrides.end()) {
      return FailedPreconditionError("the new " + added->action +
                                     " cannot apply (nothing was "
                                     "written): " +
                                     issue.message);
    }
    if (options.strict) {
      return FailedPreconditionError("identity override " + issue.override_id +
                                     " is not applied: " + issue.message +
                                     " (--strict: nothing was written)");
    }
  }
  return Status::Ok();
}

// Everything the resolution and the org sync change, in one list for one
// Store::ApplyWrites.
Result<std::vector<TableWrite>> PlanWrites(const ServiceOptions& options, const Loaded& before,
                                           ServiceReport* report) {
  const Resolution& res = report->resolution;
  std::vector<TableWrite> writes;
  for (const std::string& id : options.remove_overrides) {
    TableWrite w;
    w.spec = &model::SpecOf<model::IdentityOverride>();
    w.clear = true;
    w.clear_where = {{"id", id}};
    writes.push_back(std::move(w));
  }
  writes.push_back(TableWrite::Upsert(options.add_overrides));
  std::vector<TableWrite> remap;
  std::vector<model::Person> people = res.people;
  RemapMemberships(before, res, options.org != nullptr, &remap, &people,
                   &report->remapped_memberships);
  writes.push_back(TableWrite::Replace(people));
  writes.push_back(TableWrite::Upsert(ChangedAccounts(before, res)));
  writes.push_back(TableWrite::Replace(res.links));
  for (TableWrite& w : remap) writes.push_back(std::move(w));
  if (options.org == nullptr) return writes;
  OrgSnapshot snap{people,        res.accounts, before.repos,
                   before.boards, before.teams, before.projects};
  report->org = OrgSync::Plan(*options.org, snap);
  if (options.strict && !report->org->unmatched.empty()) {
    return FailedPreconditionError(report->org->UnmatchedMessage() +
                                   "\n(--strict: nothing was written; fix the config, or run "
                                   "without --strict to apply the rest)");
  }
  for (TableWrite& w : report->org->writes) writes.push_back(std::move(w));
  report->org->writes.clear();
  return writes;
}

}  // namespace

Result<ServiceReport> IdentityService::Resolve(const ServiceOptions& options) {
  SEI_ASSIGN_OR_RETURN(Loaded before, Load(store_));
  ResolverInput input;
  input.accounts = before.accounts;
  ForgetUndonePersonMerges(options, before, &input.accounts);
  input.overrides = before.overrides;
  SEI_RETURN_IF_ERROR(ChangeOverrides(options, &input.overrides));
  input.previous_links = before.links;
  input.previous_people = before.people;
  input.now = clock_.NowUnixSeconds();
  ServiceReport report;
  if (options.read_mailmaps) input.mailmaps = ReadMailmaps(before.repos, &report);
  SEI_ASSIGN_OR_RETURN(report.resolution, IdentityResolver(options.resolver).Resolve(input));
  SEI_RETURN_IF_ERROR(CheckIssues(options, report.resolution));
  SEI_ASSIGN_OR_RETURN(std::vector<TableWrite> writes, PlanWrites(options, before, &report));
  writes.insert(writes.end(), options.also_write.begin(), options.also_write.end());
  SEI_RETURN_IF_ERROR(store_.ApplyWrites(writes));
  return report;
}

Result<std::string> IdentityService::NextOverrideId() {
  SEI_ASSIGN_OR_RETURN(auto overrides, store_.List<model::IdentityOverride>());
  int64_t next = 1;
  for (const model::IdentityOverride& o : overrides) {
    if (o.id.rfind("ov-", 0) != 0) continue;
    try {
      next = std::max<int64_t>(next, std::stoll(o.id.substr(3)) + 1);
    } catch (const std::exception&) {
      // not one of ours: ignore
    }
  }
  return "ov-" + std::to_string(next);
}

}  // namespace sei::identity
