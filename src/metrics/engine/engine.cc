#include "metrics/engine/engine.h"

#include "metrics/bottlenecks/bottlenecks.h"
#include "metrics/code/code_family.h"
#include "metrics/dora/dora.h"
#include "metrics/flow/flow_family.h"
#include "metrics/pr/pr.h"

namespace sei::metrics {

const std::vector<Family>& Families() {
  static const std::vector<Family> families = {
      {"dora",
       "DORA: deployment frequency, lead time for changes, change failure rate, failed "
       "deployment recovery time, time to restore",
       &dora::ComputeDora},
      {"pr",
       "PR flow: coding, pickup, review, deploy and cycle time; size, review depth, rework, "
       "merged without review, open PR age, stale PRs, review load",
       &pr::ComputePr},
      {"bottlenecks",
       "Bottlenecks: the PR stage and the issue status that hold work longest, and what "
       "changed against the previous period",
       &bottlenecks::ComputeBottlenecks},
      {"flow", "delivery and flow: throughput, issue cycle time, WIP, flow efficiency, sprints",
       &flow::ComputeFlow},
      {"code", "code: churn, rework, hotspots, ownership and bus factor", &code::ComputeCode,
       /*needs_commits=*/true, /*needs_files=*/true},
  };
  return families;
}

const Family* FindFamily(const std::string& name) {
  for (const Family& f : Families()) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

Result<Report> Compute(const Dataset& ds, const std::string& family, const Query& query) {
  const Family* f = FindFamily(family);
  if (f == nullptr) {
    std::string known;
    for (const Family& x : Families()) known += (known.empty() ? "" : ", ") + x.name;
    return InvalidArgumentError("no metrics family '" + family + "' (known: " + known + ")");
  }
  if (query.range.until <= query.range.since) {
    return InvalidArgumentError("the time range is empty: --since must be before --until");
  }
  if (f->needs_commits && !ds.has_commits) {
    return FailedPreconditionError("metrics family '" + family +
                                   "' needs commits: load the dataset with commits");
  }
  if (f->needs_files && !ds.has_files) {
    return FailedPreconditionError("metrics family '" + family +
                                   "' needs per-file rows: load the dataset with files");
  }
  SEI_ASSIGN_OR_RETURN(ResolvedScope scope, ds.Resolve(query.scope));
  SEI_ASSIGN_OR_RETURN(Report report, f->compute(ds, scope, query));
  report.family = family;
  report.query = query;
  report.scope_name = scope.name;
  return report;
}

}  // namespace sei::metrics
