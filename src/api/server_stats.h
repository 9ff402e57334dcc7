// ServerStats: the counters behind `/metrics` (Prometheus text format 0.0.4):
// requests by route, method and status class, latency histograms by route,
// rejected webhooks, metrics cache hits and misses, and gauges the server
// reads when scraped (requests in flight, push queue depth, collection runs).
//
// Routes are known at start-up, so counters are fixed arrays indexed by route
// (no map lookups or locks on the request path; relaxed atomics).
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace sei::api {

class ServerStats {
 public:
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1,    2.5};

  // `routes`: a label per route ("GET /api/v1/metrics/{family}"); one more
  // slot counts requests that matched no route.
  explicit ServerStats(std::vector<std::string> routes);

  void Observe(size_t route, int status, double seconds);
  size_t unmatched_slot() const { return labels_.size(); }

  std::atomic<int64_t> webhooks_refused{0};
  std::atomic<int64_t> cache_hits{0};
  std::atomic<int64_t> cache_misses{0};
  std::atomic<int64_t> pushes_stored{0};

  // Gauges read at scrape time: name, help, value.
  struct Gauge {
    std::string name;
    std::string help;
    std::function<double()> read;
    // Instead of `read`: one sample per value of `label`
    // (sei_collection_runs{status="failed"} 2).
    std::string label;
    std::function<std::vector<std::pair<std::string, double>>()> read_labelled;
  };
  void AddGauge(Gauge g) { gauges_.push_back(std::move(g)); }

  std::string Render() const;

 private:
  struct PerRoute {
    std::array<std::atomic<int64_t>, 5> by_class{};  // 1xx..5xx
    std::array<std::atomic<int64_t>, kBuckets.size() + 1> buckets{};
    std::atomic<int64_t> count{0};
    std::atomic<int64_t> sum_micros{0};
  };
  std::vector<std::string> labels_;
  std::unique_ptr<PerRoute[]> per_route_;
  std::vector<Gauge> gauges_;
};

}  // namespace sei::api
