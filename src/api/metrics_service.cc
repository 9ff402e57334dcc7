#include "api/metrics_service.h"

#include "api/gzip.h"
#include "common/clock.h"
#include "common/time.h"
#include "metrics/core/dataset_loader.h"
#include "metrics/core/report_json.h"
#include "metrics/engine/engine.h"

namespace sei::api {

namespace {

constexpr size_t kCacheBytes = 256u << 20;  // answers kept per generation

std::string CacheKey(const std::string& family, const metrics::Query& q) {
  std::string k = family + "|" + q.scope.ToString() + "|" + std::to_string(q.range.since) + "|" +
                  std::to_string(q.range.until) + "|" +
                  std::string(metrics::GranularityName(q.granularity)) + "|" + q.band_year + "|" +
                  (q.drill ? "d" : "") + (q.compare ? "c" : "") + (q.series ? "s" : "");
  for (const auto& o : q.only) k += "|" + o;
  return k;
}

}  // namespace

MetricsService::MetricsService(StoreOpener open, metrics::MetricsSettings settings,
                               ServerStats* stats)
    : open_(std::move(open)), settings_(std::move(settings)), stats_(stats) {}

MetricsService::~MetricsService() { Stop(); }

void MetricsService::Start(std::chrono::milliseconds poll) {
  watcher_ = std::thread([this, poll] { Watch(poll); });
}

void MetricsService::Stop() {
  stop_ = true;
  watch_cv_.notify_all();
  if (watcher_.joinable()) watcher_.join();
}

void MetricsService::OnReload(ReloadListener fn) {
  std::lock_guard<std::mutex> l(load_mu_);
  listeners_.push_back(std::move(fn));
}

void MetricsService::MarkChanged() {
  dirty_ = true;
  watch_cv_.notify_all();
}

Result<std::shared_ptr<const metrics::Dataset>> MetricsService::LoadOne(bool files) {
  SEI_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, open_());
  metrics::LoadOptions options;
  options.commits = true;
  options.files = files;
  SEI_ASSIGN_OR_RETURN(auto ds, metrics::LoadDataset(*store, settings_, options));
  return std::shared_ptr<const metrics::Dataset>(std::move(ds));
}

// Loads a new Dataset beside the one in use, then swaps it in.
Status MetricsService::Reload() {
  std::lock_guard<std::mutex> l(load_mu_);
  dirty_ = false;
  bool had_files;
  {
    std::shared_lock<std::shared_mutex> r(mu_);
    had_files = data_.with_files != nullptr;
  }
  SEI_ASSIGN_OR_RETURN(auto base, LoadOne(false));
  std::shared_ptr<const metrics::Dataset> files;
  if (had_files) {
    SEI_ASSIGN_OR_RETURN(files, LoadOne(true));
  }
  std::shared_ptr<const metrics::Dataset> before;
  {
    std::unique_lock<std::shared_mutex> w(mu_);
    before = std::move(data_.base);
    data_.base = base;
    data_.with_files = std::move(files);
    cache_.clear();
    cache_bytes_ = 0;
  }
  loaded_at_ = SystemClock::Get().NowUnixSeconds();
  const int64_t gen = ++generation_;
  if (!listeners_.empty()) {
    metrics::ScopeChanges changes;
    if (before && (!changes_wanted_ || changes_wanted_())) {
      changes = metrics::DiffScopes(*before, *base);
    } else {
      changes.all = true;
    }
    for (const auto& fn : listeners_) fn(gen, changes);
  }
  return Status::Ok();
}

