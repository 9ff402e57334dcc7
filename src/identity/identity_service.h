// IdentityService: identity resolution and org sync against the Store. It
// loads accounts, overrides, the previous people and links, and each repo's
// .mailmap; runs the IdentityResolver; plans the config's teams and projects
// (OrgSync); and writes everything — people, accounts.person_id,
// identity_links, override changes, config teams and projects — in ONE
// Store::ApplyWrites call, so a reader (the metrics Dataset) sees either the
// old resolution or the new one, never a mix.
//
// Re-running with nothing changed writes the same rows (links and people
// keep their times). Adding or deleting an override and resolving happen
// in the same transaction: `undo` of a merge moves the accounts back, and
// metrics follow because the Dataset reads identity_links and
// accounts.person_id.
//
// People rows the resolver did not make (the demo's, an HR import's, the
// API's) are adopted: a set of accounts that is such a person keeps its id
// (person_adopter.h), and one with no account yet is kept as it is.
//
// Team memberships that do not come from the config (another source's
// teams) point at person ids: when a person id disappears (a merge made its
// accounts part of another person, or two existing people turned out to be
// one and the other was retired into it), each such membership moves to the
// person now holding most of the old person's accounts (for a retired
// existing person: the person it was retired into). A person of the
// resolver's no account points at any more stays only while a membership
// still names it. Undoing a merge of an account with an existing person's
// id clears the accounts.person_id that merge gave, so the account lets go.
//
// Accounts a collector adds while a resolution runs stay unresolved (the
// Dataset counts each as a person of its own) until the next run; accounts
// whose person changed are rewritten whole, so a last_seen_at a collector
// updated in between can step back until that collector's next run.
//
// Thread safety: one IdentityService per thread (it uses the Store given).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "identity/identity_resolver.h"
#include "identity/org_config.h"
#include "identity/org_sync.h"
#include "store/store.h"

namespace sei::identity {

struct ServiceOptions {
  ResolverOptions resolver;
  // The config's teams and projects; null leaves the store's as they are.
  const OrgConfig* org = nullptr;
  // Override changes, applied in the same transaction.
  std::vector<model::IdentityOverride> add_overrides;
  std::vector<std::string> remove_overrides;  // ids; each must exist
  // Written in the same transaction (the server's audit entry of the change).
  std::vector<TableWrite> also_write;
  // Unmatched config entries (and overrides that cannot apply) become an
  // error, and nothing is written.
  bool strict = false;
  bool read_mailmaps = true;
};

struct ServiceReport {
  Resolution resolution;
  std::optional<OrgPlan> org;  // writes already applied (and emptied)
  int64_t mailmaps = 0;        // repositories whose .mailmap has entries
  int64_t remapped_memberships = 0;
  std::vector<std::string> warnings;  // unreadable .mailmaps ...
};

class IdentityService {
 public:
  IdentityService(Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  Result<ServiceReport> Resolve(const ServiceOptions& options);

  // "ov-<n>", one past the largest n in the store.
  Result<std::string> NextOverrideId();

 private:
  Store& store_;
  const Clock& clock_;
};

}  // namespace sei::identity
