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

const DeltaBaseCache::Entry* DeltaBaseCache::Put(const Key& key, std::string data,
                                                 ObjectType type) {
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
    if (spare_.capacity() > 0) {
      bytes_ -= spare_.capacity();
      std::string().swap(spare_);
    } else if (tail_ != n) {
      EvictOne();
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
  // Keep the victim's storage for the next value when it fits the budget.
  std::string storage = std::move(victim->entry.data);
  map_.erase(victim->key);
  if (bytes_ + storage.capacity() <= budget_bytes_ && storage.capacity() > spare_.capacity()) {
    bytes_ -= spare_.capacity();
    spare_ = std::move(storage);
    bytes_ += spare_.capacity();
  }
}

std::string DeltaBaseCache::TakeBuffer() {
  bytes_ -= spare_.capacity();
  std::string buffer = std::move(spare_);
  spare_ = std::string();
  buffer.clear();
  return buffer;
}

void DeltaBaseCache::Clear() {
  map_.clear();
  head_ = tail_ = nullptr;
  std::string().swap(spare_);
  bytes_ = 0;
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
