#include "metrics/link/range_walker.h"

#include <algorithm>

namespace sei::metrics::link {

namespace {

// Max-heap on generation; among equals, the larger index first (any fixed
// order is exact; this one is deterministic).
bool HeapLess(uint32_t ga, CommitIdx a, uint32_t gb, CommitIdx b) {
  return ga != gb ? ga < gb : a < b;
}

}  // namespace

RangeWalker::RangeWalker(const CommitGraph& graph)
    : graph_(graph), epoch_of_(graph.size(), 0), uninteresting_(graph.size(), 0) {}

void RangeWalker::Push(CommitIdx c, bool uninteresting) {
  const size_t i = static_cast<size_t>(c);
  if (epoch_of_[i] == epoch_) {
    if (uninteresting) MarkUninteresting(c);
    return;
  }
  epoch_of_[i] = epoch_;
  uninteresting_[i] = uninteresting ? 1 : 0;
  if (!uninteresting) ++interesting_queued_;
  heap_.push_back({graph_.Generation(c), c});
  std::push_heap(heap_.begin(), heap_.end(), [](const Entry& a, const Entry& b) {
    return HeapLess(a.generation, a.commit, b.generation, b.commit);
  });
}

// A commit already queued turns uninteresting (it cannot have been popped
// yet: the commit marking it has a larger generation and was popped first).
void RangeWalker::MarkUninteresting(CommitIdx c) {
  const size_t i = static_cast<size_t>(c);
  if (uninteresting_[i] != 0) return;
  uninteresting_[i] = 1;
  --interesting_queued_;
}

void RangeWalker::Walk(std::span<const CommitIdx> tips, std::span<const CommitIdx> bases,
                       std::vector<CommitIdx>* out) {
  if (++epoch_ == 0) {  // wrapped: forget every old stamp
    std::fill(epoch_of_.begin(), epoch_of_.end(), 0);
    epoch_ = 1;
  }
  heap_.clear();
  interesting_queued_ = 0;
  last_visited_ = 0;
  for (CommitIdx b : bases) {
    if (b != kNoCommit) Push(b, true);
  }
  for (CommitIdx t : tips) {
    if (t != kNoCommit) Push(t, false);
  }
  const auto less = [](const Entry& a, const Entry& b) {
    return HeapLess(a.generation, a.commit, b.generation, b.commit);
  };
  while (interesting_queued_ > 0 && !heap_.empty()) {
    std::pop_heap(heap_.begin(), heap_.end(), less);
    const CommitIdx c = heap_.back().commit;
    heap_.pop_back();
    ++last_visited_;
    const bool un = uninteresting_[static_cast<size_t>(c)] != 0;
    if (!un) {
      --interesting_queued_;
      out->push_back(c);
    }
    for (CommitIdx p : graph_.Parents(c)) Push(p, un);
  }
}

}  // namespace sei::metrics::link
