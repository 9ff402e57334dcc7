#include <algorithm>
#include <iterator>

#include "metrics/core/drill.h"
#include "metrics/core/pr_facts.h"
#include "metrics/core/series.h"
#include "metrics/core/stats.h"
#include "metrics/pr/pr.h"
#include "metrics/pr/pr_internal.h"

namespace sei::metrics::pr {

namespace {

struct Stage {
  const char* key;
  const char* part;  // its key among the cycle time's parts
  const char* name;
  std::optional<int64_t> PrFacts::*field;
};

constexpr Stage kStages[] = {
    {"pr.coding_time", "coding", "Coding time", &PrFacts::coding},
    {"pr.pickup_time", "pickup", "Pickup time", &PrFacts::pickup},
    {"pr.review_time", "review", "Review time", &PrFacts::review},
    {"pr.deploy_time", "deploy", "Deploy time", &PrFacts::deploy},
    {"pr.cycle_time", "cycle", "Cycle time", &PrFacts::cycle},
};

const char* MissingWhy(const char* key) {
  const std::string k = key;
  if (k == "pr.coding_time") return "merged PRs have no commit times";
  if (k == "pr.pickup_time") return "merged PRs had no review by someone else";
  if (k == "pr.review_time") return "merged PRs were not reviewed before merge";
  return "merged PRs have not reached production (or no deployment shipped them)";
}

Metric NewStage(const Stage& stage) {
  Metric m;
  m.key = stage.key;
  m.name = stage.name;
  m.unit = "seconds";
  m.statistic = "median";
  return m;
}

}  // namespace

Flow CollectMerged(const Dataset& ds, const ResolvedScope& scope, const Query& query,
                   const TimeRange& range) {
  Flow f{ds, scope, query, range, {}};
  f.merged.reserve(ds.prs.size() / 4);
  for (size_t i = 0; i < ds.prs.size(); ++i) {
    const DsPr& p = ds.prs[i];
    if (!p.merged_at || !range.Contains(*p.merged_at) || !ds.PrInScope(scope, p)) continue;
    const PrFacts& x = ds.pr_facts[i];
    const int64_t lines = p.additions && p.deletions ? *p.additions + *p.deletions : -1;
    auto clip = [](int v) { return static_cast<int16_t>(std::min(v, 32767)); };
    f.merged.push_back({&p, &x, *p.merged_at, lines, x.review_comments + x.reviews,
                        clip(x.reviewers), clip(x.commits), clip(x.commits_after_first_review),
                        x.reviewed_before_merge});
  }
  return f;
}

// Every stage in one pass over the merged PRs; the cycle time's parts are
// the stages of the PRs that have a cycle time.
std::vector<Metric> StageMetrics(const Flow& f) {
  constexpr size_t kN = std::size(kStages);
  std::vector<double> values[kN], cycle_parts[kN];
  std::vector<SeriesBuilder> series;
  for (size_t s = 0; s < kN; ++s) {
    series.emplace_back(f.range, f.query.granularity);
    values[s].reserve(f.merged.size());
  }
  std::vector<Metric> out;
  for (const Stage& s : kStages) out.push_back(NewStage(s));
  for (const MergedPr& p : f.merged) {
    const bool cycled = p.facts->cycle.has_value();
    for (size_t s = 0; s < kN; ++s) {
      const auto& v = (*p.facts).*kStages[s].field;
      if (!v) continue;
      const double x = static_cast<double>(*v);
      values[s].push_back(x);
      if (cycled) cycle_parts[s].push_back(x);
      if (f.query.series) series[s].Add(p.merged_at, x);
      if (f.query.drill) out[s].rows.push_back(PrRow(f.ds, *p.pr, p.merged_at, x));
    }
  }
  for (size_t s = 0; s < kN; ++s) {
    Metric& m = out[s];
    m.distribution = Summarize(&values[s]);
    m.value = m.distribution.p50;
    m.completeness.total = static_cast<int64_t>(f.merged.size());
    m.completeness.measured = m.distribution.n;
    m.completeness.NoteMissing(m.completeness.total - m.completeness.measured, m.completeness.total,
                               MissingWhy(kStages[s].key));
    if (f.query.series) m.series = series[s].Medians();
  }
  Metric& cycle = out[kN - 1];
  for (size_t s = 0; s + 1 < kN; ++s) {
    Distribution d = Summarize(&cycle_parts[s]);
    cycle.parts.push_back({kStages[s].part, d.p50, d, std::nullopt, ""});
  }
  std::erase_if(out, [&](const Metric& m) { return !f.query.Wants(m.key); });
  return out;
}

}  // namespace sei::metrics::pr
