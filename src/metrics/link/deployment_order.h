// DeploymentOrder: when each deployment counts, which deployments shipped
// code, and the previous successful deployment of each successful one.
//
//   default  A deployment counts at its finish time, else its start time
//            (neither: it cannot be placed). It ships when its result is
//            "success". Its previous successful deployment is the latest
//            earlier shipping deployment of the same repo (or service, for
//            a deployment without a repo) and environment, ordered by
//            finish time, ties by start time, then id.
//   devlake  As DevLake's prev_success_deployment_commit enricher: only
//            successful deployments with a finish time, an environment and
//            a repo ship; they are grouped by CI scope (the pipeline's
//            ci_scope, else the connection), repo and environment, and
//            ordered by finish time.
//
// Thread safety: value type.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <unordered_map>
#include <vector>

#include "metrics/core/settings.h"
#include "model/delivery.h"

namespace sei::metrics::link {

inline constexpr int64_t kNoTime = std::numeric_limits<int64_t>::min();

struct DeploymentOrder {
  // `ci_scope_of` maps pipeline ids to their ci_scope (DevLake's grouping).
  static DeploymentOrder Build(const std::vector<model::Deployment>& deployments,
                               const std::unordered_map<std::string, std::string>& ci_scope_of,
                               Mode mode);

  std::vector<int32_t> by_time;  // every placed deployment by (at, started, id)
  std::vector<int64_t> at;       // per deployment; kNoTime when it has no time
  std::vector<uint8_t> ships;    // per deployment: successful and placed
  std::vector<int32_t> prev;     // per deployment: previous shipping one of its group, or -1
};

}  // namespace sei::metrics::link
