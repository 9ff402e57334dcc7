// Every role against every route group (one table row each), then the edge
// cases: whose person metrics and lists a manager and a member may see.
#include "auth/access_policy.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace sei::auth {
namespace {

Principal Make(Role role) {
  Principal p;
  p.id = "user:" + std::string(RoleName(role));
  p.role = role;
  if (role == Role::kManager || role == Role::kMember) {
    p.person_id = "p-" + std::string(RoleName(role));
    p.team_ids = {"t-a"};
  }
  return p;
}

Target Person(const std::string& id, std::vector<std::string> teams) {
  return Target{"person", id, std::move(teams)};
}

// The typical target of each group: a team that is not the principal's for
// team metrics, a teammate for person metrics, the principal's team for lists.
Target TypicalTarget(RouteGroup g) {
  switch (g) {
    case RouteGroup::kOrgMetrics:
      return {"org", "", {}};
    case RouteGroup::kTeamMetrics:
      return {"team", "t-b", {}};
    case RouteGroup::kPersonMetrics:
      return Person("p-teammate", {"t-a"});
    case RouteGroup::kEntityLists:
      return {"team", "t-a", {}};
    default:
      return {};
  }
}

struct MatrixRow {
  RouteGroup group;
  bool admin, manager, member, viewer;
};

// Expected by the issue: admin everything; manager team and project metrics,
// individual metrics of their team, push and collect; member team metrics and
// their own; viewer organisation-level aggregates.
const MatrixRow kMatrix[] = {
    {RouteGroup::kPublic, true, true, true, true},
    {RouteGroup::kOrgMetrics, true, true, true, true},
    {RouteGroup::kTeamMetrics, true, true, true, false},
    {RouteGroup::kPersonMetrics, true, true, false, false},
    {RouteGroup::kEntityLists, true, true, true, false},
    {RouteGroup::kOrgRead, true, true, true, true},
    {RouteGroup::kOrgWrite, true, false, false, false},
    {RouteGroup::kConnections, true, false, false, false},
    {RouteGroup::kPush, true, true, false, false},
    {RouteGroup::kCollect, true, true, false, false},
    {RouteGroup::kAdmin, true, false, false, false},
    {RouteGroup::kObservability, true, false, false, false},
};

TEST(AccessPolicyTest, EveryRoleAgainstEveryRouteGroup) {
  std::set<RouteGroup> covered;
  for (const MatrixRow& row : kMatrix) {
    covered.insert(row.group);
    const std::map<Role, bool> expected = {{Role::kAdmin, row.admin},
                                           {Role::kManager, row.manager},
                                           {Role::kMember, row.member},
                                           {Role::kViewer, row.viewer}};
    for (const auto& [role, allowed] : expected) {
      Decision d = Authorize(Make(role), row.group, TypicalTarget(row.group), AccessSettings{});
      EXPECT_EQ(d.allowed, allowed)
          << RoleName(role) << " on " << RouteGroupName(row.group) << ": " << d.reason;
      // A refusal explains itself; an allowance has nothing to say.
      EXPECT_EQ(d.reason.empty(), allowed) << RoleName(role) << " " << RouteGroupName(row.group);
    }
  }
  EXPECT_EQ(covered.size(), AllRouteGroups().size()) << "a route group has no row in kMatrix";
}

struct EdgeCase {
  const char* what;
  Role role;
  RouteGroup group;
  Target target;
  bool individual_metrics;
  bool allowed;
};

TEST(AccessPolicyTest, WhosePersonMetricsAndListsEachRoleSees) {
  const Target outsider = Person("p-out", {"t-z"});
  const Target teammate = Person("p-teammate", {"t-z", "t-a"});
  const EdgeCase cases[] = {
      {"manager, person outside their teams", Role::kManager, RouteGroup::kPersonMetrics, outsider,
       true, false},
      {"manager, teammate in a second team", Role::kManager, RouteGroup::kPersonMetrics, teammate,
       true, true},
      {"manager, teammate, individual metrics off", Role::kManager, RouteGroup::kPersonMetrics,
       teammate, false, false},
      {"manager, own metrics, individual metrics off", Role::kManager, RouteGroup::kPersonMetrics,
       Person("p-manager", {"t-a"}), false, true},
      {"admin, outsider, individual metrics off", Role::kAdmin, RouteGroup::kPersonMetrics,
       outsider, false, true},
      {"member, own metrics", Role::kMember, RouteGroup::kPersonMetrics,
       Person("p-member", {"t-a"}), true, true},
      {"member, own metrics, individual metrics off", Role::kMember, RouteGroup::kPersonMetrics,
       Person("p-member", {"t-a"}), false, true},
      {"member, a teammate", Role::kMember, RouteGroup::kPersonMetrics, teammate, true, false},
      {"viewer, any person", Role::kViewer, RouteGroup::kPersonMetrics, teammate, true, false},
      {"member, list of another team",
       Role::kMember,
       RouteGroup::kEntityLists,
       {"team", "t-b", {}},
       true,
       false},
      {"member, organisation-wide list",
       Role::kMember,
       RouteGroup::kEntityLists,
       {"org", "", {}},
       true,
       false},
      {"member, list of their own rows", Role::kMember, RouteGroup::kEntityLists,
       Person("p-member", {"t-a"}), true, true},
      {"manager, project list",
       Role::kManager,
       RouteGroup::kEntityLists,
       {"project", "checkout", {}},
       true,
       true},
      {"manager, list of an outsider's rows", Role::kManager, RouteGroup::kEntityLists, outsider,
       true, false},
      {"manager, list of a teammate's rows, individual metrics off", Role::kManager,
       RouteGroup::kEntityLists, teammate, false, false},
      {"viewer, org list", Role::kViewer, RouteGroup::kEntityLists, {"org", "", {}}, true, false},
      {"member, repo metrics",
       Role::kMember,
       RouteGroup::kTeamMetrics,
       {"repo", "r1", {}},
       true,
       true},
  };
  for (const EdgeCase& c : cases) {
    Decision d = Authorize(Make(c.role), c.group, c.target, AccessSettings{c.individual_metrics});
    EXPECT_EQ(d.allowed, c.allowed) << c.what << ": " << d.reason;
  }
}

TEST(AccessPolicyTest, AManagerTokenWithoutAPersonSeesNoIndividualMetrics) {
  Principal p;
  p.id = "token:t1";
  p.role = Role::kManager;  // no user, so no person and no teams
  Decision d = Authorize(p, RouteGroup::kPersonMetrics, Person("p-x", {"t-a"}), {});
  EXPECT_FALSE(d.allowed);
  EXPECT_NE(d.reason.find("teams they manage"), std::string::npos) << d.reason;
}

TEST(AccessPolicyTest, MetricsGroupOfEachScopeKind) {
  EXPECT_EQ(MetricsGroupFor("org"), RouteGroup::kOrgMetrics);
  EXPECT_EQ(MetricsGroupFor("team"), RouteGroup::kTeamMetrics);
  EXPECT_EQ(MetricsGroupFor("project"), RouteGroup::kTeamMetrics);
  EXPECT_EQ(MetricsGroupFor("repo"), RouteGroup::kTeamMetrics);
  EXPECT_EQ(MetricsGroupFor("person"), RouteGroup::kPersonMetrics);
}

TEST(RoleTest, ParsesNamesAndListsTheValidOnesOnError) {
  EXPECT_EQ(*ParseRole("admin"), Role::kAdmin);
  EXPECT_EQ(*ParseRole(" Manager "), Role::kManager);
  EXPECT_EQ(*ParseRole("MEMBER"), Role::kMember);
  EXPECT_EQ(*ParseRole("viewer"), Role::kViewer);
  for (Role r : {Role::kAdmin, Role::kManager, Role::kMember, Role::kViewer}) {
    EXPECT_EQ(*ParseRole(RoleName(r)), r);
  }
  Result<Role> bad = ParseRole("owner");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("'owner'"), std::string::npos);
  EXPECT_NE(bad.status().message().find("admin, manager, member and viewer"), std::string::npos);
}

}  // namespace
}  // namespace sei::auth
