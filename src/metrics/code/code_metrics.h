// The code metrics, one function per metric (or pair), each adding what the
// query wants to the report. Definitions: docs/metrics.md, "Code".
//
// Thread safety: pure functions of their inputs.
#pragma once

#include "metrics/code/code_inputs.h"
#include "metrics/core/result.h"

namespace sei::metrics::code {

// code.churn
void AddChurn(const CodeInputs& in, Report* report);
// code.rework, code.rework_ratio
void AddRework(const CodeInputs& in, Report* report);
// code.hotspots
void AddHotspots(const CodeInputs& in, Report* report);
// code.ownership, code.bus_factor
void AddOwnership(const CodeInputs& in, Report* report);

}  // namespace sei::metrics::code
