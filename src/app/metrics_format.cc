#include "app/metrics_format.h"

#include <fmt/format.h>

#include <cmath>

#include "common/time.h"

namespace sei::app {

namespace {

std::string Csv(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string Num(std::optional<double> v) {
  if (!v) return "";
  if (std::floor(*v) == *v && std::fabs(*v) < 1e15)
    return fmt::format("{}", static_cast<int64_t>(*v));
  return fmt::format("{:.6g}", *v);
}

std::string Pct(std::optional<double> v) {
  if (!v) return "-";
  const double p = *v * 100;
  return p != 0 && std::fabs(p) < 10 ? fmt::format("{:.1f}%", p) : fmt::format("{:.0f}%", p);
}

std::string Completeness(const metrics::Metric& m) {
  const auto f = m.completeness.Fraction();
  return f ? Pct(f) : "-";
}

}  // namespace

std::string HumanDuration(std::optional<double> seconds) {
  if (!seconds) return "-";
  double s = std::fabs(*seconds);
  const char* sign = *seconds < 0 ? "-" : "";
  if (s < 60) return fmt::format("{}{:.0f}s", sign, s);
  if (s < 3600) return fmt::format("{}{:.0f}m", sign, s / 60);
  if (s < 86400) {
    const int h = static_cast<int>(s / 3600);
    const int m = static_cast<int>(std::round((s - h * 3600) / 60));
    return m ? fmt::format("{}{}h {}m", sign, h, m) : fmt::format("{}{}h", sign, h);
  }
  const int d = static_cast<int>(s / 86400);
  const int h = static_cast<int>(std::round((s - d * 86400.0) / 3600));
  return h ? fmt::format("{}{}d {}h", sign, d, h) : fmt::format("{}{}d", sign, d);
}

std::string HumanValue(const std::string& unit, std::optional<double> v) {
  if (!v) return "-";
  if (unit == "seconds") return HumanDuration(v);
  if (unit == "ratio") return Pct(v);
  if (unit == "per_week") return fmt::format("{:.2f}/week", *v);
  return Num(v) + (unit == "lines" ? " lines" : "");
}

std::string FormatTable(const metrics::Report& r, bool with_series, bool with_rows) {
  std::string out =
      fmt::format("{} metrics for {} ({}), {} to {}\n\n", r.family, r.scope_name,
                  r.query.scope.ToString(), FormatRfc3339Utc(r.query.range.since).substr(0, 10),
                  FormatRfc3339Utc(r.query.range.until).substr(0, 10));
  out += fmt::format("{:<34} {:>12} {:>7} {:>12} {:>12} {:>8} {:>9}\n", "metric", "value", "n",
                     "p75", "p90", "band", "complete");
  for (const metrics::Metric& m : r.metrics) {
    const bool dist = m.statistic == "median";
    out += fmt::format(
        "{:<34} {:>12} {:>7} {:>12} {:>12} {:>8} {:>9}\n", m.name, HumanValue(m.unit, m.value),
        m.distribution.n, dist ? HumanValue(m.unit, m.distribution.p75) : "",
        dist ? HumanValue(m.unit, m.distribution.p90) : "", m.band.value_or(""), Completeness(m));
    for (const metrics::MetricPart& p : m.parts) {
      std::string share = p.share ? " (" + Pct(p.share) + ")" : "";
      out += fmt::format("  {:<32} {:>12}{}\n", p.key,
                         HumanValue(p.unit.empty() ? m.unit : p.unit, p.value), share);
    }
    for (const std::string& n : m.completeness.notes) out += "  note: " + n + "\n";
    for (const std::string& n : m.notes) out += "  note: " + n + "\n";
    if (m.previous) out += "  previous period: " + HumanValue(m.unit, m.previous) + "\n";
    if (with_series) {
      for (const metrics::SeriesPoint& p : m.series) {
        out += fmt::format("  {}  {:>12}  n={}\n", FormatRfc3339Utc(p.start).substr(0, 10),
                           HumanValue(m.unit, p.value), p.n);
      }
    }
    if (with_rows) {
      for (const metrics::DrillRow& row : m.rows) {
        out += fmt::format("  - {} {} {} {}\n", row.entity, row.id, HumanValue(m.unit, row.value),
                           row.title.value_or(""));
      }
    }
  }
  for (const std::string& n : r.notes) out += "\nnote: " + n;
  if (!r.notes.empty()) out += "\n";
  return out;
}

std::string FormatCsv(const metrics::Report& r) {
  std::string out =
      "family,scope,since,until,key,name,version,unit,statistic,value,n,p50,p75,p90,band,"
      "band_year,completeness,notes\n";
  for (const metrics::Metric& m : r.metrics) {
    std::string notes;
    for (const std::string& n : m.completeness.notes) notes += (notes.empty() ? "" : "; ") + n;
    for (const std::string& n : m.notes) notes += (notes.empty() ? "" : "; ") + n;
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", r.family,
                       Csv(r.query.scope.ToString()), FormatRfc3339Utc(r.query.range.since),
                       FormatRfc3339Utc(r.query.range.until), m.key, Csv(m.name), m.version, m.unit,
                       m.statistic, Num(m.value), m.distribution.n, Num(m.distribution.p50),
                       Num(m.distribution.p75), Num(m.distribution.p90), m.band.value_or(""),
                       m.band_year.value_or(""), Num(m.completeness.Fraction()), Csv(notes));
  }
  return out;
}

}  // namespace sei::app
