// FakeClock: a Clock that tests set and advance by hand.
//
// Why: code under test takes a `const Clock&` (src/common/clock.h); a test
// hands it a FakeClock to make "now" fixed and step it past deadlines,
// back-off delays or window edges without sleeping.
//
// Thread safety: every method may be called from any thread at any time; the
// time is one std::atomic, so a reader sees either the old or the new value.
#pragma once

#include <atomic>
#include <cstdint>

#include "common/clock.h"

namespace sei {

class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t start_unix_millis = 0) : now_millis_(start_unix_millis) {}

  int64_t NowUnixMillis() const override { return now_millis_.load(); }

  void SetUnixMillis(int64_t unix_millis) { now_millis_.store(unix_millis); }
  void SetUnixSeconds(int64_t unix_seconds) { now_millis_.store(unix_seconds * 1000); }

  // Moves time by `delta` (negative moves it back, as a real wall clock can);
  // returns the new time.
  int64_t AdvanceMillis(int64_t delta) { return now_millis_.fetch_add(delta) + delta; }
  int64_t AdvanceSeconds(int64_t delta) { return AdvanceMillis(delta * 1000); }

 private:
  std::atomic<int64_t> now_millis_;
};

}  // namespace sei
