// The DORA family: deployment frequency, lead time for changes, change
// failure rate, failed deployment recovery time, and time to restore
// service — each over production deployments (or incidents) of a scope and
// time range, with its band for the chosen report year (bands.h).
// Definitions: docs/metrics.md, "DORA".
//
// Thread safety: pure functions of a read-only Dataset.
#pragma once

#include "common/result.h"
#include "metrics/core/dataset.h"
#include "metrics/core/result.h"

namespace sei::metrics::dora {

Result<Report> ComputeDora(const Dataset& ds, const ResolvedScope& scope, const Query& query);

}  // namespace sei::metrics::dora