void MetricsService::Watch(std::chrono::milliseconds poll) {
  std::unique_ptr<Store> probe;
  if (auto s = open_(); s.ok()) probe = std::move(s).value();
  int64_t seen = -1;
  if (probe) {
    if (auto v = probe->DataVersion(); v.ok()) seen = *v;
  }
  if (!loaded()) Reload().IgnoreError();  // a failure is retried by the next request
  // A store that announces commits (PostgreSQL's LISTEN/NOTIFY) wakes the
  // watcher at once when any process writes; the poll stays the fallback.
  bool announces = poll.count() > 0 && probe != nullptr;
  while (!stop_) {
    bool listened = false;
    if (announces) {
      listened = true;
      const auto deadline = std::chrono::steady_clock::now() + poll;
      while (!stop_ && !dirty_) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) break;
        // In slices, so that Stop and MarkChanged are seen within 200 ms.
        Result<bool> heard = probe->WaitForChange(std::min(left, std::chrono::milliseconds(200)));
        if (!heard.ok()) {
          // FailedPrecondition: this backend cannot (poll from now on); else a
          // lost connection: poll this time, listen again next time.
          announces = heard.status().code() != StatusCode::kFailedPrecondition;
          listened = false;
          break;
        }
        if (*heard) break;
      }
    }
    if (!listened) {
      std::unique_lock<std::mutex> l(watch_mu_);
      if (poll.count() > 0) {
        watch_cv_.wait_for(l, poll, [this] { return stop_ || dirty_; });
      } else {
        watch_cv_.wait(l, [this] { return stop_ || dirty_; });
      }
    }
    if (stop_) break;
    bool changed = dirty_;
    if (probe) {
      if (auto v = probe->DataVersion(); v.ok() && *v != seen) {
        seen = *v;
        changed = true;
      }
    }
    if (changed) {
      const auto started = std::chrono::steady_clock::now();
      Reload().IgnoreError();
      const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::steady_clock::now() - started);
      // A stream of pushes must not keep the loader busy: the next reload
      // waits a poll interval, and at least four times as long as this one
      // took (so reloading uses at most a fifth of a core). Answers stay on
      // the previous load meanwhile.
      std::unique_lock<std::mutex> l(watch_mu_);
      // (The poll interval is for finding changes; a store that announces
      // them needs only the rest.)
      watch_cv_.wait_for(l,
                         std::max({announces ? std::chrono::milliseconds(0) : poll, 4 * took,
                                   std::chrono::milliseconds(200)}),
                         [this] { return stop_.load(); });
    }
  }
}

Result<std::shared_ptr<const metrics::Dataset>> MetricsService::Data(bool files) {
  {
    std::shared_lock<std::shared_mutex> r(mu_);
    auto& d = files ? data_.with_files : data_.base;
    if (d) return d;
  }
  std::lock_guard<std::mutex> l(load_mu_);
  {
    std::shared_lock<std::shared_mutex> r(mu_);
    auto& d = files ? data_.with_files : data_.base;
    if (d) return d;  // loaded while we waited
  }
  SEI_ASSIGN_OR_RETURN(auto ds, LoadOne(files));
  std::unique_lock<std::shared_mutex> w(mu_);
  (files ? data_.with_files : data_.base) = ds;
  if (generation_ == 0) {
    loaded_at_ = SystemClock::Get().NowUnixSeconds();
    ++generation_;
  }
  return ds;
}

Result<HttpResponse> MetricsService::Report(const std::string& family,
                                            const metrics::Query& query) {
  const metrics::Family* f = metrics::FindFamily(family);
  if (f == nullptr) {
    std::string names;
    for (const auto& fam : metrics::Families()) names += (names.empty() ? "" : ", ") + fam.name;
    return NotFoundError("no metrics family '" + family + "' (families: " + names + ")");
  }
  const std::string key = CacheKey(family, query);
  {
    std::shared_lock<std::shared_mutex> r(mu_);
    auto it = cache_.find(key);
    if (it != cache_.end()) {
      if (stats_) ++stats_->cache_hits;
      return it->second;
    }
  }
  if (stats_) ++stats_->cache_misses;
  SEI_ASSIGN_OR_RETURN(auto ds, Data(f->needs_files));
  const int64_t gen = generation_.load();
  SEI_ASSIGN_OR_RETURN(metrics::Report report, metrics::Compute(*ds, family, query));
  nlohmann::json doc = metrics::ToJson(report);
  doc["data"] = {{"generation", gen},
                 {"loaded_at", FormatRfc3339Utc(loaded_at_.load())},
                 {"mode", settings_.mode == metrics::Mode::kDevLake ? "devlake" : "default"}};
  HttpResponse resp = JsonResponse(doc);
  resp.gzipped = std::make_shared<const std::string>(GzipCompress(*resp.body));
  resp.headers.push_back({"Cache-Control", "private, max-age=0"});
  resp.headers.push_back({"X-Sei-Data-Generation", std::to_string(gen)});
  std::unique_lock<std::shared_mutex> w(mu_);
  if (gen == generation_.load()) {
    const size_t bytes = resp.body->size() + resp.gzipped->size();
    if (cache_bytes_ + bytes > kCacheBytes) {
      cache_.clear();
      cache_bytes_ = 0;
    }
    cache_bytes_ += bytes;
    cache_.emplace(key, resp);
  }
  return resp;
}

}  // namespace sei::api
