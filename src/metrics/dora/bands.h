// DORA performance bands (elite, high, medium, low) by report year, stored
// as data (dora_bands.json, embedded at build time) rather than code, so a
// new report year is a data change and every threshold is written down once.
//
// Thread safety: the tables are parsed once (function-local static) and
// immutable; safe from any thread.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace sei::metrics::dora {

struct BandRule {
  std::string band;                // "elite" ...
  std::string label;               // the report's wording
  std::string measure;             // deployment frequency only: days_per_week ...
  std::optional<double> below;     // value < below
  std::optional<double> at_most;   // value <= at_most
  std::optional<double> at_least;  // measure >= at_least
};

struct BandTable {
  std::string year;
  std::string source;
  std::vector<std::string> notes;
  std::map<std::string, std::vector<BandRule>> metrics;  // "lead_time" -> rules, best first
};

// The median number of deployment days per calendar week, month and
// six-month window over a range: what deployment frequency bands test.
struct FrequencyMeasures {
  std::optional<double> days_per_week;
  std::optional<double> days_per_month;
  std::optional<double> days_per_six_months;
};

std::vector<std::string> BandYears();  // "2021", "2023", "2024"
Result<const BandTable*> BandsFor(std::string_view year);

// The band of a lower-is-better metric ("lead_time", "change_failure_rate",
// "failed_deployment_recovery_time", "time_to_restore"); nullopt when the
// table has no rules for it.
std::optional<std::string> Classify(const BandTable& table, const std::string& metric,
                                    double value);
std::optional<std::string> ClassifyFrequency(const BandTable& table, const FrequencyMeasures& m);

}  // namespace sei::metrics::dora
