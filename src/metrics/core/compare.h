// WithPreviousPeriod: runs a family over its query and, when the query asks
// to compare, again over the period of the same length just before (no
// drill-down, series or comparison there), setting each metric's
// `previous` to the value it had then.
//
// Thread safety: as thread-safe as `run`.
#pragma once

#include <utility>

#include "metrics/core/result.h"

namespace sei::metrics {

// `run(const Query&)` returns a Report.
template <class Run>
Report WithPreviousPeriod(const Query& query, Run&& run) {
  Report report = run(query);
  if (!query.compare) return report;
  Query previous = query;
  previous.range = query.range.Previous();
  previous.drill = previous.series = previous.compare = false;
  const Report before = run(previous);
  for (Metric& m : report.metrics) {
    if (const Metric* p = before.Find(m.key)) m.previous = p->value;
  }
  return report;
}

}  // namespace sei::metrics
