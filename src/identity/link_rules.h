// The automatic and manual identity rules: what is known about each account
// (normalised email, login and name, what a .mailmap says, bot or not) and
// the candidate links each rule proposes between accounts. The resolver
// (identity_resolver.h) offers them to a ConstrainedUnionFind strongest
// first; docs/metrics.md ("People, teams and scopes") lists the rules.
//
//   rule            reason           confidence
//   manual merge    manual-merge     1.0
//   same email      same-email       1.0   any two accounts, any sources
//   .mailmap        mailmap          0.99  same proper email after the map
//   GitHub noreply  github-noreply   0.95  12345+login@users.noreply.github.com
//                                          -> the GitHub account 12345 / login
//   same login      same-login       0.8   across code hosts (GitHub, GitLab ...)
//   same full name  same-name        0.6   two or more words (case, spacing
//                                          and Latin diacritics ignored), any
//                                          tools, unless ambiguous (two emails
//                                          in one domain, or a split); a bot's
//                                          name = a bot's code-host login
//
// Thread safety: pure functions over the caller's data.
#pragma once

#include <cstdint>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "identity/constrained_union_find.h"
#include "identity/mailmap.h"
#include "model/derived.h"
#include "model/org.h"

namespace sei::identity {

// In order of strength (the order links are offered in).
enum class Rule : uint8_t {
  kManualMerge,
  kSameEmail,
  kMailmap,
  kGithubNoreply,
  kSameLogin,
  kSameName,
};

std::string_view RuleReason(Rule rule);
double RuleConfidence(Rule rule);

struct AccountFacts {
  const model::Account* account = nullptr;
  std::string email;            // normalised; "" when none
  std::string canonical_email;  // after the .mailmap (== email when it maps none)
  bool mailmapped_email = false;
  std::optional<std::string> mailmap_name;  // proper name a .mailmap gives
  std::string login;                        // normalised; "" when none
  std::string name;                         // normalised, the .mailmap's name when it gives one
  std::string source;
  bool bot = false;
  bool code_host = false;
  bool noreply = false;            // email is a GitHub noreply address
  bool canonical_noreply = false;  // so is canonical_email
  bool isolated = false;           // a split without --from keeps it off automatic links
};

struct LinkCandidate {
  uint32_t a = 0, b = 0;
  Rule rule = Rule::kSameEmail;
  const model::IdentityOverride* override = nullptr;  // manual merges
};

// Facts for each account (same order). `mailmaps` are tried in order; the
// first that maps an account's (name, email) is used.
std::vector<AccountFacts> ComputeFacts(const std::vector<model::Account>& accounts,
                                       const std::vector<Mailmap>& mailmaps, const std::regex& bot,
                                       const std::vector<std::string>& code_hosts);

// Candidates of the rules that do not depend on other links: same email,
// mailmap, GitHub noreply, same login. Deterministic order.
std::vector<LinkCandidate> AutomaticCandidates(const std::vector<AccountFacts>& facts);

// Same-name candidates given the sets the stronger rules made:
//  - people: every set holding a normalised name of two or more words (among
//    non-bot accounts not split off), across and within tools, is linked —
//    unless the name is ambiguous: accounts of two of those sets have
//    different real (not noreply) emails in one domain (two John Smiths at
//    one company), or a split keeps two of them apart. Then no set is linked
//    by that name, and its holders are listed in `ambiguous`.
//  - bots: a bot account whose name is a bot code-host account's login
//    (bots commit under their login) is linked to it.
struct SameNameResult {
  std::vector<LinkCandidate> links;
  std::vector<uint32_t> ambiguous;  // accounts, ascending
};
SameNameResult SameNameCandidates(const std::vector<AccountFacts>& facts,
                                  ConstrainedUnionFind& sets);

}  // namespace sei::identity
