// Renders a metrics Report for the terminal (an aligned table with humane
// units: "1d 4h", "33%", "3.3/week"), as CSV (one row per metric, raw
// numbers in the metric's unit), or as JSON (metrics/core/report_json.h).
//
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string>

#include "metrics/core/result.h"

namespace sei::app {

// "3d 4h", "45m", "12s"; "-" when missing.
std::string HumanDuration(std::optional<double> seconds);
// A value in `unit` ("seconds", "ratio", "per_week", "lines" ...), for people.
std::string HumanValue(const std::string& unit, std::optional<double> v);

std::string FormatTable(const metrics::Report& r, bool with_series, bool with_rows);
std::string FormatCsv(const metrics::Report& r);

}  // namespace sei::app
