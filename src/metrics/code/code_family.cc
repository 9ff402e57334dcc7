#include "metrics/code/code_family.h"

#include "metrics/code/code_inputs.h"
#include "metrics/code/code_metrics.h"

namespace sei::metrics::code {

namespace {

Report Run(const Dataset& ds, const ResolvedScope& scope, const Query& query) {
  const CodeInputs in(ds, scope, query);
  Report report;
  AddChurn(in, &report);
  AddRework(in, &report);
  AddHotspots(in, &report);
  AddOwnership(in, &report);
  if (!in.has_commits) report.notes.push_back("no commit of the scope exists by the range's end");
  return report;
}

}  // namespace

Result<Report> ComputeCode(const Dataset& ds, const ResolvedScope& scope, const Query& query) {
  if (!ds.has_files) {
    return FailedPreconditionError(
        "the code metrics need per-file rows: load the dataset with LoadOptions::files");
  }
  Report report = Run(ds, scope, query);
  if (query.compare) {
    Query previous = query;
    previous.range = query.range.Previous();
    previous.drill = previous.series = previous.compare = false;
    const Report before = Run(ds, scope, previous);
    for (Metric& m : report.metrics) {
      if (const Metric* p = before.Find(m.key)) m.previous = p->value;
    }
  }
  return report;
}

}  // namespace sei::metrics::code
