// Text normalisation shared by identity resolution and org sync: how emails,
// logins and names are compared, how GitHub noreply addresses are read, and
// how config names become ids.
//
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sei::identity {

// ASCII lowercase (git compares emails and names with strcasecmp).
std::string AsciiLower(std::string_view s);

// `s` without surrounding ASCII whitespace.
std::string_view Trim(std::string_view s);

// Emails compare trimmed and lowercased; "" when it holds no '@' (not an
// email at all: git's empty <>, "unknown", "(none)").
std::string NormalizeEmail(std::string_view email);

// Logins compare trimmed and lowercased, without a leading '@'.
std::string NormalizeLogin(std::string_view login);

// Names compare without case, surrounding whitespace or repeated spaces,
// and with Latin diacritics folded: trimmed, runs of whitespace one space,
// ASCII lowercased, and the Latin-1, Latin Extended-A and Romanian comma
// letters (U+00C0-U+017F, U+0218-U+021B) folded to their base letters
// ("Müller" = "muller", "Jovanović" = "jovanovic", "Øst" = "ost",
// "Straße" = "strasse"); combining marks (U+0300-U+036F) are dropped, so a
// decomposed "u" + U+0308 folds the same. Other characters (Cyrillic, CJK,
// invalid UTF-8 bytes) are kept as they are.
std::string NormalizeName(std::string_view name);

// Words in a normalised name.
int WordCount(std::string_view normalized_name);

// The part of a normalised email after its last '@' ("" when none).
std::string_view EmailDomain(std::string_view normalized_email);

// A GitHub noreply address: "12345+login@users.noreply.github.com" or
// "login@users.noreply.github.com" (the older form without the user id).
struct NoreplyAddress {
  std::optional<std::string> user_id;  // "12345"
  std::string login;                   // lowercased
};
std::optional<NoreplyAddress> ParseGithubNoreply(std::string_view normalized_email);

// A config name as an id part: lowercase ASCII letters and digits, every
// other run of characters one '-', no leading or trailing '-'
// ("Platform & Infra" -> "platform-infra"). "" when nothing is left.
std::string Slugify(std::string_view name);

}  // namespace sei::identity
