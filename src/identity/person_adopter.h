// PersonAdopter: which existing people rows the people identity resolution
// finds are. An existing person is a `people` row the resolver did not make
// (any id outside its "person:" namespace: the demo's demo:person:*, an HR
// import, rows written through the API). Team memberships and metrics by
// team name those ids, so a set of linked accounts that is such a person must
// keep its id rather than get a new "person:<email>" one.
//
// A set of accounts claims an existing person through each of its accounts:
//   - manually: a merge override names the account and the person's id;
//   - by email: the account's email (as written, or after the .mailmap) is
//     the person's primary_email (both normalised);
//   - by pointer: the account's accounts.person_id is the person's id (a
//     source said so, or an earlier resolution did: this keeps ids stable).
//     An account split off on its own (`split A`) claims nobody by pointer.
// Each (set, person) claim scores (manual claims, accounts claiming, accounts
// claiming by email); claims are granted strongest first (ties: the smaller
// person id, then the set whose anchor ranks first), each set and each person
// at most once. So of two existing people in one set the one with most
// accounts wins, and of two sets claiming one person the one with most
// accounts does. An existing person claimed but not granted is retired into
// the person of the set that claimed it most: its team memberships move there
// (IdentityService), and its row goes. Existing people nobody claims stay as
// they are (a new hire before the first commit).
//
// Thread safety: Assign() is const and pure; safe from any number of threads.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "identity/link_rules.h"
#include "model/org.h"

namespace sei::identity {

inline constexpr std::string_view kResolverPersonPrefix = "person:";

// Whether identity resolution made this person id ("person:...").
bool IsResolverPersonId(std::string_view person_id);

// A merge override tying an account to an existing person's id.
struct ManualClaim {
  uint32_t account = 0;
  std::string person_id;
};

struct Adoption {
  // Per group: the index in `existing` of the person it is, or none.
  std::vector<std::optional<size_t>> person_of_group;
  std::vector<bool> claimed;                   // per existing person
  std::map<std::string, std::string> retired;  // existing person id -> the person now holding it
};

class PersonAdopter {
 public:
  // `existing`: the people rows not made by the resolver.
  PersonAdopter(const std::vector<model::Person>& existing, const std::vector<AccountFacts>& facts);

  // `groups`: each group's accounts, groups in rank order (the first ranks
  // first).
  Adoption Assign(const std::vector<std::vector<uint32_t>>& groups,
                  const std::vector<ManualClaim>& manual) const;

 private:
  struct Claim {
    size_t group = 0, person = 0;
    int64_t manual = 0, accounts = 0, email = 0;
  };
  // Claims of one group, unordered.
  void ClaimsOf(size_t group, const std::vector<uint32_t>& members,
                const std::unordered_map<uint32_t, std::vector<size_t>>& manual,
                std::vector<Claim>* out) const;

  const std::vector<model::Person>& existing_;
  const std::vector<AccountFacts>& facts_;
  std::unordered_map<std::string, std::vector<size_t>> by_email_;
  std::unordered_map<std::string, size_t> by_id_;
};

}  // namespace sei::identity
