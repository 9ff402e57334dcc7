// `sei identity resolve | merge | split | undo`: each change to the
// overrides re-resolves identities and re-syncs the config's teams and
// projects in the same transaction (identity/identity_service.h).
#include "app/cmd_identity.h"

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>
#include <vector>

#include "app/store_factory.h"
#include "common/clock.h"
#include "common/time.h"
#include "identity/account_ref.h"
#include "identity/identity_service.h"
#include "identity/person_adopter.h"
#include "identity/text.h"

namespace sei::app {

namespace {

identity::ServiceOptions BaseOptions(const Globals& g) {
  identity::ServiceOptions o;
  o.resolver = g.config.identity;
  o.resolver.bot_pattern = g.config.metrics.bot_pattern;
  if (!g.config.file.empty()) o.org = &g.config.org;  // no config file: leave teams alone
  return o;
}

// `brief`: after a merge, split or undo, unmatched config entries are
// counted, not listed again (`sei identity resolve` lists them).
void PrintWarnings(const Globals& g, const identity::ServiceReport& r, bool brief = false) {
  if (g.quiet) return;
  for (const auto& issue : r.resolution.issues) {
    std::fprintf(stderr, "sei: warning: identity override %s is not applied: %s\n",
                 issue.override_id.c_str(), issue.message.c_str());
  }
  for (const std::string& w : r.warnings) std::fprintf(stderr, "sei: warning: %s\n", w.c_str());
  if (r.org && !r.org->unmatched.empty()) {
    if (brief) {
      std::fprintf(stderr,
                   "sei: warning: %zu config entries match nothing (`sei identity resolve` "
                   "lists them)\n",
                   r.org->unmatched.size());
    } else {
      std::fprintf(stderr, "sei: warning: %s\n", r.org->UnmatchedMessage().c_str());
    }
  }
}

nlohmann::json SummaryJson(const Globals& g, const identity::ServiceReport& r) {
  const identity::Resolution& res = r.resolution;
  nlohmann::json j = {{"people", res.people.size()},
                      {"accounts", res.accounts.size()},
                      {"bots", res.Bots()},
                      {"links_by_reason", res.LinksByReason()},
                      {"blocked_by_split", res.blocked_by_split},
                      {"below_threshold", res.below_threshold},
                      {"mailmaps", r.mailmaps},
                      {"remapped_memberships", r.remapped_memberships},
                      {"existing_people_adopted", res.adopted},
                      {"existing_people_without_accounts", res.existing_without_accounts},
                      {"existing_people_retired", res.retired},
                      {"unmatched_accounts", nlohmann::json::array()},
                      {"override_issues", nlohmann::json::array()},
                      {"config", nullptr}};
  for (const auto& u : res.unmatched) {
    j["unmatched_accounts"].push_back(
        {{"account_id", u.account_id}, {"why", identity::UnmatchedWhyText(u.why)}});
  }
  for (const auto& i : res.issues) {
    j["override_issues"].push_back({{"override_id", i.override_id}, {"message", i.message}});
  }
  if (r.org) {
    nlohmann::json unmatched = nlohmann::json::array();
    for (const auto& u : r.org->unmatched) {
      unmatched.push_back({{"what", u.what},
                           {"text", u.text},
                           {"owner", u.owner},
                           {"where", u.where},
                           {"tried", u.tried},
                           {"candidates", u.candidates}});
    }
    j["config"] = {{"file", g.config.file},
                   {"teams", r.org->teams},
                   {"memberships", r.org->memberships},
                   {"projects", r.org->projects},
                   {"scopes", r.org->scopes},
                   {"removed_teams", r.org->removed_teams},
                   {"removed_projects", r.org->removed_projects},
                   {"unmatched", unmatched}};
  }
  return j;
}

std::string Count(int64_t n, const char* one, const char* many = nullptr) {
  return fmt::format("{} {}", n, n == 1 ? one : (many ? many : std::string(one) + "s"));
}

// "6 accounts could not be matched to anyone: 4 ... (adam <adam@...>, ...); 2 ...".
void PrintUnmatched(const identity::Resolution& res) {
  if (res.unmatched.empty()) return;
  std::map<std::string, const model::Account*> account;
  for (const auto& a : res.accounts) account[a.id] = &a;
  std::map<identity::UnmatchedWhy, std::vector<std::string>> by_why;
  for (const auto& u : res.unmatched) {
    const model::Account* a = account[u.account_id];
    std::string shown = a->name.value_or("");
    if (a->email) shown += (shown.empty() ? "<" : " <") + *a->email + ">";
    if (shown.empty() && a->login) shown = "@" + *a->login;
    by_why[u.why].push_back(shown.empty() ? a->id : shown);
  }
  std::string parts;
  for (const auto& [why, shown] : by_why) {
    std::vector<std::string> some(shown.begin(), shown.begin() + std::min<size_t>(shown.size(), 3));
    if (shown.size() > 3) some.push_back("...");
    parts += fmt::format("{}{} {} ({})", parts.empty() ? "" : "; ", shown.size(),
                         identity::UnmatchedWhyText(why), fmt::join(some, ", "));
  }
  std::printf("  %s could not be matched to anyone: %s\n",
              Count(static_cast<int64_t>(res.unmatched.size()), "account").c_str(), parts.c_str());
}

void PrintSummary(const Globals& g, const identity::ServiceReport& r) {
  const identity::Resolution& res = r.resolution;
  std::printf("Resolved %s into %s (%s); %s with a .mailmap.\n",
              Count(res.accounts.size(), "account").c_str(),
              Count(res.people.size(), "person", "people").c_str(),
              Count(res.Bots(), "bot").c_str(),
              Count(r.mailmaps, "repository", "repositories").c_str());
  if (res.adopted + res.existing_without_accounts > 0) {
    std::printf(
        "  existing people rows (ids kept): %lld matched to accounts, %lld with no account "
        "yet\n",
        static_cast<long long>(res.adopted), static_cast<long long>(res.existing_without_accounts));
  }
  if (!res.retired.empty()) {
    std::printf(
        "  %s merged into another (their team memberships moved)\n",
        Count(static_cast<int64_t>(res.retired.size()), "existing person", "existing people")
            .c_str());
  }
  std::string reasons;
  for (const auto& [reason, n] : res.LinksByReason()) {
    reasons += fmt::format("{}{} {}", reasons.empty() ? "" : ", ", reason, n);
  }
  if (!reasons.empty()) std::printf("  accounts by link reason: %s\n", reasons.c_str());
  if (res.blocked_by_split > 0 || res.below_threshold > 0) {
    std::printf(
        "  automatic links not made: %lld refused by a split, %lld below "
        "min_confidence %.2f\n",
        static_cast<long long>(res.blocked_by_split), static_cast<long long>(res.below_threshold),
        g.config.identity.min_confidence);
  }
  PrintUnmatched(res);
  if (r.remapped_memberships > 0) {
    std::printf("  %s moved to the merged person\n",
                Count(r.remapped_memberships, "team membership").c_str());
  }
  if (!r.org) {
    std::printf("No config file: teams and projects in the store are left as they are.\n");
    return;
  }
  std::printf("Config %s: %s (%s), %s (%s)", g.config.file.c_str(),
              Count(r.org->teams, "team").c_str(), Count(r.org->memberships, "membership").c_str(),
              Count(r.org->projects, "project").c_str(), Count(r.org->scopes, "scope").c_str());
  if (r.org->removed_teams + r.org->removed_projects > 0) {
    std::printf("; removed %s and %s no longer in it", Count(r.org->removed_teams, "team").c_str(),
                Count(r.org->removed_projects, "project").c_str());
  }
  std::printf(".\n  unmatched config entries: %zu\n", r.org->unmatched.size());
}

std::string PersonOf(const identity::Resolution& r, const std::string& account) {
  for (const auto& l : r.links) {
    if (l.account_id == account) return l.person_id;
  }
  return "?";
}

std::string NameOf(const identity::Resolution& r, const std::string& person) {
  for (const auto& p : r.people) {
    if (p.id == person) return p.display_name;
  }
  return "?";
}

// Records `o` (giving it an id) and re-resolves, in one transaction.
Result<identity::ServiceReport> ApplyOverride(const Globals& g, Store& store,
                                              model::IdentityOverride* o) {
  const SystemClock& clock = SystemClock::Get();
  identity::IdentityService service(store, clock);
  SEI_ASSIGN_OR_RETURN(o->id, service.NextOverrideId());
  o->created_at = clock.NowUnixSeconds();
  if (const char* user = std::getenv("USER"); user != nullptr && *user != '\0') {
    o->created_by = user;
  }
  identity::ServiceOptions options = BaseOptions(g);
  options.add_overrides.push_back(*o);
  return service.Resolve(options);
}

}  // namespace

Result<std::unique_ptr<Store>> OpenCollectedStore(const Globals& g, bool read_only) {
  return OpenExistingStore(g.db, read_only, "run `sei collect git PATH` first");
}

std::string DayOrInstant(int64_t t) {
  const std::string s = FormatRfc3339Utc(t);
  return t % 86400 == 0 ? s.substr(0, 10) : s;
}

Status RunIdentityResolve(const Globals& g, const IdentityResolveArgs& args) {
  SEI_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenCollectedStore(g, false));
  identity::ServiceOptions options = BaseOptions(g);
  options.strict = args.strict;
  identity::IdentityService service(*store, SystemClock::Get());
  SEI_ASSIGN_OR_RETURN(identity::ServiceReport report, service.Resolve(options));
  if (args.format == "json") {
    std::printf("%s\n", SummaryJson(g, report).dump(2).c_str());
  } else if (!g.quiet) {
    PrintSummary(g, report);
  }
  PrintWarnings(g, report);
  return Status::Ok();
}

