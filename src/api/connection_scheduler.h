// When each connection is collected next, and the thread of `sei serve`
// that collects it then.
//
// A connection is scheduled when its source syncs on an interval (GitHub:
// the config's interval_seconds; 0 means only when asked). When it runs
// next follows from its last collection run alone, so `sei serve`, the API
// and `sei status` (which reads the store, with no server) agree:
//   no run yet            now
//   complete              started_at + interval
//   failed                finished_at + min(interval, kRetrySeconds)
//   interrupted           finished_at (a stopped server's sync resumes at once)
//   running               while a job of it is queued or running (in any
//                         process on the database): nothing to schedule;
//                         a row left running otherwise: started_at + interval
// The scheduler enqueues due connections through the CollectionRunner, so a
// scheduled sync and a triggered one never overlap (one job per connection
// at a time, whichever process enqueued it), and every `sei serve` and
// `sei worker` on one database may run a scheduler.
//
// Thread safety: ScheduleOf is a pure function of the store's rows;
// ConnectionScheduler's Start and Stop from one thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "api/collection_runner.h"
#include "common/clock.h"
#include "model/meta.h"
#include "model/org.h"
#include "store/store.h"

namespace sei::api {

inline constexpr int64_t kRetrySeconds = 300;

struct ConnectionSchedule {
  std::optional<int64_t> interval_seconds;  // none: collected only when asked
  std::string why_unscheduled;              // when there is no interval
  std::optional<model::CollectionRun> last_run;
  std::optional<int64_t> next_run_at;  // none: unscheduled, or running here
  bool running = false;                // the last run is still running
};

// The interval a connection is collected on, or the reason it has none.
std::optional<int64_t> ScheduledInterval(const model::Connection& c, std::string* why);

// The connection's schedule from its last run; `busy`: a job collecting it
// is queued or running (CollectionRunner::Busy).
Result<ConnectionSchedule> ScheduleOf(Store& store, const model::Connection& c, int64_t now,
                                      bool busy);

// {"interval_seconds", "next_run_at", "running", "last_run": {...} | null}
nlohmann::json ScheduleJson(const ConnectionSchedule& s);

class ConnectionScheduler {
 public:
  // `log`: where starts and refusals are written (nullptr: nowhere).
  ConnectionScheduler(StoreOpener open, CollectionRunner* runner, const Clock& clock,
                      std::chrono::milliseconds tick, FILE* log)
      : open_(std::move(open)), runner_(runner), clock_(clock), tick_(tick), log_(log) {}
  ~ConnectionScheduler() { Stop(); }

  void Start();
  void Stop();
  // One pass: starts every due connection; the number started.
  Result<int> RunDue();

 private:
  void Loop();

  StoreOpener open_;
  CollectionRunner* runner_;
  const Clock& clock_;
  std::chrono::milliseconds tick_;
  FILE* log_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace sei::api
