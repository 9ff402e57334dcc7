// ConstrainedUnionFind: union-find (disjoint sets with path halving and
// union by size) plus cannot-link constraints, the core of identity
// resolution. Links are offered strongest first; a union that would put two
// elements a constraint separates into one set is refused, so a manual split
// holds against every later, weaker link — including links that would join
// the two sides through a third element.
//
// Each set keeps the constraint partners of its members; checking a union
// looks up the partners of the set with fewer of them, so the cost is
// proportional to the constraints involved, never to the set sizes.
//
// Thread safety: not thread-safe; one resolution owns one instance.
#pragma once

#include <cstdint>
#include <vector>

namespace sei::identity {

class ConstrainedUnionFind {
 public:
  explicit ConstrainedUnionFind(uint32_t n);

  uint32_t Find(uint32_t x);

  // `a` and `b` must never end up in one set. Call before any Union.
  void CannotLink(uint32_t a, uint32_t b);

  enum class Outcome { kJoined, kAlreadyJoined, kBlocked };
  // Joins the sets of `a` and `b` unless a constraint separates them.
  Outcome Union(uint32_t a, uint32_t b);

  // Whether a Union(a, b) now would be refused.
  bool Blocked(uint32_t a, uint32_t b);

  // Whether a constraint separates any two of the sets holding `elements`
  // (costs the constraints of those sets, not a pairwise check).
  bool AnyBlocked(const std::vector<uint32_t>& elements);

 private:
  std::vector<uint32_t> parent_;
  std::vector<uint32_t> size_;
  // Per root: the elements its members must never be joined with.
  std::vector<std::vector<uint32_t>> forbidden_;
};

}  // namespace sei::identity
