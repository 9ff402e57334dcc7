#include "metrics/link/commit_graph.h"

#include <algorithm>
#include <utility>

namespace sei::metrics::link {

CommitIdx CommitGraph::Find(std::string_view sha) const {
  auto it = index_.find(sha);
  return it == index_.end() ? kNoCommit : it->second;
}

void CommitGraph::Index() {
  index_.clear();
  index_.reserve(d_.shas.size());
  for (size_t i = 0; i < d_.shas.size(); ++i) {
    index_.emplace(std::string_view(d_.shas[i]), static_cast<CommitIdx>(i));
  }
}

std::vector<std::string> CommitGraph::TakeShas() {
  std::vector<std::string> shas = std::move(d_.shas);
  *this = CommitGraph();
  return shas;
}

CommitGraph CommitGraph::FromWalkData(CommitWalkData data) {
  CommitGraph g;
  g.d_ = std::move(data);
  if (g.d_.parent_begin.empty()) g.d_.parent_begin.push_back(0);
  g.Index();
  g.ComputeGenerations();
  return g;
}

CommitGraph CommitGraph::Build(std::vector<Node> nodes) {
  CommitWalkData d;
  d.shas.reserve(nodes.size());
  for (const Node& n : nodes) d.shas.push_back(n.sha);
  std::unordered_map<std::string, int32_t> index, author_index;
  for (size_t i = 0; i < d.shas.size(); ++i) index.emplace(d.shas[i], static_cast<int32_t>(i));
  d.parent_begin.push_back(0);
  for (const Node& n : nodes) {
    for (const std::string& p : n.parents) {
      auto it = index.find(p);
      if (it != index.end()) d.parents.push_back(it->second);
    }
    d.parent_begin.push_back(static_cast<uint32_t>(d.parents.size()));
    d.parent_counts.push_back(static_cast<int32_t>(n.parents.size()));
    d.author_times.push_back(n.author_time);
    auto [it, added] =
        author_index.emplace(n.author_account_id, static_cast<int32_t>(d.author_accounts.size()));
    if (added) d.author_accounts.push_back(n.author_account_id);
    d.authors.push_back(it->second);
  }
  return FromWalkData(std::move(d));
}

Result<CommitGraph> CommitGraph::Load(Store& store, const std::string& repo_id) {
  SEI_ASSIGN_OR_RETURN(CommitWalkData data, store.LoadCommitWalk(repo_id));
  return FromWalkData(std::move(data));
}

// Iterative depth-first post-order: a commit's generation is set once all
// its parents have theirs. A parent met while still on the stack (a cycle,
// which a real history cannot have) counts as absent.
void CommitGraph::ComputeGenerations() {
  const size_t n = d_.shas.size();
  generation_.assign(n, 0);
  std::vector<uint8_t> state(n, 0);  // 0 new, 1 on the stack, 2 done
  std::vector<std::pair<CommitIdx, uint32_t>> stack;
  for (size_t root = 0; root < n; ++root) {
    if (state[root] != 0) continue;
    state[root] = 1;
    stack.push_back({static_cast<CommitIdx>(root), 0});
    while (!stack.empty()) {
      const CommitIdx c = stack.back().first;
      const std::span<const CommitIdx> ps = Parents(c);
      const uint32_t next = stack.back().second;
      if (next < ps.size()) {
        stack.back().second = next + 1;
        const CommitIdx p = ps[next];
        if (state[Ix(p)] == 0) {
          state[Ix(p)] = 1;
          stack.push_back({p, 0});
        }
        continue;
      }
      uint32_t gen = 1;
      for (CommitIdx p : ps) {
        if (state[Ix(p)] == 2) gen = std::max(gen, generation_[Ix(p)] + 1);
      }
      generation_[Ix(c)] = gen;
      state[Ix(c)] = 2;
      stack.pop_back();
    }
  }
}

}  // namespace sei::metrics::link