Status RunIdentityMerge(const Globals& g, const IdentityMergeArgs& args) {
  SEI_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenCollectedStore(g, false));
  SEI_ASSIGN_OR_RETURN(std::string a, identity::FindAccount(*store, args.account, true));
  SEI_ASSIGN_OR_RETURN(std::string b, identity::FindAccount(*store, args.other, true));
  if (a == b) {
    return InvalidArgumentError("'" + args.account + "' and '" + args.other +
                                "' are the same account: nothing to merge");
  }
  SEI_ASSIGN_OR_RETURN(std::string pa, identity::StoredPersonOf(*store, a));
  SEI_ASSIGN_OR_RETURN(std::string pb, identity::StoredPersonOf(*store, b));
  model::IdentityOverride o{"", "merge", a, b, std::nullopt, 0, std::nullopt, std::nullopt};
  if (!args.name.empty()) o.display_name = args.name;
  if (!args.note.empty()) o.note = args.note;
  SEI_ASSIGN_OR_RETURN(identity::ServiceReport r, ApplyOverride(g, *store, &o));
  if (!g.quiet) {
    const std::string person =
        PersonOf(r.resolution, a) != "?" ? PersonOf(r.resolution, a) : PersonOf(r.resolution, b);
    if (!pa.empty() && pa == pb) {
      std::printf("%s and %s were already one person; the merge (%s) now keeps them so.\n",
                  a.c_str(), b.c_str(), o.id.c_str());
    } else {
      std::printf("Merged %s and %s into %s (%s): override %s.\n", a.c_str(), b.c_str(),
                  person.c_str(), NameOf(r.resolution, person).c_str(), o.id.c_str());
    }
    std::printf("Undo with: sei identity undo %s\n", o.id.c_str());
  }
  PrintWarnings(g, r, true);
  return Status::Ok();
}

