#include "common/time.h"

#include <fmt/format.h>

namespace sei {

namespace {

constexpr int64_t kDay = 86400;

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

bool IsLeap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned DaysInMonth(int64_t y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

// A cursor over the text with small parsing steps.
struct Cursor {
  std::string_view s;
  size_t i = 0;
  bool AtEnd() const { return i >= s.size(); }
  char Peek() const { return AtEnd() ? '\0' : s[i]; }
  bool Digits(size_t n, int64_t* out) {
    if (i + n > s.size()) return false;
    int64_t v = 0;
    for (size_t k = 0; k < n; ++k) {
      char c = s[i + k];
      if (c < '0' || c > '9') return false;
      v = v * 10 + (c - '0');
    }
    i += n;
    *out = v;
    return true;
  }
  bool Eat(char c) {
    if (Peek() != c) return false;
    ++i;
    return true;
  }
};

Status Bad(std::string_view text, std::string_view why) {
  return InvalidArgumentError(fmt::format(
      "invalid timestamp '{}': {} (expected e.g. 2017-12-10T17:01:11Z, 2017-12-10 17:01:11 UTC, "
      "or epoch seconds/milliseconds)",
      text, why));
}

// Parses "+08:00", "+0800", "+08", "Z", "UTC", "GMT" at the cursor.
bool ParseZone(Cursor* c, int32_t* minutes) {
  std::string_view rest = c->s.substr(c->i);
  if (rest == "Z" || rest == "z" || rest == "UTC" || rest == "GMT") {
    c->i = c->s.size();
    *minutes = 0;
    return true;
  }
  char sign = c->Peek();
  if (sign != '+' && sign != '-') return false;
  ++c->i;
  int64_t hh = 0, mm = 0;
  if (!c->Digits(2, &hh)) return false;
  if (!c->AtEnd()) {
    c->Eat(':');
    if (!c->Digits(2, &mm)) return false;
  }
  if (hh > 18 || mm > 59 || hh * 60 + mm > 18 * 60) return false;
  *minutes = static_cast<int32_t>((sign == '-' ? -1 : 1) * (hh * 60 + mm));
  return true;
}

Result<Timestamp> ParseEpoch(std::string_view text) {
  if (text.size() > 18) return Bad(text, "too many digits");
  int64_t v = 0;
  for (char c : text) v = v * 10 + (c - '0');
  Timestamp t;
  t.has_offset = true;
  if (v > 100000000000LL) {  // > 1e11: milliseconds (1e11 s is the year 5138)
    t.unix_seconds = v / 1000;
    t.nanos = static_cast<int32_t>(v % 1000) * 1000000;
  } else {
    t.unix_seconds = v;
  }
  return t;
}

// Reads ".123456789..." into nanoseconds (digits past nine are dropped).
bool ParseFraction(Cursor* c, int32_t* nanos) {
  if (!c->Eat('.') && !c->Eat(',')) return true;
  size_t start = c->i;
  int64_t ns = 0;
  size_t digits = 0;
  while (!c->AtEnd() && c->Peek() >= '0' && c->Peek() <= '9') {
    if (digits < 9) ns = ns * 10 + (c->Peek() - '0');
    ++digits;
    ++c->i;
  }
  if (c->i == start) return false;
  for (size_t k = digits; k < 9; ++k) ns *= 10;
  *nanos = static_cast<int32_t>(ns);
  return true;
}

}  // namespace

int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = FloorDiv(y, 400);
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t z, int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const int64_t era = FloorDiv(z, 146097);
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int64_t>(yoe) + era * 400 + (*m <= 2);
}

Result<Timestamp> ParseTimestamp(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '"')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '"')) text.remove_suffix(1);
  if (text.empty()) return Bad(text, "empty");
  if (text.find_first_not_of("0123456789") == std::string_view::npos) return ParseEpoch(text);
  Cursor c{text};
  int64_t y = 0, mo = 0, d = 0, hh = 0, mi = 0, ss = 0;
  if (!c.Digits(4, &y) || !c.Eat('-') || !c.Digits(2, &mo) || !c.Eat('-') || !c.Digits(2, &d)) {
    return Bad(text, "no YYYY-MM-DD date at the start");
  }
  if (mo < 1 || mo > 12) return Bad(text, "month out of range");
  if (d < 1 || d > DaysInMonth(y, static_cast<unsigned>(mo))) return Bad(text, "day out of range");
  Timestamp t;
  if (!c.AtEnd()) {
    char sep = c.Peek();
    if (sep != 'T' && sep != 't' && sep != ' ') return Bad(text, "expected 'T' or ' ' after date");
    ++c.i;
    if (!c.Digits(2, &hh) || !c.Eat(':') || !c.Digits(2, &mi)) return Bad(text, "bad time");
    if (c.Eat(':') && !c.Digits(2, &ss)) return Bad(text, "bad seconds");
    if (hh > 23 || mi > 59 || ss > 60) return Bad(text, "time out of range");
    if (!ParseFraction(&c, &t.nanos)) return Bad(text, "bad fraction of a second");
    c.Eat(' ');
    if (!c.AtEnd()) {
      if (!ParseZone(&c, &t.offset_minutes)) return Bad(text, "bad time zone");
      t.has_offset = true;
    }
    if (!c.AtEnd()) return Bad(text, "unexpected text after the time");
  }
  int64_t days = DaysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  t.unix_seconds = days * kDay + hh * 3600 + mi * 60 + ss - t.offset_minutes * 60;
  return t;
}

