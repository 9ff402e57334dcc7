// BucketIndex: the series buckets of a query (day, week or month, UTC) with
// their ends clipped to the range, and a lookup from an instant to its
// bucket. Families build their Metric::series from it so every family
// buckets the same way (the first bucket may start before the range; only
// instants inside the range are ever placed).
//
// Thread safety: immutable after construction.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "metrics/core/result.h"
#include "metrics/core/scope.h"

namespace sei::metrics {

class BucketIndex {
 public:
  BucketIndex(const TimeRange& range, Granularity granularity);

  size_t size() const { return starts_.size(); }
  int64_t start(size_t i) const { return starts_[i]; }
  // Exclusive end: the next bucket's start, or the range's end for the last.
  int64_t end(size_t i) const { return ends_[i]; }
  const TimeRange& range() const { return range_; }

  // The bucket holding `t`, or -1 when `t` is outside the range.
  int Of(int64_t t) const;

  // Points with these values and counts (one per bucket, in order).
  std::vector<SeriesPoint> Series(const std::vector<std::optional<double>>& values,
                                  const std::vector<int64_t>& counts) const;

 private:
  TimeRange range_;
  std::vector<int64_t> starts_, ends_;
};

}  // namespace sei::metrics
