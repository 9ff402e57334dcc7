// EntryExtents: for the entries of one pack, where each one's data ends at
// the latest (the next entry's offset, or the end of the pack's data).
//
// Why it exists: pack entries give their inflated size but not their
// compressed size; knowing where the next entry starts lets libdeflate
// inflate an entry in one call over exactly its bytes, and bounds the size
// an entry may claim. Lookups cost O(1): the sorted offsets are bucketed by
// position, so a lookup scans a few neighbouring offsets in one or two
// cache lines instead of binary-searching the whole table.
//
// Thread safety: immutable after Build(); const methods may be called from
// any thread.
#pragma once

#include <cstdint>
#include <vector>

#include "git/pack_index.h"

namespace sei::git::internal {

class EntryExtents {
 public:
  // Collects the offsets of `index`'s entries below `data_end` (others are
  // corrupt; reading them reports it). Offsets are kept in 32 bits when the
  // pack allows (under 4 GiB), halving the memory.
  void Build(const PackIndex& index, uint64_t data_end) {
    Build(
        index.count(), [&index](uint32_t i) { return index.OffsetAt(i); }, data_end);
  }

  // The same from `count` offsets given by offset_at(0 .. count-1).
  template <typename OffsetAt>
  void Build(uint32_t count, OffsetAt offset_at, uint64_t data_end) {
    data_end_ = data_end;
    if (data_end <= UINT32_MAX) {
      Collect(count, offset_at, &sorted32_);
      Index(&sorted32_);
    } else {
      Collect(count, offset_at, &sorted64_);
      Index(&sorted64_);
    }
  }

  // The smallest entry offset greater than `offset`, else data_end.
  uint64_t NextAfter(uint64_t offset) const {
    return sorted64_.empty() ? Next(sorted32_, offset) : Next(sorted64_, offset);
  }

 private:
  // About this many entries share a bucket.
  static constexpr uint64_t kEntriesPerBucket = 4;

  template <typename T, typename OffsetAt>
  void Collect(uint32_t count, OffsetAt offset_at, std::vector<T>* sorted) {
    sorted->clear();
    sorted->reserve(count);
    for (uint32_t i = 0; i < count; ++i) {
      const uint64_t off = offset_at(i);
      if (off < data_end_) sorted->push_back(static_cast<T>(off));
    }
  }

  // Sorts the offsets and buckets them.
  template <typename T>
  void Index(std::vector<T>* sorted);

  template <typename T>
  uint64_t Next(const std::vector<T>& sorted, uint64_t offset) const {
    const uint64_t b = offset >> shift_;
    size_t i = b < buckets_.size() ? buckets_[b] : sorted.size();
    while (i < sorted.size() && sorted[i] <= offset) ++i;
    return i < sorted.size() ? sorted[i] : data_end_;
  }

  uint64_t data_end_ = 0;
  std::vector<uint32_t> sorted32_;  // offsets ascending, packs under 4 GiB
  std::vector<uint64_t> sorted64_;  // offsets ascending, larger packs
  // buckets_[b]: index of the first sorted offset >= (b << shift_).
  std::vector<uint32_t> buckets_;
  int shift_ = 0;
};

}  // namespace sei::git::internal
