// Principal: who is making a request, as TokenService::Verify resolved it
// from an API token (and the user it belongs to, if any). The server passes
// it to Authorize (access_policy.h) and writes its id into audit entries.
//
// Thread safety: a value type.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/role.h"

namespace sei::auth {

struct Principal {
  std::string id;    // "user:<user id>" for a user's token, else "token:<token id>"
  std::string name;  // the user's name, else the token's name
  Role role = Role::kViewer;
  std::optional<std::string> user_id;
  std::optional<std::string> token_id;
  std::optional<std::string> person_id;  // the person the user is, for "their own" metrics
  // The teams the principal manages (manager) or belongs to (member): the
  // user's explicit team, plus the teams its person is a current member of
  // (team_members, left_at empty or in the future), plus every team below
  // those (teams.parent_team_id). Sorted, unique. Resolved at verify time.
  std::vector<std::string> team_ids;
};

}  // namespace sei::auth
