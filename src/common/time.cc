#include "common/time.h"

#include <fmt/format.h>

#include <array>

namespace sei {

namespace {

constexpr int64_t kSecondsPerDay = 86400;
constexpr int64_t kMinUnixSeconds = -62167219200;           // 0000-01-01T00:00:00Z
constexpr int64_t kMaxUnixSeconds = 253402300799;           // 9999-12-31T23:59:59Z
constexpr int64_t kEpochMillisThreshold = 100'000'000'000;  // 1e11, see time.h
constexpr int kMaxEpochDigits = 18;                         // fits int64 with room to spare
constexpr int32_t kMaxOffsetMinutes = 18 * 60;
constexpr size_t kMaxQuotedBytes = 80;
constexpr std::string_view kExpected =
    "expected RFC 3339 (2017-12-10T17:01:11Z, 2020-06-12T08:13:13.360+0800), "
    "'2017-12-10 17:01:11 UTC', an HTTP date ('Tue, 14 May 2019 12:34:56 GMT') "
    "or epoch seconds/milliseconds";

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

bool IsLeap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int64_t y, int m) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[static_cast<size_t>(m - 1)];
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

// The text as it goes into an error message: control bytes shown as '?',
// cut after kMaxQuotedBytes.
std::string Quote(std::string_view s) {
  std::string out(s.substr(0, kMaxQuotedBytes));
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  }
  if (s.size() > kMaxQuotedBytes) out += "...";
  return out;
}

Status Bad(std::string_view text, std::string_view why) {
  return InvalidArgumentError(
      fmt::format("invalid timestamp '{}': {}; {}", Quote(text), why, kExpected));
}

// A read position in the text, with the small steps the grammars need.
class Cursor {
 public:
  explicit Cursor(std::string_view s) : s_(s) {}

  bool AtEnd() const { return i_ >= s_.size(); }
  char Peek() const { return AtEnd() ? '\0' : s_[i_]; }
  std::string_view Rest() const { return s_.substr(i_); }
  void Skip(size_t n) { i_ += n; }
  void SkipToEnd() { i_ = s_.size(); }
  bool Eat(char c) {
    if (Peek() != c) return false;
    ++i_;
    return true;
  }
  // Reads between `min` and `max` digits (as many as there are); false when
  // fewer than `min`.
  bool Digits(int min, int max, int64_t* out) {
    int64_t v = 0;
    int n = 0;
    while (n < max && IsDigit(Peek())) {
      v = v * 10 + (s_[i_++] - '0');
      ++n;
    }
    *out = v;
    return n >= min;
  }

 private:
  std::string_view s_;
  size_t i_ = 0;
};

// Broken-down fields, validated as they are read.
struct Fields {
  int64_t year = 0;
  int64_t month = 1, day = 1, hour = 0, minute = 0, second = 0;
  int32_t nanos = 0;
  int32_t offset_minutes = 0;
  bool has_offset = false;
};

Status CheckDate(std::string_view text, const Fields& f) {
  if (f.month < 1 || f.month > 12) {
    return Bad(text, fmt::format("month {} is not in 01..12", f.month));
  }
  int days = DaysInMonth(f.year, static_cast<int>(f.month));
  if (f.day < 1 || f.day > days) {
    return Bad(text, fmt::format("day {} is not in 01..{} for {:04d}-{:02d}", f.day, days, f.year,
                                 f.month));
  }
  return Status::Ok();
}

// Reads ".123456789..." or ",5" into nanoseconds; digits past nine are read
// and dropped.
Status ParseFraction(std::string_view text, Cursor* c, int32_t* nanos) {
  if (!c->Eat('.') && !c->Eat(',')) return Status::Ok();
  int64_t ns = 0;
  int digits = 0;
  while (IsDigit(c->Peek())) {
    if (digits < 9) ns = ns * 10 + (c->Peek() - '0');
    ++digits;
    c->Skip(1);
  }
  if (digits == 0) return Bad(text, "expected digits after the decimal point");
  for (int k = digits; k < 9; ++k) ns *= 10;
  *nanos = static_cast<int32_t>(ns);
  return Status::Ok();
}

// "H:MM", "HH:MM:SS" and "HH:MM:SS.fff": the hour may have one digit.
Status ParseTimeOfDay(std::string_view text, Cursor* c, Fields* f) {
  if (!c->Digits(1, 2, &f->hour) || !c->Eat(':') || !c->Digits(2, 2, &f->minute)) {
    return Bad(text, "expected a time HH:MM[:SS[.fraction]]");
  }
  if (c->Eat(':') && !c->Digits(2, 2, &f->second)) {
    return Bad(text, "expected two digits of seconds after 'HH:MM:'");
  }
  if (f->hour > 23) return Bad(text, fmt::format("hour {} is not in 00..23", f->hour));
  if (f->minute > 59) return Bad(text, fmt::format("minute {} is not in 00..59", f->minute));
  if (f->second > 60) return Bad(text, fmt::format("second {} is not in 00..60", f->second));
  return ParseFraction(text, c, &f->nanos);
}

