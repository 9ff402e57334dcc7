// What the metrics engine returns: for each metric, the headline value with
// its statistic and unit, the distribution behind it, how many rows it rests
// on and how complete the data was, a band where one applies, a series per
// bucket, named parts (stages of a flow, shares of a mix), and on request the
// rows behind the number (drill-down).
//
// Every metric carries its key ("dora.lead_time") and the version of its
// written definition (docs/metrics.md): a number is never shown without
// saying which definition produced it.
//
// Thread safety: value types.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "metrics/core/scope.h"
#include "metrics/core/stats.h"

namespace sei::metrics {

// How much of the data a metric needed was there. `total` rows were
// considered, `measured` had what the metric needs; notes say in words what
// was missing ("31% of deployments have no linked commit").
struct Completeness {
  int64_t total = 0;
  int64_t measured = 0;
  std::vector<std::string> notes;

  std::optional<double> Fraction() const;
  // Adds "<pct>% of <what>" when part of `of` rows lack something.
  void NoteMissing(int64_t missing, int64_t of, const std::string& what);
};

struct SeriesPoint {
  int64_t start = 0;  // bucket start (UTC)
  std::optional<double> value;
  int64_t n = 0;  // rows in the bucket
};

// One row behind a number.
struct DrillRow {
  std::string entity;  // "pull-request", "deployment", "change", "incident", "issue" ...
  std::string id;
  std::optional<std::string> title;
  std::optional<std::string> url;
  std::optional<int64_t> at;    // the instant that placed it in the range
  std::optional<double> value;  // its contribution (seconds, lines, 1 ...)
  std::vector<std::pair<std::string, std::string>> fields;  // extra columns, in order
};

// A named part of a metric: a stage of the PR flow, a slice of a mix.
struct MetricPart {
  std::string key;  // "coding", "feature"
  std::optional<double> value;
  Distribution distribution;
  std::optional<double> share;      // of the whole, where a mix
  std::string unit;                 // when not the metric's own ("count")
  std::optional<double> previous;   // the same part over the previous period
  std::vector<SeriesPoint> series;  // per bucket, where a part has one (cumulative flow)
};

struct Metric {
  std::string key;        // "dora.lead_time"
  std::string name;       // "Lead time for changes"
  int version = 1;        // of its definition in docs/metrics.md
  std::string unit;       // "seconds", "per_week", "ratio", "count", "lines", "points", "days"
  std::string statistic;  // "median", "ratio", "count", "mean", "sum" ...
  std::optional<double> value;  // missing is missing
  Distribution distribution;
  Completeness completeness;
  std::optional<std::string> band;       // "elite", "high", "medium", "low"
  std::optional<std::string> band_year;  // "2023"
  std::optional<double> previous;        // the same metric over the previous period
  std::vector<SeriesPoint> series;
  std::vector<MetricPart> parts;
  std::vector<DrillRow> rows;  // only when drill-down was asked for
  std::vector<std::string> notes;
};

struct Query {
  Scope scope;
  TimeRange range;
  Granularity granularity = Granularity::kWeek;
  bool drill = false;             // fill Metric::rows
  bool series = true;             // fill Metric::series
  bool compare = false;           // fill Metric::previous (the previous period)
  std::string band_year;          // empty: the settings' default
  std::vector<std::string> only;  // metric keys or prefixes ("dora.", "pr.pickup"); empty: all
  bool Wants(const std::string& key) const;
  // Whether any wanted key lies in the group `prefix` ("flow.investment_mix"
  // when only "flow.investment_mix.type" is asked for): for inputs a group's
  // metrics share.
  bool WantsAny(const std::string& prefix) const;
};

struct Report {
  std::string family;  // "dora", "pr", "flow", "code", "bottlenecks"
  Query query;
  std::string scope_name;  // resolved display name
  std::vector<Metric> metrics;
  std::vector<std::string> notes;

  const Metric* Find(const std::string& key) const;
};

}  // namespace sei::metrics
