#include "metrics/core/scope.h"

#include "common/time.h"

namespace sei::metrics {

std::string_view ScopeKindName(ScopeKind kind) {
  switch (kind) {
    case ScopeKind::kOrg:
      return "org";
    case ScopeKind::kTeam:
      return "team";
    case ScopeKind::kProject:
      return "project";
    case ScopeKind::kRepo:
      return "repo";
    case ScopeKind::kPerson:
      return "person";
  }
  return "org";
}

std::string Scope::ToString() const {
  if (kind == ScopeKind::kOrg) return "org";
  return std::string(ScopeKindName(kind)) + ":" + id;
}

Result<Scope> ParseScope(std::string_view text) {
  if (text == "org" || text == "organisation" || text == "organization") return Scope{};
  const size_t colon = text.find(':');
  const std::string_view kind = text.substr(0, colon);
  const std::string_view id = colon == std::string_view::npos ? "" : text.substr(colon + 1);
  Scope scope;
  if (kind == "team") {
    scope.kind = ScopeKind::kTeam;
  } else if (kind == "project") {
    scope.kind = ScopeKind::kProject;
  } else if (kind == "repo") {
    scope.kind = ScopeKind::kRepo;
  } else if (kind == "person") {
    scope.kind = ScopeKind::kPerson;
  } else {
    return InvalidArgumentError("scope '" + std::string(text) +
                                "' is not one of org, team:NAME, project:NAME, repo:NAME, "
                                "person:NAME");
  }
  if (id.empty()) {
    return InvalidArgumentError("scope '" + std::string(text) + "' needs a name after '" +
                                std::string(kind) + ":'");
  }
  scope.id = std::string(id);
  return scope;
}

std::string_view GranularityName(Granularity g) {
  switch (g) {
    case Granularity::kDay:
      return "day";
    case Granularity::kWeek:
      return "week";
    case Granularity::kMonth:
      return "month";
  }
  return "week";
}

Result<Granularity> ParseGranularity(std::string_view text) {
  if (text == "day") return Granularity::kDay;
  if (text == "week") return Granularity::kWeek;
  if (text == "month") return Granularity::kMonth;
  return InvalidArgumentError("granularity '" + std::string(text) +
                              "' is not one of day, week, month");
}

namespace {
int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
}  // namespace

int64_t BucketStart(int64_t t, Granularity g) {
  switch (g) {
    case Granularity::kDay:
      return FloorDiv(t, 86400) * 86400;
    case Granularity::kWeek:
      return WeekStartUtc(t);
    case Granularity::kMonth: {
      int64_t y;
      unsigned m, d;
      CivilFromDays(FloorDiv(t, 86400), &y, &m, &d);
      return DaysFromCivil(y, m, 1) * 86400;
    }
  }
  return t;
}

int64_t NextBucket(int64_t start, Granularity g) {
  switch (g) {
    case Granularity::kDay:
      return start + 86400;
    case Granularity::kWeek:
      return start + 7 * 86400;
    case Granularity::kMonth: {
      int64_t y;
      unsigned m, d;
      CivilFromDays(FloorDiv(start, 86400), &y, &m, &d);
      if (++m > 12) {
        m = 1;
        ++y;
      }
      return DaysFromCivil(y, m, 1) * 86400;
    }
  }
  return start;
}

std::vector<int64_t> BucketStarts(const TimeRange& range, Granularity g) {
  std::vector<int64_t> out;
  if (range.until <= range.since) return out;
  for (int64_t b = BucketStart(range.since, g); b < range.until; b = NextBucket(b, g)) {
    out.push_back(b);
  }
  return out;
}

}  // namespace sei::metrics
