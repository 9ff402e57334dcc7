// OrgConfig: the teams and projects a YAML config file declares (parsed by
// app/config.cc, applied to the store by OrgSync, org_sync.h). Plain values
// with the file and line each came from, so every later message can point
// at it.
//
//   teams:
//     - name: Platform               # required
//       id: platform                 # optional: the team's id is config:team:<id>,
//                                    #   else config:team:<slug of the name>
//       parent: Engineering          # optional: a config team's name or id, or
//                                    #   the id of a team already in the store
//       description: ...
//       members:
//         - ann@example.com          # an email, a login, an account id or a person id
//         - {who: bob, joined: 2024-01-01, left: 2024-06-30, role: lead}
//   projects:
//     - name: Checkout               # id: config:project:<id or slug>
//       repos: [api, ../web, github:1:repo:42]   # repo ids, names or locations
//       boards: [CHK]                # board ids or names
//       services: [checkout-api]
//       environments: [production, staging]
//       ci_scopes: [checkout-ci]
//
// Membership dates: `joined` is the first day on the team (from 00:00 UTC),
// `left` the last day (to 24:00 UTC); a full RFC 3339 instant is taken as
// is. No `joined`: a member since 1970-01-01; no `left`: a member still.
//
// Thread safety: value types and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace sei::identity {

inline constexpr const char* kConfigTeamPrefix = "config:team:";
inline constexpr const char* kConfigProjectPrefix = "config:project:";

struct MemberSpec {
  std::string who;
  std::optional<int64_t> joined_at;  // inclusive
  std::optional<int64_t> left_at;    // exclusive
  std::optional<std::string> role;
  std::string where;  // "sei.yaml:12"
};

struct TeamSpec {
  std::string name;
  std::optional<std::string> id;
  std::optional<std::string> parent;
  std::optional<std::string> description;
  std::vector<MemberSpec> members;
  std::string where;

  // "config:team:<id or slug of the name>".
  std::string StoreId() const;
};

struct ProjectSpec {
  std::string name;
  std::optional<std::string> id;
  std::optional<std::string> description;
  std::vector<std::string> repos;
  std::vector<std::string> boards;
  std::vector<std::string> services;
  std::vector<std::string> environments;
  std::vector<std::string> ci_scopes;
  std::string base_dir;  // the config file's directory: relative repo paths start here
  std::string where;

  // "config:project:<id or slug of the name>".
  std::string StoreId() const;
};

struct OrgConfig {
  std::vector<TeamSpec> teams;
  std::vector<ProjectSpec> projects;
};

// Checks what can be checked without the store: names that give no id,
// two teams (or projects) with one id, an explicit id that is not
// lowercase letters, digits, '-', '_' or '.', a member listed twice with the
// same joined date, left before joined, a parent cycle among config teams.
// Errors name the file and line.
Status ValidateOrgConfig(const OrgConfig& org);

}  // namespace sei::identity