// "+HH:MM", "+HHMM" or "+HH" (or '-') at the cursor, which must be a sign.
Status ParseNumericOffset(std::string_view text, Cursor* c, int32_t* minutes) {
  bool negative = c->Peek() == '-';
  c->Skip(1);
  int64_t hh = 0, mm = 0;
  if (!c->Digits(2, 2, &hh)) return Bad(text, "expected two digits of hours in the UTC offset");
  if (c->Eat(':') || IsDigit(c->Peek())) {
    if (!c->Digits(2, 2, &mm)) return Bad(text, "expected two digits of minutes in the UTC offset");
  }
  if (mm > 59) return Bad(text, fmt::format("offset minutes {} are not in 00..59", mm));
  if (hh * 60 + mm > kMaxOffsetMinutes) return Bad(text, "the UTC offset is beyond +-18:00");
  *minutes = static_cast<int32_t>(negative ? -(hh * 60 + mm) : hh * 60 + mm);
  return Status::Ok();
}

// A zone that runs to the end of the text: a UTC name or a numeric offset.
Status ParseZone(std::string_view text, Cursor* c, Fields* f) {
  std::string_view rest = c->Rest();
  f->has_offset = true;
  if (rest == "Z" || rest == "z" || rest == "UTC" || rest == "GMT" || rest == "UT") {
    c->SkipToEnd();
    f->offset_minutes = 0;
    return Status::Ok();
  }
  if (rest[0] != '+' && rest[0] != '-') {
    return Bad(text, fmt::format("expected a zone (Z, UTC, GMT, +08:00, +0800 or +08), found '{}'",
                                 Quote(rest)));
  }
  return ParseNumericOffset(text, c, &f->offset_minutes);
}

// After the time of day: an optional space, an optional zone, then the end.
Status ParseZoneAndEnd(std::string_view text, Cursor* c, Fields* f) {
  c->Eat(' ');
  if (!c->AtEnd()) SEI_RETURN_IF_ERROR(ParseZone(text, c, f));
  if (!c->AtEnd()) {
    return Bad(text, fmt::format("unexpected '{}' after the time zone", Quote(c->Rest())));
  }
  return Status::Ok();
}

Timestamp ToTimestamp(const Fields& f) {
  int64_t days =
      DaysFromCivil(f.year, static_cast<unsigned>(f.month), static_cast<unsigned>(f.day));
  Timestamp t;
  t.unix_seconds = days * kSecondsPerDay + f.hour * 3600 + f.minute * 60 + f.second -
                   int64_t{f.offset_minutes} * 60;
  t.nanos = f.nanos;
  t.offset_minutes = f.offset_minutes;
  t.has_offset = f.has_offset;
  return t;
}

// "YYYY-MM-DD" then optionally ('T' | 't' | ' ') time [zone].
Result<Timestamp> ParseIso(std::string_view text) {
  Cursor c(text);
  Fields f;
  if (!c.Digits(4, 4, &f.year) || !c.Eat('-') || !c.Digits(2, 2, &f.month) || !c.Eat('-') ||
      !c.Digits(2, 2, &f.day)) {
    return Bad(text, "expected a date YYYY-MM-DD");
  }
  SEI_RETURN_IF_ERROR(CheckDate(text, f));
  if (c.AtEnd()) return ToTimestamp(f);
  char sep = c.Peek();
  if (sep != 'T' && sep != 't' && sep != ' ') {
    return Bad(text, fmt::format("expected 'T' or a space after the date, found '{}'",
                                 Quote(c.Rest().substr(0, 1))));
  }
  c.Skip(1);
  SEI_RETURN_IF_ERROR(ParseTimeOfDay(text, &c, &f));
  SEI_RETURN_IF_ERROR(ParseZoneAndEnd(text, &c, &f));
  return ToTimestamp(f);
}

Status CheckRange(std::string_view text, int64_t unix_seconds) {
  if (unix_seconds < kMinUnixSeconds || unix_seconds > kMaxUnixSeconds) {
    return Bad(text, "the number is outside the years 0000..9999");
  }
  return Status::Ok();
}

