// TokenService: API tokens and login sessions (issue 5, "Access").
//
// A token is "sei_" followed by 43 characters (URL-safe base64 of 32 bytes
// from randombytes_buf). It is shown once, by Create or Login, and only its
// hash is stored. The hash is an unkeyed BLAKE2b-256: a token holds 256 bits
// of entropy, so nobody can guess one from its hash however fast the hash
// is, and a fast hash lets Verify find the token by an indexed lookup on
// every request. (Passwords are different: low-entropy, so they get argon2id
// in UserService.)
//
// Verify refuses unknown, malformed, revoked and expired tokens, and tokens
// of disabled users, with one Unauthenticated error that does not say which
// (nothing for a prober to learn); it never logs the token. A token that
// belongs to a user acts with the lower of its own role and the user's
// current role, so demoting a user demotes their tokens too.
//
// Thread safety: one thread at a time (as the Store). Open one Store (and
// TokenService) per server worker; several may share a database.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/principal.h"
#include "auth/role.h"
#include "common/clock.h"
#include "common/result.h"
#include "model/access.h"
#include "store/store.h"

namespace sei::auth {

struct CreatedToken {
  std::string id;         // "tk-" + 12 hex digits; what `sei token revoke` takes
  std::string plaintext;  // the token itself: show it once, never store or log it
  model::ApiToken token;  // the stored row (hash, prefix, role, expiry)
};

class TokenService {
 public:
  // Login sessions last this long.
  static constexpr int64_t kSessionSeconds = 12 * 3600;
  // last_used_at is written at most this often per token.
  static constexpr int64_t kLastUsedResolution = 60;

  explicit TokenService(Store& store, const Clock& clock = SystemClock::Get())
      : store_(store), clock_(clock) {}

  // A new token. `user_id`, when given, must name an existing user; an
  // `expires_at` in the past is an InvalidArgument error.
  // `audit`, when given, is appended in the same transaction (also for
  // Revoke).
  Result<CreatedToken> Create(Role role, std::string name, std::optional<std::string> user_id,
                              std::optional<int64_t> expires_at,
                              std::optional<model::AuditEntry> audit = std::nullopt);

  // Who `plaintext` (with or without "Bearer ") stands for at `now`.
  Result<Principal> Verify(std::string_view plaintext, int64_t now);

  // Every token, newest first, with token_hash cleared.
  Result<std::vector<model::ApiToken>> List();

  // Revokes a token by id (NotFound when there is none); revoking again
  // keeps the first revocation time.
  Status Revoke(const std::string& id, std::optional<model::AuditEntry> audit = std::nullopt);

  // Checks `password` against the user's argon2id hash and creates a
  // session token (the user's role, expires_at = now + 12 h). A wrong
  // password, an unknown email, a disabled user or one without a password
  // all get the same Unauthenticated error. Records a "login" audit entry
  // (outcome "ok" or "denied") with `remote_addr`.
  Result<CreatedToken> Login(std::string_view email, std::string_view password, int64_t now,
                             std::optional<std::string> remote_addr = std::nullopt);

  // The hash Verify looks a token up by (exposed for tests).
  static std::string HashToken(std::string_view plaintext);

 private:
  Result<CreatedToken> CreateAt(Role role, std::string name, std::optional<std::string> user_id,
                                std::optional<int64_t> expires_at, int64_t now,
                                std::optional<model::AuditEntry> audit = std::nullopt);
  Result<Principal> ToPrincipal(const model::ApiToken& token, int64_t now);
  void TouchLastUsed(const model::ApiToken& token, int64_t now);

  Store& store_;
  const Clock& clock_;
};

}  // namespace sei::auth
