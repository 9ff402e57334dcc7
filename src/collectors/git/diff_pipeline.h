// DiffPipeline: diffs walked commits on N worker threads and hands the
// results to one writer in the original (parents-first) order.
//
// Work is split into chunks of consecutive commits, so both threads read the
// same region of history and their caches stay warm. Workers stay at most a
// bounded number of chunks ahead of the writer, which bounds memory. The
// writer (the calling thread) stores a transaction every `batch_commits`
// commits: whatever is stored is a complete, parents-first prefix, so a kill
// at any moment leaves a consistent database to resume from.
//
// Thread safety: Run() is called once, from one thread; it starts and joins
// its workers before returning.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "collectors/git/commit_differ.h"
#include "collectors/git/commit_walker.h"
#include "common/progress.h"
#include "common/status.h"
#include "git/object_db.h"
#include "store/store.h"

namespace sei::collectors {

struct PipelineOptions {
  int jobs = 1;
  int chunk_commits = 64;
  int64_t batch_commits = 2000;
  const std::atomic<bool>* cancel = nullptr;
  Progress* progress = nullptr;
};

struct PipelineStats {
  int64_t commits_written = 0;
  int64_t files_written = 0;
};

class DiffPipeline {
 public:
  // `write` stores one batch (one transaction).
  using WriteFn = std::function<Status(const std::vector<CommitRecord>&)>;

  DiffPipeline(const git::ObjectDb& db, DifferOptions differ_options, PipelineOptions options);

  // Diffs and writes every commit of `commits`. On an error or a cancel, what
  // was written stays written (a consistent prefix) and the Status says why
  // it stopped.
  Status Run(const std::vector<WalkedCommit>& commits, const WriteFn& write, PipelineStats* stats);

 private:
  const git::ObjectDb& db_;
  DifferOptions differ_options_;
  PipelineOptions options_;
};

}  // namespace sei::collectors
