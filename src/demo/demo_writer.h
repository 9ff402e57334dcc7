// DemoWriter: writes one division's rows (UnitData) into the Store through
// its bulk paths: the git bulk-load path per repository (UpsertRepo,
// WriteCommits, FinishGitSync, which also creates the git accounts and refs),
// then one upsert transaction per table for everything else. Every write is
// keyed by the rows' stable ids, so writing the same division again changes
// nothing (commits already stored are skipped, other rows upserted).
//
// Memory stays bounded: each table's rows are converted and released in
// turn, and the division's data is freed as it is written.
//
// Thread safety: one thread at a time (it drives the Store).
#pragma once

#include <atomic>
#include <functional>

#include "common/status.h"
#include "demo/unit_data.h"
#include "store/store.h"

namespace sei::demo {

class DemoWriter {
 public:
  // `on_commits(n)` is called after each repository with the commits written.
  DemoWriter(Store* store, const std::atomic<bool>* cancel, std::function<void(int64_t)> on_commits)
      : store_(store), cancel_(cancel), on_commits_(std::move(on_commits)) {}

  Status Write(UnitData* data);

 private:
  Status WriteOrg(UnitData* data);
  Status WriteGit(UnitData* data);
  Status WriteRest(UnitData* data);
  Status CheckCancel() const;

  Store* store_;
  const std::atomic<bool>* cancel_;
  std::function<void(int64_t)> on_commits_;
};

}  // namespace sei::demo
