// MetricsService: the server's warm metrics. It keeps the Dataset loaded
// (metrics/core/dataset.h) and a cache of finished JSON answers, plain and
// gzipped, keyed by family, the resolved query and the data generation.
//
// When the store changes (a push, a collection, `sei link` in another
// process: Store::DataVersion moves, or MarkChanged() is called), the
// Dataset is reloaded in the background while requests keep being answered
// from the previous one; then the generation advances, the answer cache is
// dropped, and listeners (the live-update stream) are told. Every answer
// says which generation and load time it rests on.
//
// Thread safety: every public method may be called from any thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>
#include <unordered_map>

#include "api/http_message.h"
#include "api/server_stats.h"
#include "metrics/core/dataset.h"
#include "metrics/core/dataset_diff.h"
#include "metrics/core/result.h"
#include "metrics/core/settings.h"
#include "store/store.h"

namespace sei::api {

using StoreOpener = std::function<Result<std::unique_ptr<Store>>()>;

class MetricsService {
 public:
  MetricsService(StoreOpener open, metrics::MetricsSettings settings, ServerStats* stats);
  ~MetricsService();

  // Starts the first load and the watcher that polls the store every
  // `poll` (0: no polling; tests call MarkChanged).
  void Start(std::chrono::milliseconds poll);
  void Stop();

  // A family's report as JSON, from the cache or computed. Blocks on the
  // first load. Definitions follow the server's settings (default or
  // DevLake mode: facts computed at load depend on it).
  Result<HttpResponse> Report(const std::string& family, const metrics::Query& query);
  // The Dataset requests run against (loading it if needed); files only for
  // the code family.
  Result<std::shared_ptr<const metrics::Dataset>> Data(bool files);

  void MarkChanged();
  int64_t generation() const { return generation_.load(); }
  int64_t loaded_at() const { return loaded_at_.load(); }
  bool loaded() const { return generation_.load() > 0; }

  // Called after each reload with the new generation and the scopes whose
  // metrics changed since the previous load (metrics/core/dataset_diff.h;
  // `all` after the first load), on the loader thread.
  using ReloadListener = std::function<void(int64_t, const metrics::ScopeChanges&)>;
  void OnReload(ReloadListener fn);
  // Whether anyone listens now (open live-update streams): when this says
  // no, a reload skips the comparison and listeners get `all`.
  void SetChangesWanted(std::function<bool()> wanted) { changes_wanted_ = std::move(wanted); }

 private:
  struct Loaded {
    std::shared_ptr<const metrics::Dataset> base;
    std::shared_ptr<const metrics::Dataset> with_files;  // lazily
  };
  Result<std::shared_ptr<const metrics::Dataset>> LoadOne(bool files);
  Status Reload();
  void Watch(std::chrono::milliseconds poll);

  StoreOpener open_;
  metrics::MetricsSettings settings_;
  ServerStats* stats_;

  std::mutex load_mu_;    // serialises loads
  std::shared_mutex mu_;  // guards data_, cache_
  Loaded data_;
  std::unordered_map<std::string, HttpResponse> cache_;
  size_t cache_bytes_ = 0;

  std::atomic<int64_t> generation_{0};
  std::atomic<int64_t> loaded_at_{0};
  std::atomic<bool> dirty_{false};
  std::atomic<bool> stop_{false};
  std::mutex watch_mu_;
  std::condition_variable watch_cv_;
  std::thread watcher_;
  std::vector<ReloadListener> listeners_;
  std::function<bool()> changes_wanted_;
};

}  // namespace sei::api
