// CommitGraph: one repository's stored commit graph in a compact form for
// the linker's walks: commits are dense indices, parents are index lists,
// and every commit carries its generation number (1 + the largest
// generation of its parents; 1 for a root), its author time and its author
// account. Generation numbers order a walk the way commit times cannot
// (times can be skewed; a parent's generation is always smaller than its
// child's), so "reachable from D and not from P" is exact.
//
// Parents that were never stored (a shallow or partial history) are left
// out of Parents() but still counted by ParentCount(), so a merge stays a
// merge.
//
// Thread safety: immutable after Load(); any number of threads may read.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/result.h"
#include "store/store.h"

namespace sei::metrics::link {

using CommitIdx = int32_t;
inline constexpr CommitIdx kNoCommit = -1;

class CommitGraph {
 public:
  // Reads `repo_id`'s graph (Store::LoadCommitWalk).
  static Result<CommitGraph> Load(Store& store, const std::string& repo_id);
  static CommitGraph FromWalkData(CommitWalkData data);

  // One commit as given to Build (tests, benchmarks).
  struct Node {
    std::string sha;
    std::vector<std::string> parents;
    int64_t author_time = 0;
    std::string author_account_id;
  };
  static CommitGraph Build(std::vector<Node> nodes);

  CommitGraph() { d_.parent_begin.push_back(0); }
  CommitGraph(CommitGraph&&) noexcept = default;
  CommitGraph& operator=(CommitGraph&&) noexcept = default;
  CommitGraph(const CommitGraph&) = delete;
  CommitGraph& operator=(const CommitGraph&) = delete;

  size_t size() const { return d_.shas.size(); }
  // The commit's index, or kNoCommit when it is not stored.
  CommitIdx Find(std::string_view sha) const;

  const std::string& Sha(CommitIdx c) const { return d_.shas[Ix(c)]; }
  std::span<const CommitIdx> Parents(CommitIdx c) const {
    return {d_.parents.data() + d_.parent_begin[Ix(c)],
            d_.parents.data() + d_.parent_begin[Ix(c) + 1]};
  }
  int32_t ParentCount(CommitIdx c) const { return d_.parent_counts[Ix(c)]; }
  bool IsMerge(CommitIdx c) const { return d_.parent_counts[Ix(c)] > 1; }
  uint32_t Generation(CommitIdx c) const { return generation_[Ix(c)]; }
  int64_t AuthorTime(CommitIdx c) const { return d_.author_times[Ix(c)]; }
  const std::string& AuthorAccount(CommitIdx c) const {
    return d_.author_accounts[static_cast<size_t>(d_.authors[Ix(c)])];
  }

  // Gives up the sha table (rows written after the graph is gone refer to
  // commits by index into it); the graph is empty afterwards.
  std::vector<std::string> TakeShas();

 private:
  static size_t Ix(CommitIdx c) { return static_cast<size_t>(c); }
  void Index();
  void ComputeGenerations();

  CommitWalkData d_;
  std::unordered_map<std::string_view, CommitIdx> index_;  // views into d_.shas
  std::vector<uint32_t> generation_;
};

}  // namespace sei::metrics::link
