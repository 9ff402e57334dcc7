#include "git/delta_base_cache.h"

#include <utility>

namespace sei::git::internal {

DeltaBaseCache::DeltaBaseCache(size_t budget_bytes, size_t max_object_bytes)
    : budget_bytes_(budget_bytes), max_object_bytes_(max_object_bytes) {}

DeltaBaseCache::~DeltaBaseCache() = default;

const DeltaBaseCache::Entry* DeltaBaseCache::Get(const Key& key) {
  auto it = map_.find(key);
  if (it == map_.end()) return nullptr;
  Node* n = &it->second;
  if (n != head_) {
    Unlink(n);
    PushFront(n);
  }
  return &n->entry;
}

const DeltaBaseCache::Entry* DeltaBaseCache::Put(const Key& key, ByteBuffer data, ObjectType type) {
  auto [it, inserted] = map_.try_emplace(key);
  Node* n = &it->second;
  if (inserted) {
    n->key = key;
    PushFront(n);
  } else {
    bytes_ -= Cost(*n);
    if (n != head_) {
      Unlink(n);
      PushFront(n);
    }
  }
  n->entry.data = std::move(data);
  n->entry.type = type;
  bytes_ += Cost(*n);
  while (bytes_ > budget_bytes_) {
    if (tail_ != n) {
      EvictOne();
    } else if (!spares_.empty()) {
      DropSpare(0);
    } else {
      break;  // only the new entry is left
    }
  }
  return &n->entry;
}

void DeltaBaseCache::EvictOne() {
  Node* victim = tail_;
  Unlink(victim);
  bytes_ -= Cost(*victim);
  ByteBuffer storage = std::move(victim->entry.data);
  map_.erase(victim->key);
  // Pool the storage (its capacity stays counted) for the next values.
  const size_t pool_limit = budget_bytes_ / 16;
  if (storage.capacity() == 0 || storage.capacity() > pool_limit) return;
  while (!spares_.empty() &&
         (spares_.size() >= kMaxSpares || spare_bytes_ + storage.capacity() > pool_limit)) {
    DropSpare(0);
  }
  spare_bytes_ += storage.capacity();
  bytes_ += storage.capacity();
  spares_.push_back(std::move(storage));
}

void DeltaBaseCache::DropSpare(size_t i) {
  spare_bytes_ -= spares_[i].capacity();
  bytes_ -= spares_[i].capacity();
  spares_.erase(spares_.begin() + static_cast<ptrdiff_t>(i));
}

ByteBuffer DeltaBaseCache::TakeBuffer(size_t size) {
  // The smallest pooled buffer that holds `size` without wasting more than
  // half of itself.
  size_t best = spares_.size();
  for (size_t i = 0; i < spares_.size(); ++i) {
    const size_t cap = spares_[i].capacity();
    if (cap >= size && cap <= 2 * size + 4096 &&
        (best == spares_.size() || cap < spares_[best].capacity())) {
      best = i;
    }
  }
  if (best == spares_.size()) return ByteBuffer();
  ByteBuffer buffer = std::move(spares_[best]);
  spare_bytes_ -= buffer.capacity();
  bytes_ -= buffer.capacity();
  spares_.erase(spares_.begin() + static_cast<ptrdiff_t>(best));
  return buffer;
}

void DeltaBaseCache::Clear() {
  map_.clear();
  head_ = tail_ = nullptr;
  spares_.clear();
  bytes_ = spare_bytes_ = 0;
}

void DeltaBaseCache::Unlink(Node* n) {
  if (n->prev != nullptr) {
    n->prev->next = n->next;
  } else {
    head_ = n->next;
  }
  if (n->next != nullptr) {
    n->next->prev = n->prev;
  } else {
    tail_ = n->prev;
  }
  n->prev = n->next = nullptr;
}

void DeltaBaseCache::PushFront(Node* n) {
  n->prev = nullptr;
  n->next = head_;
  if (head_ != nullptr) head_->prev = n;
  head_ = n;
  if (tail_ == nullptr) tail_ = n;
}

}  // namespace sei::git::internal
