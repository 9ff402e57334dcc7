#include "auth/token_service.h"

#include <algorithm>
#include <utility>

#include "auth/audit_log.h"
#include "auth/crypto.h"
#include "auth/password.h"
#include "auth/row_update.h"
#include "auth/team_lookup.h"

namespace sei::auth {

namespace {

constexpr std::string_view kTokenPrefix = "sei_";
constexpr size_t kTokenLength = 4 + 43;

Status Unauthenticated() {
  return UnauthenticatedError(
      "the API token is not valid (unknown, revoked or expired); create one with `sei token "
      "create` or sign in again");
}

// The role with fewer rights of the two (the enum runs from most to least).
Role Lesser(Role a, Role b) { return static_cast<int>(a) > static_cast<int>(b) ? a : b; }

}  // namespace

std::string TokenService::HashToken(std::string_view plaintext) {
  return crypto::Blake2bHex(plaintext);
}

Result<CreatedToken> TokenService::Create(Role role, std::string name,
                                          std::optional<std::string> user_id,
                                          std::optional<int64_t> expires_at,
                                          std::optional<model::AuditEntry> audit) {
  return CreateAt(role, std::move(name), std::move(user_id), expires_at, clock_.NowUnixSeconds(),
                  std::move(audit));
}

Result<CreatedToken> TokenService::CreateAt(Role role, std::string name,
                                            std::optional<std::string> user_id,
                                            std::optional<int64_t> expires_at, int64_t now,
                                            std::optional<model::AuditEntry> audit) {
  SEI_RETURN_IF_ERROR(crypto::EnsureSodium());
  if (expires_at && *expires_at <= now) {
    return InvalidArgumentError("the token's expiry time is in the past");
  }
  if (user_id) {
    SEI_ASSIGN_OR_RETURN(std::optional<model::User> user,
                         FindOne<model::User>(store_, "id", *user_id));
    if (!user) return NotFoundError("no user with id '" + *user_id + "'");
  }
  CreatedToken out;
  out.plaintext = std::string(kTokenPrefix) + crypto::Base64Url(crypto::RandomBytes(32));
  out.id = "tk-" + crypto::Hex(crypto::RandomBytes(6));
  model::ApiToken& t = out.token;
  t.id = out.id;
  t.name = name.empty() ? "token " + out.id : std::move(name);
  t.token_hash = HashToken(out.plaintext);
  t.prefix = out.plaintext.substr(0, 8);
  t.role = std::string(RoleName(role));
  t.user_id = std::move(user_id);
  t.created_at = now;
  t.expires_at = expires_at;
  std::vector<TableWrite> writes = {TableWrite::Upsert(std::vector<model::ApiToken>{t})};
  if (audit) {
    audit->target = "token:" + out.id;
    SEI_ASSIGN_OR_RETURN(TableWrite entry, AuditLog::Write(*audit));
    writes.push_back(std::move(entry));
  }
  SEI_RETURN_IF_ERROR(store_.ApplyWrites(writes));
  return out;
}

Result<Principal> TokenService::Verify(std::string_view plaintext, int64_t now) {
  if (plaintext.substr(0, 7) == "Bearer ") plaintext.remove_prefix(7);
  if (plaintext.size() != kTokenLength || plaintext.substr(0, 4) != kTokenPrefix) {
    return Unauthenticated();
  }
  SEI_ASSIGN_OR_RETURN(std::optional<model::ApiToken> token,
                       FindOne<model::ApiToken>(store_, "token_hash", HashToken(plaintext)));
  if (!token || token->revoked_at || (token->expires_at && *token->expires_at <= now)) {
    return Unauthenticated();
  }
  SEI_ASSIGN_OR_RETURN(Principal p, ToPrincipal(*token, now));
  TouchLastUsed(*token, now);
  return p;
}

Result<Principal> TokenService::ToPrincipal(const model::ApiToken& token, int64_t now) {
  Principal p;
  SEI_ASSIGN_OR_RETURN(p.role, ParseRole(token.role));
  p.id = "token:" + token.id;
  p.name = token.name;
  p.token_id = token.id;
  if (!token.user_id) return p;
  SEI_ASSIGN_OR_RETURN(std::optional<model::User> user,
                       FindOne<model::User>(store_, "id", *token.user_id));
  if (!user || user->disabled_at) return Unauthenticated();
  SEI_ASSIGN_OR_RETURN(Role user_role, ParseRole(user->role));
  p.role = Lesser(p.role, user_role);
  p.id = "user:" + user->id;
  p.name = user->name;
  p.user_id = user->id;
  p.person_id = user->person_id;
  std::vector<std::string> teams;
  if (user->person_id) {
    SEI_ASSIGN_OR_RETURN(teams, TeamsOfPerson(store_, *user->person_id, now));
  }
  if (user->team_id) teams.push_back(*user->team_id);
  SEI_ASSIGN_OR_RETURN(p.team_ids, WithSubTeams(store_, std::move(teams)));
  return p;
}

void TokenService::TouchLastUsed(const model::ApiToken& token, int64_t now) {
  if (token.last_used_at && now - *token.last_used_at < kLastUsedResolution) return;
  // Best effort: a busy or read-only database must not refuse a valid token.
  UpdateOne<model::ApiToken>(store_, "id", token.id,
                             [now](model::ApiToken& t) {
                               t.last_used_at = now;
                               return Status::Ok();
                             })
      .status()
      .IgnoreError();
}

Result<std::vector<model::ApiToken>> TokenService::List() {
  ScanOptions options;
  options.order_by = "created_at";
  options.descending = true;
  SEI_ASSIGN_OR_RETURN(std::vector<model::ApiToken> tokens, store_.List<model::ApiToken>(options));
  // Tokens made in the same second: by id, so that both backends list them
  // alike (a database moved by `sei migrate` lists what it listed before).
  std::stable_sort(tokens.begin(), tokens.end(), [](const auto& a, const auto& b) {
    return a.created_at != b.created_at ? a.created_at > b.created_at : a.id < b.id;
  });
  for (model::ApiToken& t : tokens) t.token_hash.clear();
  return tokens;
}

Status TokenService::Revoke(const std::string& id, std::optional<model::AuditEntry> audit) {
  const int64_t now = clock_.NowUnixSeconds();
  std::vector<TableWrite> also;
  if (audit) {
    // Tokens are never deleted: one that exists now still does at the write.
    SEI_ASSIGN_OR_RETURN(std::optional<model::ApiToken> t,
                         FindOne<model::ApiToken>(store_, "id", id));
    if (!t) return NotFoundError("no API token with id '" + id + "' (see `sei token list`)");
    SEI_ASSIGN_OR_RETURN(TableWrite entry, AuditLog::Write(*audit));
    also.push_back(std::move(entry));
  }
  SEI_ASSIGN_OR_RETURN(bool found, UpdateOne<model::ApiToken>(
                                       store_, "id", id,
                                       [now](model::ApiToken& t) {
                                         if (!t.revoked_at) {
                                           t.revoked_at = now;
                                         }
                                         return Status::Ok();
                                       },
                                       std::move(also)));
  if (!found) return NotFoundError("no API token with id '" + id + "' (see `sei token list`)");
  return Status::Ok();
}

Result<CreatedToken> TokenService::Login(std::string_view email, std::string_view password,
                                         int64_t now, std::optional<std::string> remote_addr) {
  std::string lower(email);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  SEI_ASSIGN_OR_RETURN(std::optional<model::User> user,
                       FindOne<model::User>(store_, "email", lower));
  bool ok = false;
  if (user && user->password_hash && !user->disabled_at) {
    ok = VerifyPassword(password, *user->password_hash);
  } else {
    BurnPasswordCheck(password);
  }
  AuditEntry entry;
  entry.at = now;
  entry.actor = user ? "user:" + user->id : "anonymous";
  entry.action = "login";
  entry.target = "email:" + lower;
  entry.remote_addr = std::move(remote_addr);
  entry.outcome = ok ? "ok" : "denied";
  if (!ok) {
    AuditLog::Record(store_, entry).IgnoreError();  // the refusal matters more than its record
    return UnauthenticatedError("wrong email or password");
  }
  SEI_ASSIGN_OR_RETURN(Role role, ParseRole(user->role));
  SEI_ASSIGN_OR_RETURN(CreatedToken created,
                       CreateAt(role, "login session", user->id, now + kSessionSeconds, now));
  entry.detail = "session " + created.id;
  SEI_RETURN_IF_ERROR(AuditLog::Record(store_, entry));
  return created;
}

}  // namespace sei::auth
