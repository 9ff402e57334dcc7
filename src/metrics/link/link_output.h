// LinkOutput: what one run of the linker derived, held compactly (indices,
// not strings) until the single write that replaces the previous run's
// rows. Millions of deployment commits and commit-PR matches cost a few
// bytes each here; they become model rows one at a time while written.
//
// Thread safety: value type.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "metrics/link/commit_graph.h"
#include "metrics/link/pr_matcher.h"
#include "model/derived.h"

namespace sei::metrics::link {

// How a deployment met the commits it shipped (deployment_commits and
// deployment_changes link_method).
enum class ShipMethod : uint8_t { kGraph, kFirstBounded, kFirstUnbounded, kExplicit };
const char* ShipMethodName(ShipMethod m);

struct ShippedCommit {
  int32_t deployment = -1;
  int32_t repo = -1;
  CommitIdx commit = kNoCommit;
  ShipMethod method = ShipMethod::kGraph;
};

struct MatchedCommit {
  int32_t repo = -1;
  CommitIdx commit = kNoCommit;
  int32_t pr = -1;
  PrMethod method = PrMethod::kMergeSha;
};

struct ShippedChange {
  int32_t deployment = -1;
  int32_t repo = -1;
  int32_t pr = -1;               // -1: a commit pushed without a pull request
  CommitIdx commit = kNoCommit;  // the direct commit; for a PR its newest shipped commit
  int32_t author = -1;           // direct commits: index into LinkOutput::authors
  int64_t first_commit_at = 0;
  int64_t commits = 0;
  ShipMethod method = ShipMethod::kGraph;
  std::string sha;  // only for a commit that is not stored (explicit rows)
};

struct LinkOutput {
  std::vector<std::string> repo_ids;                // repo index -> id
  std::vector<std::vector<std::string>> repo_shas;  // repo index -> its graph's shas
  std::vector<std::string> authors;                 // interned commit authors
  std::vector<ShippedCommit> commits;               // derived deployment_commits
  std::vector<MatchedCommit> matches;               // commit_pull_requests
  std::vector<ShippedChange> changes;               // deployment_changes
  std::vector<model::DeploymentLink> links;         // per deployment, same index
  std::vector<model::IncidentDeployment> incidents;
  int64_t explicit_commits = 0;          // explicit rows used
  int64_t explicit_commits_unknown = 0;  // explicit rows neither stored nor of a known PR

  int32_t InternAuthor(const std::string& account) {
    auto [it, added] = author_index.emplace(account, static_cast<int32_t>(authors.size()));
    if (added) authors.push_back(account);
    return it->second;
  }
  std::unordered_map<std::string, int32_t> author_index;
};

}  // namespace sei::metrics::link
