#include "metrics/dora/bands.h"

#include <nlohmann/json.hpp>

#include "metrics/dora/dora_bands_data.h"

namespace sei::metrics::dora {

namespace {

std::optional<double> Num(const nlohmann::json& j, const char* key) {
  if (!j.contains(key)) return std::nullopt;
  return j.at(key).get<double>();
}

const std::map<std::string, BandTable>& Tables() {
  static const std::map<std::string, BandTable> tables = [] {
    std::map<std::string, BandTable> out;
    const nlohmann::json doc = nlohmann::json::parse(kDoraBandsJson);
    for (const auto& [year, y] : doc.at("years").items()) {
      BandTable t;
      t.year = year;
      t.source = y.value("source", "");
      t.notes = y.value("notes", std::vector<std::string>{});
      for (const auto& [metric, rules] : y.items()) {
        if (!rules.is_array() || metric == "notes") continue;
        for (const auto& r : rules) {
          t.metrics[metric].push_back({r.at("band").get<std::string>(), r.value("label", ""),
                                       r.value("measure", ""), Num(r, "below"), Num(r, "at_most"),
                                       Num(r, "at_least")});
        }
      }
      out[year] = std::move(t);
    }
    return out;
  }();
  return tables;
}

}  // namespace

std::vector<std::string> BandYears() {
  std::vector<std::string> years;
  for (const auto& [y, t] : Tables()) years.push_back(y);
  return years;
}

Result<const BandTable*> BandsFor(std::string_view year) {
  auto it = Tables().find(std::string(year));
  if (it == Tables().end()) {
    std::string known;
    for (const std::string& y : BandYears()) known += (known.empty() ? "" : ", ") + y;
    return InvalidArgumentError("no DORA bands for report year '" + std::string(year) +
                                "' (known: " + known + ")");
  }
  return &it->second;
}

std::optional<std::string> Classify(const BandTable& table, const std::string& metric,
                                    double value) {
  auto it = table.metrics.find(metric);
  if (it == table.metrics.end()) return std::nullopt;
  for (const BandRule& r : it->second) {
    if (r.below && !(value < *r.below)) continue;
    if (r.at_most && !(value <= *r.at_most + 1e-12)) continue;
    return r.band;
  }
  return std::nullopt;
}

std::optional<std::string> ClassifyFrequency(const BandTable& table, const FrequencyMeasures& m) {
  auto it = table.metrics.find("deployment_frequency");
  if (it == table.metrics.end()) return std::nullopt;
  for (const BandRule& r : it->second) {
    if (!r.at_least) return r.band;  // the last band takes the rest
    std::optional<double> v = r.measure == "days_per_week"    ? m.days_per_week
                              : r.measure == "days_per_month" ? m.days_per_month
                                                              : m.days_per_six_months;
    if (v && *v >= *r.at_least) return r.band;
  }
  return std::nullopt;
}

}  // namespace sei::metrics::dora
