// Which teams a person is in now, and the teams below a set of teams: the
// facts the access policy needs (Principal::team_ids, Target::person_team_ids)
// and cannot look up itself, being a pure function.
//
// Thread safety: as the Store it is given.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "store/store.h"

namespace sei::auth {

// The teams `person_id` is a current member of at `now` (team_members with
// joined_at <= now and left_at empty or after now). Sorted, unique.
Result<std::vector<std::string>> TeamsOfPerson(Store& store, const std::string& person_id,
                                               int64_t now);

// `team_ids` plus every team below them (teams.parent_team_id, any depth).
// Sorted, unique; cycles in the parent links are tolerated.
Result<std::vector<std::string>> WithSubTeams(Store& store, std::vector<std::string> team_ids);

}  // namespace sei::auth
