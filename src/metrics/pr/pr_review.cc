// PR size, review depth, rework after review, and PRs merged without review,
// over the PRs merged in range.
#include <algorithm>

#include "metrics/core/drill.h"
#include "metrics/core/series.h"
#include "metrics/core/stats.h"
#include "metrics/pr/pr_internal.h"

namespace sei::metrics::pr {

namespace {

Metric Base(const char* key, const char* name, const char* unit, const char* statistic) {
  Metric m;
  m.key = key;
  m.name = name;
  m.unit = unit;
  m.statistic = statistic;
  return m;
}

Metric Size(const Flow& f) {
  Metric m = Base("pr.size", "PR size", "lines", "median");
  struct Bucket {
    const char* key;
    int64_t below;
    int64_t n = 0;
  };
  Bucket buckets[] = {{"xs", 10}, {"s", 50}, {"m", 250}, {"l", 1000}, {"xl", INT64_MAX}};
  SeriesBuilder series(f.range, f.query.granularity);
  std::vector<double> values;
  int64_t large = 0;
  for (const MergedPr& p : f.merged) {
    if (p.lines < 0) continue;
    const int64_t lines = p.lines;
    values.push_back(static_cast<double>(lines));
    series.Add(p.merged_at, static_cast<double>(lines));
    for (Bucket& b : buckets) {
      if (lines < b.below) {
        ++b.n;
        break;
      }
    }
    if (lines >= f.ds.settings.large_pr_lines) ++large;
    if (f.query.drill)
      m.rows.push_back(PrRow(f.ds, *p.pr, p.merged_at, static_cast<double>(lines)));
  }
  m.distribution = Summarize(&values);
  m.value = m.distribution.p50;
  const double n = static_cast<double>(values.size());
  for (const Bucket& b : buckets) {
    m.parts.push_back(
        {b.key, static_cast<double>(b.n), {}, Ratio(static_cast<double>(b.n), n), "count"});
  }
  m.parts.push_back(
      {"large", static_cast<double>(large), {}, Ratio(static_cast<double>(large), n), "count"});
  m.completeness.total = static_cast<int64_t>(f.merged.size());
  m.completeness.measured = static_cast<int64_t>(values.size());
  m.completeness.NoteMissing(m.completeness.total - m.completeness.measured, m.completeness.total,
                             "merged PRs have no line counts");
  if (f.query.series) m.series = series.Medians();
  return m;
}

Metric Depth(const Flow& f) {
  Metric m = Base("pr.review_depth", "Review depth", "comments", "median");
  std::vector<double> values, reviewers;
  SeriesBuilder series(f.range, f.query.granularity);
  for (const MergedPr& p : f.merged) {
    if (!p.reviewed) continue;
    const double v = static_cast<double>(p.depth);
    values.push_back(v);
    reviewers.push_back(static_cast<double>(p.reviewers));
    series.Add(p.merged_at, v);
    if (f.query.drill) m.rows.push_back(PrRow(f.ds, *p.pr, p.merged_at, v));
  }
  m.distribution = Summarize(&values, /*with_mean=*/true);
  m.value = m.distribution.p50;
  Distribution r = Summarize(&reviewers);
  m.parts.push_back({"reviewers", r.p50, r, std::nullopt, "people"});
  m.completeness.total = static_cast<int64_t>(f.merged.size());
  m.completeness.measured = static_cast<int64_t>(values.size());
  m.completeness.NoteMissing(m.completeness.total - m.completeness.measured, m.completeness.total,
                             "merged PRs were not reviewed before merge");
  if (f.query.series) m.series = series.Medians();
  return m;
}

Metric Rework(const Flow& f) {
  Metric m = Base("pr.rework", "Rework after review", "ratio", "ratio");
  SeriesBuilder series(f.range, f.query.granularity);
  int64_t reviewed = 0, reworked = 0;
  std::vector<double> commits;
  for (const MergedPr& p : f.merged) {
    if (!p.reviewed || p.commits == 0) continue;
    ++reviewed;
    const bool yes = p.commits_after_review > 0;
    series.AddRatio(p.merged_at, yes ? 1 : 0, 1);
    if (!yes) continue;
    ++reworked;
    commits.push_back(static_cast<double>(p.commits_after_review));
    if (f.query.drill) {
      m.rows.push_back(PrRow(f.ds, *p.pr, p.merged_at, p.commits_after_review));
    }
  }
  m.value = Ratio(static_cast<double>(reworked), static_cast<double>(reviewed));
  m.distribution.n = reviewed;
  Distribution c = Summarize(&commits);
  m.parts.push_back({"commits_after_review", c.p50, c, std::nullopt, "commits"});
  m.completeness.total = static_cast<int64_t>(f.merged.size());
  m.completeness.measured = reviewed;
  m.completeness.NoteMissing(m.completeness.total - reviewed, m.completeness.total,
                             "merged PRs were not reviewed before merge or have no commits");
  if (f.query.series) m.series = series.Ratios();
  return m;
}

Metric WithoutReview(const Flow& f) {
  Metric m = Base("pr.merged_without_review", "Merged without review", "ratio", "ratio");
  SeriesBuilder series(f.range, f.query.granularity);
  int64_t none = 0;
  for (const MergedPr& p : f.merged) {
    const bool unreviewed = !p.reviewed;
    series.AddRatio(p.merged_at, unreviewed ? 1 : 0, 1);
    if (!unreviewed) continue;
    ++none;
    if (f.query.drill) m.rows.push_back(PrRow(f.ds, *p.pr, p.merged_at, 1));
  }
  const auto total = static_cast<int64_t>(f.merged.size());
  m.value = Ratio(static_cast<double>(none), static_cast<double>(total));
  m.distribution.n = total;
  m.parts.push_back({"unreviewed", static_cast<double>(none), {}, m.value, "count"});
  m.completeness.total = total;
  m.completeness.measured = total;
  if (f.query.series) m.series = series.Ratios();
  return m;
}

}  // namespace

std::vector<Metric> ReviewMetrics(const Flow& f) {
  std::vector<Metric> out;
  if (f.query.Wants("pr.size")) out.push_back(Size(f));
  if (f.query.Wants("pr.review_depth")) out.push_back(Depth(f));
  if (f.query.Wants("pr.rework")) out.push_back(Rework(f));
  if (f.query.Wants("pr.merged_without_review")) out.push_back(WithoutReview(f));
  return out;
}

}  // namespace sei::metrics::pr
