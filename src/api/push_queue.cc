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

void PushQueue::Enqueue(std::unique_ptr<Job> job) {
  {
    std::lock_guard<std::mutex> l(mu_);
    if (!stop_) {
      queue_.push_back(std::move(job));
      job = nullptr;
    }
  }
  if (job) return job->done(UnavailableError("the server is shutting down; try again"));
  cv_.notify_one();
}

void PushQueue::Submit(collectors::push::PushItem item, Done done) {
  auto job = std::make_unique<Job>();
  job->item = std::move(item);
  job->done = std::move(done);
  Enqueue(std::move(job));
}

void PushQueue::Post(WriterFn fn, Done done) {
  auto job = std::make_unique<Job>();
  job->fn = std::move(fn);
  job->done = std::move(done);
  Enqueue(std::move(job));
}

namespace {

// Waits for a job's Done.
struct Waiter {
  std::promise<Status> p;
  PushQueue::Done done() {
    return [this](Status s) { p.set_value(std::move(s)); };
  }
};

}  // namespace

Status PushQueue::Submit(collectors::push::PushItem item) {
  Waiter w;
  auto f = w.p.get_future();
  Submit(std::move(item), w.done());
  return f.get();
}

Status PushQueue::Run(WriterFn fn) {
  Waiter w;
  auto f = w.p.get_future();
  Post(std::move(fn), w.done());
  return f.get();
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
    batch[0]->done(s);
    return;
  }
  std::vector<collectors::push::PushItem> items;
  items.reserve(batch.size());
  for (auto& j : batch) items.push_back(*j->item);
  Status s = writer_.Apply(items);
  if (s.ok() || batch.size() == 1) {
    if (s.ok() && on_commit_) on_commit_(batch.size());
    for (auto& j : batch) j->done(s);
    return;
  }
  // One item spoiled the batch: store the others one by one.
  size_t stored = 0;
  for (auto& j : batch) {
    Status one = writer_.Apply({*j->item});
    stored += one.ok();
    j->done(one);
  }
  if (stored > 0 && on_commit_) on_commit_(stored);
}

}  // namespace sei::api
