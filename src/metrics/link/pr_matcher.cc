#include "metrics/link/pr_matcher.h"

#include <algorithm>
#include <set>
#include <unordered_set>

namespace sei::metrics::link {

const char* PrMethodName(PrMethod m) {
  switch (m) {
    case PrMethod::kMergeSha:
      return "merge-sha";
    case PrMethod::kPrCommit:
      return "pr-commit";
    case PrMethod::kHeadSha:
      return "head-sha";
    case PrMethod::kRebaseChain:
      return "rebase-chain";
  }
  return "?";
}

PrMatcher::PrMatcher(const CommitGraph& graph, const std::vector<LinkPr>& prs,
                     std::vector<int32_t> repo_prs)
    : graph_(graph), prs_(prs), repo_prs_(std::move(repo_prs)) {}

void PrMatcher::Add(CommitIdx c, int32_t pr, PrMethod m) {
  if (c != kNoCommit) matches_.push_back({c, pr, m});
}

// a is a better home for a commit's change than b.
bool PrMatcher::Better(const PrMatch& a, const PrMatch& b) const {
  if (a.method != b.method) return a.method < b.method;
  const LinkPr& pa = prs_[static_cast<size_t>(a.pr)];
  const LinkPr& pb = prs_[static_cast<size_t>(b.pr)];
  if (pa.merged_at != pb.merged_at) {
    if (!pa.merged_at || !pb.merged_at) return pa.merged_at.has_value();
    return *pa.merged_at < *pb.merged_at;
  }
  return pa.id < pb.id;
}

void PrMatcher::Run() {
  MatchShas();
  for (int32_t pr : repo_prs_) {
    if (prs_[static_cast<size_t>(pr)].merged) MatchRebaseChain(pr);
  }
  std::sort(matches_.begin(), matches_.end(), [](const PrMatch& a, const PrMatch& b) {
    if (a.commit != b.commit) return a.commit < b.commit;
    if (a.pr != b.pr) return a.pr < b.pr;
    return a.method < b.method;
  });
  matches_.erase(std::unique(matches_.begin(), matches_.end(),
                             [](const PrMatch& a, const PrMatch& b) {
                               return a.commit == b.commit && a.pr == b.pr;
                             }),
                 matches_.end());
  ChooseChangePrs();
  FirstCommitTimes();
}

void PrMatcher::MatchShas() {
  for (int32_t pr : repo_prs_) {
    const LinkPr& p = prs_[static_cast<size_t>(pr)];
    if (!p.merge_sha) continue;
    const CommitIdx c = graph_.Find(*p.merge_sha);
    Add(c, pr, PrMethod::kMergeSha);
    if (c != kNoCommit && p.merged) merge_sha_owner_.emplace(c, pr);
  }
  for (int32_t pr : repo_prs_) {
    const LinkPr& p = prs_[static_cast<size_t>(pr)];
    for (const LinkPrCommit& pc : p.commits) Add(graph_.Find(pc.sha), pr, PrMethod::kPrCommit);
    if (p.head_sha) Add(graph_.Find(*p.head_sha), pr, PrMethod::kHeadSha);
  }
}

void PrMatcher::ChooseChangePrs() {
  change_pr_.assign(graph_.size(), -1);
  std::vector<const PrMatch*> best(graph_.size(), nullptr);
  for (const PrMatch& m : matches_) {
    const size_t c = static_cast<size_t>(m.commit);
    if (!prs_[static_cast<size_t>(m.pr)].merged) continue;
    if (best[c] == nullptr || Better(m, *best[c])) best[c] = &m;
  }
  for (size_t c = 0; c < best.size(); ++c) {
    if (best[c] != nullptr) change_pr_[c] = best[c]->pr;
  }
}

void PrMatcher::FirstCommitTimes() {
  const auto offer = [&](int32_t pr, int64_t t) {
    auto [it, added] = first_commit_at_.emplace(pr, t);
    if (!added) it->second = std::min(it->second, t);
  };
  for (int32_t pr : repo_prs_) {
    for (const LinkPrCommit& pc : prs_[static_cast<size_t>(pr)].commits) {
      if (pc.authored_at) offer(pr, *pc.authored_at);
    }
  }
  for (const PrMatch& m : matches_) offer(m.pr, graph_.AuthorTime(m.commit));
}

void PrMatcher::MatchRebaseChain(int32_t pr) {
  const LinkPr& p = prs_[static_cast<size_t>(pr)];
  if (!p.merge_sha || p.commits.empty()) return;
  CommitIdx c = graph_.Find(*p.merge_sha);
  if (c == kNoCommit || graph_.IsMerge(c)) return;
  std::multiset<int64_t> times;
  std::unordered_set<std::string_view> own;
  for (const LinkPrCommit& pc : p.commits) {
    if (pc.authored_at) times.insert(*pc.authored_at);
    own.insert(pc.sha);
  }
  if (own.count(*p.merge_sha) != 0) return;  // merged as is: pr-commit covers it
  for (size_t step = 0; step < p.commits.size(); ++step) {
    if (step > 0) {
      auto owner = merge_sha_owner_.find(c);
      if (owner != merge_sha_owner_.end() && owner->second != pr) break;
      if (graph_.IsMerge(c) || own.count(graph_.Sha(c)) != 0) break;
    }
    auto t = times.find(graph_.AuthorTime(c));
    if (t == times.end()) break;
    times.erase(t);
    if (step > 0) Add(c, pr, PrMethod::kRebaseChain);
    const auto parents = graph_.Parents(c);
    if (parents.empty() || static_cast<int32_t>(parents.size()) != graph_.ParentCount(c)) break;
    c = parents[0];
  }
}

int32_t PrMatcher::ChangePr(CommitIdx c) const {
  return c == kNoCommit ? -1 : change_pr_[static_cast<size_t>(c)];
}

int32_t PrMatcher::ChangePrOfSha(std::string_view sha) {
  if (!sha_index_built_) {
    sha_index_built_ = true;
    std::unordered_map<std::string_view, PrMatch> best;
    const auto offer = [&](std::string_view s, int32_t pr, PrMethod m) {
      PrMatch cand{kNoCommit, pr, m};
      auto [it, added] = best.emplace(s, cand);
      if (!added && Better(cand, it->second)) it->second = cand;
    };
    for (int32_t pr : repo_prs_) {
      const LinkPr& p = prs_[static_cast<size_t>(pr)];
      if (!p.merged) continue;
      if (p.merge_sha) offer(*p.merge_sha, pr, PrMethod::kMergeSha);
      for (const LinkPrCommit& pc : p.commits) offer(pc.sha, pr, PrMethod::kPrCommit);
      if (p.head_sha) offer(*p.head_sha, pr, PrMethod::kHeadSha);
    }
    for (const auto& [s, m] : best) sha_pr_.emplace(s, m.pr);
  }
  auto it = sha_pr_.find(sha);
  return it == sha_pr_.end() ? -1 : it->second;
}

std::optional<int64_t> PrMatcher::FirstCommitAt(int32_t pr) const {
  auto it = first_commit_at_.find(pr);
  if (it == first_commit_at_.end()) return std::nullopt;
  return it->second;
}

}  // namespace sei::metrics::link
