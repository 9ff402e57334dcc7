#include "common/sleeper.h"

#include <thread>

namespace sei {

void RealSleeper::SleepFor(std::chrono::milliseconds duration) {
  if (duration.count() > 0) std::this_thread::sleep_for(duration);
}

RealSleeper& RealSleeper::Get() {
  static RealSleeper sleeper;
  return sleeper;
}

}  // namespace sei
