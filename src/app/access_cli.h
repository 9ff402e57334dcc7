// Helpers shared by `sei token` and `sei user` (cmd_token.cc, cmd_user.cc):
// who is running the command, for the audit log, and how times and tables
// are printed.
//
// Thread safety: run on the main thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/status.h"
#include "store/store.h"

namespace sei::app {

// "cli:<unix user name>" (the uid when it has no name).
std::string CliActor();

// Appends an audit entry for a CLI write, outcome "ok", now.
Status RecordCliAudit(Store& store, const std::string& action, const std::string& target,
                      const std::string& detail);

// "2024-06-01 12:00" in UTC, "-" when empty.
std::string ShortTime(std::optional<int64_t> unix_seconds);

}  // namespace sei::app
