#include "metrics/core/bucket_index.h"

#include <algorithm>

namespace sei::metrics {

BucketIndex::BucketIndex(const TimeRange& range, Granularity granularity)
    : range_(range), starts_(BucketStarts(range, granularity)) {
  ends_.reserve(starts_.size());
  for (size_t i = 0; i < starts_.size(); ++i) {
    ends_.push_back(i + 1 < starts_.size() ? starts_[i + 1] : range.until);
  }
}

int BucketIndex::Of(int64_t t) const {
  if (!range_.Contains(t) || starts_.empty()) return -1;
  auto it = std::upper_bound(starts_.begin(), starts_.end(), t);
  return static_cast<int>(it - starts_.begin()) - 1;
}

std::vector<SeriesPoint> BucketIndex::Series(const std::vector<std::optional<double>>& values,
                                             const std::vector<int64_t>& counts) const {
  std::vector<SeriesPoint> out;
  out.reserve(starts_.size());
  for (size_t i = 0; i < starts_.size(); ++i) {
    out.push_back({starts_[i], i < values.size() ? values[i] : std::nullopt,
                   i < counts.size() ? counts[i] : 0});
  }
  return out;
}

}  // namespace sei::metrics
