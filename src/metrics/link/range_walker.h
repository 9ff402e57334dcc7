// RangeWalker: the commits reachable from some tips and not from some bases
// — `git rev-list TIPS ^BASES` — over a CommitGraph.
//
// The walk pops commits in descending generation order from one queue that
// holds both sides. Bases start "uninteresting" and pass that mark to their
// parents; tips start interesting. Every commit that can reach a commit has
// a larger generation, so by the time a commit is popped its mark is final:
// interesting commits are output, and the walk stops as soon as the queue
// holds only uninteresting commits. The cost is the commits between the two
// sides plus the boundary the uninteresting side walks to meet them — never
// the whole history, unless there are no bases.
//
// Marks are stamped with a per-walk epoch, so consecutive walks on one
// graph cost nothing to reset.
//
// Thread safety: one walker per thread; the graph may be shared.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "metrics/link/commit_graph.h"

namespace sei::metrics::link {

class RangeWalker {
 public:
  explicit RangeWalker(const CommitGraph& graph);

  // Appends to `out` the commits reachable from `tips` and not from any of
  // `bases`, in descending generation order (ties by index). kNoCommit
  // entries are ignored.
  void Walk(std::span<const CommitIdx> tips, std::span<const CommitIdx> bases,
            std::vector<CommitIdx>* out);

  // Commits the last Walk popped from its queue (cost, for tests).
  int64_t last_visited() const { return last_visited_; }

 private:
  struct Entry {
    uint32_t generation;
    CommitIdx commit;
  };
  void Push(CommitIdx c, bool uninteresting);
  void MarkUninteresting(CommitIdx c);

  const CommitGraph& graph_;
  std::vector<uint32_t> epoch_of_;      // per commit: the walk that last queued it
  std::vector<uint8_t> uninteresting_;  // valid where epoch_of_ == epoch_
  uint32_t epoch_ = 0;
  std::vector<Entry> heap_;
  int64_t interesting_queued_ = 0;
  int64_t last_visited_ = 0;
};

}  // namespace sei::metrics::link
