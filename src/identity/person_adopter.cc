#include "identity/person_adopter.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "identity/text.h"

namespace sei::identity {

bool IsResolverPersonId(std::string_view person_id) {
  return person_id.substr(0, kResolverPersonPrefix.size()) == kResolverPersonPrefix;
}

PersonAdopter::PersonAdopter(const std::vector<model::Person>& existing,
                             const std::vector<AccountFacts>& facts)
    : existing_(existing), facts_(facts) {
  for (size_t i = 0; i < existing_.size(); ++i) {
    by_id_.emplace(existing_[i].id, i);
    if (!existing_[i].primary_email) continue;
    const std::string email = NormalizeEmail(*existing_[i].primary_email);
    if (!email.empty()) by_email_[email].push_back(i);
  }
}

void PersonAdopter::ClaimsOf(size_t group, const std::vector<uint32_t>& members,
                             const std::unordered_map<uint32_t, std::vector<size_t>>& manual,
                             std::vector<Claim>* out) const {
  std::map<size_t, Claim> claims;             // person -> claim
  std::vector<std::pair<size_t, bool>> mine;  // (person, by email) for one account
  for (uint32_t m : members) {
    const AccountFacts& f = facts_[m];
    mine.clear();
    for (const std::string* email : {&f.email, &f.canonical_email}) {
      auto it = by_email_.find(*email);
      if (it == by_email_.end()) continue;
      for (size_t p : it->second) mine.emplace_back(p, true);
    }
    if (f.account->person_id && !f.isolated) {
      auto it = by_id_.find(*f.account->person_id);
      if (it != by_id_.end()) mine.emplace_back(it->second, false);
    }
    if (auto it = manual.find(m); it != manual.end()) {
      for (size_t p : it->second) {
        mine.emplace_back(p, false);
        ++claims.try_emplace(p, Claim{group, p}).first->second.manual;
      }
    }
    std::sort(mine.begin(), mine.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first < b.first : a.second > b.second;  // email first
    });
    for (size_t i = 0; i < mine.size(); ++i) {
      if (i > 0 && mine[i].first == mine[i - 1].first) continue;  // one account counts once
      Claim& c = claims.try_emplace(mine[i].first, Claim{group, mine[i].first}).first->second;
      ++c.accounts;
      if (mine[i].second) ++c.email;
    }
  }
  for (auto& [p, c] : claims) out->push_back(c);
}

Adoption PersonAdopter::Assign(const std::vector<std::vector<uint32_t>>& groups,
                               const std::vector<ManualClaim>& manual) const {
  std::unordered_map<uint32_t, std::vector<size_t>> manual_of;  // account -> people
  for (const ManualClaim& c : manual) {
    auto it = by_id_.find(c.person_id);
    if (it != by_id_.end()) manual_of[c.account].push_back(it->second);
  }
  std::vector<Claim> claims;
  for (size_t g = 0; g < groups.size(); ++g) ClaimsOf(g, groups[g], manual_of, &claims);
  const auto strength = [&](const Claim& c) {
    return std::make_tuple(-c.manual, -c.accounts, -c.email,
                           std::string_view(existing_[c.person].id), c.group);
  };
  std::sort(claims.begin(), claims.end(),
            [&](const Claim& a, const Claim& b) { return strength(a) < strength(b); });
  Adoption out;
  out.person_of_group.resize(groups.size());
  out.claimed.assign(existing_.size(), false);
  std::vector<bool> granted(existing_.size(), false);
  for (const Claim& c : claims) {
    out.claimed[c.person] = true;
    if (granted[c.person] || out.person_of_group[c.group]) continue;
    granted[c.person] = true;
    out.person_of_group[c.group] = c.person;
  }
  // A person claimed but not granted: every set that claimed it holds
  // another existing person (else it would have been granted); the
  // strongest claim names its heir.
  for (const Claim& c : claims) {
    if (granted[c.person] || out.retired.count(existing_[c.person].id) != 0) continue;
    out.retired[existing_[c.person].id] = existing_[*out.person_of_group[c.group]].id;
  }
  return out;
}

}  // namespace sei::identity
