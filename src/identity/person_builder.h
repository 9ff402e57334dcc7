// PersonBuilder: the last step of identity resolution. Turns the sets the
// union-find made into people (stable ids, display name, primary email, bot
// flag) and each account's identity link (reason and confidence on the
// strongest path from the person's anchor account). A set that is an
// existing person (PersonAdopter, person_adopter.h) keeps that person's id,
// name and email; existing people no set claims are kept as they are. The
// rules it follows are listed in identity_resolver.h.
//
// Thread safety: single-use; one resolution owns one instance.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "identity/constrained_union_find.h"
#include "identity/identity_resolver.h"
#include "identity/link_rules.h"
#include "identity/person_adopter.h"

namespace sei::identity {

// A union the resolver made: the spanning forest the links are read from.
struct TreeEdge {
  uint32_t a = 0, b = 0;
  Rule rule = Rule::kSameEmail;
};

class PersonBuilder {
 public:
  PersonBuilder(const std::vector<model::Account>& accounts, const std::vector<AccountFacts>& facts,
                const ResolverInput& input)
      : accounts_(accounts), facts_(facts), input_(input) {
    for (const model::Person& p : input.previous_people) {
      previous_created_[p.id] = p.created_at;
      if (!IsResolverPersonId(p.id)) existing_.push_back(p);
    }
  }

  // `merges`: the manual merges applied, in the order made (their --name
  // names the person). `claims`: merges tying an account to an existing
  // person.
  void Build(ConstrainedUnionFind& sets, const std::vector<TreeEdge>& tree,
             const std::vector<const model::IdentityOverride*>& merges,
             const std::vector<ManualClaim>& claims, Resolution* out);

 private:
  struct Group {
    std::vector<uint32_t> members;  // ascending
    uint32_t anchor = 0;
    std::string person_id;
    std::optional<size_t> existing;  // index in existing_
  };

  // Group ids: the existing person's, else "person:<anchor email>" ...
  void AssignIds(std::vector<Group>& groups, const std::vector<ManualClaim>& claims,
                 Resolution* out) const;

  bool RanksBefore(uint32_t a, uint32_t b) const;
  std::string DisplayName(const Group& g,
                          const std::vector<const model::IdentityOverride*>& merges) const;
  std::optional<std::string> PrimaryEmail(const Group& g) const;
  model::Person MakePerson(const Group& g, const std::string& name) const;
  // Fills links[m] for each member m.
  void AddLinks(const Group& g, const std::vector<std::vector<TreeEdge>>& adjacency,
                std::vector<model::IdentityLink>* links) const;

  const std::vector<model::Account>& accounts_;
  const std::vector<AccountFacts>& facts_;
  const ResolverInput& input_;
  std::unordered_map<std::string, int64_t> previous_created_;  // person id -> created_at
  std::vector<model::Person> existing_;  // previous people the resolver did not make
};

}  // namespace sei::identity