// "[-]digits", or git's raw "digits +hhmm" (always seconds).
Result<Timestamp> ParseEpoch(std::string_view text) {
  Cursor c(text);
  bool negative = c.Eat('-');
  int64_t v = 0;
  if (!c.Digits(1, kMaxEpochDigits, &v)) return Bad(text, "expected digits after '-'");
  if (IsDigit(c.Peek())) {
    return Bad(text, fmt::format("more than {} digits for an epoch number", kMaxEpochDigits));
  }
  if (negative) v = -v;
  Timestamp t;
  t.has_offset = true;
  if (c.AtEnd()) {
    if (v > kEpochMillisThreshold || v < -kEpochMillisThreshold) {
      t.unix_seconds = FloorDiv(v, 1000);
      t.nanos = static_cast<int32_t>(v - t.unix_seconds * 1000) * 1'000'000;
    } else {
      t.unix_seconds = v;
    }
  } else if (c.Eat(' ') && (c.Peek() == '+' || c.Peek() == '-')) {
    Result<int32_t> offset = ParseGitOffset(c.Rest());
    if (!offset.ok()) return Bad(text, "expected git's '<epoch seconds> +hhmm'");
    t.unix_seconds = v;
    t.offset_minutes = *offset;
  } else {
    return Bad(text, fmt::format("unexpected '{}' after the number", Quote(c.Rest())));
  }
  SEI_RETURN_IF_ERROR(CheckRange(text, t.unix_seconds));
  return t;
}

constexpr std::array<std::string_view, 12> kMonths = {"jan", "feb", "mar", "apr", "may", "jun",
                                                      "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr std::array<std::string_view, 7> kWeekdays = {"mon", "tue", "wed", "thu",
                                                       "fri", "sat", "sun"};

