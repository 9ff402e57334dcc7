#include "identity/constrained_union_find.h"

#include <unordered_set>
#include <utility>

namespace sei::identity {

ConstrainedUnionFind::ConstrainedUnionFind(uint32_t n) : parent_(n), size_(n, 1), forbidden_(n) {
  for (uint32_t i = 0; i < n; ++i) parent_[i] = i;
}

uint32_t ConstrainedUnionFind::Find(uint32_t x) {
  while (parent_[x] != x) {
    parent_[x] = parent_[parent_[x]];
    x = parent_[x];
  }
  return x;
}

void ConstrainedUnionFind::CannotLink(uint32_t a, uint32_t b) {
  if (a == b) return;
  forbidden_[Find(a)].push_back(b);
  forbidden_[Find(b)].push_back(a);
}

bool ConstrainedUnionFind::Blocked(uint32_t a, uint32_t b) {
  uint32_t ra = Find(a), rb = Find(b);
  if (ra == rb) return false;
  if (forbidden_[ra].size() > forbidden_[rb].size()) std::swap(ra, rb);
  for (uint32_t partner : forbidden_[ra]) {
    if (Find(partner) == rb) return true;
  }
  return false;
}

bool ConstrainedUnionFind::AnyBlocked(const std::vector<uint32_t>& elements) {
  std::unordered_set<uint32_t> roots;
  for (uint32_t e : elements) roots.insert(Find(e));
  if (roots.size() < 2) return false;
  for (uint32_t r : roots) {
    for (uint32_t partner : forbidden_[r]) {
      const uint32_t p = Find(partner);
      if (p != r && roots.count(p) != 0) return true;
    }
  }
  return false;
}

ConstrainedUnionFind::Outcome ConstrainedUnionFind::Union(uint32_t a, uint32_t b) {
  uint32_t ra = Find(a), rb = Find(b);
  if (ra == rb) return Outcome::kAlreadyJoined;
  if (Blocked(ra, rb)) return Outcome::kBlocked;
  if (size_[ra] < size_[rb]) std::swap(ra, rb);
  parent_[rb] = ra;
  size_[ra] += size_[rb];
  std::vector<uint32_t>& into = forbidden_[ra];
  std::vector<uint32_t>& from = forbidden_[rb];
  if (into.size() < from.size()) into.swap(from);
  into.insert(into.end(), from.begin(), from.end());
  from.clear();
  from.shrink_to_fit();
  return Outcome::kJoined;
}

}  // namespace sei::identity
