#include "metrics/core/report_json.h"

#include "common/time.h"

namespace sei::metrics {

namespace {

using nlohmann::json;

json Opt(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }
json Opt(const std::optional<std::string>& v) { return v ? json(*v) : json(nullptr); }

}  // namespace

json ToJson(const Distribution& d) {
  json j = {{"n", d.n},          {"p50", Opt(d.p50)}, {"p75", Opt(d.p75)},
            {"p90", Opt(d.p90)}, {"min", Opt(d.min)}, {"max", Opt(d.max)}};
  if (d.mean) j["mean"] = *d.mean;
  return j;
}

json ToJson(const Metric& m) {
  json j;
  j["key"] = m.key;
  j["name"] = m.name;
  j["version"] = m.version;
  j["unit"] = m.unit;
  j["statistic"] = m.statistic;
  j["value"] = Opt(m.value);
  j["distribution"] = ToJson(m.distribution);
  j["completeness"] = {{"total", m.completeness.total},
                       {"measured", m.completeness.measured},
                       {"fraction", Opt(m.completeness.Fraction())},
                       {"notes", m.completeness.notes}};
  if (m.band) {
    j["band"] = *m.band;
    j["band_year"] = Opt(m.band_year);
  }
  if (m.previous) j["previous"] = *m.previous;
  if (!m.series.empty()) {
    json s = json::array();
    for (const SeriesPoint& p : m.series) {
      s.push_back({{"start", FormatRfc3339Utc(p.start)}, {"value", Opt(p.value)}, {"n", p.n}});
    }
    j["series"] = std::move(s);
  }
  if (!m.parts.empty()) {
    json parts = json::array();
    for (const MetricPart& p : m.parts) {
      json pj = {{"key", p.key}, {"value", Opt(p.value)}, {"distribution", ToJson(p.distribution)}};
      if (p.share) pj["share"] = *p.share;
      if (!p.unit.empty()) pj["unit"] = p.unit;
      if (p.previous) pj["previous"] = *p.previous;
      parts.push_back(std::move(pj));
    }
    j["parts"] = std::move(parts);
  }
  if (!m.rows.empty()) {
    json rows = json::array();
    for (const DrillRow& r : m.rows) {
      json rj = {{"entity", r.entity}, {"id", r.id}};
      if (r.title) rj["title"] = *r.title;
      if (r.url) rj["url"] = *r.url;
      if (r.at) rj["at"] = FormatRfc3339Utc(*r.at);
      rj["value"] = Opt(r.value);
      for (const auto& [k, v] : r.fields) rj[k] = v;
      rows.push_back(std::move(rj));
    }
    j["rows"] = std::move(rows);
  }
  if (!m.notes.empty()) j["notes"] = m.notes;
  return j;
}

json ToJson(const Report& r) {
  json j;
  j["family"] = r.family;
  j["scope"] = r.query.scope.ToString();
  j["scope_name"] = r.scope_name;
  j["since"] = FormatRfc3339Utc(r.query.range.since);
  j["until"] = FormatRfc3339Utc(r.query.range.until);
  j["granularity"] = std::string(GranularityName(r.query.granularity));
  json metrics = json::array();
  for (const Metric& m : r.metrics) metrics.push_back(ToJson(m));
  j["metrics"] = std::move(metrics);
  if (!r.notes.empty()) j["notes"] = r.notes;
  return j;
}

}  // namespace sei::metrics
