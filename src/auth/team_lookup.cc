#include "auth/team_lookup.h"

#include <algorithm>
#include <map>
#include <set>

#include "model/org.h"

namespace sei::auth {

Result<std::vector<std::string>> TeamsOfPerson(Store& store, const std::string& person_id,
                                               int64_t now) {
  ScanOptions options;
  options.where = {{"person_id", person_id}};
  SEI_ASSIGN_OR_RETURN(std::vector<model::TeamMember> rows, store.List<model::TeamMember>(options));
  std::set<std::string> teams;
  for (const model::TeamMember& m : rows) {
    if (m.joined_at <= now && (!m.left_at || *m.left_at > now)) teams.insert(m.team_id);
  }
  return std::vector<std::string>(teams.begin(), teams.end());
}

Result<std::vector<std::string>> WithSubTeams(Store& store, std::vector<std::string> team_ids) {
  std::set<std::string> out(team_ids.begin(), team_ids.end());
  if (out.empty()) return team_ids;
  SEI_ASSIGN_OR_RETURN(std::vector<model::Team> teams, store.List<model::Team>());
  std::multimap<std::string, std::string> children;
  for (const model::Team& t : teams) {
    if (t.parent_team_id) children.emplace(*t.parent_team_id, t.id);
  }
  std::vector<std::string> queue(out.begin(), out.end());
  while (!queue.empty()) {
    const std::string parent = queue.back();
    queue.pop_back();
    auto [begin, end] = children.equal_range(parent);
    for (auto it = begin; it != end; ++it) {
      if (out.insert(it->second).second) queue.push_back(it->second);
    }
  }
  return std::vector<std::string>(out.begin(), out.end());
}

}  // namespace sei::auth
