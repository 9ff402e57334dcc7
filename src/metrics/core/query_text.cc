#include "metrics/core/query_text.h"

#include <cctype>

#include "common/time.h"

namespace sei::metrics {

namespace {

// "90d", "12w", "6m", "1y" back from `anchor`; false when `text` is not one.
bool ParseLength(const std::string& text, int64_t anchor, int64_t* out) {
  if (text.size() < 2 || !std::isdigit(static_cast<unsigned char>(text[0]))) return false;
  const char unit = text.back();
  const std::string digits = text.substr(0, text.size() - 1);
  if ((unit != 'd' && unit != 'w' && unit != 'm' && unit != 'y') ||
      digits.find_first_not_of("0123456789") != std::string::npos || digits.size() > 5) {
    return false;
  }
  const int64_t n = std::stoll(digits);
  if (unit == 'd' || unit == 'w') {
    *out = anchor - n * (unit == 'w' ? 7 : 1) * 86400;
    return true;
  }
  int64_t y;
  unsigned mo, d;
  CivilFromDays(anchor / 86400, &y, &mo, &d);
  const int64_t total = y * 12 + (mo - 1) - (unit == 'y' ? 12 * n : n);
  y = total / 12;
  mo = static_cast<unsigned>(total % 12) + 1;
  *out = DaysFromCivil(y, mo, d > 28 ? 28 : d) * 86400 + anchor % 86400;
  return true;
}

Result<Scope> ScopeOf(const QueryText& t, const std::string& p) {
  const int given =
      !t.scope.empty() + !t.team.empty() + !t.project.empty() + !t.repo.empty() + !t.person.empty();
  if (given > 1) {
    return InvalidArgumentError("give one scope: " + p + "scope, " + p + "team, " + p +
                                "project, " + p + "repo or " + p + "person");
  }
  if (!t.team.empty()) return Scope{ScopeKind::kTeam, t.team};
  if (!t.project.empty()) return Scope{ScopeKind::kProject, t.project};
  if (!t.repo.empty()) return Scope{ScopeKind::kRepo, t.repo};
  if (!t.person.empty()) return Scope{ScopeKind::kPerson, t.person};
  if (!t.scope.empty()) return ParseScope(t.scope);
  return Scope{};
}

}  // namespace

Result<int64_t> ParseWhen(const std::string& text, int64_t anchor, const std::string& what) {
  if (text == "now") return anchor;
  int64_t back = 0;
  if (ParseLength(text, anchor, &back)) return back;
  auto t = ParseTimestamp(text);
  if (!t.ok()) {
    return InvalidArgumentError(what + " '" + text +
                                "' is not a date (2024-01-31, 2024-01-31T12:00:00Z), 'now', or "
                                "a length back such as 90d, 12w, 6m, 1y");
  }
  return t->unix_seconds;
}

Result<Query> ParseQuery(const QueryText& t, int64_t now, const std::string& p) {
  Query q;
  SEI_ASSIGN_OR_RETURN(q.scope, ScopeOf(t, p));
  SEI_ASSIGN_OR_RETURN(q.range.until, ParseWhen(t.until, now, p + "until"));
  SEI_ASSIGN_OR_RETURN(q.range.since, ParseWhen(t.since, q.range.until, p + "since"));
  SEI_ASSIGN_OR_RETURN(q.granularity, ParseGranularity(t.granularity));
  q.band_year = t.band_year;
  q.only = t.only;
  q.drill = t.drill;
  q.compare = t.compare;
  q.series = t.series;
  return q;
}

}  // namespace sei::metrics
