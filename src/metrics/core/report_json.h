// Report <-> JSON: the one serialisation of metric results, used by
// `sei metrics --format json`, the golden tests and the REST API. Instants are
// RFC 3339 UTC strings; durations stay in the metric's unit (seconds).
//
// Thread safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>

#include "metrics/core/result.h"

namespace sei::metrics {

nlohmann::json ToJson(const Distribution& d);
nlohmann::json ToJson(const Metric& m);
nlohmann::json ToJson(const Report& r);

}  // namespace sei::metrics
