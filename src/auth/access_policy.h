// AccessPolicy: the role rules of the server (issue 5, "Access") as one pure
// function, so every route asks the same question the same way and the
// whole matrix is tested role by role (access_policy_test.cc) and written
// down once (docs/api.md, "Roles").
//
//                  admin  manager                       member               viewer
//   public         yes    yes                           yes                  yes
//   org metrics    yes    yes                           yes                  yes
//   org read       yes    yes                           yes                  yes
//   team metrics   yes    yes                           yes                  no
//   person metrics yes    people of their teams, when   themselves only      no
//                         individual_metrics is on
//   entity lists   yes    yes (person-scoped: as        their teams' scope,  no
//                         person metrics)               or themselves
//   push, collect  yes    yes                           no                   no
//   org write, connections, admin, observability: admin only
//
// "Team metrics" covers team, project and repo scopes (MetricsGroupFor).
// The caller resolves facts the policy cannot know: for a person target, the
// teams that person currently belongs to (Target::person_team_ids; see
// TeamsOfPerson in team_lookup.h).
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "auth/principal.h"

namespace sei::auth {

enum class RouteGroup {
  kPublic,         // /healthz, /readyz, /api/v1/openapi.json
  kOrgMetrics,     // metrics of the whole organisation
  kTeamMetrics,    // metrics of a team, project or repo
  kPersonMetrics,  // metrics of one person (individual metrics)
  kEntityLists,    // PR, deployment, incident, issue lists, and drill rows
  kOrgRead,        // teams, people, projects, repos lists
  kOrgWrite,       // teams, projects, identity merges and splits
  kConnections,    // sources and their secrets
  kPush,           // /api/v1/push/...
  kCollect,        // trigger a collection
  kAdmin,          // tokens, users, audit log
  kObservability,  // Prometheus /metrics
};

// Every group, in declaration order (for tests and docs).
const std::vector<RouteGroup>& AllRouteGroups();
std::string_view RouteGroupName(RouteGroup group);

struct Target {
  std::string scope_kind;  // "org", "team", "project", "repo", "person"; empty: none
  std::string scope_id;
  // For scope_kind "person": the teams that person currently belongs to.
  std::vector<std::string> person_team_ids;
};

struct AccessSettings {
  // Whether managers may see metrics and lists of one person of their teams
  // (config: access.individual_metrics). Admins always may; members always
  // see their own.
  bool individual_metrics = true;
};

struct Decision {
  bool allowed = false;
  std::string reason;  // one sentence, fit for a 403 body ("" when allowed)
};

Decision Authorize(const Principal& principal, RouteGroup group, const Target& target,
                   const AccessSettings& settings);

// The metrics group of a scope kind: org -> kOrgMetrics, person ->
// kPersonMetrics, anything else (team, project, repo) -> kTeamMetrics.
RouteGroup MetricsGroupFor(std::string_view scope_kind);

}  // namespace sei::auth
