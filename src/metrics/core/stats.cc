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

namespace {

// The type-7 quantile of `v` (unsorted, n >= 1) without sorting it: the
// element of rank floor(h) by selection, then the smallest of those above it.
// Selections run on [from, end) so that successive calls with growing q
// reuse the partitioning of the earlier ones.
double SelectQuantile(std::vector<double>* v, size_t* from, double q) {
  const size_t n = v->size();
  const double h = q * static_cast<double>(n - 1);
  const size_t lo = static_cast<size_t>(std::floor(h));
  auto first = v->begin() + static_cast<std::ptrdiff_t>(*from);
  auto nth = v->begin() + static_cast<std::ptrdiff_t>(lo);
  std::nth_element(first, nth, v->end());
  *from = lo;
  const double a = *nth;
  if (lo + 1 >= n || h == static_cast<double>(lo)) return a;
  const double b = *std::min_element(nth + 1, v->end());
  return a + (h - static_cast<double>(lo)) * (b - a);
}

}  // namespace

Distribution Summarize(std::vector<double>* values, bool with_mean) {
  Distribution d;
  d.n = static_cast<int64_t>(values->size());
  if (values->empty()) return d;
  const auto [mn, mx] = std::minmax_element(values->begin(), values->end());
  d.min = *mn;
  d.max = *mx;
  if (with_mean) {
    d.mean =
        std::accumulate(values->begin(), values->end(), 0.0) / static_cast<double>(values->size());
  }
  // Selection instead of a sort: O(n) per quantile, in increasing order.
  size_t from = 0;
  d.p50 = SelectQuantile(values, &from, 0.50);
  d.p75 = SelectQuantile(values, &from, 0.75);
  d.p90 = SelectQuantile(values, &from, 0.90);
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
