#include "collectors/git/diff_pipeline.h"

#include <fmt/format.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

namespace sei::collectors {

namespace {

struct Chunk {
  bool done = false;
  Status status;
  std::vector<CommitRecord> records;
};

// State shared by the workers and the writer, guarded by `mu`.
struct Shared {
  std::mutex mu;
  std::condition_variable changed;
  size_t next = 0;      // next chunk a worker may claim
  size_t consumed = 0;  // chunks the writer has taken
  bool stop = false;
  std::vector<Chunk> chunks;
};

bool Cancelled(const std::atomic<bool>* cancel) {
  return cancel != nullptr && cancel->load(std::memory_order_relaxed);
}

void Work(const git::ObjectDb& db, const DifferOptions& differ_options, const PipelineOptions& o,
          const std::vector<WalkedCommit>& commits, size_t window, Shared* sh) {
  CommitDiffer differ(db, differ_options);
  size_t chunk_size = static_cast<size_t>(o.chunk_commits);
  while (true) {
    size_t k;
    {
      std::unique_lock<std::mutex> lock(sh->mu);
      sh->changed.wait(lock, [&] {
        return sh->stop || sh->next >= sh->chunks.size() || sh->next < sh->consumed + window;
      });
      if (sh->stop || sh->next >= sh->chunks.size()) return;
      k = sh->next++;
    }
    Chunk result;
    size_t begin = k * chunk_size, end = std::min(commits.size(), begin + chunk_size);
    result.records.resize(end - begin);
    for (size_t i = begin; i < end && result.status.ok(); ++i) {
      if (Cancelled(o.cancel)) {
        result.status = CancelledError("interrupted");
        break;
      }
      result.status = differ.Process(commits[i], &result.records[i - begin]);
    }
    std::lock_guard<std::mutex> lock(sh->mu);
    result.done = true;
    sh->chunks[k] = std::move(result);
    sh->changed.notify_all();
  }
}

}  // namespace

DiffPipeline::DiffPipeline(const git::ObjectDb& db, DifferOptions differ_options,
                           PipelineOptions options)
    : db_(db), differ_options_(std::move(differ_options)), options_(options) {}

Status DiffPipeline::Run(const std::vector<WalkedCommit>& commits, const WriteFn& write,
                         PipelineStats* stats) {
  Shared sh;
  size_t chunk_size = static_cast<size_t>(std::max(1, options_.chunk_commits));
  options_.chunk_commits = static_cast<int>(chunk_size);
  sh.chunks.resize((commits.size() + chunk_size - 1) / chunk_size);
  int jobs = std::max(1, options_.jobs);
  size_t window = static_cast<size_t>(jobs) * 4;
  std::vector<std::thread> workers;
  for (int i = 0; i < jobs; ++i) {
    workers.emplace_back(Work, std::cref(db_), std::cref(differ_options_), std::cref(options_),
                         std::cref(commits), window, &sh);
  }
  if (options_.progress != nullptr) {
    options_.progress->Begin("commits", static_cast<int64_t>(commits.size()));
  }
  std::vector<CommitRecord> batch;
  auto flush = [&]() -> Status {
    if (batch.empty()) return Status::Ok();
    SEI_RETURN_IF_ERROR(write(batch));
    stats->commits_written += static_cast<int64_t>(batch.size());
    for (const CommitRecord& r : batch)
      stats->files_written += static_cast<int64_t>(r.files.size());
    batch.clear();
    return Status::Ok();
  };
  Status status;
  for (size_t k = 0; k < sh.chunks.size() && status.ok(); ++k) {
    Chunk chunk;
    {
      std::unique_lock<std::mutex> lock(sh.mu);
      sh.changed.wait(lock, [&] { return sh.chunks[k].done; });
      chunk = std::move(sh.chunks[k]);
      sh.consumed = k + 1;
      sh.changed.notify_all();
    }
    if (!chunk.status.ok()) {
      status = chunk.status;
      break;
    }
    for (CommitRecord& r : chunk.records) batch.push_back(std::move(r));
    if (static_cast<int64_t>(batch.size()) >= options_.batch_commits) status = flush();
    if (options_.progress != nullptr) {
      options_.progress->Update(stats->commits_written + static_cast<int64_t>(batch.size()));
    }
    if (status.ok() && Cancelled(options_.cancel)) status = CancelledError("interrupted");
  }
  {
    std::lock_guard<std::mutex> lock(sh.mu);
    sh.stop = true;
    sh.changed.notify_all();
  }
  for (std::thread& t : workers) t.join();
  // Whatever completed in order is consistent: keep it even when stopping.
  Status flushed = flush();
  if (options_.progress != nullptr) options_.progress->End();
  if (!status.ok()) return status;
  return flushed;
}

}  // namespace sei::collectors
