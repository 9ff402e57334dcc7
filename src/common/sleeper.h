// Sleeper: how code waits for a while (back-off delays, rate-limit resets),
// the companion of Clock (clock.h).
//
// Why: anything that sleeps takes a Sleeper instead of calling
// std::this_thread::sleep_for, so tests hand it a FakeSleeper
// (tests/fakes/fake_sleeper.h) that records each wait and advances a
// FakeClock instead of really sleeping: a one-hour rate-limit wait then takes
// no time and its length can be asserted.
//
// Thread safety: implementations must be safe to call from any number of
// threads at once; RealSleeper is stateless.
#pragma once

#include <chrono>

namespace sei {

class Sleeper {
 public:
  virtual ~Sleeper() = default;

  // Blocks the calling thread for `duration` (nothing when it is <= 0).
  virtual void SleepFor(std::chrono::milliseconds duration) = 0;
};

// Really sleeps (std::this_thread::sleep_for).
class RealSleeper final : public Sleeper {
 public:
  void SleepFor(std::chrono::milliseconds duration) override;

  // A process-wide instance, for wiring in src/app.
  static RealSleeper& Get();
};

}  // namespace sei
