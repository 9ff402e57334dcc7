// The `sei identity ...`, `sei teams` and `sei projects` commands
// (cmd_identity.cc registers them and runs the ones that change the store;
// cmd_identity_views.cc prints what the store holds).
//
// Thread safety: run on the main thread.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "app/commands.h"
#include "store/store.h"

namespace sei::app {

struct IdentityResolveArgs {
  bool strict = false;
  std::string format = "table";
};
struct IdentityListArgs {
  std::string person;
  std::string format = "table";
};
struct IdentityMergeArgs {
  std::string account, other, name, note;
};
struct IdentitySplitArgs {
  std::string account, from, note;
};
struct FormatArgs {
  std::string filter;
  std::string format = "table";
};

Status RunIdentityResolve(const Globals& g, const IdentityResolveArgs& args);
Status RunIdentityMerge(const Globals& g, const IdentityMergeArgs& args);
Status RunIdentitySplit(const Globals& g, const IdentitySplitArgs& args);
Status RunIdentityUndo(const Globals& g, const std::string& override_id);
Status RunIdentityList(const Globals& g, const IdentityListArgs& args);
Status RunIdentityOverrides(const Globals& g, const FormatArgs& args);
Status RunTeams(const Globals& g, const FormatArgs& args);
Status RunProjects(const Globals& g, const FormatArgs& args);

// Opens the database for a command that needs data collected before it.
Result<std::unique_ptr<Store>> OpenCollectedStore(const Globals& g, bool read_only);

// "2024-01-31" for midnight-aligned instants, else RFC 3339.
std::string DayOrInstant(int64_t t);

}  // namespace sei::app
