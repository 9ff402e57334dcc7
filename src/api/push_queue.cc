#include "api/push_queue.h"

namespace sei::api {

PushQueue::PushQueue(std::unique_ptr<Store> store, const Clock& clock, size_t max_batch,
                     std::function<void(size_t)> on_commit)
    : store_(std::move(store)),
      writer_(*store_, clock),
      max_batch_(max_batch),
      on_commit_(std::move(on_commit)) {
  thread_ = std::thread([this] { Loop(); });
}

PushQueue::~PushQueue() { Stop(); }

void PushQueue::Stop() {
  {
    std::lock_guard<std::mutex> l(mu_);
    if (stop_) return;
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

size_t PushQueue::depth() const {
  std::lock_guard<std::mutex> l(mu_);
  return queue_.size();
}

Status PushQueue::Submit(collectors::push::PushItem item) {
  auto job = std::make_unique<Job>();
  job->item = std::move(item);
  auto done = job->done.get_future();
  {
    std::lock_guard<std::mutex> l(mu_);
    if (stop_) return UnavailableError("the server is shutting down; push again");
    queue_.push_back(std::move(job));
  }
  cv_.notify_one();
  return done.get();
}

Status PushQueue::Run(WriterFn fn) {
  auto job = std::make_unique<Job>();
  job->fn = std::move(fn);
  auto done = job->done.get_future();
  {
    std::lock_guard<std::mutex> l(mu_);
    if (stop_) return UnavailableError("the server is shutting down; try again");
    queue_.push_back(std::move(job));
  }
  cv_.notify_one();
  return done.get();
}

void PushQueue::Loop() {
  while (true) {
    std::vector<std::unique_ptr<Job>> batch;
    {
      std::unique_lock<std::mutex> l(mu_);
      cv_.wait(l, [this] { return stop_ || !queue_.empty(); });
      // On stop, what was accepted is still written before the thread ends.
      if (queue_.empty()) return;
      while (!queue_.empty() && batch.size() < max_batch_) {
        // A job with a function runs alone, in order.
        if (queue_.front()->fn && !batch.empty()) break;
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
        if (batch.back()->fn) break;
      }
    }
    ApplyBatch(batch);
  }
}

void PushQueue::ApplyBatch(std::vector<std::unique_ptr<Job>>& batch) {
  if (batch.size() == 1 && batch[0]->fn) {
    Status s = batch[0]->fn(writer_, *store_);
    if (s.ok() && on_commit_) on_commit_(1);
    batch[0]->done.set_value(s);
    return;
  }
  std::vector<collectors::push::PushItem> items;
  items.reserve(batch.size());
  for (auto& j : batch) items.push_back(*j->item);
  Status s = writer_.Apply(items);
  if (s.ok() || batch.size() == 1) {
    if (s.ok() && on_commit_) on_commit_(batch.size());
    for (auto& j : batch) j->done.set_value(s);
    return;
  }
  // One item spoiled the batch: store the others one by one.
  size_t stored = 0;
  for (auto& j : batch) {
    Status one = writer_.Apply({*j->item});
    stored += one.ok();
    j->done.set_value(one);
  }
  if (stored > 0 && on_commit_) on_commit_(stored);
}

}  // namespace sei::api
