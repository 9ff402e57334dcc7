// Link writes: turns a LinkOutput into the table writes of one
// Store::ApplyWrites — every derived table replaced whole, derived
// deployment commits replaced method by method (explicit rows stay), CI
// deployments of earlier runs that are gone deleted and this run's upserted.
// The large tables are streamed row by row (TableWrite::produce).
//
// Thread safety: the writes refer to `out`, `deployments` and `prs`, which
// must outlive Store::ApplyWrites; one thread.
#pragma once

#include <string>
#include <vector>

#include "metrics/link/link_inputs.h"
#include "metrics/link/link_output.h"
#include "model/delivery.h"
#include "store/store.h"

namespace sei::metrics::link {

struct WritePlan {
  const LinkOutput* out = nullptr;
  const std::vector<model::Deployment>* deployments = nullptr;
  const std::vector<LinkPr>* prs = nullptr;
  std::vector<model::Deployment> generated;         // CI deployments to upsert
  std::vector<std::string> stale_generated;         // CI deployment ids to delete
  std::vector<std::string> derived_commit_methods;  // stored derived methods to clear
};

std::vector<TableWrite> BuildLinkWrites(const WritePlan& plan);

}  // namespace sei::metrics::link
