// Role: what a user or API token may do in the server (issue 5, "Access").
// admin: everything; manager: team and project metrics, individual metrics
// of their teams where enabled, push and collect; member: team metrics and
// their own; viewer: organisation-level aggregates. The full matrix is
// access_policy.h and docs/api.md ("Roles").
//
// Thread safety: pure functions over immutable data.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace sei::auth {

enum class Role { kAdmin, kManager, kMember, kViewer };

// "admin", "manager", "member" or "viewer" (case-insensitive, surrounding
// blanks ignored); anything else is an InvalidArgument error that lists the
// valid roles.
Result<Role> ParseRole(std::string_view text);

// The lower-case name ParseRole accepts.
std::string_view RoleName(Role role);

}  // namespace sei::auth
