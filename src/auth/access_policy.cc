#include "auth/access_policy.h"

#include <algorithm>

namespace sei::auth {

namespace {

Decision Allow() { return {true, ""}; }
Decision Deny(std::string reason) { return {false, std::move(reason)}; }

bool Contains(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

bool SharesTeam(const Principal& p, const Target& t) {
  return std::any_of(t.person_team_ids.begin(), t.person_team_ids.end(),
                     [&](const std::string& team) { return Contains(p.team_ids, team); });
}

bool IsSelf(const Principal& p, const Target& t) {
  return t.scope_kind == "person" && p.person_id.has_value() && *p.person_id == t.scope_id;
}

// Manager and member access to one person's data (metrics or lists).
Decision PersonAccess(const Principal& p, const Target& t, const AccessSettings& s) {
  if (IsSelf(p, t)) return Allow();
  if (p.role == Role::kMember) {
    return Deny("a member sees individual metrics of themselves only, not of person '" +
                t.scope_id + "'");
  }
  if (!s.individual_metrics) {
    return Deny(
        "individual metrics are turned off for managers (access.individual_metrics: false); an "
        "admin can see them");
  }
  if (!SharesTeam(p, t)) {
    return Deny("a manager sees individual metrics only of people in the teams they manage, and '" +
                t.scope_id + "' is in none of them");
  }
  return Allow();
}

Decision ManagerAccess(const Principal& p, RouteGroup g, const Target& t, const AccessSettings& s) {
  switch (g) {
    case RouteGroup::kTeamMetrics:
    case RouteGroup::kPush:
    case RouteGroup::kCollect:
      return Allow();
    case RouteGroup::kPersonMetrics:
      return PersonAccess(p, t, s);
    case RouteGroup::kEntityLists:
      return t.scope_kind == "person" ? PersonAccess(p, t, s) : Allow();
    default:
      return Deny("a manager cannot use " + std::string(RouteGroupName(g)) +
                  " routes; they need an admin token");
  }
}

Decision MemberAccess(const Principal& p, RouteGroup g, const Target& t) {
  switch (g) {
    case RouteGroup::kTeamMetrics:
      return Allow();
    case RouteGroup::kPersonMetrics:
      return PersonAccess(p, t, AccessSettings{});
    case RouteGroup::kEntityLists:
      if (IsSelf(p, t)) return Allow();
      if (t.scope_kind == "team" && Contains(p.team_ids, t.scope_id)) return Allow();
      return Deny(
          "a member sees lists of their own teams only (or their own rows); ask for "
          "scope=team:<one of your teams>");
    default:
      return Deny("a member cannot use " + std::string(RouteGroupName(g)) +
                  " routes; they need a manager or admin token");
  }
}

}  // namespace

const std::vector<RouteGroup>& AllRouteGroups() {
  static const std::vector<RouteGroup> groups = {
      RouteGroup::kPublic,        RouteGroup::kOrgMetrics,  RouteGroup::kTeamMetrics,
      RouteGroup::kPersonMetrics, RouteGroup::kEntityLists, RouteGroup::kOrgRead,
      RouteGroup::kOrgWrite,      RouteGroup::kConnections, RouteGroup::kPush,
      RouteGroup::kCollect,       RouteGroup::kAdmin,       RouteGroup::kObservability,
  };
  return groups;
}

std::string_view RouteGroupName(RouteGroup group) {
  switch (group) {
    case RouteGroup::kPublic:
      return "public";
    case RouteGroup::kOrgMetrics:
      return "organisation metrics";
    case RouteGroup::kTeamMetrics:
      return "team metrics";
    case RouteGroup::kPersonMetrics:
      return "person metrics";
    case RouteGroup::kEntityLists:
      return "entity list";
    case RouteGroup::kOrgRead:
      return "organisation read";
    case RouteGroup::kOrgWrite:
      return "organisation write";
    case RouteGroup::kConnections:
      return "connection";
    case RouteGroup::kPush:
      return "push";
    case RouteGroup::kCollect:
      return "collect";
    case RouteGroup::kAdmin:
      return "admin (tokens, users, audit log)";
    case RouteGroup::kObservability:
      return "observability (/metrics)";
  }
  return "unknown";
}

Decision Authorize(const Principal& principal, RouteGroup group, const Target& target,
                   const AccessSettings& settings) {
  if (group == RouteGroup::kPublic || group == RouteGroup::kOrgMetrics ||
      group == RouteGroup::kOrgRead) {
    return Allow();
  }
  switch (principal.role) {
    case Role::kAdmin:
      return Allow();
    case Role::kManager:
      return ManagerAccess(principal, group, target, settings);
    case Role::kMember:
      return MemberAccess(principal, group, target);
    case Role::kViewer:
      return Deny("a viewer sees organisation-level aggregates only; " +
                  std::string(RouteGroupName(group)) + " routes need another role");
  }
  return Deny("unknown role");
}

RouteGroup MetricsGroupFor(std::string_view scope_kind) {
  if (scope_kind == "org" || scope_kind.empty()) return RouteGroup::kOrgMetrics;
  if (scope_kind == "person") return RouteGroup::kPersonMetrics;
  return RouteGroup::kTeamMetrics;
}

}  // namespace sei::auth
