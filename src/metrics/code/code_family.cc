#include "metrics/code/code_family.h"

#include "metrics/core/compare.h"

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
  return WithPreviousPeriod(query, [&](const Query& q) { return Run(ds, scope, q); });
}

}  // namespace sei::metrics::code
