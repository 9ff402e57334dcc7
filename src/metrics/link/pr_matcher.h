// PrMatcher: which pull request each commit of one repository belongs to,
// and how that was matched — the commit_pull_requests rows, and the pull
// request a shipped commit's change is counted under.
//
//   merge-sha     the PR's merge_sha: its merge commit, its squash commit
//                 (a squash merge is matched only this way: its branch
//                 commits never reach the default branch), or the last
//                 commit of a rebase merge
//   pr-commit     listed in the PR's commits (pr_commits)
//   head-sha      the PR's head_sha (a fast-forward merge)
//   rebase-chain  a rebase merge writes new commits with the original
//                 author times: walking first parents back from merge_sha,
//                 at most as many steps as the PR has commits, each commit
//                 whose author time equals a (not yet used) PR commit's
//                 authored_at is the PR's; the walk stops at the first one
//                 that does not match, at a merge commit, or at another
//                 PR's merge_sha
//
// Only commits stored in the graph get rows. A pair matched several ways
// keeps the first method above. A commit's change belongs to a merged PR
// only (an open or closed PR's commits that reached the branch are counted
// as direct commits); among several, the best method wins, then the
// earliest merge, then the PR id.
//
// Thread safety: one thread; reads `graph` and `prs`, which must outlive it.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "metrics/link/commit_graph.h"
#include "metrics/link/link_inputs.h"

namespace sei::metrics::link {

enum class PrMethod : uint8_t { kMergeSha = 0, kPrCommit = 1, kHeadSha = 2, kRebaseChain = 3 };
const char* PrMethodName(PrMethod m);

struct PrMatch {
  CommitIdx commit = kNoCommit;
  int32_t pr = -1;  // index into the PR list
  PrMethod method = PrMethod::kMergeSha;
};

class PrMatcher {
 public:
  // `repo_prs`: indices into `prs` of this repository's pull requests.
  PrMatcher(const CommitGraph& graph, const std::vector<LinkPr>& prs,
            std::vector<int32_t> repo_prs);

  void Run();

  // One per (commit, PR), ordered by commit then PR.
  const std::vector<PrMatch>& matches() const { return matches_; }
  // The merged PR whose change a stored commit belongs to, or -1.
  int32_t ChangePr(CommitIdx c) const;
  // The same for a commit not in the graph, by its sha (merge, PR or head
  // sha of a merged PR), or -1.
  int32_t ChangePrOfSha(std::string_view sha);
  // Earliest authored_at among a PR's commits and the stored commits
  // matched to it.
  std::optional<int64_t> FirstCommitAt(int32_t pr) const;

 private:
  void Add(CommitIdx c, int32_t pr, PrMethod m);
  void MatchShas();
  void MatchRebaseChain(int32_t pr);
  void ChooseChangePrs();
  void FirstCommitTimes();
  bool Better(const PrMatch& a, const PrMatch& b) const;

  const CommitGraph& graph_;
  const std::vector<LinkPr>& prs_;
  std::vector<int32_t> repo_prs_;
  std::vector<PrMatch> matches_;
  std::vector<int32_t> change_pr_;  // per commit
  std::unordered_map<int32_t, int64_t> first_commit_at_;
  std::unordered_map<CommitIdx, int32_t> merge_sha_owner_;
  std::unordered_map<std::string_view, int32_t> sha_pr_;  // built on first ChangePrOfSha
  bool sha_index_built_ = false;
};

}  // namespace sei::metrics::link
