#include "identity/text.h"

#include <cstddef>
#include <cstdint>

namespace sei::identity {

namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}
char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = Lower(c);
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

std::string NormalizeEmail(std::string_view email) {
  std::string out = AsciiLower(Trim(email));
  if (out.find('@') == std::string::npos) return "";
  return out;
}

std::string NormalizeLogin(std::string_view login) {
  std::string_view t = Trim(login);
  if (!t.empty() && t.front() == '@') t.remove_prefix(1);
  return AsciiLower(t);
}

namespace {

// Base letters of U+00C0..U+00FF (lowercase; "" keeps the character).
constexpr const char* kLatin1[64] = {
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",   // C0
    "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "ss",  // D0
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",   // E0
    "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "y",   // F0
};
// Base letters of U+0100..U+017F (capital and small letters in turn, mostly).
constexpr const char* kLatinA[128] = {
    "a", "a", "a",  "a",  "a", "a", "c", "c", "c", "c", "c", "c", "c", "c", "d", "d",  // 100
    "d", "d", "e",  "e",  "e", "e", "e", "e", "e", "e", "e", "e", "g", "g", "g", "g",  // 110
    "g", "g", "g",  "g",  "h", "h", "h", "h", "i", "i", "i", "i", "i", "i", "i", "i",  // 120
    "i", "i", "ij", "ij", "j", "j", "k", "k", "k", "l", "l", "l", "l", "l", "l", "l",  // 130
    "l", "l", "l",  "n",  "n", "n", "n", "n", "n", "n", "n", "n", "o", "o", "o", "o",  // 140
    "o", "o", "oe", "oe", "r", "r", "r", "r", "r", "r", "s", "s", "s", "s", "s", "s",  // 150
    "s", "s", "t",  "t",  "t", "t", "t", "t", "u", "u", "u", "u", "u", "u", "u", "u",  // 160
    "u", "u", "u",  "u",  "w", "w", "y", "y", "y", "z", "z", "z", "z", "z", "z", "s",  // 170
};

// The next code point of `s` at `*i` (advancing it); invalid UTF-8 gives
// the byte itself with `*len` 1.
uint32_t NextCodePoint(std::string_view s, size_t* i, size_t* len) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = byte(*i);
  size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
  uint32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
  bool valid = n != 0 && *i + n <= s.size();
  for (size_t k = 1; valid && k < n; ++k) {
    valid = (byte(*i + k) & 0xC0) == 0x80;
    cp = (cp << 6) | (byte(*i + k) & 0x3F);
  }
  if (!valid) {
    n = 1;
    cp = 0xFFFFFFFF;  // not a code point: kept as the raw byte
  }
  *len = n;
  *i += n;
  return cp;
}

// What a non-ASCII code point folds to: nullptr keeps it, "" drops it.
const char* Fold(uint32_t cp) {
  if (cp >= 0xC0 && cp <= 0xFF) return *kLatin1[cp - 0xC0] ? kLatin1[cp - 0xC0] : nullptr;
  if (cp >= 0x100 && cp <= 0x17F) return kLatinA[cp - 0x100];
  if (cp == 0x218 || cp == 0x219) return "s";
  if (cp == 0x21A || cp == 0x21B) return "t";
  if (cp >= 0x300 && cp <= 0x36F) return "";
  return nullptr;
}

}  // namespace

std::string NormalizeName(std::string_view name) {
  const std::string_view t = Trim(name);
  std::string out;
  out.reserve(t.size());
  bool space = false;
  for (size_t i = 0; i < t.size();) {
    const size_t at = i;
    size_t len = 1;
    const uint32_t cp = NextCodePoint(t, &i, &len);
    if (len == 1 && IsSpace(t[at])) {
      space = true;
      continue;
    }
    const char* folded = cp < 0x80 ? nullptr : Fold(cp);
    if (folded != nullptr && *folded == '\0') continue;  // a combining mark
    if (space) out += ' ';
    space = false;
    if (cp < 0x80) {
      out += Lower(t[at]);
    } else if (folded != nullptr) {
      out += folded;
    } else {
      out.append(t.substr(at, len));
    }
  }
  return out;
}

std::string_view EmailDomain(std::string_view email) {
  const size_t at = email.rfind('@');
  return at == std::string_view::npos ? std::string_view() : email.substr(at + 1);
}

int WordCount(std::string_view normalized_name) {
  if (normalized_name.empty()) return 0;
  int words = 1;
  for (char c : normalized_name) words += c == ' ' ? 1 : 0;
  return words;
}

std::optional<NoreplyAddress> ParseGithubNoreply(std::string_view email) {
  constexpr std::string_view kDomain = "@users.noreply.github.com";
  if (email.size() <= kDomain.size() || email.substr(email.size() - kDomain.size()) != kDomain) {
    return std::nullopt;
  }
  std::string_view local = email.substr(0, email.size() - kDomain.size());
  NoreplyAddress out;
  const size_t plus = local.find('+');
  if (plus != std::string_view::npos) {
    std::string_view id = local.substr(0, plus);
    bool digits = !id.empty();
    for (char c : id) digits = digits && IsDigit(c);
    if (!digits) return std::nullopt;
    out.user_id = std::string(id);
    local.remove_prefix(plus + 1);
  }
  if (local.empty()) return std::nullopt;
  out.login = AsciiLower(local);
  return out;
}

std::string Slugify(std::string_view name) {
  std::string out;
  bool dash = false;
  for (char c : name) {
    const char l = Lower(c);
    if ((l >= 'a' && l <= 'z') || IsDigit(l)) {
      if (dash && !out.empty()) out += '-';
      dash = false;
      out += l;
    } else {
      dash = true;
    }
  }
  return out;
}

}  // namespace sei::identity
