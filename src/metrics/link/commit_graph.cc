#include "metrics/link/commit_graph.h"

#include <algorithm>
#include <utility>

#include "model/git.h"

namespace sei::metrics::link {

namespace {

// The commit columns the linker needs (the message can be large).
model::TableSpec CommitTimeSpec() {
  model::TableSpec spec = model::SpecOf<model::Commit>();
  std::vector<model::Column> cols;
  for (const char* name : {"repo_id", "sha", "author_time", "author_account_id"}) {
    cols.push_back(spec.columns[static_cast<size_t>(spec.ColumnIndex(name))]);
  }
  spec.columns = std::move(cols);
  return spec;
}

}  // namespace

CommitIdx CommitGraph::Find(std::string_view sha) const {
  auto it = index_.find(sha);
  return it == index_.end() ? kNoCommit : it->second;
}

void CommitGraph::Index() {
  index_.clear();
  index_.reserve(shas_.size());
  for (size_t i = 0; i < shas_.size(); ++i) {
    index_.emplace(std::string_view(shas_[i]), static_cast<CommitIdx>(i));
  }
}

CommitGraph CommitGraph::Build(std::vector<Node> nodes) {
  CommitGraph g;
  g.shas_.reserve(nodes.size());
  for (Node& n : nodes) g.shas_.push_back(std::move(n.sha));
  g.Index();
  g.parent_begin_.reserve(nodes.size() + 1);
  g.parent_begin_.push_back(0);
  std::unordered_map<std::string, int32_t> author_index;
  for (Node& n : nodes) {
    for (const std::string& p : n.parents) {
      const CommitIdx pi = g.Find(p);
      if (pi != kNoCommit) g.parents_.push_back(pi);
    }
    g.parent_begin_.push_back(static_cast<uint32_t>(g.parents_.size()));
    g.parent_count_.push_back(static_cast<int32_t>(n.parents.size()));
    g.author_time_.push_back(n.author_time);
    auto [it, added] =
        author_index.emplace(n.author_account_id, static_cast<int32_t>(g.authors_.size()));
    if (added) g.authors_.push_back(n.author_account_id);
    g.author_.push_back(it->second);
  }
  g.ComputeGenerations();
  return g;
}

Result<CommitGraph> CommitGraph::Load(Store& store, const std::string& repo_id) {
  SEI_ASSIGN_OR_RETURN(StoredGraph stored, store.LoadCommitGraph(repo_id));
  CommitGraph g;
  const size_t n = stored.size();
  g.shas_.reserve(n);
  std::vector<std::vector<std::string>> parents;
  parents.reserve(n);
  while (!stored.empty()) {
    auto node = stored.extract(stored.begin());
    g.shas_.push_back(std::move(node.key()));
    parents.push_back(std::move(node.mapped().parents));
  }
  g.Index();
  g.parent_begin_.reserve(n + 1);
  g.parent_begin_.push_back(0);
  for (const auto& ps : parents) {
    for (const std::string& p : ps) {
      const CommitIdx pi = g.Find(p);
      if (pi != kNoCommit) g.parents_.push_back(pi);
    }
    g.parent_begin_.push_back(static_cast<uint32_t>(g.parents_.size()));
    g.parent_count_.push_back(static_cast<int32_t>(ps.size()));
  }
  parents.clear();
  parents.shrink_to_fit();
  g.author_time_.assign(n, 0);
  g.author_.assign(n, 0);
  g.authors_.push_back("");
  std::unordered_map<std::string, int32_t> author_index;
  static const model::TableSpec kSpec = CommitTimeSpec();
  ScanOptions options;
  options.where.push_back({"repo_id", model::Value{repo_id}});
  SEI_RETURN_IF_ERROR(store.ScanRows(kSpec, options, [&](const model::Row& row) {
    const CommitIdx c = g.Find(std::get<std::string>(row[1]));
    if (c == kNoCommit) return Status::Ok();
    g.author_time_[Ix(c)] = std::get<int64_t>(row[2]);
    const std::string& account = std::get<std::string>(row[3]);
    auto [it, added] = author_index.emplace(account, static_cast<int32_t>(g.authors_.size()));
    if (added) g.authors_.push_back(account);
    g.author_[Ix(c)] = it->second;
    return Status::Ok();
  }));
  g.ComputeGenerations();
  return g;
}

// Iterative depth-first post-order: a commit's generation is set once all
// its parents have theirs. A parent met while still on the stack (a cycle,
// which a real history cannot have) counts as absent.
void CommitGraph::ComputeGenerations() {
  const size_t n = shas_.size();
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
