// A metrics Query from text: the command line's flags and the API's query
// parameters name the same things (scope, since, until, granularity, band
// year, metric keys, drill, compare, series), so they are parsed here once.
//
// Times: "now", a date ("2024-01-31"), RFC 3339, or a length back from an
// anchor: "90d", "12w", "6m" (calendar months), "1y".
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "metrics/core/result.h"

namespace sei::metrics {

// `text` as an instant; `anchor` is "now" and the end lengths count back
// from; `what` names the input in errors ("--since", "since").
Result<int64_t> ParseWhen(const std::string& text, int64_t anchor, const std::string& what);

// The parts of a query as text; empty fields take the defaults.
struct QueryText {
  std::string scope;                        // "org", "team:payments" ...
  std::string team, project, repo, person;  // shorthands; at most one scope given
  std::string since = "90d";
  std::string until = "now";
  std::string granularity = "week";
  std::string band_year;
  std::vector<std::string> only;
  bool drill = false;
  bool compare = false;
  bool series = true;
};

// Errors name the field (`flag_prefix` + name: "--since" or "since").
Result<Query> ParseQuery(const QueryText& text, int64_t now, const std::string& flag_prefix);

}  // namespace sei::metrics
