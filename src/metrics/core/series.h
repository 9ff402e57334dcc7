// SeriesBuilder: puts (instant, value) samples into the buckets of a query
// (day, week, month; UTC) and reduces each bucket to one point: the median,
// the count, the sum, or a ratio of two sums. Buckets with no samples get a
// point with no value (missing), except for counts and sums, where an empty
// bucket is a real zero.
//
// Thread safety: a builder is used by one thread.
#pragma once

#include <cstdint>
#include <vector>

#include "metrics/core/result.h"
#include "metrics/core/scope.h"

namespace sei::metrics {

class SeriesBuilder {
 public:
  SeriesBuilder(const TimeRange& range, Granularity g);

  // Samples outside the range are ignored.
  void Add(int64_t at, double value);
  // For ratios: adds to the numerator and denominator of the bucket.
  void AddRatio(int64_t at, double numerator, double denominator);

  // Reorders each bucket's samples (selection).
  std::vector<SeriesPoint> Medians();
  std::vector<SeriesPoint> Counts() const;
  std::vector<SeriesPoint> Sums() const;
  std::vector<SeriesPoint> Ratios() const;
  // Sum of each bucket divided by the bucket's length in weeks (clipped to
  // the range), e.g. deployments per week.
  std::vector<SeriesPoint> PerWeek() const;

  const std::vector<int64_t>& starts() const { return starts_; }

 private:
  int Bucket(int64_t at) const;

  TimeRange range_;
  Granularity granularity_;
  std::vector<int64_t> starts_;
  std::vector<std::vector<double>> values_;
  std::vector<double> numerators_, denominators_;
};

}  // namespace sei::metrics
