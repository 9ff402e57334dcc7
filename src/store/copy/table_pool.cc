#include "store/copy/table_pool.h"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

namespace sei::store_copy {

namespace {

enum class TaskState { kWaiting, kRunning, kDone };

// The pool's shared state; every member is guarded by mu.
struct Pool {
  std::mutex mu;
  std::condition_variable changed;
  std::vector<TaskState> state;
  size_t done = 0;
  size_t running = 0;
  Status first_error = Status::Ok();

  // The first waiting task whose predecessor is done.
  std::optional<size_t> Next(const std::vector<int>& after) const {
    for (size_t i = 0; i < state.size(); ++i) {
      if (state[i] != TaskState::kWaiting) continue;
      if (after[i] < 0 || state[static_cast<size_t>(after[i])] == TaskState::kDone) return i;
    }
    return std::nullopt;
  }
};

}  // namespace

Status RunTablePool(const std::vector<int>& after, size_t workers,
                    const std::function<Status(size_t worker, size_t task)>& run,
                    const std::function<void()>& tick, std::atomic<bool>* stop) {
  if (workers <= 1) {
    for (size_t i = 0; i < after.size(); ++i) {
      Status s = run(0, i);
      if (!s.ok()) {
        stop->store(true);
        return s;
      }
    }
    return Status::Ok();
  }
  Pool pool;
  pool.state.assign(after.size(), TaskState::kWaiting);
  auto work = [&](size_t worker) {
    std::unique_lock<std::mutex> lock(pool.mu);
    while (true) {
      if (!pool.first_error.ok() || pool.done + pool.running == after.size()) break;
      std::optional<size_t> task = pool.Next(after);
      if (!task) {
        pool.changed.wait(lock);
        continue;
      }
      pool.state[*task] = TaskState::kRunning;
      ++pool.running;
      lock.unlock();
      Status s = run(worker, *task);
      lock.lock();
      pool.state[*task] = TaskState::kDone;
      --pool.running;
      ++pool.done;
      if (!s.ok() && pool.first_error.ok()) {
        pool.first_error = s;
        stop->store(true);
      }
      pool.changed.notify_all();
    }
    pool.changed.notify_all();
  };
  std::vector<std::thread> threads;
  for (size_t w = 0; w < workers; ++w) threads.emplace_back(work, w);
  {
    std::unique_lock<std::mutex> lock(pool.mu);
    while (pool.running > 0 || (pool.first_error.ok() && pool.done < after.size())) {
      pool.changed.wait_for(lock, std::chrono::milliseconds(100));
      lock.unlock();
      tick();
      lock.lock();
    }
  }
  for (std::thread& t : threads) t.join();
  return pool.first_error;
}

}  // namespace sei::store_copy
