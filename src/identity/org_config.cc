#include "identity/org_config.h"

#include <fmt/format.h>

#include <map>
#include <set>

#include "identity/text.h"

namespace sei::identity {

namespace {

bool ValidIdPart(const std::string& id) {
  if (id.empty()) return false;
  for (char c : id) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

template <class Spec>
Status CheckIds(const std::vector<Spec>& specs, const char* what) {
  std::map<std::string, const Spec*> seen;
  for (const Spec& s : specs) {
    if (s.id && !ValidIdPart(*s.id)) {
      return InvalidArgumentError(
          fmt::format("{}: {} id '{}' may hold only lowercase letters, digits, '-', '_' and '.'",
                      s.where, what, *s.id));
    }
    const std::string id = s.StoreId();
    if (!s.id && Slugify(s.name).empty()) {
      return InvalidArgumentError(
          fmt::format("{}: {} name '{}' has no letters or digits to make an id from: give it an id",
                      s.where, what, s.name));
    }
    auto [it, inserted] = seen.emplace(id, &s);
    if (!inserted) {
      return InvalidArgumentError(fmt::format(
          "{}: {} '{}' has the id {} that '{}' ({}) already has: rename one or give it an id",
          s.where, what, s.name, id, it->second->name, it->second->where));
    }
  }
  return Status::Ok();
}

Status CheckMembers(const TeamSpec& team) {
  std::set<std::pair<std::string, int64_t>> seen;
  for (const MemberSpec& m : team.members) {
    if (m.joined_at && m.left_at && *m.left_at <= *m.joined_at) {
      return InvalidArgumentError(fmt::format("{}: member '{}' of team {} leaves before joining",
                                              m.where, m.who, team.name));
    }
    if (!seen.emplace(AsciiLower(m.who), m.joined_at.value_or(0)).second) {
      return InvalidArgumentError(
          fmt::format("{}: member '{}' is listed twice in team {} with the same joined date",
                      m.where, m.who, team.name));
    }
  }
  return Status::Ok();
}

// The config team a parent reference names (by name, id or store id), or null.
const TeamSpec* FindTeam(const OrgConfig& org, const std::string& ref) {
  for (const TeamSpec& t : org.teams) {
    if (AsciiLower(t.name) == AsciiLower(ref) || (t.id && *t.id == ref) || t.StoreId() == ref) {
      return &t;
    }
  }
  return nullptr;
}

Status CheckParentCycles(const OrgConfig& org) {
  for (const TeamSpec& t : org.teams) {
    const TeamSpec* at = &t;
    for (size_t steps = 0; at != nullptr && at->parent; ++steps) {
      at = FindTeam(org, *at->parent);
      if (at == &t || steps > org.teams.size()) {
        return InvalidArgumentError(fmt::format(
            "{}: team {} is its own ancestor through its parent chain", t.where, t.name));
      }
    }
  }
  return Status::Ok();
}

}  // namespace

std::string TeamSpec::StoreId() const { return kConfigTeamPrefix + id.value_or(Slugify(name)); }

std::string ProjectSpec::StoreId() const {
  return kConfigProjectPrefix + id.value_or(Slugify(name));
}

Status ValidateOrgConfig(const OrgConfig& org) {
  SEI_RETURN_IF_ERROR(CheckIds(org.teams, "team"));
  SEI_RETURN_IF_ERROR(CheckIds(org.projects, "project"));
  for (const TeamSpec& t : org.teams) SEI_RETURN_IF_ERROR(CheckMembers(t));
  return CheckParentCycles(org);
}

}  // namespace sei::identity
