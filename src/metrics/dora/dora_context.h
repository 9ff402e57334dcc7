// What every DORA metric of one query shares: the scope, the range, the
// band table, and the in-scope production deployments in the range.
//
// Thread safety: built and used by one thread.
#pragma once

#include <vector>

#include "metrics/core/dataset.h"
#include "metrics/core/result.h"
#include "metrics/dora/bands.h"

namespace sei::metrics::dora {

struct Context {
  const Dataset& ds;
  const ResolvedScope& scope;
  const Query& query;
  TimeRange range;
  const BandTable& bands;
  std::vector<Idx> deployments;  // production, in scope, `at` in range, any result
};

// Production deployments of the scope whose time falls in `range`.
std::vector<Idx> ProductionDeployments(const Dataset& ds, const ResolvedScope& scope,
                                       const TimeRange& range);

// result failure or rolled_back
inline bool IsFailure(const DsDeployment& d) {
  return d.outcome == Outcome::kFailure || d.outcome == Outcome::kRolledBack;
}
// success, failure or rolled_back
inline bool IsFinished(const DsDeployment& d) { return d.outcome != Outcome::kOther; }
inline bool IsSuccess(const DsDeployment& d) { return d.outcome == Outcome::kSuccess; }

Metric DeploymentFrequency(const Context& c);
Metric LeadTime(const Context& c);
Metric ChangeFailureRate(const Context& c);
Metric FailedDeploymentRecoveryTime(const Context& c);
Metric TimeToRestore(const Context& c);

// Sets band and band_year from `table` for a lower-is-better metric.
void SetBand(const BandTable& table, const std::string& band_metric, Metric* m);

}  // namespace sei::metrics::dora
