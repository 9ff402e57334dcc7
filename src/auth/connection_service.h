// ConnectionService: the connections (configured sources) and their
// secrets, for `sei connect` and /api/v1/connections. A connection is keyed
// by source and name (id "<source>:<name>"), so creating one again updates
// it. Its API token and webhook secret are write-only: sealed with SecretBox
// before they reach the store (connection_secrets), never returned; a
// listing says only which secrets are set and when. Each write commits with
// its audit entry (audit_log.h) in one transaction; the entry never holds a
// secret.
//
// The generic webhook receiver and the push API use the source `push`
// (`generic` is accepted as another name for it), whose connection rows the
// push writer also creates on a connection's first push.
//
// Thread safety: one thread at a time (as the Store).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/audit_log.h"
#include "auth/secret_box.h"
#include "common/result.h"
#include "model/org.h"
#include "store/store.h"

namespace sei::auth {

inline constexpr const char* kTokenSecret = "token";
inline constexpr const char* kWebhookSecret = "webhook_secret";
inline constexpr size_t kMaxSecretBytes = 4096;

// What a write sets; absent members are left as they are.
struct ConnectionChange {
  std::string source;  // as given: checked and normalised ("generic" -> "push")
  std::string name;
  std::optional<std::optional<std::string>> base_url;  // set, or clear (inner nullopt)
  // kind ("token", "webhook_secret") -> the secret to seal, or nullopt to
  // remove it.
  std::map<std::string, std::optional<std::string>> secrets;
  // The source's own settings (JSON; for GitHub collectors/github/
  // github_settings.h), checked by the caller: set, or clear.
  std::optional<std::optional<std::string>> config;
};

// A connection as it may be shown: which secrets are set (kind -> when),
// never what they are.
struct ConnectionInfo {
  model::Connection connection;
  std::map<std::string, int64_t> secrets_set;
};

class ConnectionService {
 public:
  // `box` seals and opens secrets; it may be null when no call needs one
  // (listing, deleting, writes without secrets).
  ConnectionService(Store& store, const SecretBox* box) : store_(store), box_(box) {}

  // The sources a connection may have.
  static const std::vector<std::string>& Sources();
  // "generic" -> "push"; others as they are.
  static std::string NormaliseSource(std::string_view source);
  // Why `source` (normalised) or `name` cannot be used; nullopt when fine.
  static std::optional<std::string> SourceProblem(std::string_view source);
  static std::optional<std::string> NameProblem(std::string_view name);
  static std::optional<std::string> SecretProblem(std::string_view secret);

  // Creates or updates the connection `change` names; `audit` (its action
  // and target are filled in: "connection.create" or "connection.update")
  // is written in the same transaction. `created` says which it was.
  Result<ConnectionInfo> Put(const ConnectionChange& change, int64_t now, AuditEntry audit,
                             bool* created = nullptr);
  // Every connection, by id.
  Result<std::vector<ConnectionInfo>> List();
  Result<std::optional<ConnectionInfo>> Get(const std::string& id);
  // Deletes the connection and its secrets (the data collected through it
  // stays); false when there was none.
  Result<bool> Delete(const std::string& id, AuditEntry audit);
  // The secret of `kind`, opened; nullopt when none is set.
  Result<std::optional<std::string>> Secret(const std::string& connection_id,
                                            const std::string& kind);

 private:
  Result<std::map<std::string, int64_t>> SecretsSet(const std::string& id);

  Store& store_;
  const SecretBox* box_;
};

}  // namespace sei::auth
