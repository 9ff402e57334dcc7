#include "identity/text.h"

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

std::string NormalizeName(std::string_view name) {
  std::string out;
  bool space = false;
  for (char c : Trim(name)) {
    if (IsSpace(c)) {
      space = true;
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += Lower(c);
  }
  return out;
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
