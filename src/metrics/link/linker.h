// Linker: computes the derived data every DORA and pull request deployment
// metric rests on, and replaces the previous run's in one transaction:
//
//   deployments           those made from CI pipelines (CiDeploymentGenerator)
//   deployment_links      per deployment: previous successful deployment,
//                         commits and changes shipped, how it was linked
//   deployment_commits    the commits each deployment shipped (rows whose
//                         link_method is not "explicit" or "pushed"; those
//                         are inputs and never touched)
//   deployment_changes    the changes each deployment shipped first to its
//                         environment
//   commit_pull_requests  which pull request each commit belongs to
//   incident_deployments  which deployment caused each incident
//
// The rules are in deployment_order.h, repo_linker.h, pr_matcher.h and
// incident_linker.h, and in words in docs/metrics.md ("Linking"). A run reads
// the store, works one repository at a time (its graph is loaded, walked and
// dropped), and writes everything with one Store::ApplyWrites, so readers
// never see half a recomputation and running it twice changes nothing.
//
// Thread safety: one thread; uses `store` from the calling thread only.
#pragma once

#include "common/result.h"
#include "metrics/core/settings.h"
#include "metrics/link/link_summary.h"
#include "store/store.h"

namespace sei::metrics::link {

class Linker {
 public:
  Linker(Store& store, const MetricsSettings& settings) : store_(store), settings_(settings) {}

  Result<LinkSummary> Run();

 private:
  Store& store_;
  const MetricsSettings& settings_;
};

}  // namespace sei::metrics::link
