// StorePool: Store objects for request handlers. Opening a store checks its
// schema, which is too slow to do per request; a Store object is used by one
// thread at a time, so handlers borrow one and give it back.
//
// Thread safety: Acquire/Release from any thread.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "common/result.h"
#include "store/store.h"

namespace sei::api {

class StorePool {
 public:
  using Opener = std::function<Result<std::unique_ptr<Store>>()>;
  explicit StorePool(Opener open) : open_(std::move(open)) {}

  // A store that goes back to the pool when the handle is destroyed.
  class Handle {
   public:
    Handle(StorePool* pool, std::unique_ptr<Store> s) : pool_(pool), store_(std::move(s)) {}
    Handle(Handle&&) = default;
    ~Handle() {
      if (store_) pool_->Release(std::move(store_));
    }
    Store& operator*() { return *store_; }
    Store* operator->() { return store_.get(); }

   private:
    StorePool* pool_;
    std::unique_ptr<Store> store_;
  };

  Result<Handle> Acquire();
  const Opener& opener() const { return open_; }

 private:
  void Release(std::unique_ptr<Store> s);
  Opener open_;
  std::mutex mu_;  // guards idle_
  std::vector<std::unique_ptr<Store>> idle_;
};

}  // namespace sei::api
