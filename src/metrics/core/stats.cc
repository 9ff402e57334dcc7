#include "metrics/core/stats.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace sei::metrics {

std::optional<double> QuantileSorted(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return std::nullopt;
  if (sorted.size() == 1) return sorted[0];
  const double h = q * static_cast<double>(sorted.size() - 1);
  const size_t lo = static_cast<size_t>(std::floor(h));
  const size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

Distribution Summarize(std::vector<double>* values, bool with_mean) {
  Distribution d;
  d.n = static_cast<int64_t>(values->size());
  if (values->empty()) return d;
  std::sort(values->begin(), values->end());
  d.p50 = QuantileSorted(*values, 0.50);
  d.p75 = QuantileSorted(*values, 0.75);
  d.p90 = QuantileSorted(*values, 0.90);
  d.min = values->front();
  d.max = values->back();
  if (with_mean) {
    d.mean =
        std::accumulate(values->begin(), values->end(), 0.0) / static_cast<double>(values->size());
  }
  return d;
}

Distribution Summarize(std::vector<double> values, bool with_mean) {
  return Summarize(&values, with_mean);
}

std::optional<double> Median(std::vector<double>* values) {
  if (values->empty()) return std::nullopt;
  const size_t n = values->size();
  auto mid = values->begin() + static_cast<std::ptrdiff_t>(n / 2);
  std::nth_element(values->begin(), mid, values->end());
  const double upper = *mid;
  if (n % 2 == 1) return upper;
  const double lower = *std::max_element(values->begin(), mid);
  return (lower + upper) / 2.0;
}

std::optional<double> Ratio(double numerator, double denominator) {
  if (denominator == 0) return std::nullopt;
  return numerator / denominator;
}

}  // namespace sei::metrics
