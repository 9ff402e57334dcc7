// Order statistics for metrics: true medians and percentiles, never averages
// in disguise, and never a zero standing in for a missing value.
//
// Percentiles are linear interpolation between the two closest ranks
// (Hyndman & Fan type 7: numpy's default, PostgreSQL's percentile_cont), so
// p50 is the textbook median (the mean of the two middle values when n is
// even). An empty input has no percentiles (nullopt), not zeros.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace sei::metrics {

struct Distribution {
  int64_t n = 0;
  std::optional<double> p50, p75, p90;
  std::optional<double> min, max;
  std::optional<double> mean;  // only where a metric's definition asks for it
  bool operator==(const Distribution&) const = default;
};

// The q-quantile (0 <= q <= 1) of sorted values; nullopt when empty.
std::optional<double> QuantileSorted(const std::vector<double>& sorted, double q);

// Summarises `values`, reordering them (selection, not a full sort).
// `with_mean` adds the mean.
Distribution Summarize(std::vector<double>* values, bool with_mean = false);
Distribution Summarize(std::vector<double> values, bool with_mean = false);

// The median of `values` (reordered in place); nullopt when empty.
std::optional<double> Median(std::vector<double>* values);

// numerator / denominator, nullopt when the denominator is zero.
std::optional<double> Ratio(double numerator, double denominator);

}  // namespace sei::metrics
