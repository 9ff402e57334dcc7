#include <algorithm>

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

Metric StageMetric(const Flow& f, const Stage& stage) {
  Metric m;
  m.key = stage.key;
  m.name = stage.name;
  m.unit = "seconds";
  m.statistic = "median";
  SeriesBuilder series(f.range, f.query.granularity);
  std::vector<double> values;
  for (const MergedPr& p : f.merged) {
    const auto& v = p.facts.*stage.field;
    if (!v) continue;
    values.push_back(static_cast<double>(*v));
    series.Add(*p.pr->merged_at, static_cast<double>(*v));
    if (f.query.drill) {
      m.rows.push_back(PrRow(f.ds, *p.pr, *p.pr->merged_at, static_cast<double>(*v)));
    }
  }
  m.distribution = Summarize(&values);
  m.value = m.distribution.p50;
  m.completeness.total = static_cast<int64_t>(f.merged.size());
  m.completeness.measured = static_cast<int64_t>(values.size());
  m.completeness.NoteMissing(m.completeness.total - m.completeness.measured, m.completeness.total,
                             MissingWhy(stage.key));
  if (f.query.series) m.series = series.Medians();
  return m;
}

}  // namespace

Flow CollectMerged(const Dataset& ds, const ResolvedScope& scope, const Query& query,
                   const TimeRange& range) {
  Flow f{ds, scope, query, range, {}};
  for (const DsPr& p : ds.prs) {
    if (!p.merged_at || !range.Contains(*p.merged_at) || !ds.PrInScope(scope, p)) continue;
    f.merged.push_back({&p, ComputePrFacts(ds, p)});
  }
  return f;
}

std::vector<Metric> StageMetrics(const Flow& f) {
  std::vector<Metric> out;
  for (const Stage& s : kStages) {
    if (f.query.Wants(s.key)) out.push_back(StageMetric(f, s));
  }
  // The cycle time explains itself through its stages.
  for (Metric& m : out) {
    if (m.key != "pr.cycle_time") continue;
    for (const Stage& s : kStages) {
      if (std::string(s.key) == "pr.cycle_time") continue;
      std::vector<double> v;
      for (const MergedPr& p : f.merged) {
        if (p.facts.cycle && p.facts.*s.field)
          v.push_back(static_cast<double>(*(p.facts.*s.field)));
      }
      Distribution d = Summarize(&v);
      m.parts.push_back({s.part, d.p50, d, std::nullopt, ""});
    }
  }
  return out;
}

}  // namespace sei::metrics::pr
