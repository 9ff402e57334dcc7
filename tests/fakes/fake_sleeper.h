// FakeSleeper: a Sleeper that does not sleep; it records each wait and moves
// a FakeClock forward by it, as if the time had passed.
//
// Why: retry back-off and rate-limit waits (src/net/retrying_client.h) are
// asserted by their lengths, and a test of a one-hour wait runs instantly.
//
// Thread safety: SleepFor and the accessors may be called from any thread;
// the record is guarded by a mutex.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <vector>

#include "common/sleeper.h"
#include "fakes/fake_clock.h"

namespace sei {

class FakeSleeper final : public Sleeper {
 public:
  // `clock` (may be null) is advanced by every wait; it must outlive this.
  explicit FakeSleeper(FakeClock* clock = nullptr) : clock_(clock) {}

  void SleepFor(std::chrono::milliseconds duration) override {
    std::lock_guard<std::mutex> lock(mu_);
    sleeps_.push_back(duration);
    if (clock_ != nullptr && duration.count() > 0) clock_->AdvanceMillis(duration.count());
  }

  std::vector<std::chrono::milliseconds> sleeps() const {
    std::lock_guard<std::mutex> lock(mu_);
    return sleeps_;
  }
  // The sum of every wait so far.
  std::chrono::milliseconds total() const {
    std::lock_guard<std::mutex> lock(mu_);
    std::chrono::milliseconds sum{0};
    for (auto d : sleeps_) sum += d;
    return sum;
  }

 private:
  FakeClock* const clock_;
  mutable std::mutex mu_;
  std::vector<std::chrono::milliseconds> sleeps_;  // guarded by mu_
};

}  // namespace sei
