// Loads a Dataset from a Store: every row the metrics need, accounts resolved
// to people, children grouped under their parents, derived links
// (deployment_links, deployment_changes, incident_deployments) attached.
//
// Thread safety: uses `store` from the calling thread only.
#pragma once

#include <memory>

#include "common/result.h"
#include "metrics/core/dataset.h"
#include "metrics/core/settings.h"
#include "store/store.h"

namespace sei::metrics {

struct LoadOptions {
  bool commits = false;  // per-commit rows (throughput by commits, code metrics)
  bool files = false;    // per-file rows of non-merge commits (code metrics); implies commits
};

Result<std::unique_ptr<Dataset>> LoadDataset(Store& store, const MetricsSettings& settings,
                                             const LoadOptions& options = {});

}  // namespace sei::metrics
