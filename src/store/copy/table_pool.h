// RunTablePool: runs one task per table on several threads (StoreCopier's
// --jobs), a table starting only once the table it hangs off is done
// (commits after repos, their parents and files after commits).
//
// Thread safety: `run` is called from the pool's threads, at most one task
// per worker at a time (worker w owns its own Stores); `tick` from the
// calling thread only.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <vector>

#include "common/status.h"

namespace sei::store_copy {

// Runs run(worker, task) for every task in [0, after.size()) on `workers`
// threads (worker in [0, workers)), tasks in index order as they become
// ready: task i waits for task after[i] to end (-1: for none). The calling
// thread calls `tick` about ten times a second meanwhile. The first task
// to fail sets *stop (which tasks should check between batches), no new
// task starts, and once the running ones ended its Status is returned.
// With one worker, every task runs on the calling thread, in order.
Status RunTablePool(const std::vector<int>& after, size_t workers,
                    const std::function<Status(size_t worker, size_t task)>& run,
                    const std::function<void()>& tick, std::atomic<bool>* stop);

}  // namespace sei::store_copy
