#include "identity/mailmap.h"

#include "identity/text.h"

namespace sei::identity {

namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

// git's parse_name_and_email: finds "<email>" in `text`, the name before it
// (trimmed; none when empty), and returns what follows the '>' (nullopt
// when nothing does, or when there is no "<...>", or an empty email where
// none is allowed: then *email stays unset).
std::optional<std::string_view> ParseNameAndEmail(std::string_view text,
                                                  std::optional<std::string>* name,
                                                  std::optional<std::string>* email,
                                                  bool allow_empty_email) {
  name->reset();
  email->reset();
  const size_t left = text.find('<');
  if (left == std::string_view::npos) return std::nullopt;
  const size_t right = text.find('>', left + 1);
  if (right == std::string_view::npos) return std::nullopt;
  if (!allow_empty_email && right == left + 1) return std::nullopt;
  size_t start = 0;
  while (start < left && IsSpace(text[start])) ++start;
  size_t end = left;
  while (end > start && IsSpace(text[end - 1])) --end;
  if (end > start) *name = std::string(text.substr(start, end - start));
  *email = std::string(text.substr(left + 1, right - left - 1));
  std::string_view rest = text.substr(right + 1);
  if (rest.empty()) return std::nullopt;
  return rest;
}

}  // namespace

Mailmap Mailmap::Parse(std::string_view text) {
  Mailmap m;
  m.Add(text);
  return m;
}

void Mailmap::Add(std::string_view text) {
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    AddLine(text.substr(0, nl));
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
}

void Mailmap::AddLine(std::string_view line) {
  if (!line.empty() && line[0] == '#') return;
  std::optional<std::string> name1, email1, name2, email2;
  std::optional<std::string_view> rest = ParseNameAndEmail(line, &name1, &email1, false);
  if (rest) ParseNameAndEmail(*rest, &name2, &email2, true);
  if (email1) AddMapping(std::move(name1), std::move(email1), std::move(name2), std::move(email2));
}

void Mailmap::AddMapping(std::optional<std::string> new_name, std::optional<std::string> new_email,
                         std::optional<std::string> old_name,
                         std::optional<std::string> old_email) {
  if (!old_email) {
    old_email = std::move(new_email);
    new_email.reset();
  }
  Entry& entry = entries_[AsciiLower(*old_email)];
  if (!old_name) {
    // A simple entry replaces only what it gives.
    if (new_name) entry.simple.name = std::move(new_name);
    if (new_email) entry.simple.email = std::move(new_email);
    return;
  }
  entry.by_name[AsciiLower(*old_name)] = Info{std::move(new_name), std::move(new_email)};
}

std::optional<Mailmap::Mapped> Mailmap::Lookup(std::string_view name,
                                               std::string_view email) const {
  auto it = entries_.find(AsciiLower(email));
  if (it == entries_.end()) return std::nullopt;
  const Entry& entry = it->second;
  const Info* info = &entry.simple;
  if (!entry.by_name.empty()) {
    auto named = entry.by_name.find(AsciiLower(name));
    if (named != entry.by_name.end()) info = &named->second;
  }
  if (!info->name && !info->email) return std::nullopt;
  Mapped out{std::string(name), std::string(email)};
  if (info->email) out.email = *info->email;
  if (info->name) out.name = *info->name;
  return out;
}

}  // namespace sei::identity
