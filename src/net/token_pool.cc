#include "net/token_pool.h"

#include <algorithm>

#include "common/strings.h"
#include "common/time.h"

namespace sei::net {

TokenPool::TokenPool(std::vector<std::string> tokens, std::string scheme)
    : anonymous_(tokens.empty()) {
  if (anonymous_) {
    slots_.push_back(Slot{});
    return;
  }
  for (std::string& t : tokens) {
    slots_.push_back(Slot{scheme.empty() ? std::move(t) : scheme + " " + std::move(t)});
  }
}

TokenPool::Choice TokenPool::Acquire(int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  Choice c;
  c.available_at_ms = kNever;
  size_t best = slots_.size();
  int64_t best_remaining = -1;
  for (size_t i = 0; i < slots_.size(); ++i) {
    const Slot& s = slots_[i];
    if (s.disabled) continue;
    const int64_t at = s.quota.AvailableAtMillis();
    if (at > now_ms) {
      c.available_at_ms = std::min(c.available_at_ms, at);
      continue;
    }
    const int64_t remaining = s.quota.Remaining(now_ms);
    if (remaining > best_remaining) {
      best = i;
      best_remaining = remaining;
    }
  }
  if (best == slots_.size()) return c;
  slots_[best].quota.Spend();
  c.ready = true;
  c.slot = best;
  c.authorization = slots_[best].authorization;
  c.available_at_ms = now_ms;
  return c;
}

void TokenPool::Update(size_t slot, const HttpResponse& response, int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  if (slot < slots_.size()) slots_[slot].quota.Update(response, now_ms);
}

void TokenPool::Disable(size_t slot) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!anonymous_ && slot < slots_.size()) slots_[slot].disabled = true;
}

size_t TokenPool::usable() const {
  std::lock_guard<std::mutex> lock(mu_);
  return static_cast<size_t>(
      std::count_if(slots_.begin(), slots_.end(), [](const Slot& s) { return !s.disabled; }));
}

std::string TokenPool::Name(size_t slot) const {
  if (anonymous_) return "anonymous";
  return "token " + std::to_string(slot + 1) + " of " + std::to_string(slots_.size());
}

std::string TokenPool::Describe(int64_t now_ms) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::string out;
  for (size_t i = 0; i < slots_.size(); ++i) {
    const Slot& s = slots_[i];
    if (!out.empty()) out += "; ";
    out += Name(i) + ": ";
    if (s.disabled) {
      out += "disabled (refused by the source)";
      continue;
    }
    const int64_t remaining = s.quota.Remaining(now_ms);
    out += remaining == Quota::kUnknown ? "quota unknown" : std::to_string(remaining) + " left";
    if (s.quota.reset_ms() && *s.quota.reset_ms() > now_ms) {
      out += ", resets " + FormatRfc3339Utc(*s.quota.reset_ms() / 1000);
    }
    if (s.quota.AvailableAtMillis() > now_ms) {
      out += ", blocked for " +
             HumanDuration(static_cast<double>(s.quota.AvailableAtMillis() - now_ms) / 1000.0);
    }
  }
  return out;
}

}  // namespace sei::net
