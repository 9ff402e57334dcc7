// Link writes: turns a LinkOutput into the table writes of one
// Store::ApplyWrites that replaces the previous run's derived rows — CI
// deployments, deployment commits (explicit rows stay), commit-PR matches,
// deployment links and changes, incident links.
//
// Each table is written as a difference: inside the transaction the table's
// current rows are read in key order and merged with the new rows (sorted
// the same way, SortForWrite): rows that are gone are deleted, new or
// changed rows upserted, equal rows left alone. A re-run over unchanged
// data reads but writes nothing; the result is always exactly the new rows
// (plus the rows a table keeps: explicit deployment commits, deployments
// that were not generated from CI).
//
// Thread safety: the writes refer to `plan`'s pointees and `store`, which
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
  std::vector<model::Deployment> generated;  // CI deployments, sorted by id
};

// Orders `out`'s rows (and `generated`) by their tables' keys, the order
// the store scans them in.
void SortForWrite(const std::vector<model::Deployment>& deployments, const std::vector<LinkPr>& prs,
                  LinkOutput* out, std::vector<model::Deployment>* generated);

std::vector<TableWrite> BuildLinkWrites(Store& store, const WritePlan& plan);

}  // namespace sei::metrics::link
