// Who and what: connections to tools, accounts (one per tool identity), people, teams and their
// members, projects and what they group.
//
// Plain values, no I/O. Instants are Unix seconds (UTC). Ids are namespaced per
// source and connection (ids.h); raw_id points at the archived payload a row
// was converted from (lineage). Field lists are the single source of truth for
// generic SQL, exports and the schema check (entity.h).
//
// Thread safety: value types.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sei::model {

struct Connection {
  std::string id;
  std::string source;
  std::string name;
  std::optional<std::string> base_url;
  std::optional<std::string> config;
  int64_t created_at = 0;
  int64_t updated_at = 0;

  static constexpr const char* kTable = "connections";
  static constexpr const char* kView = "connections";
  static constexpr const char* kEntity = "connections";
  static constexpr const char* kDescription =
      "configured sources (a tool instance and its credentials reference)";
  static constexpr bool kWritable = true;
  static std::vector<std::string> Key() { return {"id"}; }
  template <class V>
  static void Describe(V& v) {
    v("id", &Connection::id);
    v("source", &Connection::source);
    v("name", &Connection::name);
    v("base_url", &Connection::base_url);
    v("config", &Connection::config);
    v("created_at", &Connection::created_at);
    v("updated_at", &Connection::updated_at);
  }
};

// A connection's secret (its API token, its webhook secret), sealed with
// auth::SecretBox: `sealed` is "sb1:" + base64(nonce || ciphertext), never
// the secret itself. Write-only: no API answer and no command prints it.
struct ConnectionSecret {
  std::string connection_id;
  std::string kind;  // "token", "webhook_secret"
  std::string sealed;
  int64_t updated_at = 0;

  static constexpr const char* kTable = "connection_secrets";
  static constexpr const char* kView = "connection_secrets";
  static constexpr const char* kEntity = "connection-secrets";
  static constexpr const char* kDescription =
      "connection tokens and webhook secrets, sealed (never in clear)";
  static constexpr bool kWritable = true;
  static std::vector<std::string> Key() { return {"connection_id", "kind"}; }
  template <class V>
  static void Describe(V& v) {
    v("connection_id", &ConnectionSecret::connection_id);
    v("kind", &ConnectionSecret::kind);
    v("sealed", &ConnectionSecret::sealed);
    v("updated_at", &ConnectionSecret::updated_at);
  }
};

struct Account {
  std::string id;
  std::string connection_id;
  std::string source;
  std::optional<std::string> login;
  std::optional<std::string> email;
  std::optional<std::string> name;
  std::optional<std::string> external_id;
  std::optional<std::string> person_id;
  bool is_bot = false;
  std::optional<int64_t> first_seen_at;
  std::optional<int64_t> last_seen_at;

  static constexpr const char* kTable = "accounts";
  static constexpr const char* kView = "accounts";
  static constexpr const char* kEntity = "accounts";
  static constexpr const char* kDescription =
      "identities as each tool knows them (git email, GitHub login, Jira account id)";
  static constexpr bool kWritable = true;
  static std::vector<std::string> Key() { return {"id"}; }
  template <class V>
  static void Describe(V& v) {
    v("id", &Account::id);
    v("connection_id", &Account::connection_id);
    v("source", &Account::source);
    v("login", &Account::login);
    v("email", &Account::email);
    v("name", &Account::name);
    v("external_id", &Account::external_id);
    v("person_id", &Account::person_id);
    v("is_bot", &Account::is_bot);
    v("first_seen_at", &Account::first_seen_at);
    v("last_seen_at", &Account::last_seen_at);
  }
};

struct Person {
  std::string id;
  std::string display_name;
  std::optional<std::string> primary_email;
  bool is_bot = false;
  int64_t created_at = 0;

  static constexpr const char* kTable = "people";
  static constexpr const char* kView = "people";
  static constexpr const char* kEntity = "people";
  static constexpr const char* kDescription = "people: accounts merged across tools";
  static constexpr bool kWritable = true;
  static std::vector<std::string> Key() { return {"id"}; }
  template <class V>
  static void Describe(V& v) {
    v("id", &Person::id);
    v("display_name", &Person::display_name);
    v("primary_email", &Person::primary_email);
    v("is_bot", &Person::is_bot);
    v("created_at", &Person::created_at);
  }
};

struct Team {
  std::string id;
  std::string name;
  std::optional<std::string> parent_team_id;
  std::optional<std::string> description;

  static constexpr const char* kTable = "teams";
  static constexpr const char* kView = "teams";
  static constexpr const char* kEntity = "teams";
  static constexpr const char* kDescription = "teams of people";
  static constexpr bool kWritable = true;
  static std::vector<std::string> Key() { return {"id"}; }
  template <class V>
  static void Describe(V& v) {
    v("id", &Team::id);
    v("name", &Team::name);
    v("parent_team_id", &Team::parent_team_id);
    v("description", &Team::description);
  }
};

struct TeamMember {
  std::string team_id;
  std::string person_id;
  std::optional<std::string> role;
  int64_t joined_at = 0;
  std::optional<int64_t> left_at;

  static constexpr const char* kTable = "team_members";
  static constexpr const char* kView = "team_members";
  static constexpr const char* kEntity = "team-members";
  static constexpr const char* kDescription = "team membership, with dates";
  static constexpr bool kWritable = true;
  static std::vector<std::string> Key() { return {"team_id", "person_id", "joined_at"}; }
  template <class V>
  static void Describe(V& v) {
    v("team_id", &TeamMember::team_id);
    v("person_id", &TeamMember::person_id);
    v("role", &TeamMember::role);
    v("joined_at", &TeamMember::joined_at);
    v("left_at", &TeamMember::left_at);
  }
};

struct Project {
  std::string id;
  std::string name;
  std::optional<std::string> description;

  static constexpr const char* kTable = "projects";
  static constexpr const char* kView = "projects";
  static constexpr const char* kEntity = "projects";
  static constexpr const char* kDescription =
      "projects: a named group of repos, boards, CI scopes, environments and services";
  static constexpr bool kWritable = true;
  static std::vector<std::string> Key() { return {"id"}; }
  template <class V>
  static void Describe(V& v) {
    v("id", &Project::id);
    v("name", &Project::name);
    v("description", &Project::description);
  }
};

struct ProjectScope {
  std::string project_id;
  std::string kind;
  std::string scope_id;

  static constexpr const char* kTable = "project_scopes";
  static constexpr const char* kView = "project_scopes";
  static constexpr const char* kEntity = "project-scopes";
  static constexpr const char* kDescription = "what each project groups";
  static constexpr bool kWritable = true;
  static std::vector<std::string> Key() { return {"project_id", "kind", "scope_id"}; }
  template <class V>
  static void Describe(V& v) {
    v("project_id", &ProjectScope::project_id);
    v("kind", &ProjectScope::kind);
    v("scope_id", &ProjectScope::scope_id);
  }
};

}  // namespace sei::model
