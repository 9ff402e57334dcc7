// RunTablePool: every task once, none before the task it waits for ended,
// the first error stopping the pool; one worker runs them in order.
#include "store/copy/table_pool.h"

#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <thread>

namespace sei::store_copy {
namespace {

struct Log {
  std::mutex mu;
  std::vector<std::string> events;  // "start 3", "end 3"
  void Add(const std::string& e) {
    std::lock_guard<std::mutex> lock(mu);
    events.push_back(e);
  }
  size_t Index(const std::string& e) {
    std::lock_guard<std::mutex> lock(mu);
    for (size_t i = 0; i < events.size(); ++i) {
      if (events[i] == e) return i;
    }
    return events.size();
  }
};

TEST(TablePoolTest, RunsEveryTaskOnceAfterTheTaskItWaitsFor) {
  // 0 <- 1 <- {2, 3}; 4, 5, 6 free (the git tables and the others).
  const std::vector<int> after = {-1, 0, 1, 1, -1, -1, -1};
  Log log;
  std::atomic<bool> stop{false};
  std::atomic<int> ticks{0};
  std::atomic<int> at_once{0}, most{0};
  Status s = RunTablePool(
      after, 3,
      [&](size_t worker, size_t task) {
        EXPECT_LT(worker, 3u);
        log.Add("start " + std::to_string(task));
        const int now = ++at_once;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(task == 0 ? 150 : 40));
        --at_once;
        log.Add("end " + std::to_string(task));
        return Status::Ok();
      },
      [&] { ++ticks; }, &stop);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_FALSE(stop.load());
  EXPECT_EQ(log.events.size(), 2 * after.size());
  for (size_t i = 0; i < after.size(); ++i) {
    const size_t start = log.Index("start " + std::to_string(i));
    ASSERT_LT(start, log.events.size()) << i << " never ran";
    if (after[i] >= 0) {
      EXPECT_GT(start, log.Index("end " + std::to_string(after[i]))) << i;
    }
  }
  EXPECT_GT(most.load(), 1) << "the free tasks ran beside the chain";
  EXPECT_LE(most.load(), 3);
  EXPECT_GT(ticks.load(), 0);
}

TEST(TablePoolTest, TheFirstErrorStopsThePool) {
  const std::vector<int> after = {-1, 0, 1, -1, -1, -1, -1, -1};
  Log log;
  std::atomic<bool> stop{false};
  Status s = RunTablePool(
      after, 2,
      [&](size_t, size_t task) -> Status {
        log.Add("start " + std::to_string(task));
        if (task == 0) {
          std::this_thread::sleep_for(std::chrono::milliseconds(30));
          return UnavailableError("server went away");
        }
        // A running task sees the stop flag between its batches.
        for (int i = 0; i < 50 && !stop.load(); ++i) {
          std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return stop.load() ? CancelledError("stopped") : Status::Ok();
      },
      [] {}, &stop);
  EXPECT_EQ(s.code(), StatusCode::kUnavailable) << s.ToString();
  EXPECT_TRUE(stop.load());
  EXPECT_EQ(log.Index("start 1"), log.events.size()) << "waited for the task that failed";
  EXPECT_EQ(log.Index("start 2"), log.events.size());
  EXPECT_LT(log.events.size(), after.size()) << "no new task after the error";
}

TEST(TablePoolTest, OneWorkerRunsTheTasksInOrderOnTheCallingThread) {
  std::vector<size_t> order;
  std::atomic<bool> stop{false};
  const std::thread::id caller = std::this_thread::get_id();
  Status s = RunTablePool(
      {-1, 0, -1, 1}, 1,
      [&](size_t worker, size_t task) {
        EXPECT_EQ(worker, 0u);
        EXPECT_EQ(std::this_thread::get_id(), caller);
        order.push_back(task);
        return task == 2 ? InternalError("third") : Status::Ok();
      },
      [] {}, &stop);
  EXPECT_EQ(s.code(), StatusCode::kInternal);
  EXPECT_EQ(order, (std::vector<size_t>{0, 1, 2}));
  EXPECT_TRUE(stop.load());
}

}  // namespace
}  // namespace sei::store_copy
