#include "metrics/pr/pr.h"

#include "metrics/core/compare.h"
#include "metrics/pr/pr_internal.h"

namespace sei::metrics::pr {

Result<Report> ComputePr(const Dataset& ds, const ResolvedScope& scope, const Query& query) {
  Report r = WithPreviousPeriod(query, [&](const Query& q) {
    Flow f = CollectMerged(ds, scope, q, q.range);
    Report out;
    for (auto* part : {&StageMetrics, &ReviewMetrics, &OpenAndLoadMetrics}) {
      for (Metric& m : part(f)) out.metrics.push_back(std::move(m));
    }
    return out;
  });
  if (ds.settings.mode == Mode::kDevLake) r.notes.push_back("DevLake-compatible definitions");
  return r;
}

}  // namespace sei::metrics::pr
