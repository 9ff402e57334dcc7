// PushWriter: stores validated pushes (PushValidator) durably, a whole batch
// in one transaction, each row pointing at its archived body (raw_id).
//
// Why batches: the server collects the valid items of the requests that
// arrive while the previous batch commits and hands them to Apply together
// (group commit), so one fsync covers many pushes; this is how the push API
// reaches its 5,000 durable pushes/s. Apply is all or nothing: when any item
// fails (a store error), nothing of the batch is stored, so the server
// answers every request of the batch with the error (or retries them one by
// one to isolate a poisoned item).
//
// Idempotent by (connection, external id): ids are
// "push:<name>:<kind>:<external id>", and re-pushing an id upserts its row,
// so the same body twice leaves one row and an updated body updates it. A
// deployment's "commits" become deployment_commits rows with link_method
// "pushed", replaced whole on every push of that deployment; the linker
// (metrics/link) treats them as the deployment's shipped commits and never
// overwrites them. commit_range.to is the deployment's commit_sha; the
// linker bounds its graph walk by the previous successful deployment of the
// same repo and environment (docs/api.md explains why `from` is archived,
// not stored).
//
// A pushed "repo" is resolved against the stored repos: an exact repo id,
// else the one repo with that name; otherwise it is stored as given (it
// links once a repo with that id is collected).
//
// Thread safety: one thread at a time (it owns a Store& used by one thread,
// and caches repos and connections); give each writer thread its own
// PushWriter over its own Store.
#pragma once

#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "collectors/push/push_item.h"
#include "common/clock.h"
#include "common/status.h"
#include "model/org.h"
#include "store/store.h"

namespace sei::collectors::push {

inline constexpr const char* kPushedLinkMethod = "pushed";

class PushWriter {
 public:
  PushWriter(Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  // Archives every item's body and upserts its rows and its connection, in
  // one transaction.
  Status Apply(const std::vector<PushItem>& batch);

  // Removes the row of `kind` with `external_id` in `connection_id`
  // ("push:<name>") and the rows that depend on it (a deployment's commits,
  // links and changes; an incident's deployment links; a PR's commits,
  // reviews, comments and commit matches; an issue's status changes and
  // sprint entries). NotFound when there is no such row.
  // `audit`, when given, is appended to the audit log in the same
  // transaction (also for ResolveIncident).
  Status Delete(PushKind kind, const std::string& connection_id, const std::string& external_id,
                const std::optional<model::AuditEntry>& audit = std::nullopt);

  // Sets the incident's resolved_at and status "resolved". NotFound when
  // the connection has no incident with that external id.
  Status ResolveIncident(const std::string& connection_id, const std::string& external_id,
                         int64_t resolved_at,
                         const std::optional<model::AuditEntry>& audit = std::nullopt);

 private:
  std::string ResolveRepo(const std::string& given);
  Status LoadRepos();
  Result<std::vector<model::Connection>> NewConnections(const std::vector<PushItem>& batch);
  std::vector<TableWrite> BuildWrites(const std::vector<PushItem>& batch,
                                      const std::vector<int64_t>& raw_ids,
                                      const std::vector<model::Connection>& connections);

  Store& store_;
  const Clock& clock_;
  bool repos_loaded_ = false;
  bool reloaded_in_batch_ = false;  // ResolveRepo reloaded during this Apply
  std::unordered_set<std::string> repo_ids_;
  std::unordered_map<std::string, std::string> repo_by_name_;  // "" value: ambiguous name
  std::unordered_set<std::string> known_connections_;
};

}  // namespace sei::collectors::push
