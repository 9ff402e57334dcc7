// DeltaBaseCache: inflated pack objects kept because deltas are built on
// them, keyed by (pack, entry offset), bounded in bytes, least recently used
// evicted first.
//
// Why it exists: reading the versions of a file one after another walks the
// same delta chain again and again; keeping each base met on the way makes
// every later read one delta application. libgit2's equivalent is a fixed
// 16 MiB that is emptied whole when full (../shared/notes/
// git-collection-speed.md); here the budget is a setting and eviction is LRU.
//
// Memory is counted honestly: each entry costs its buffer's capacity plus a
// fixed bookkeeping overhead, and the total never exceeds the budget after
// an insert returns. Objects over `max_object_bytes` are never admitted.
// The storage of evicted entries is kept in a small pool (counted in the
// budget too) and handed out again by TakeBuffer(): once the cache is full,
// inserting costs neither an allocation nor fresh pages.
//
// Thread safety: NOT thread-safe; each ObjectReader owns one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "git/byte_buffer.h"
#include "git/object_db.h"

namespace sei::git::internal {

class DeltaBaseCache {
 public:
  struct Key {
    uint32_t pack = 0;
    uint64_t offset = 0;
    friend bool operator==(const Key& a, const Key& b) {
      return a.offset == b.offset && a.pack == b.pack;
    }
  };

  struct Entry {
    ByteBuffer data;
    ObjectType type = ObjectType::kNone;
  };

  DeltaBaseCache(size_t budget_bytes, size_t max_object_bytes);
  ~DeltaBaseCache();
  DeltaBaseCache(const DeltaBaseCache&) = delete;
  DeltaBaseCache& operator=(const DeltaBaseCache&) = delete;

  // Whether an object of `size` bytes may be cached at all.
  bool Admits(uint64_t size) const {
    return size <= max_object_bytes_ && size + kEntryOverhead <= budget_bytes_;
  }

  // The entry for `key`, now the most recently used; nullptr when absent.
  // The pointer stays valid until the next Put() or Clear().
  const Entry* Get(const Key& key);

  // Stores `data` (whose size Admits()) under `key`, replacing any entry
  // there, then evicts least recently used entries, never this one, until
  // the total is within the budget. Returns the stored entry, valid until
  // the next Put() or Clear().
  const Entry* Put(const Key& key, ByteBuffer data, ObjectType type);

  // A buffer to build a value of `size` bytes in: pooled storage of evicted
  // entries when some fits (without wasting much), else an empty one.
  ByteBuffer TakeBuffer(size_t size);

  void Clear();

  size_t bytes() const { return bytes_; }
  size_t entries() const { return map_.size(); }

  // Bookkeeping per entry: the hash node, list links and key.
  static constexpr size_t kEntryOverhead = 96;

 private:
  struct Node {
    Entry entry;
    Node* prev = nullptr;  // towards the most recently used
    Node* next = nullptr;  // towards the least recently used
    Key key;
  };
  struct KeyHash {
    size_t operator()(const Key& k) const {
      uint64_t h = (k.offset + (uint64_t{k.pack} << 48)) * 0x9E3779B97F4A7C15ull;
      return static_cast<size_t>(h ^ (h >> 29));
    }
  };

  static size_t Cost(const Node& n) { return n.entry.data.capacity() + kEntryOverhead; }
  void Unlink(Node* n);
  void PushFront(Node* n);
  void EvictOne();
  void DropSpare(size_t i);

  // At most this many pooled buffers, together at most budget/16 bytes.
  static constexpr size_t kMaxSpares = 4;

  size_t budget_bytes_;
  size_t max_object_bytes_;
  size_t bytes_ = 0;  // entries' cost plus the pooled buffers' capacity
  size_t spare_bytes_ = 0;
  std::unordered_map<Key, Node, KeyHash> map_;
  Node* head_ = nullptr;            // most recently used
  Node* tail_ = nullptr;            // least recently used
  std::vector<ByteBuffer> spares_;  // storage of evicted entries, oldest first
};

}  // namespace sei::git::internal
