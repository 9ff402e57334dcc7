// Who may use the server: users with a role, API tokens (stored as hashes
// only), and the audit log of every write and login (issue 5, "Access";
// src/auth reads and writes them).
//
// Plain values, no I/O. Instants are Unix seconds (UTC). Roles are the names
// of auth::Role ("admin", "manager", "member", "viewer").
//
// Thread safety: value types.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sei::model {

struct User {
  std::string id;
  std::string name;
  std::string email;  // unique, lower-case
  std::string role;
  std::optional<std::string> team_id;        // a team the user manages or belongs to
  std::optional<std::string> person_id;      // the person the user is ("their own" metrics)
  std::optional<std::string> password_hash;  // crypto_pwhash_str (argon2id); none: no login
  int64_t created_at = 0;
  std::optional<int64_t> disabled_at;

  static constexpr const char* kTable = "users";
  static constexpr const char* kView = "users";
  static constexpr const char* kEntity = "users";
  static constexpr const char* kDescription = "people who may sign in to the server, with a role";
  static constexpr bool kWritable = true;
  static std::vector<std::string> Key() { return {"id"}; }
  template <class V>
  static void Describe(V& v) {
    v("id", &User::id);
    v("name", &User::name);
    v("email", &User::email);
    v("role", &User::role);
    v("team_id", &User::team_id);
    v("person_id", &User::person_id);
    v("password_hash", &User::password_hash);
    v("created_at", &User::created_at);
    v("disabled_at", &User::disabled_at);
  }
};

struct ApiToken {
  std::string id;
  std::string name;
  std::string token_hash;  // hex BLAKE2b-256 of the token; the token itself is never stored
  std::string prefix;      // the token's first 8 characters, to recognise it in lists
  std::string role;
  std::optional<std::string> user_id;  // the user it acts as (login sessions, personal tokens)
  int64_t created_at = 0;
  std::optional<int64_t> expires_at;
  std::optional<int64_t> last_used_at;  // updated at most once a minute
  std::optional<int64_t> revoked_at;

  static constexpr const char* kTable = "api_tokens";
  static constexpr const char* kView = "api_tokens";
  static constexpr const char* kEntity = "api-tokens";
  static constexpr const char* kDescription = "API tokens (hashes only) with their role";
  static constexpr bool kWritable = true;
  static std::vector<std::string> Key() { return {"id"}; }
  template <class V>
  static void Describe(V& v) {
    v("id", &ApiToken::id);
    v("name", &ApiToken::name);
    v("token_hash", &ApiToken::token_hash);
    v("prefix", &ApiToken::prefix);
    v("role", &ApiToken::role);
    v("user_id", &ApiToken::user_id);
    v("created_at", &ApiToken::created_at);
    v("expires_at", &ApiToken::expires_at);
    v("last_used_at", &ApiToken::last_used_at);
    v("revoked_at", &ApiToken::revoked_at);
  }
};

struct AuditEntry {
  int64_t id = 0;  // assigned by the store (Store::InsertRow), increasing
  int64_t at = 0;
  std::string actor;   // "user:<id>", "token:<id>", "cli:<unix user>", "anonymous"
  std::string action;  // "token.create", "user.add", "login", "push.deployments" ...
  std::string target;  // what it acted on ("token:tk-...", "user:u-..."); may be empty
  std::optional<std::string> detail;       // a sentence or JSON; never a secret
  std::optional<std::string> remote_addr;  // the client address, for server requests
  std::string outcome;                     // "ok", "denied", "failed"

  static constexpr const char* kTable = "audit_log";
  static constexpr const char* kView = "audit_log";
  static constexpr const char* kEntity = "audit-log";
  static constexpr const char* kDescription = "every write and every login, who and when";
  static constexpr bool kWritable = false;  // append-only, through auth::RecordAudit
  static std::vector<std::string> Key() { return {"id"}; }
  template <class V>
  static void Describe(V& v) {
    v("id", &AuditEntry::id);
    v("at", &AuditEntry::at);
    v("actor", &AuditEntry::actor);
    v("action", &AuditEntry::action);
    v("target", &AuditEntry::target);
    v("detail", &AuditEntry::detail);
    v("remote_addr", &AuditEntry::remote_addr);
    v("outcome", &AuditEntry::outcome);
  }
};

}  // namespace sei::model
