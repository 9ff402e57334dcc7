// IdentityResolver: a pure function from accounts (every tool's identities:
// git emails and names, GitHub/GitLab logins and emails, Jira account ids),
// .mailmaps and manual overrides to people: which person each account is,
// and why (an identity_links row per account, with a reason and a
// confidence).
//
// How (docs/metrics.md, "People, teams and scopes"):
//  1. Manual splits become cannot-link constraints: `split A --from B` keeps
//     A and B in different people whatever links them (manual merges
//     included); `split A` keeps A off every automatic link (a manual merge
//     can still move it to the right person).
//  2. Links are offered strongest first (link_rules.h): manual merges in the
//     order they were made, then same-email, mailmap, github-noreply,
//     same-login, and last same-name, which looks at the people the
//     stronger rules made. A link that would cross a split is skipped;
//     automatic links below `min_confidence` are not offered.
//  3. Each resulting set is a person. A set that is an existing person — a
//     people row the resolver did not make (ids outside "person:"), claimed
//     by an account's email, accounts.person_id or a merge naming its id —
//     keeps that person's row (person_adopter.h); existing people nobody
//     claims are passed through as they are. Any other set's id derives
//     from its canonical identity, never from insertion order:
//     "person:<email>" with the email (after the .mailmap) of its anchor
//     account — the account with a real (not noreply) email first seen
//     earliest, ties by account id — else "person:<anchor account id>".
//     Adding accounts that join a person does not change its id unless they
//     hold an older real email; undoing a merge brings back the ids the two
//     people had before it.
//  4. Display name: a manual merge's --name, else the .mailmap's proper
//     name, else the name most of its accounts carry (ties: the most recently
//     seen account, then alphabetical). Primary email likewise: the
//     .mailmap's proper email, else the most used real email, else a noreply
//     one.
//  5. Each account's link: the anchor is "canonical" (1.0); every other
//     account has the reason of the link that attached it on the strongest
//     path from the anchor, and the path's weakest confidence.
//  6. Bots: accounts flagged is_bot or matching the bot pattern (on login,
//     name or email); a person is a bot when all of its accounts are.
//  7. Unmatched: every non-bot account alone in a person of the resolver's
//     (matched to no other account and no existing person), with why.
//
// Thread safety: Resolve() is const and uses no shared state; safe from
// any number of threads.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/result.h"
#include "identity/mailmap.h"
#include "metrics/core/settings.h"
#include "model/derived.h"
#include "model/org.h"

namespace sei::identity {

struct ResolverOptions {
  // ECMAScript, case-insensitive (metrics.bot_pattern in the config).
  std::string bot_pattern = metrics::MetricsSettings{}.bot_pattern;
  // Automatic links with a lower confidence are not made (0.6 keeps all).
  double min_confidence = 0.6;
  // The same-name rule (0.6) on or off.
  bool same_name = true;
  // Sources whose logins are code-host logins, for the same-login rule.
  std::vector<std::string> code_hosts = {"github",  "gitlab",       "bitbucket", "gitea",
                                         "forgejo", "azure-devops", "gerrit"};
};

struct ResolverInput {
  std::vector<model::Account> accounts;
  std::vector<Mailmap> mailmaps;  // tried in order; the first that maps an account wins
  std::vector<model::IdentityOverride> overrides;
  // What the store held before, so that an unchanged link keeps its
  // updated_at and a person its created_at (re-running changes nothing).
  // The previous people whose ids are not the resolver's ("person:...") are
  // the existing people to adopt.
  std::vector<model::IdentityLink> previous_links;
  std::vector<model::Person> previous_people;
  int64_t now = 0;
};

// An override that is not applied, and why ("account X is not in the store
// (any more)", "split ov-2 keeps A and B apart (undo one of the two)").
struct OverrideIssue {
  std::string override_id;
  std::string message;
};

// An account that is a person of its own, matched to no other account and
// to no existing person (bots left out), and why.
enum class UnmatchedWhy : uint8_t {
  kSplit,          // a manual split keeps it apart
  kAmbiguousName,  // its full name is held by several people (emails in one domain, or a split)
  kNoIdentity,     // no email and no full name: a login or an id only
  kShortName,      // an email no other account has, and no full name (one word or none)
  kUnique,         // nobody else has its email or its full name
};
std::string_view UnmatchedWhyText(UnmatchedWhy why);

struct UnmatchedAccount {
  std::string account_id;
  UnmatchedWhy why = UnmatchedWhy::kUnique;
};

struct Resolution {
  std::vector<model::Person> people;       // by id
  std::vector<model::Account> accounts;    // the input accounts with person_id set, by id
  std::vector<model::IdentityLink> links;  // one per account, by account id
  std::vector<OverrideIssue> issues;
  int64_t blocked_by_split = 0;                // automatic links a split refused
  int64_t below_threshold = 0;                 // automatic links weaker than min_confidence
  int64_t adopted = 0;                         // people that are existing people rows
  int64_t existing_without_accounts = 0;       // existing people kept with no account
  std::map<std::string, std::string> retired;  // existing person id -> person holding it now
  std::vector<UnmatchedAccount> unmatched;     // by account id

  // identity_links.reason -> accounts.
  std::map<std::string, int64_t> LinksByReason() const;
  int64_t Bots() const;
};

class IdentityResolver {
 public:
  explicit IdentityResolver(ResolverOptions options);

  // Errors: the bot pattern is not a valid regular expression.
  Result<Resolution> Resolve(const ResolverInput& input) const;

 private:
  ResolverOptions options_;
};

}  // namespace sei::identity