std::string FormatRfc3339(int64_t unix_seconds, int32_t offset_minutes) {
  int64_t local = unix_seconds + offset_minutes * 60;
  int64_t days = FloorDiv(local, kDay);
  int64_t secs = local - days * kDay;
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  std::string zone = "Z";
  if (offset_minutes != 0) {
    int32_t a = offset_minutes < 0 ? -offset_minutes : offset_minutes;
    zone = fmt::format("{}{:02d}:{:02d}", offset_minutes < 0 ? '-' : '+', a / 60, a % 60);
  }
  return fmt::format("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}{}", y, m, d, secs / 3600,
                     secs % 3600 / 60, secs % 60, zone);
}

std::string FormatRfc3339Utc(int64_t unix_seconds, int32_t nanos) {
  std::string s = FormatRfc3339(unix_seconds, 0);
  if (nanos == 0) return s;
  std::string frac = fmt::format("{:09d}", nanos);
  while (frac.back() == '0') frac.pop_back();
  return s.substr(0, s.size() - 1) + "." + frac + "Z";
}

int64_t WeekStartUtc(int64_t unix_seconds) {
  int64_t days = FloorDiv(unix_seconds, kDay);
  int64_t weekday = ((days + 3) % 7 + 7) % 7;  // 1970-01-01 was a Thursday; Monday = 0
  return (days - weekday) * kDay;
}

std::string IsoWeekLabel(int64_t unix_seconds) {
  // The ISO year is the year of the week's Thursday.
  int64_t thursday = FloorDiv(WeekStartUtc(unix_seconds), kDay) + 3;
  int64_t y;
  unsigned m, d;
  CivilFromDays(thursday, &y, &m, &d);
  int64_t week = (thursday - DaysFromCivil(y, 1, 1)) / 7 + 1;
  return fmt::format("{:04d}-W{:02d}", y, week);
}

Result<int32_t> ParseGitOffset(std::string_view text) {
  Cursor c{text};
  int32_t minutes = 0;
  if (text.size() != 5 || !ParseZone(&c, &minutes) || !c.AtEnd()) {
    return InvalidArgumentError(
        fmt::format("invalid git time zone '{}' (expected +HHMM or -HHMM)", text));
  }
  return minutes;
}

std::string FormatGitOffset(int32_t offset_minutes) {
  int32_t a = offset_minutes < 0 ? -offset_minutes : offset_minutes;
  return fmt::format("{}{:02d}{:02d}", offset_minutes < 0 ? '-' : '+', a / 60, a % 60);
}

}  // namespace sei
