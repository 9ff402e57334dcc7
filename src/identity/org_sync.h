// OrgSync: makes the store's config-sourced teams and projects equal what
// the config file declares (org_config.h). Config rows have ids
// "config:team:<slug>" / "config:project:<slug>"; each sync replaces all of
// them — teams, team_members, projects, project_scopes — in the same
// atomic write as identity resolution (IdentityService), so a team removed
// from the file disappears and a reader never sees half a sync. Rows from
// other sources (ids without the prefix) are never touched.
//
// Members resolve to people through their accounts: a person id, an account
// id, an email (any account's email or a person's primary email) or a login
// (any account's login), case-insensitively. Repos resolve by repo id, name
// or location (a relative path is taken from the config file's directory);
// boards by id or name.
//
// Unmatched entries are a warning, not an error: the rest of the config is
// applied and the entry is left out until it matches (a new hire is often
// in the file before their first commit is collected). Every unmatched
// entry is listed in one message — what, where, and what was tried —
// which `sei identity resolve` prints, and `--strict` turns into an error
// that writes nothing.
//
// Thread safety: Plan() is a pure function.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "identity/org_config.h"
#include "model/git.h"
#include "model/org.h"
#include "model/work.h"
#include "store/store.h"

namespace sei::identity {

// What the store holds (people and accounts as just resolved).
struct OrgSnapshot {
  std::vector<model::Person> people;
  std::vector<model::Account> accounts;  // person_id set
  std::vector<model::Repo> repos;
  std::vector<model::Board> boards;
  std::vector<model::Team> teams;  // before the sync
  std::vector<model::Project> projects;
};

struct Unmatched {
  std::string what;                     // "member", "repo", "board", "parent"
  std::string text;                     // as written in the config
  std::string owner;                    // "team Platform", "project Checkout"
  std::string where;                    // "sei.yaml:12"
  std::string tried;                    // what it was compared with
  std::vector<std::string> candidates;  // when it matched more than one
};

struct OrgPlan {
  std::vector<TableWrite> writes;
  int64_t teams = 0, memberships = 0, projects = 0, scopes = 0;
  int64_t removed_teams = 0, removed_projects = 0;
  std::vector<Unmatched> unmatched;

  // One message listing every unmatched entry; "" when there is none.
  std::string UnmatchedMessage() const;
};

// The repos `text` names (a project's `repos:` entry): the repo with that
// id; else those with that name (any case); else those at that location (a
// relative path taken from `base_dir`).
std::set<std::string> FindRepos(const std::vector<model::Repo>& repos, const std::string& text,
                                const std::string& base_dir);
// The boards `text` names: the board with that id, else those with that name.
std::set<std::string> FindBoards(const std::vector<model::Board>& boards, const std::string& text);

class OrgSync {
 public:
  static OrgPlan Plan(const OrgConfig& config, const OrgSnapshot& snapshot);
};

}  // namespace sei::identity
