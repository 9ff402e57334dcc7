// Clock: where the current time comes from (Envoy's TimeSource idea).
//
// Why: anything that asks "what time is it" (cursors, retry back-off, rate
// limits, "last 30 days" windows, lease expiry) takes a Clock instead of
// calling std::chrono directly, so tests can pin and advance time with
// FakeClock (tests/fakes/fake_clock.h) and stay deterministic.
//
// Thread safety: implementations must be safe to call from any number of
// threads at once; SystemClock is stateless.
#pragma once

#include <cstdint>

namespace sei {

class Clock {
 public:
  virtual ~Clock() = default;

  // Milliseconds since 1970-01-01T00:00:00Z (wall clock; may step backwards
  // when the system clock is adjusted).
  virtual int64_t NowUnixMillis() const = 0;

  // Whole seconds since the epoch (floor, also before 1970).
  int64_t NowUnixSeconds() const {
    const int64_t ms = NowUnixMillis();
    return ms / 1000 - (ms % 1000 < 0 ? 1 : 0);
  }
};

// The real wall clock (std::chrono::system_clock).
class SystemClock final : public Clock {
 public:
  int64_t NowUnixMillis() const override;

  // A process-wide instance, for wiring in src/app.
  static const SystemClock& Get();
};

}  // namespace sei
