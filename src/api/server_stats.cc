#include "api/server_stats.h"

#include <fmt/format.h>

namespace sei::api {

namespace {

// Prometheus label values escape backslash, quote and newline.
std::string Label(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

}  // namespace

ServerStats::ServerStats(std::vector<std::string> routes)
    : labels_(std::move(routes)), per_route_(new PerRoute[labels_.size() + 1]) {}

void ServerStats::Observe(size_t route, int status, double seconds) {
  if (route > labels_.size()) route = labels_.size();
  PerRoute& r = per_route_[route];
  const int cls = status / 100;
  if (cls >= 1 && cls <= 5) r.by_class[cls - 1].fetch_add(1, std::memory_order_relaxed);
  size_t b = 0;
  while (b < kBuckets.size() && seconds > kBuckets[b]) ++b;
  r.buckets[b].fetch_add(1, std::memory_order_relaxed);
  r.count.fetch_add(1, std::memory_order_relaxed);
  r.sum_micros.fetch_add(static_cast<int64_t>(seconds * 1e6), std::memory_order_relaxed);
}

std::string ServerStats::Render() const {
  std::string out;
  out += "# HELP sei_http_requests_total HTTP requests answered, by route and status class.\n";
  out += "# TYPE sei_http_requests_total counter\n";
  auto label_of = [this](size_t i) {
    return i < labels_.size() ? Label(labels_[i]) : std::string("unmatched");
  };
  for (size_t i = 0; i <= labels_.size(); ++i) {
    for (int c = 0; c < 5; ++c) {
      const int64_t n = per_route_[i].by_class[c].load(std::memory_order_relaxed);
      if (n == 0) continue;
      out += fmt::format("sei_http_requests_total{{route=\"{}\",status=\"{}xx\"}} {}\n",
                         label_of(i), c + 1, n);
    }
  }
  out += "# HELP sei_http_request_duration_seconds Time from the first byte read to the answer.\n";
  out += "# TYPE sei_http_request_duration_seconds histogram\n";
  for (size_t i = 0; i <= labels_.size(); ++i) {
    const PerRoute& r = per_route_[i];
    const int64_t count = r.count.load(std::memory_order_relaxed);
    if (count == 0) continue;
    int64_t cumulative = 0;
    for (size_t b = 0; b <= kBuckets.size(); ++b) {
      cumulative += r.buckets[b].load(std::memory_order_relaxed);
      const std::string le = b < kBuckets.size() ? fmt::format("{}", kBuckets[b]) : "+Inf";
      out += fmt::format("sei_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n",
                         label_of(i), le, cumulative);
    }
    out += fmt::format("sei_http_request_duration_seconds_sum{{route=\"{}\"}} {:.6f}\n",
                       label_of(i), r.sum_micros.load(std::memory_order_relaxed) / 1e6);
    out += fmt::format("sei_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", label_of(i),
                       count);
  }
  auto counter = [&out](const char* name, const char* help, int64_t v) {
    out += fmt::format("# HELP {} {}\n# TYPE {} counter\n{} {}\n", name, help, name, name, v);
  };
  counter("sei_webhooks_refused_total", "Webhook deliveries refused (unsigned or forged).",
          webhooks_refused.load());
  counter("sei_metrics_cache_hits_total", "Metrics answered from the cache.", cache_hits.load());
  counter("sei_metrics_cache_misses_total", "Metrics computed.", cache_misses.load());
  counter("sei_push_items_stored_total", "Items stored through the push API.",
          pushes_stored.load());
  for (const Gauge& g : gauges_) {
    out += fmt::format("# HELP {} {}\n# TYPE {} gauge\n", g.name, g.help, g.name);
    if (g.read_labelled) {
      for (const auto& [value, v] : g.read_labelled()) {
        out += fmt::format("{}{{{}=\"{}\"}} {}\n", g.name, g.label, value, v);
      }
    } else {
      out += fmt::format("{} {}\n", g.name, g.read());
    }
  }
  return out;
}

}  // namespace sei::api
