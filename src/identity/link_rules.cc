#include "identity/link_rules.h"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "identity/text.h"

namespace sei::identity {

namespace {

bool Matches(const std::regex& bot, const std::optional<std::string>& s) {
  return s && std::regex_search(*s, bot);
}

// Links every member of each group to the group's first member.
template <class KeyOf>
void LinkGroups(const std::vector<AccountFacts>& facts, Rule rule, KeyOf key_of,
                std::vector<LinkCandidate>* out) {
  std::map<std::string, std::vector<uint32_t>> groups;
  for (uint32_t i = 0; i < facts.size(); ++i) {
    std::string key = key_of(facts[i]);
    if (!key.empty()) groups[key].push_back(i);
  }
  for (const auto& [key, members] : groups) {
    for (size_t j = 1; j < members.size(); ++j) out->push_back({members[0], members[j], rule});
  }
}

void AddMailmapLinks(const std::vector<AccountFacts>& facts, std::vector<LinkCandidate>* out) {
  std::map<std::string, std::vector<uint32_t>> groups;
  for (uint32_t i = 0; i < facts.size(); ++i) {
    if (!facts[i].canonical_email.empty()) groups[facts[i].canonical_email].push_back(i);
  }
  for (const auto& [email, members] : groups) {
    const AccountFacts& first = facts[members[0]];
    for (size_t j = 1; j < members.size(); ++j) {
      // Equal raw emails are same-email links already; different raw emails
      // with one proper email are what the .mailmap says.
      if (facts[members[j]].email != first.email) {
        out->push_back({members[0], members[j], Rule::kMailmap});
      }
    }
  }
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
  for (size_t i = 0; i < accounts.size(); ++i) {
    const model::Account& a = accounts[i];
    AccountFacts& f = facts[i];
    f.account = &a;
    f.source = a.source;
    f.email = a.email ? NormalizeEmail(*a.email) : "";
    f.canonical_email = f.email;
    f.login = a.login ? NormalizeLogin(*a.login) : "";
    f.name = a.name ? NormalizeName(*a.name) : "";
    f.bot = a.is_bot || Matches(bot, a.login) || Matches(bot, a.name) || Matches(bot, a.email);
    f.code_host = std::find(code_hosts.begin(), code_hosts.end(), a.source) != code_hosts.end();
    f.noreply = ParseGithubNoreply(f.email).has_value();
    if (!a.email) continue;
    for (const Mailmap& m : mailmaps) {
      std::optional<Mailmap::Mapped> mapped = m.Lookup(a.name.value_or(""), *a.email);
      if (!mapped) continue;
      const std::string proper = NormalizeEmail(mapped->email);
      if (!proper.empty() && proper != f.email) {
        f.canonical_email = proper;
        f.mailmapped_email = true;
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
  LinkGroups(
      facts, Rule::kSameEmail, [](const AccountFacts& f) { return f.email; }, &out);
  AddMailmapLinks(facts, &out);
  AddNoreplyLinks(facts, &out);
  LinkGroups(
      facts, Rule::kSameLogin,
      [](const AccountFacts& f) { return f.code_host ? f.login : std::string(); }, &out);
  return out;
}

std::vector<LinkCandidate> SameNameCandidates(const std::vector<AccountFacts>& facts,
                                              ConstrainedUnionFind& sets) {
  // name -> source -> (set root -> first account of that set holding the name)
  std::map<std::string, std::map<std::string, std::map<uint32_t, uint32_t>>> holders;
  for (uint32_t i = 0; i < facts.size(); ++i) {
    const AccountFacts& f = facts[i];
    if (f.bot || f.isolated || WordCount(f.name) < 2) continue;
    holders[f.name][f.source].emplace(sets.Find(i), i);
  }
  std::vector<LinkCandidate> out;
  for (const auto& [name, by_source] : holders) {
    std::map<uint32_t, uint32_t> roots;  // root -> representative account
    bool unique = true;
    for (const auto& [source, sets_of] : by_source) {
      unique = unique && sets_of.size() == 1;
      roots.insert(sets_of.begin(), sets_of.end());
    }
    if (!unique || roots.size() < 2) continue;
    const uint32_t first = roots.begin()->second;
    for (auto it = std::next(roots.begin()); it != roots.end(); ++it) {
      out.push_back({first, it->second, Rule::kSameName});
    }
  }
  return out;
}

}  // namespace sei::identity
