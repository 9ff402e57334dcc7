#include "identity/link_rules.h"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "identity/text.h"

namespace sei::identity {

namespace {

// std::regex is slow (microseconds a search): each distinct text is
// searched once.
class BotMatcher {
 public:
  explicit BotMatcher(const std::regex& bot) : bot_(bot) {}
  bool operator()(const std::optional<std::string>& s) {
    if (!s) return false;
    auto [it, inserted] = seen_.try_emplace(*s, false);
    if (inserted) it->second = std::regex_search(*s, bot_);
    return it->second;
  }

 private:
  const std::regex& bot_;
  std::unordered_map<std::string, bool> seen_;
};

// Accounts by a key (empty keys left out), sorted by (key, account): runs
// of one key are the groups.
template <class KeyOf>
std::vector<std::pair<std::string_view, uint32_t>> Keyed(const std::vector<AccountFacts>& facts,
                                                         KeyOf key_of) {
  std::vector<std::pair<std::string_view, uint32_t>> keyed;
  for (uint32_t i = 0; i < facts.size(); ++i) {
    std::string_view key = key_of(facts[i]);
    if (!key.empty()) keyed.emplace_back(key, i);
  }
  std::sort(keyed.begin(), keyed.end());
  return keyed;
}

// Links every member of each group to the group's first member, when
// `wanted(first, member)`.
template <class KeyOf, class Wanted>
void LinkGroups(const std::vector<AccountFacts>& facts, Rule rule, KeyOf key_of, Wanted wanted,
                std::vector<LinkCandidate>* out) {
  const auto keyed = Keyed(facts, key_of);
  for (size_t i = 0; i < keyed.size();) {
    size_t j = i + 1;
    for (; j < keyed.size() && keyed[j].first == keyed[i].first; ++j) {
      if (wanted(facts[keyed[i].second], facts[keyed[j].second])) {
        out->push_back({keyed[i].second, keyed[j].second, rule});
      }
    }
    i = j;
  }
}

bool Always(const AccountFacts&, const AccountFacts&) { return true; }

std::string_view EmailOf(const AccountFacts& f) { return f.email; }
std::string_view CanonicalEmailOf(const AccountFacts& f) { return f.canonical_email; }
std::string_view CodeHostLoginOf(const AccountFacts& f) {
  return f.code_host ? std::string_view(f.login) : std::string_view();
}

void AddMailmapLinks(const std::vector<AccountFacts>& facts, std::vector<LinkCandidate>* out) {
  // Equal raw emails are same-email links already; different raw emails
  // with one proper email are what the .mailmap says.
  LinkGroups(
      facts, Rule::kMailmap, CanonicalEmailOf,
      [](const AccountFacts& first, const AccountFacts& f) { return f.email != first.email; }, out);
}

void AddNoreplyLinks(const std::vector<AccountFacts>& facts, std::vector<LinkCandidate>* out) {
  std::unordered_map<std::string, std::vector<uint32_t>> by_id, by_login;
  for (uint32_t i = 0; i < facts.size(); ++i) {
    if (facts[i].source != "github") continue;
    const model::Account& a = *facts[i].account;
    if (a.external_id) by_id[*a.external_id].push_back(i);
    if (!facts[i].login.empty()) by_login[facts[i].login].push_back(i);
  }
  for (uint32_t i = 0; i < facts.size(); ++i) {
    if (!facts[i].noreply) continue;
    std::optional<NoreplyAddress> addr = ParseGithubNoreply(facts[i].email);
    const std::vector<uint32_t>* targets = nullptr;
    if (addr->user_id) {
      auto it = by_id.find(*addr->user_id);
      if (it != by_id.end()) targets = &it->second;
    }
    bool by_login_only = false;
    if (targets == nullptr) {
      auto it = by_login.find(addr->login);
      if (it != by_login.end()) targets = &it->second;
      by_login_only = true;
    }
    if (targets == nullptr) continue;
    for (uint32_t t : *targets) {
      // A login can change hands: when the address names a user id, an
      // account with another id is someone else.
      const auto& ext = facts[t].account->external_id;
      if (by_login_only && addr->user_id && ext && *ext != *addr->user_id) continue;
      if (t != i) out->push_back({t, i, Rule::kGithubNoreply});
    }
  }
}

// Per set: the real email domains its accounts hold, with one of the set's
// emails in that domain and whether it holds several.
struct DomainEmail {
  std::string_view email;
  bool several = false;
};
using SetDomains = std::unordered_map<uint32_t, std::map<std::string_view, DomainEmail>>;

SetDomains DomainsOfSets(const std::vector<AccountFacts>& facts, ConstrainedUnionFind& sets) {
  SetDomains out;
  for (uint32_t i = 0; i < facts.size(); ++i) {
    const AccountFacts& f = facts[i];
    if (f.canonical_email.empty() || f.canonical_noreply) continue;
    auto [it, inserted] = out[sets.Find(i)].try_emplace(EmailDomain(f.canonical_email),
                                                        DomainEmail{f.canonical_email});
    if (!inserted && it->second.email != f.canonical_email) it->second.several = true;
  }
  return out;
}

// Accounts of two of the sets have different real emails in one domain:
// two John Smiths at one company.
bool Ambiguous(const std::map<uint32_t, uint32_t>& roots, const SetDomains& domains) {
  std::unordered_map<std::string_view, DomainEmail> seen;  // domain -> what another set holds
  for (const auto& [root, account] : roots) {
    auto d = domains.find(root);
    if (d == domains.end()) continue;
    for (const auto& [domain, held] : d->second) {
      auto [it, inserted] = seen.emplace(domain, held);
      if (inserted) continue;
      if (held.several || it->second.several || it->second.email != held.email) return true;
    }
  }
  return false;
}

}  // namespace

std::string_view RuleReason(Rule rule) {
  switch (rule) {
    case Rule::kManualMerge:
      return "manual-merge";
    case Rule::kSameEmail:
      return "same-email";
    case Rule::kMailmap:
      return "mailmap";
    case Rule::kGithubNoreply:
      return "github-noreply";
    case Rule::kSameLogin:
      return "same-login";
    case Rule::kSameName:
      return "same-name";
  }
  return "unknown";
}

double RuleConfidence(Rule rule) {
  switch (rule) {
    case Rule::kManualMerge:
    case Rule::kSameEmail:
      return 1.0;
    case Rule::kMailmap:
      return 0.99;
    case Rule::kGithubNoreply:
      return 0.95;
    case Rule::kSameLogin:
      return 0.8;
    case Rule::kSameName:
      return 0.6;
  }
  return 0.0;
}

std::vector<AccountFacts> ComputeFacts(const std::vector<model::Account>& accounts,
                                       const std::vector<Mailmap>& mailmaps, const std::regex& bot,
                                       const std::vector<std::string>& code_hosts) {
  std::vector<AccountFacts> facts(accounts.size());
  BotMatcher matches(bot);
  for (size_t i = 0; i < accounts.size(); ++i) {
    const model::Account& a = accounts[i];
    AccountFacts& f = facts[i];
    f.account = &a;
    f.source = a.source;
    f.email = a.email ? NormalizeEmail(*a.email) : "";
    f.canonical_email = f.email;
    f.login = a.login ? NormalizeLogin(*a.login) : "";
    f.name = a.name ? NormalizeName(*a.name) : "";
    f.bot = a.is_bot || matches(a.login) || matches(a.name) || matches(a.email);
    f.code_host = std::find(code_hosts.begin(), code_hosts.end(), a.source) != code_hosts.end();
    f.noreply = ParseGithubNoreply(f.email).has_value();
    f.canonical_noreply = f.noreply;
    if (!a.email) continue;
    for (const Mailmap& m : mailmaps) {
      std::optional<Mailmap::Mapped> mapped = m.Lookup(a.name.value_or(""), *a.email);
      if (!mapped) continue;
      const std::string proper = NormalizeEmail(mapped->email);
      if (!proper.empty() && proper != f.email) {
        f.canonical_email = proper;
        f.mailmapped_email = true;
        f.canonical_noreply = ParseGithubNoreply(proper).has_value();
      }
      if (!mapped->name.empty() && (!a.name || mapped->name != *a.name)) {
        f.mailmap_name = mapped->name;
        f.name = NormalizeName(mapped->name);
      }
      break;
    }
  }
  return facts;
}

std::vector<LinkCandidate> AutomaticCandidates(const std::vector<AccountFacts>& facts) {
  std::vector<LinkCandidate> out;
  LinkGroups(facts, Rule::kSameEmail, EmailOf, Always, &out);
  AddMailmapLinks(facts, &out);
  AddNoreplyLinks(facts, &out);
  LinkGroups(facts, Rule::kSameLogin, CodeHostLoginOf, Always, &out);
  return out;
}

SameNameResult SameNameCandidates(const std::vector<AccountFacts>& facts,
                                  ConstrainedUnionFind& sets) {
  const SetDomains domains = DomainsOfSets(facts, sets);
  std::map<std::string_view, std::vector<uint32_t>> holders;  // full name -> human accounts
  std::unordered_map<std::string_view, uint32_t> bot_logins;  // code-host login -> bot account
  for (uint32_t i = 0; i < facts.size(); ++i) {
    const AccountFacts& f = facts[i];
    if (f.isolated) continue;
    if (f.bot && f.code_host && !f.login.empty()) bot_logins.emplace(f.login, i);
    if (!f.bot && WordCount(f.name) >= 2) holders[f.name].push_back(i);
  }
  SameNameResult out;
  for (const auto& [name, accounts] : holders) {
    std::map<uint32_t, uint32_t> roots;  // root -> first account of the set holding the name
    for (uint32_t a : accounts) roots.emplace(sets.Find(a), a);
    if (roots.size() < 2) continue;
    if (Ambiguous(roots, domains) || sets.AnyBlocked(accounts)) {
      out.ambiguous.insert(out.ambiguous.end(), accounts.begin(), accounts.end());
      continue;
    }
    const uint32_t first = roots.begin()->second;
    for (auto it = std::next(roots.begin()); it != roots.end(); ++it) {
      out.links.push_back({first, it->second, Rule::kSameName});
    }
  }
  // Bots commit under their code-host login ("acme-ci-bot <ci@acme.example>"
  // and the GitHub account acme-ci-bot).
  for (uint32_t i = 0; i < facts.size(); ++i) {
    const AccountFacts& f = facts[i];
    if (!f.bot || f.isolated || f.name.empty()) continue;
    auto it = bot_logins.find(f.name);
    if (it != bot_logins.end() && sets.Find(it->second) != sets.Find(i)) {
      out.links.push_back({it->second, i, Rule::kSameName});
    }
  }
  std::sort(out.ambiguous.begin(), out.ambiguous.end());
  return out;
}

}  // namespace sei::identity
