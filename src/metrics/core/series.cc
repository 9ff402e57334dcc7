#include "metrics/core/series.h"

#include <algorithm>
#include <numeric>

#include "metrics/core/stats.h"

namespace sei::metrics {

SeriesBuilder::SeriesBuilder(const TimeRange& range, Granularity g)
    : range_(range), granularity_(g), starts_(BucketStarts(range, g)) {
  values_.resize(starts_.size());
  numerators_.assign(starts_.size(), 0);
  denominators_.assign(starts_.size(), 0);
}

int SeriesBuilder::Bucket(int64_t at) const {
  if (!range_.Contains(at) || starts_.empty()) return -1;
  // Days and weeks have one length: the bucket is arithmetic (at >= the
  // range start >= starts_[0]).
  if (granularity_ == Granularity::kDay) return static_cast<int>((at - starts_[0]) / 86400);
  if (granularity_ == Granularity::kWeek) return static_cast<int>((at - starts_[0]) / 604800);
  auto it = std::upper_bound(starts_.begin(), starts_.end(), at);
  return static_cast<int>(it - starts_.begin()) - 1;
}

void SeriesBuilder::Add(int64_t at, double value) {
  const int b = Bucket(at);
  if (b >= 0) values_[static_cast<size_t>(b)].push_back(value);
}

void SeriesBuilder::AddRatio(int64_t at, double numerator, double denominator) {
  const int b = Bucket(at);
  if (b < 0) return;
  numerators_[static_cast<size_t>(b)] += numerator;
  denominators_[static_cast<size_t>(b)] += denominator;
}

std::vector<SeriesPoint> SeriesBuilder::Medians() {
  std::vector<SeriesPoint> out;
  for (size_t i = 0; i < starts_.size(); ++i) {
    std::vector<double>& v = values_[i];
    out.push_back({starts_[i], Median(&v), static_cast<int64_t>(v.size())});
  }
  return out;
}

std::vector<SeriesPoint> SeriesBuilder::Counts() const {
  std::vector<SeriesPoint> out;
  for (size_t i = 0; i < starts_.size(); ++i) {
    const auto n = static_cast<int64_t>(values_[i].size());
    out.push_back({starts_[i], static_cast<double>(n), n});
  }
  return out;
}

std::vector<SeriesPoint> SeriesBuilder::Sums() const {
  std::vector<SeriesPoint> out;
  for (size_t i = 0; i < starts_.size(); ++i) {
    const double sum = std::accumulate(values_[i].begin(), values_[i].end(), 0.0);
    out.push_back({starts_[i], sum, static_cast<int64_t>(values_[i].size())});
  }
  return out;
}

std::vector<SeriesPoint> SeriesBuilder::Ratios() const {
  std::vector<SeriesPoint> out;
  for (size_t i = 0; i < starts_.size(); ++i) {
    out.push_back({starts_[i], Ratio(numerators_[i], denominators_[i]),
                   static_cast<int64_t>(denominators_[i])});
  }
  return out;
}

std::vector<SeriesPoint> SeriesBuilder::PerWeek() const {
  std::vector<SeriesPoint> out = Sums();
  for (size_t i = 0; i < out.size(); ++i) {
    const int64_t from = std::max(starts_[i], range_.since);
    const int64_t to = std::min(NextBucket(starts_[i], granularity_), range_.until);
    const double weeks = static_cast<double>(to - from) / (7 * 86400.0);
    out[i].value = weeks > 0 ? std::optional<double>(*out[i].value / weeks) : std::nullopt;
  }
  return out;
}

}  // namespace sei::metrics
