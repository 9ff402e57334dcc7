// Password hashing for user logins: argon2id through crypto_pwhash_str with
// libsodium's interactive limits (about 64 MiB and a few tens of
// milliseconds per check), the salt and parameters inside the stored string.
//
// Thread safety: thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace sei::auth {

// Shorter passwords are refused.
inline constexpr size_t kMinPasswordLength = 10;

// The crypto_pwhash_str string for `password`; InvalidArgument when it is
// shorter than kMinPasswordLength.
Result<std::string> HashPassword(std::string_view password);

// Whether `password` matches `hash` (false for a malformed hash).
bool VerifyPassword(std::string_view password, const std::string& hash);

// Spends the time of one VerifyPassword, so that an unknown email takes as
// long to refuse as a wrong password.
void BurnPasswordCheck(std::string_view password);

}  // namespace sei::auth
