#include "api/store_pool.h"

namespace sei::api {

Result<StorePool::Handle> StorePool::Acquire() {
  {
    std::lock_guard<std::mutex> l(mu_);
    if (!idle_.empty()) {
      auto s = std::move(idle_.back());
      idle_.pop_back();
      return Handle(this, std::move(s));
    }
  }
  SEI_ASSIGN_OR_RETURN(std::unique_ptr<Store> s, open_());
  return Handle(this, std::move(s));
}

void StorePool::Release(std::unique_ptr<Store> s) {
  std::lock_guard<std::mutex> l(mu_);
  if (idle_.size() < 16) idle_.push_back(std::move(s));
}

}  // namespace sei::api
