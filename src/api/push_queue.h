// PushQueue: group commit for the push API and webhooks. Request threads
// hand in validated items and wait; one writer thread takes everything that
// queued up while the previous transaction ran (up to max_batch) and stores
// it in ONE transaction, then answers every waiting request. Durable writes
// cost one commit per batch instead of one per request, which is how the
// push endpoint keeps up with many concurrent pushers.
//
// A batch that fails as a whole is retried item by item, so one row the
// store refuses fails only its own request. Each request is answered only
// after its transaction committed.
//
// Thread safety: Submit() from any thread; Stop() once.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "collectors/push/push_writer.h"
#include "common/clock.h"
#include "common/status.h"
#include "store/store.h"

namespace sei::api {

class PushQueue {
 public:
  // `store` is the writer thread's own Store; `on_commit` runs after each
  // committed batch (the metrics cache and live updates hear of it there).
  PushQueue(std::unique_ptr<Store> store, const Clock& clock, size_t max_batch,
            std::function<void(size_t)> on_commit);
  ~PushQueue();

  // Called on the writer thread once the job committed (or failed); it
  // must not block (the HTTP server's deferred replies only post).
  using Done = std::function<void(Status)>;
  // Stores `item` and calls `done` after its commit; a queue that stopped
  // calls it at once with Unavailable.
  void Submit(collectors::push::PushItem item, Done done);
  // The same, waiting for the commit.
  Status Submit(collectors::push::PushItem item);
  // Runs `fn` on the writer thread with the writer and its store (deletes,
  // resolves, webhook deliveries), ordered with the pushes.
  using WriterFn = std::function<Status(collectors::push::PushWriter&, Store&)>;
  void Post(WriterFn fn, Done done);
  Status Run(WriterFn fn);

  size_t depth() const;
  void Stop();

 private:
  struct Job {
    std::optional<collectors::push::PushItem> item;
    WriterFn fn;
    Done done;
  };
  void Enqueue(std::unique_ptr<Job> job);
  void Loop();
  void ApplyBatch(std::vector<std::unique_ptr<Job>>& batch);

  std::unique_ptr<Store> store_;
  collectors::push::PushWriter writer_;
  size_t max_batch_;
  std::function<void(size_t)> on_commit_;

  mutable std::mutex mu_;  // guards queue_, stop_
  std::condition_variable cv_;
  std::deque<std::unique_ptr<Job>> queue_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace sei::api
