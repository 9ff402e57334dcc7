#include "metrics/pr/pr.h"

#include "metrics/pr/pr_internal.h"

namespace sei::metrics::pr {

Result<Report> ComputePr(const Dataset& ds, const ResolvedScope& scope, const Query& query) {
  Flow f = CollectMerged(ds, scope, query, query.range);
  Report r;
  for (auto* part : {&StageMetrics, &ReviewMetrics, &OpenAndLoadMetrics}) {
    for (Metric& m : part(f)) r.metrics.push_back(std::move(m));
  }
  if (query.compare) {
    Query q = query;
    q.drill = q.series = q.compare = false;
    Flow prev = CollectMerged(ds, scope, q, query.range.Previous());
    std::vector<Metric> before;
    for (auto* part : {&StageMetrics, &ReviewMetrics, &OpenAndLoadMetrics}) {
      for (Metric& m : part(prev)) before.push_back(std::move(m));
    }
    for (Metric& m : r.metrics) {
      for (const Metric& b : before) {
        if (b.key == m.key) m.previous = b.value;
      }
    }
  }
  if (ds.settings.mode == Mode::kDevLake) r.notes.push_back("DevLake-compatible definitions");
  return r;
}

}  // namespace sei::metrics::pr
