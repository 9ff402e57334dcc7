#include "git/entry_extents.h"

#include <algorithm>

namespace sei::git::internal {

template <typename T>
void EntryExtents::Index(std::vector<T>* sorted) {
  std::sort(sorted->begin(), sorted->end());
  // Buckets of a power-of-two width holding about kEntriesPerBucket entries.
  const uint64_t per_bucket = data_end_ / (sorted->size() + 1) * kEntriesPerBucket;
  shift_ = 0;
  while (shift_ < 63 && (uint64_t{2} << shift_) <= per_bucket) ++shift_;
  const uint64_t count = (data_end_ >> shift_) + 1;
  buckets_.resize(count);
  size_t i = 0;
  for (uint64_t b = 0; b < count; ++b) {
    const uint64_t start = b << shift_;
    while (i < sorted->size() && (*sorted)[i] < start) ++i;
    buckets_[b] = static_cast<uint32_t>(i);
  }
}

template void EntryExtents::Index(std::vector<uint32_t>* sorted);
template void EntryExtents::Index(std::vector<uint64_t>* sorted);

}  // namespace sei::git::internal
