// Lead time for changes: for every change (a PR, or a commit pushed without
// one) that a successful production deployment in range shipped first, the
// time from its first commit to that deployment. Parts: the PR-flow stages
// of the PR changes (coding, pickup, review, deploy), so the number explains
// itself.
#include <algorithm>

#include "metrics/core/drill.h"
#include "metrics/core/pr_facts.h"
#include "metrics/core/series.h"
#include "metrics/core/stats.h"
#include "metrics/dora/dora_context.h"

namespace sei::metrics::dora {

namespace {

struct StageValues {
  std::vector<double> coding, pickup, review, deploy;
  void Add(const DsChange& c) {
    std::vector<double>* out[4] = {&coding, &pickup, &review, &deploy};
    for (int k = 0; k < 4; ++k) {
      if (c.stages[k] != DsChange::kNoStage) out[k]->push_back(c.stages[k]);
    }
  }
  std::vector<MetricPart> Parts() {
    std::vector<MetricPart> parts;
    for (auto& [key, v] : {std::pair<const char*, std::vector<double>*>{"coding", &coding},
                           {"pickup", &pickup},
                           {"review", &review},
                           {"deploy", &deploy}}) {
      Distribution d = Summarize(v);
      parts.push_back({key, d.p50, d, std::nullopt, ""});
    }
    return parts;
  }
};

struct Tally {
  int64_t deployments = 0, with_changes = 0, unlinked = 0, no_commit = 0;
  int64_t bounded_changes = 0, skewed = 0, bots = 0, direct = 0, changes = 0;
};

void AddNotes(const Tally& t, const MetricsSettings& s, Metric* m) {
  Completeness& c = m->completeness;
  c.total = t.deployments;
  c.measured = t.with_changes;
  c.NoteMissing(t.unlinked, t.deployments,
                "successful production deployments are not linked yet (run `sei link`)");
  c.NoteMissing(t.no_commit, t.deployments,
                "successful production deployments have no commit or no commit in the "
                "collected history");
  c.NoteMissing(t.deployments - t.with_changes - t.unlinked - t.no_commit, t.deployments,
                "successful production deployments shipped no new change");
  c.NoteMissing(t.bounded_changes, t.changes,
                "changes come from a first deployment (only commits from the " +
                    std::to_string(s.first_deployment_window_days) + " days before it count)");
  c.NoteMissing(t.direct, t.changes, "changes are commits pushed without a pull request");
  if (t.skewed > 0) {
    m->notes.push_back(std::to_string(t.skewed) +
                       " changes left out: first commit after the deployment (clock skew)");
  }
  if (t.bots > 0) m->notes.push_back(std::to_string(t.bots) + " changes by bots left out");
}

}  // namespace

Metric LeadTime(const Context& c) {
  const bool devlake = c.ds.settings.mode == Mode::kDevLake;
  Metric m;
  m.key = "dora.lead_time";
  m.name = "Lead time for changes";
  m.unit = "seconds";
  m.statistic = "median";
  SeriesBuilder series(c.range, c.query.granularity);
  std::vector<double> values;
  StageValues stages;
  Tally t;
  for (Idx i : c.deployments) {
    const DsDeployment& d = c.ds.deployments[static_cast<size_t>(i)];
    if (!IsSuccess(d)) continue;
    ++t.deployments;
    if (!d.has_link) ++t.unlinked;
    if (d.link_method == "no-commit" || d.link_method == "no-graph") ++t.no_commit;
    bool any = false;
    for (uint32_t k = d.changes.begin; k < d.changes.end; ++k) {
      const DsChange& ch = c.ds.changes[k];
      if (!c.ds.ChangeInScope(c.scope, ch)) continue;
      if (devlake && ch.pr == kNone) continue;  // DevLake: PR changes only
      if (c.ds.IsBot(ch.author)) {
        ++t.bots;
        continue;
      }
      const int64_t lt = d.at - ch.first_commit_at;
      if (lt < 0) {
        ++t.skewed;
        continue;
      }
      any = true;
      ++t.changes;
      if (ch.first_bounded) ++t.bounded_changes;
      if (ch.pr == kNone) ++t.direct;
      values.push_back(static_cast<double>(lt));
      series.Add(d.at, static_cast<double>(lt));
      if (ch.pr != kNone) stages.Add(ch);
      if (c.query.drill) m.rows.push_back(ChangeRow(c.ds, ch, static_cast<double>(lt)));
    }
    if (any) ++t.with_changes;
  }
  m.distribution = Summarize(&values);
  m.value = m.distribution.p50;
  m.parts = stages.Parts();
  AddNotes(t, c.ds.settings, &m);
  if (c.query.series) m.series = series.Medians();
  SetBand(c.bands, "lead_time", &m);
  return m;
}

}  // namespace sei::metrics::dora
