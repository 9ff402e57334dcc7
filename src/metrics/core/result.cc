#include "metrics/core/result.h"

#include <cmath>

#include <fmt/format.h>

namespace sei::metrics {

std::optional<double> Completeness::Fraction() const {
  if (total == 0) return std::nullopt;
  return static_cast<double>(measured) / static_cast<double>(total);
}

void Completeness::NoteMissing(int64_t missing, int64_t of, const std::string& what) {
  if (missing <= 0 || of <= 0) return;
  const double pct = 100.0 * static_cast<double>(missing) / static_cast<double>(of);
  // Never round a real gap down to "0%".
  const double shown = pct < 1.0 ? std::ceil(pct * 10) / 10 : std::round(pct);
  notes.push_back(fmt::format("{}% of {}", shown, what));
}

bool Query::Wants(const std::string& key) const {
  if (only.empty()) return true;
  for (const std::string& o : only) {
    if (key == o || (!o.empty() && o.back() == '.' && key.rfind(o, 0) == 0)) return true;
    if (key.rfind(o + ".", 0) == 0) return true;
  }
  return false;
}

bool Query::WantsAny(const std::string& prefix) const {
  if (Wants(prefix)) return true;
  for (const std::string& o : only) {
    if (o.rfind(prefix + ".", 0) == 0) return true;
  }
  return false;
}

const Metric* Report::Find(const std::string& key) const {
  for (const Metric& m : metrics) {
    if (m.key == key) return &m;
  }
  return nullptr;
}

}  // namespace sei::metrics
