// RadixSort: sorts 64-bit keys in linear time (least significant byte
// first, skipping the bytes every key shares), for the code metrics that
// count distinct (file, author) pairs over hundreds of thousands of changes
// without a per-row map.
//
// Thread safety: pure function.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

namespace sei::metrics::code {

inline void RadixSort(std::vector<uint64_t>* keys) {
  if (keys->size() < 2) return;
  uint64_t all_or = 0, all_and = ~uint64_t{0};
  for (uint64_t k : *keys) {
    all_or |= k;
    all_and &= k;
  }
  std::vector<uint64_t> buffer(keys->size());
  for (int shift = 0; shift < 64; shift += 8) {
    if ((((all_or ^ all_and) >> shift) & 0xFF) == 0) continue;  // this byte never differs
    std::array<size_t, 257> start{};
    for (uint64_t k : *keys) ++start[((k >> shift) & 0xFF) + 1];
    for (size_t b = 1; b < start.size(); ++b) start[b] += start[b - 1];
    for (uint64_t k : *keys) buffer[start[(k >> shift) & 0xFF]++] = k;
    keys->swap(buffer);
  }
}

}  // namespace sei::metrics::code
