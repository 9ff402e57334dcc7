// LineClasses: the table that gives every distinct line a small integer
// class, for numstat line counting (line_diff.cc). Lines are equal when
// their bytes are (newline included). Open addressing with linear probing;
// a slot keeps 32 bits of the line's hash beside its class, so a probe
// touches line bytes only when those bits match. The table stores pointers
// into the caller's buffers, which must outlive its use.
//
// Internal to sei_git. Header-only so the per-line calls inline.
//
// Thread safety: a LineClasses is owned by one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "git/line_scan.h"

namespace sei::git::internal {

class LineClasses {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;

  // Empties the table and sizes it for up to `lines` distinct lines. Keeps
  // the memory of earlier calls.
  void Reset(size_t lines) {
    size_t capacity = 16;
    while (capacity < 2 * lines) capacity <<= 1;
    slots_.assign(capacity, Slot{0, 0});
    mask_ = capacity - 1;
    entries_.clear();
    size_filter_.assign(kFilterBits / 64, 0);
  }

  // The number of classes so far; classes are numbered from 0 in order of
  // first insertion.
  uint32_t size() const { return static_cast<uint32_t>(entries_.size()); }

  // The class of line p[0, n), created if new.
  uint32_t Insert(const char* p, size_t n) {
    const uint64_t h = line_scan::HashLine(p, n);
    const auto tag = static_cast<uint32_t>(h >> 32);
    for (size_t i = h & mask_;; i = (i + 1) & mask_) {
      Slot& slot = slots_[i];
      if (slot.cls_plus_one == 0) {
        const uint32_t cls = size();
        slot = {tag, cls + 1};
        entries_.push_back({p, n});
        size_filter_[(n / 64) % (kFilterBits / 64)] |= uint64_t{1} << (n % 64);
        return cls;
      }
      if (Matches(slot, tag, p, n)) return slot.cls_plus_one - 1;
    }
  }

  // The class of line p[0, n), or kNone when no line inserted has those
  // bytes. Cheap for a line whose length no inserted line has.
  uint32_t Find(const char* p, size_t n) const {
    if ((size_filter_[(n / 64) % (kFilterBits / 64)] >> (n % 64) & 1) == 0) return kNone;
    const uint64_t h = line_scan::HashLine(p, n);
    const auto tag = static_cast<uint32_t>(h >> 32);
    for (size_t i = h & mask_;; i = (i + 1) & mask_) {
      const Slot& slot = slots_[i];
      if (slot.cls_plus_one == 0) return kNone;
      if (Matches(slot, tag, p, n)) return slot.cls_plus_one - 1;
    }
  }

 private:
  // Line lengths seen, one bit per length modulo this.
  static constexpr size_t kFilterBits = 4096;

  struct Slot {
    uint32_t tag;           // high half of the line's hash
    uint32_t cls_plus_one;  // 0: empty
  };
  struct Entry {
    const char* data;  // the first line inserted with this class
    size_t size;
  };

  bool Matches(const Slot& slot, uint32_t tag, const char* p, size_t n) const {
    if (slot.tag != tag) return false;
    const Entry& e = entries_[slot.cls_plus_one - 1];
    return e.size == n && line_scan::SameBytes(e.data, p, n);
  }

  std::vector<Slot> slots_;
  size_t mask_ = 0;
  std::vector<Entry> entries_;
  std::vector<uint64_t> size_filter_;
};

}  // namespace sei::git::internal
