// The metrics engine's front door: resolves a query's scope against a
// Dataset and runs one family of metrics (dora, pr, flow, code, bottlenecks).
// Families register here; the command line, the API and the golden tests all
// come through Compute(), so they cannot disagree.
//
// Thread safety: Compute() only reads the Dataset; safe from many threads.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "metrics/core/dataset.h"
#include "metrics/core/result.h"

namespace sei::metrics {

using FamilyFn = Result<Report> (*)(const Dataset&, const ResolvedScope&, const Query&);

struct Family {
  std::string name;         // "dora"
  std::string description;  // one line for --help
  FamilyFn compute;
  bool needs_commits = false;  // the Dataset must be loaded with commits
  bool needs_files = false;    // ... and with per-file rows (LoadOptions::files)
};

const std::vector<Family>& Families();
const Family* FindFamily(const std::string& name);

// Runs `family` for `query`. Errors: unknown family, unknown scope name,
// an empty or inverted time range.
Result<Report> Compute(const Dataset& ds, const std::string& family, const Query& query);

}  // namespace sei::metrics
