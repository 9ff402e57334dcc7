// Namespaced ids: every entity id says which source and connection it came
// from, so two sources never collide: "<source>:<connection>:<kind>:<key>",
// e.g. "github:1:pr:203756736", "git:local:repo:/srv/repos/api".
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace sei::model {

// "<source>:<connection>" — the connection id.
std::string ConnectionId(std::string_view source, std::string_view connection);

// "<connection_id>:<kind>:<key>".
std::string MakeId(std::string_view connection_id, std::string_view kind, std::string_view key);

// The account id of a git identity: keyed by the lowercased email, or by the
// name when the email is empty.
std::string GitAccountId(std::string_view connection_id, std::string_view name,
                         std::string_view email);

}  // namespace sei::model