// Matches `s` case-insensitively against lowercase three-letter names;
// returns the index or -1.
template <size_t N>
int MatchName(std::string_view s, const std::array<std::string_view, N>& names) {
  if (s.size() != 3) return -1;
  for (size_t i = 0; i < N; ++i) {
    if (Lower(s[0]) == names[i][0] && Lower(s[1]) == names[i][1] && Lower(s[2]) == names[i][2]) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

// "[Www, ]D[D] Mon YYYY HH:MM[:SS] zone" (RFC 7231 IMF-fixdate, RFC 2822).
Result<Timestamp> ParseHttpDate(std::string_view text) {
  Cursor c(text);
  if (IsAlpha(c.Peek())) {
    if (text.size() < 5 || MatchName(text.substr(0, 3), kWeekdays) < 0 ||
        text.substr(3, 2) != ", ") {
      return Bad(text, "expected a weekday like 'Tue, ' or a date");
    }
    c.Skip(5);
  }
  Fields f;
  if (!c.Digits(1, 2, &f.day) || !c.Eat(' ')) return Bad(text, "expected the day of the month");
  int month = MatchName(c.Rest().substr(0, 3), kMonths);
  if (month < 0) return Bad(text, "expected a month name like 'May'");
  f.month = month + 1;
  c.Skip(3);
  if (!c.Eat(' ') || !c.Digits(4, 4, &f.year) || !c.Eat(' ')) {
    return Bad(text, "expected a four-digit year after the month");
  }
  SEI_RETURN_IF_ERROR(CheckDate(text, f));
  SEI_RETURN_IF_ERROR(ParseTimeOfDay(text, &c, &f));
  if (!c.Eat(' ')) return Bad(text, "expected a zone after the time, e.g. ' GMT'");
  SEI_RETURN_IF_ERROR(ParseZoneAndEnd(text, &c, &f));
  return ToTimestamp(f);
}

bool StartsWithIsoDate(std::string_view s) {
  return s.size() >= 5 && IsDigit(s[0]) && IsDigit(s[1]) && IsDigit(s[2]) && IsDigit(s[3]) &&
         s[4] == '-';
}

// "6 Dec 2013 ..." or "06 Dec 2013 ...": an RFC 2822 date without a weekday.
bool StartsWithDayAndMonth(std::string_view s) {
  const size_t n = s.size() > 1 && IsDigit(s[1]) ? 2 : 1;
  return s.size() > n + 1 && IsDigit(s[0]) && s[n] == ' ' && IsAlpha(s[n + 1]);
}

// Writes `v` (0 <= v < 10^width) as `width` zero-padded digits at `p`.
char* PutDigits(char* p, int64_t v, int width) {
  for (int k = width - 1; k >= 0; --k) {
    p[k] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
  return p + width;
}

}  // namespace

int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = FloorDiv(y, 400);
  const auto yoe = static_cast<unsigned>(y - era * 400);                 // [0, 399]
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;  // [0, 365]
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;            // [0, 146096]
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t days, int64_t* y, unsigned* m, unsigned* d) {
  const int64_t z = days + 719468;
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
  std::string_view s = Trim(text);
  if (s.empty()) return Bad(text, "it is empty");
  if (StartsWithIsoDate(s)) return ParseIso(s);
  if (IsAlpha(s[0]) || StartsWithDayAndMonth(s)) return ParseHttpDate(s);
  if (IsDigit(s[0]) || s[0] == '-') return ParseEpoch(s);
  return Bad(s, "it starts with neither a date nor a number");
}

std::string FormatRfc3339(int64_t unix_seconds, int32_t offset_minutes) {
  const int64_t local = unix_seconds + int64_t{offset_minutes} * 60;
  const int64_t days = FloorDiv(local, kSecondsPerDay);
  const int64_t secs = local - days * kSecondsPerDay;
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  char buf[64];
  char* p = buf;
  if (y >= 0 && y <= 9999) {
    p = PutDigits(p, y, 4);
  } else {  // outside RFC 3339; still print something readable
    p = fmt::format_to(p, "{}", y);
  }
  *p++ = '-';
  p = PutDigits(p, m, 2);
  *p++ = '-';
  p = PutDigits(p, d, 2);
  *p++ = 'T';
  p = PutDigits(p, secs / 3600, 2);
  *p++ = ':';
  p = PutDigits(p, secs % 3600 / 60, 2);
  *p++ = ':';
  p = PutDigits(p, secs % 60, 2);
  if (offset_minutes == 0) {
    *p++ = 'Z';
  } else {
    const int32_t a = offset_minutes < 0 ? -offset_minutes : offset_minutes;
    *p++ = offset_minutes < 0 ? '-' : '+';
    p = PutDigits(p, a / 60 % 100, 2);
    *p++ = ':';
    p = PutDigits(p, a % 60, 2);
  }
  return std::string(buf, p);
}

std::string FormatRfc3339Utc(int64_t unix_seconds, int32_t nanos) {
  std::string s = FormatRfc3339(unix_seconds, 0);
  if (nanos <= 0 || nanos > 999'999'999) return s;
  char frac[10];
  PutDigits(frac, nanos, 9);
  size_t len = 9;
  while (frac[len - 1] == '0') --len;
  s.pop_back();  // the 'Z'
  s += '.';
  s.append(frac, len);
  s += 'Z';
  return s;
}

int64_t WeekStartUtc(int64_t unix_seconds) {
  const int64_t days = FloorDiv(unix_seconds, kSecondsPerDay);
  const int64_t monday_based = days + 3;  // 1970-01-01 was a Thursday
  return (days - (monday_based - FloorDiv(monday_based, 7) * 7)) * kSecondsPerDay;
}

std::string IsoWeekLabel(int64_t unix_seconds) {
  const int64_t thursday = FloorDiv(WeekStartUtc(unix_seconds), kSecondsPerDay) + 3;
  int64_t y;
  unsigned m, d;
  CivilFromDays(thursday, &y, &m, &d);
  const int64_t week = (thursday - DaysFromCivil(y, 1, 1)) / 7 + 1;
  return fmt::format("{:04d}-W{:02d}", y, week);
}

Result<int32_t> ParseGitOffset(std::string_view text) {
  auto bad = [text](std::string_view why) {
    return InvalidArgumentError(fmt::format(
        "invalid git time zone '{}': {} (expected +HHMM or -HHMM, e.g. +0530)", Quote(text), why));
  };
  if (text.size() != 5 || (text[0] != '+' && text[0] != '-')) {
    return bad("not a sign and four digits");
  }
  for (size_t i = 1; i < 5; ++i) {
    if (!IsDigit(text[i])) return bad("not a sign and four digits");
  }
  const int32_t hh = (text[1] - '0') * 10 + (text[2] - '0');
  const int32_t mm = (text[3] - '0') * 10 + (text[4] - '0');
  if (mm > 59) return bad("minutes are not in 00..59");
  if (hh * 60 + mm > kMaxOffsetMinutes) return bad("beyond +-18:00");
  return text[0] == '-' ? -(hh * 60 + mm) : hh * 60 + mm;
}

std::string FormatGitOffset(int32_t offset_minutes) {
  const int32_t a = offset_minutes < 0 ? -offset_minutes : offset_minutes;
  char buf[5];
  buf[0] = offset_minutes < 0 ? '-' : '+';
  PutDigits(buf + 1, a / 60 % 100, 2);
  PutDigits(buf + 3, a % 60, 2);
  return std::string(buf, 5);
}

}  // namespace sei
