#include "demo/demo_options.h"

#include <fmt/format.h>

#include <cctype>
#include <vector>

#include "common/time.h"
#include "demo/work_hours.h"

namespace sei::demo {

namespace {

unsigned DaysInMonth(int64_t y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

bool IsIsoDate(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

std::vector<std::pair<std::string, std::string>> SplitMarker(const std::string& marker) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t pos = 0;
  while (pos <= marker.size()) {
    size_t semi = marker.find(';', pos);
    if (semi == std::string::npos) semi = marker.size();
    const std::string part = marker.substr(pos, semi - pos);
    const size_t eq = part.find('=');
    if (eq != std::string::npos) out.emplace_back(part.substr(0, eq), part.substr(eq + 1));
    pos = semi + 1;
  }
  return out;
}

}  // namespace

Status ValidateOptions(const DemoOptions& o) {
  if (o.months < 1 || o.months > 36) {
    return InvalidArgumentError(
        fmt::format("--months {} is out of range: pass 1 to 36 months of history", o.months));
  }
  if (!(o.size > 0.0 && o.size <= 4.0)) {
    return InvalidArgumentError(fmt::format("--size {} is out of range (0, 4]", o.size));
  }
  if (!IsIsoDate(o.until)) {
    return InvalidArgumentError(fmt::format(
        "--until '{}' is not a date: write it as YYYY-MM-DD, e.g. --until 2026-11-30", o.until));
  }
  Result<Timestamp> t = ParseTimestamp(o.until);
  if (!t.ok()) return InvalidArgumentError(fmt::format("--until: {}", t.status().message()));
  int64_t y = 0;
  unsigned m = 0, d = 0;
  CivilFromDays(t->unix_seconds / kDay, &y, &m, &d);
  if (fmt::format("{:04d}-{:02d}-{:02d}", y, m, d) != o.until) {
    return InvalidArgumentError(fmt::format("--until '{}' is not a calendar date", o.until));
  }
  if (y < 1980 || y > 2100) {
    return InvalidArgumentError(
        fmt::format("--until '{}' is out of range: pick a date in 1980-2100", o.until));
  }
  return Status::Ok();
}

Result<DemoWindow> ResolveWindow(const DemoOptions& o) {
  SEI_RETURN_IF_ERROR(ValidateOptions(o));
  SEI_ASSIGN_OR_RETURN(Timestamp until, ParseTimestamp(o.until));
  const int64_t end_day = until.unix_seconds / kDay + 1;
  int64_t y = 0;
  unsigned m = 0, d = 0;
  CivilFromDays(end_day, &y, &m, &d);
  int64_t months = static_cast<int64_t>(m) - 1 - o.months;
  const int64_t start_y = y + (months >= 0 ? months / 12 : -((-months + 11) / 12));
  const unsigned start_m = static_cast<unsigned>(months - (start_y - y) * 12) + 1;
  const unsigned start_d = std::min(d, DaysInMonth(start_y, start_m));
  DemoWindow w;
  w.end = end_day * kDay;
  w.start = DaysFromCivil(start_y, start_m, start_d) * kDay;
  w.sim_start = w.start - 6 * kWeek;
  return w;
}

std::string OptionsMarker(const DemoOptions& o) {
  std::string m = fmt::format("{};seed={};until={};months={};scale={}", kGeneratorVersion, o.seed,
                              o.until, o.months, o.scale ? 1 : 0);
  if (o.size != 1.0) m += fmt::format(";size={}", o.size);
  const ScaleTargets defaults;
  if (o.scale && (o.targets.commits != defaults.commits || o.targets.prs != defaults.prs ||
                  o.targets.deployments != defaults.deployments)) {
    m += fmt::format(";targets={}/{}/{}", o.targets.commits, o.targets.prs, o.targets.deployments);
  }
  return m;
}

std::string MarkerAsFlags(const std::string& marker) {
  std::string flags;
  std::string version;
  for (const auto& [key, value] : SplitMarker(marker)) {
    if (key == "scale") {
      if (value == "1") flags += " --scale";
    } else if (key == "targets") {  // commits/prs/deployments
      const size_t a = value.find('/'), b = value.rfind('/');
      flags += fmt::format(" --scale-commits {} --scale-prs {} --scale-deployments {}",
                           value.substr(0, a), value.substr(a + 1, b - a - 1), value.substr(b + 1));
    } else {
      flags += fmt::format(" --{} {}", key, value);
    }
  }
  if (marker.rfind(kGeneratorVersion, 0) != 0) {
    flags += fmt::format(" (made by another sei version: generator '{}')",
                         marker.substr(0, marker.find(';')));
  }
  return flags.empty() ? marker : flags.substr(1);
}

}  // namespace sei::demo
