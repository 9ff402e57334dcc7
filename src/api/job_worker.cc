#include "api/job_worker.h"

#include <unistd.h>

#include <cstdarg>
#include <nlohmann/json.hpp>

namespace sei::api {

namespace {

// A JSON array of strings or of integers, as model::Job holds them.
template <class T>
Result<std::vector<T>> JsonArray(const std::string& text, const char* what, int64_t job) {
  auto parsed = nlohmann::json::parse(text, nullptr, false);
  std::vector<T> out;
  if (parsed.is_array()) {
    for (const auto& item : parsed) {
      if constexpr (std::is_same_v<T, std::string>) {
        if (!item.is_string()) break;
      } else {
        if (!item.is_number_integer()) break;
      }
      out.push_back(item.get<T>());
    }
    if (out.size() == parsed.size()) return out;
  }
  return InvalidArgumentError("job " + std::to_string(job) + " has malformed " + what + ": " +
                              text.substr(0, 200));
}

// Ends those of `runs` still "running" with `status` and `error`.
Status EndRunning(Store& store, const std::vector<int64_t>& runs, const std::string& status,
                  const std::string& error, int64_t now) {
  for (int64_t run : runs) {
    auto r = FindOne<model::CollectionRun>(store, "id", run);
    if (r.ok() && *r && (*r)->status == "running") {
      SEI_RETURN_IF_ERROR(store.FinishRun(run, status, 0, error, now));
    }
  }
  return Status::Ok();
}

}  // namespace

std::string DefaultWorkerName() {
  char host[256] = {};
  if (gethostname(host, sizeof(host) - 1) != 0 || host[0] == '\0') std::snprintf(host, 8, "host");
  return std::string(host) + ":" + std::to_string(getpid());
}

JobWorker::JobWorker(StoreOpener open, RepoCollector* collector, const Clock& clock,
                     JobWorkerOptions options)
    : open_(std::move(open)), collector_(collector), clock_(clock), options_(std::move(options)) {
  if (options_.name.empty()) options_.name = DefaultWorkerName();
  if (options_.threads < 1) options_.threads = 1;
}

JobWorker::~JobWorker() { Stop(); }

void JobWorker::Log(const char* fmt, ...) const {
  if (options_.log == nullptr) return;
  std::va_list args;
  va_start(args, fmt);
  std::vfprintf(options_.log, fmt, args);
  va_end(args);
  std::fputc('\n', options_.log);
  std::fflush(options_.log);
}

void JobWorker::Start() {
  stopping_ = false;
  for (int i = 0; i < options_.threads; ++i) threads_.emplace_back([this, i] { Loop(i); });
  heartbeat_ = std::thread([this] { Heartbeats(); });
}

void JobWorker::Wake() {
  std::lock_guard<std::mutex> l(mu_);
  ++wake_;
  cv_.notify_all();
}

void JobWorker::Stop() {
  {
    std::lock_guard<std::mutex> l(mu_);
    stopping_ = true;
    for (auto& [id, held] : held_) held->cancel = true;
    cv_.notify_all();
  }
  for (std::thread& t : threads_) t.join();
  threads_.clear();
  if (heartbeat_.joinable()) heartbeat_.join();
}

void JobWorker::Loop(int index) {
  const std::string name = options_.name + ":" + std::to_string(index);
  std::unique_ptr<Store> store;
  while (!stopping_) {
    int64_t seen = 0;
    {
      std::lock_guard<std::mutex> l(mu_);
      seen = wake_;
    }
    bool ran = false;
    if (!store) {
      auto opened = open_();
      if (opened.ok()) {
        store = std::move(*opened);
      } else {
        Log("sei worker: cannot open the store: %s", opened.status().message().c_str());
      }
    }
    if (store) {
      Result<bool> r = RunOnce(*store, name);
      if (r.ok()) {
        ran = *r;
      } else {
        Log("sei worker: %s", r.status().message().c_str());
        store.reset();  // a fresh connection next time
      }
    }
    if (ran) continue;  // there may be more
    std::unique_lock<std::mutex> l(mu_);
    cv_.wait_for(l, options_.poll, [&] { return stopping_ || wake_ != seen; });
  }
}

void JobWorker::Heartbeats() {
  std::unique_ptr<Store> store;
  const auto every = std::max(options_.lease / 3, std::chrono::milliseconds(50));
  for (;;) {
    std::vector<std::pair<int64_t, std::shared_ptr<Held>>> held;
    {
      std::unique_lock<std::mutex> l(mu_);
      if (cv_.wait_for(l, every, [this] { return stopping_.load(); })) return;
      held.assign(held_.begin(), held_.end());
    }
    if (held.empty()) continue;
    if (!store) {
      auto opened = open_();
      if (!opened.ok()) {
        Log("sei worker: heartbeat: cannot open the store: %s", opened.status().message().c_str());
        continue;
      }
      store = std::move(*opened);
    }
    const int64_t until = clock_.NowUnixMillis() + options_.lease.count();
    for (auto& [id, h] : held) {
      Status s = store->RenewJobLease(id, h->worker, until);
      if (s.code() == StatusCode::kFailedPrecondition) {
        Log("sei worker: %s: stopping it", s.message().c_str());
        h->lost = true;
        h->cancel = true;
      } else if (!s.ok()) {
        Log("sei worker: heartbeat of job %lld: %s", static_cast<long long>(id),
            s.message().c_str());
        store.reset();
        break;
      }
    }
  }
}

Result<bool> JobWorker::RunOnce(Store& store, const std::string& thread_name) {
  SEI_ASSIGN_OR_RETURN(std::optional<model::Job> claimed,
                       store.ClaimJob(thread_name, clock_.NowUnixMillis(), options_.lease.count()));
  if (!claimed) return false;
  const model::Job& job = *claimed;
  auto held = std::make_shared<Held>();
  held->worker = thread_name;
  {
    std::lock_guard<std::mutex> l(mu_);
    if (stopping_) held->cancel = true;
    held_[job.id] = held;
  }
  Log("sei worker: %s took job %lld (%s, attempt %lld)", thread_name.c_str(),
      static_cast<long long>(job.id), job.dedupe_key.c_str(), static_cast<long long>(job.attempts));
  Status s = RunJob(store, job, *held);
  {
    std::lock_guard<std::mutex> l(mu_);
    held_.erase(job.id);
  }
  if (s.code() == StatusCode::kFailedPrecondition) {
    Log("sei worker: %s", s.message().c_str());
    return true;  // lost the lease: the job is another worker's now
  }
  SEI_RETURN_IF_ERROR(s);
  ++jobs_finished_;
  if (options_.on_finished) options_.on_finished(job);
  return true;
}

Status JobWorker::RunJob(Store& store, const model::Job& job, Held& held) {
  const int64_t now = clock_.NowUnixSeconds();
  auto locations = JsonArray<std::string>(job.locations, "locations", job.id);
  auto run_ids = JsonArray<int64_t>(job.run_ids, "run_ids", job.id);
  Status bad = !locations.ok() ? locations.status() : run_ids.status();
  if (bad.ok() && locations->size() != run_ids->size()) {
    bad = InvalidArgumentError("job " + std::to_string(job.id) + " has " +
                               std::to_string(locations->size()) + " locations and " +
                               std::to_string(run_ids->size()) + " runs");
  }
  if (bad.ok() && ((job.kind != "collect" && job.kind != "reconvert") || collector_ == nullptr ||
                   !collector_->Collects(job.connection_id))) {
    bad = InvalidArgumentError("this worker cannot run job " + std::to_string(job.id) + " (" +
                               job.kind + " of " + job.connection_id + ")");
  }
  if (bad.ok() && job.attempts > options_.max_attempts) {
    bad = UnavailableError("job " + std::to_string(job.id) + " was claimed " +
                           std::to_string(job.attempts) +
                           " times: its workers kept stopping "
                           "before it ended; given up");
  }
  if (!bad.ok()) {
    if (run_ids.ok()) {
      SEI_RETURN_IF_ERROR(EndRunning(store, *run_ids, "failed", bad.message(), now));
    }
    Log("sei worker: job %lld failed: %s", static_cast<long long>(job.id), bad.message().c_str());
    return store.FinishJob(job.id, held.worker, "failed", bad.message(), now);
  }
  std::optional<std::string> first_error;
  for (size_t i = 0; i < locations->size(); ++i) {
    if (held.cancel) break;
    const int64_t run = (*run_ids)[i];
    // A run an earlier attempt finished is not collected again.
    SEI_ASSIGN_OR_RETURN(auto stored, FindOne<model::CollectionRun>(store, "id", run));
    if (!stored || stored->status != "running") continue;
    Status s = collector_->Collect(store, {job.connection_id, (*locations)[i], run,
                                           job.full_sync != 0, &held.cancel, job.kind});
    if (!s.ok() && !first_error) first_error = s.message();
    if (!s.ok()) {
      Log("sei worker: collection run %lld (%s) did not complete: %s", static_cast<long long>(run),
          (*locations)[i].c_str(), s.message().c_str());
    }
  }
  if (held.lost) {
    // Its runs are the new holder's: leave them alone.
    return FailedPreconditionError("job " + std::to_string(job.id) + " went to another worker (" +
                                   held.worker + "'s lease ran out); stopped working on it");
  }
  std::string state = first_error ? "failed" : "done";
  if (held.cancel) {
    // Stopped (shutdown): the runs not finished end interrupted with the
    // job.
    state = "interrupted";
    EndRunning(store, *run_ids, "interrupted", "the worker stopped", now).IgnoreError();
  }
  SEI_RETURN_IF_ERROR(
      store.FinishJob(job.id, held.worker, state, first_error, clock_.NowUnixSeconds()));
  Log("sei worker: job %lld %s", static_cast<long long>(job.id), state.c_str());
  return Status::Ok();
}

}  // namespace sei::api