Status RunIdentitySplit(const Globals& g, const IdentitySplitArgs& args) {
  SEI_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenCollectedStore(g, false));
  SEI_ASSIGN_OR_RETURN(std::string a, identity::FindAccount(*store, args.account));
  model::IdentityOverride o{"", "split",      a,           std::nullopt, std::nullopt,
                            0,  std::nullopt, std::nullopt};
  if (!args.from.empty()) {
    SEI_ASSIGN_OR_RETURN(std::string b, identity::FindAccount(*store, args.from));
    if (a == b) return InvalidArgumentError("an account cannot be split from itself");
    o.other_account_id = b;
  }
  if (!args.note.empty()) o.note = args.note;
  SEI_ASSIGN_OR_RETURN(std::string before, identity::StoredPersonOf(*store, a));
  SEI_ASSIGN_OR_RETURN(identity::ServiceReport r, ApplyOverride(g, *store, &o));
  if (!g.quiet) {
    const std::string now = PersonOf(r.resolution, a);
    if (o.other_account_id) {
      std::printf("Split %s (now %s) from %s (now %s): override %s.\n", a.c_str(), now.c_str(),
                  o.other_account_id->c_str(), PersonOf(r.resolution, *o.other_account_id).c_str(),
                  o.id.c_str());
    } else {
      std::printf("Split %s off %s: it is now %s, and takes no automatic link: override %s.\n",
                  a.c_str(), before.empty() ? "its person" : before.c_str(), now.c_str(),
                  o.id.c_str());
    }
    std::printf("Undo with: sei identity undo %s\n", o.id.c_str());
  }
  PrintWarnings(g, r, true);
  return Status::Ok();
}

Status RunIdentityUndo(const Globals& g, const std::string& override_id) {
  SEI_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenCollectedStore(g, false));
  SEI_ASSIGN_OR_RETURN(auto overrides, store->List<model::IdentityOverride>());
  const model::IdentityOverride* found = nullptr;
  for (const auto& o : overrides) {
    if (o.id == override_id) found = &o;
  }
  if (found == nullptr) {
    return NotFoundError("no identity override '" + override_id +
                         "' (`sei identity overrides` lists them)");
  }
  identity::ServiceOptions options = BaseOptions(g);
  options.remove_overrides.push_back(override_id);
  identity::IdentityService service(*store, SystemClock::Get());
  SEI_ASSIGN_OR_RETURN(identity::ServiceReport r, service.Resolve(options));
  if (!g.quiet) {
    std::printf("Undid %s (%s %s%s%s). Now %s is %s", override_id.c_str(), found->action.c_str(),
                found->account_id.c_str(), found->other_account_id ? " and " : "",
                found->other_account_id.value_or("").c_str(), found->account_id.c_str(),
                PersonOf(r.resolution, found->account_id).c_str());
    if (found->other_account_id && PersonOf(r.resolution, *found->other_account_id) != "?") {
      std::printf(" and %s is %s", found->other_account_id->c_str(),
                  PersonOf(r.resolution, *found->other_account_id).c_str());
    }
    std::printf(".\n");
  }
  PrintWarnings(g, r, true);
  return Status::Ok();
}

}  // namespace sei::app
