// The `teams:` and `projects:` sections of the config (identity/org_config.h
// documents them).
#include <fmt/format.h>

#include <filesystem>

#include "app/config_yaml.h"

namespace sei::app::config_yaml {

namespace {

Result<identity::MemberSpec> ParseMember(const Config& c, const YAML::Node& node,
                                         const std::string& team) {
  identity::MemberSpec m;
  m.where = Where(c, node);
  const std::string key = "member of team " + team;
  if (node.IsScalar()) {
    m.who = node.Scalar();
  } else {
    SEI_RETURN_IF_ERROR(CheckKeys(c, node, "a team member", {"who", "joined", "left", "role"}));
    if (!node["who"]) {
      return InvalidArgumentError(fmt::format(
          "{}: a member of team {} written as a mapping needs who: (an email, login or person "
          "id)",
          m.where, team));
    }
    SEI_ASSIGN_OR_RETURN(m.who, String(c, node["who"], key + ": who"));
    if (node["joined"]) {
      SEI_ASSIGN_OR_RETURN(m.joined_at, Instant(c, node["joined"], key + ": joined", false));
    }
    if (node["left"]) {
      SEI_ASSIGN_OR_RETURN(m.left_at, Instant(c, node["left"], key + ": left", true));
    }
    if (node["role"]) {
      SEI_ASSIGN_OR_RETURN(m.role, String(c, node["role"], key + ": role"));
    }
  }
  if (m.who.empty()) {
    return InvalidArgumentError(fmt::format("{}: a member of team {} is empty", m.where, team));
  }
  return m;
}

Status ParseTeam(Config* c, const YAML::Node& item) {
  SEI_RETURN_IF_ERROR(
      CheckKeys(*c, item, "a team", {"name", "id", "parent", "description", "members"}));
  if (!item["name"]) {
    return InvalidArgumentError(fmt::format("{}: a team needs a name", Where(*c, item)));
  }
  identity::TeamSpec team;
  team.where = Where(*c, item);
  SEI_ASSIGN_OR_RETURN(team.name, String(*c, item["name"], "teams: name"));
  if (item["id"]) {
    SEI_ASSIGN_OR_RETURN(team.id, String(*c, item["id"], "teams: id"));
  }
  if (item["parent"]) {
    SEI_ASSIGN_OR_RETURN(team.parent, String(*c, item["parent"], "teams: parent"));
  }
  if (item["description"]) {
    SEI_ASSIGN_OR_RETURN(team.description, String(*c, item["description"], "teams: description"));
  }
  if (const YAML::Node members = item["members"]) {
    if (!members.IsSequence()) {
      return InvalidArgumentError(
          fmt::format("{}: members of team {} must be a list of emails, logins, person ids or "
                      "{{who: ..., joined: ..., left: ..., role: ...}}",
                      Where(*c, members), team.name));
    }
    for (const YAML::Node& m : members) {
      SEI_ASSIGN_OR_RETURN(identity::MemberSpec member, ParseMember(*c, m, team.name));
      team.members.push_back(std::move(member));
    }
  }
  c->org.teams.push_back(std::move(team));
  return Status::Ok();
}

Status ParseProject(Config* c, const YAML::Node& item) {
  SEI_RETURN_IF_ERROR(CheckKeys(
      *c, item, "a project",
      {"name", "id", "description", "repos", "boards", "services", "environments", "ci_scopes"}));
  if (!item["name"]) {
    return InvalidArgumentError(fmt::format("{}: a project needs a name", Where(*c, item)));
  }
  identity::ProjectSpec p;
  p.where = Where(*c, item);
  p.base_dir = std::filesystem::path(c->file).parent_path().string();
  SEI_ASSIGN_OR_RETURN(p.name, String(*c, item["name"], "projects: name"));
  if (item["id"]) {
    SEI_ASSIGN_OR_RETURN(p.id, String(*c, item["id"], "projects: id"));
  }
  if (item["description"]) {
    SEI_ASSIGN_OR_RETURN(p.description, String(*c, item["description"], "projects: description"));
  }
  const std::pair<const char*, std::vector<std::string>*> lists[] = {
      {"repos", &p.repos},
      {"boards", &p.boards},
      {"services", &p.services},
      {"environments", &p.environments},
      {"ci_scopes", &p.ci_scopes}};
  for (const auto& [key, out] : lists) {
    if (item[key]) {
      SEI_ASSIGN_OR_RETURN(*out, Strings(*c, item[key], std::string("projects: ") + key));
    }
  }
  c->org.projects.push_back(std::move(p));
  return Status::Ok();
}

}  // namespace

Status ParseOrg(Config* c, const YAML::Node& root) {
  if (const YAML::Node teams = root["teams"]) {
    if (!teams.IsSequence()) {
      return InvalidArgumentError(fmt::format("{}: teams must be a list", Where(*c, teams)));
    }
    for (const YAML::Node& item : teams) SEI_RETURN_IF_ERROR(ParseTeam(c, item));
  }
  if (const YAML::Node projects = root["projects"]) {
    if (!projects.IsSequence()) {
      return InvalidArgumentError(fmt::format("{}: projects must be a list", Where(*c, projects)));
    }
    for (const YAML::Node& item : projects) SEI_RETURN_IF_ERROR(ParseProject(c, item));
  }
  return identity::ValidateOrgConfig(c->org);
}

}  // namespace sei::app::config_yaml
