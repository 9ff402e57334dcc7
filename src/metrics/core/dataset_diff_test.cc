#include "metrics/core/dataset_diff.h"

#include <gtest/gtest.h>

namespace sei::metrics {
namespace {

// Two people in two teams, two repos, a project over the first repo, one
// PR in each repo, one deployment shipping the first PR, some commits.
Dataset Base() {
  Dataset ds;
  ds.people = {{"p1", "Ann", std::nullopt, false}, {"p2", "Bob", std::nullopt, false}};
  ds.account_person = {{"a1", 0}, {"a2", 1}};
  ds.teams = {{"t1", "One", std::nullopt, {{0, 0, kForever, std::nullopt}}},
              {"t2", "Two", std::nullopt, {{1, 0, kForever, std::nullopt}}}};
  ds.repos = {{"r1", "one", "/r1"}, {"r2", "two", "/r2"}};
  DsProject proj;
  proj.id = "proj";
  proj.name = "Project";
  proj.repos = {0};
  ds.projects = {proj};
  DsPr a;
  a.id = "pr1";
  a.repo = 0;
  a.author = 0;
  a.state = "open";
  a.created_at = 1000;
  DsPr b = a;
  b.id = "pr2";
  b.repo = 1;
  b.author = 1;
  ds.prs = {a, b};
  ds.commits = {{0, 0, 900, 900, 1, 2, 1, false}, {1, 1, 950, 950, 3, 4, 1, false}};
  ds.has_commits = true;
  ds.BuildIndexes();
  return ds;
}

std::vector<std::string> Names(const ScopeChanges& c) {
  std::vector<std::string> out;
  for (const auto& s : c.scopes) out.push_back(s.ToString());
  return out;
}

using Strings = std::vector<std::string>;

TEST(DatasetDiffTest, NothingChangedIsEmpty) {
  const Dataset a = Base(), b = Base();
  const ScopeChanges c = DiffScopes(a, b);
  EXPECT_TRUE(c.empty());
  EXPECT_EQ(c.rows_changed, 0);
}

TEST(DatasetDiffTest, AChangedPrMarksItsScopesOnly) {
  const Dataset a = Base();
  Dataset b = Base();
  b.prs[0].state = "merged";
  b.prs[0].merged_at = 2000;
  const ScopeChanges c = DiffScopes(a, b);
  EXPECT_FALSE(c.all);
  EXPECT_EQ(c.rows_changed, 1);
  EXPECT_EQ(Names(c), (Strings{"org", "team:t1", "project:proj", "repo:r1", "person:p1"}));
}

TEST(DatasetDiffTest, AReviewMarksTheReviewerButNotTheReviewersTeam) {
  const Dataset a = Base();
  Dataset b = Base();
  b.reviews.push_back({0, 1, "approved", false, 1500});
  b.prs[0].reviews = {0, 1};
  const ScopeChanges c = DiffScopes(a, b);
  EXPECT_EQ(Names(c),
            (Strings{"org", "team:t1", "project:proj", "repo:r1", "person:p1", "person:p2"}));
}

TEST(DatasetDiffTest, ANewReleaseMarksItsRepositoryAndItsAuthor) {
  const Dataset a = Base();
  Dataset b = Base();
  DsRelease r;
  r.id = "rel1";
  r.repo = 1;
  r.author = 1;
  r.tag_name = "v1";
  r.created_at = r.at = 3000;
  b.releases = {r};
  ScopeChanges c = DiffScopes(a, b);
  EXPECT_EQ(c.rows_changed, 1);
  EXPECT_EQ(Names(c), (Strings{"org", "team:t2", "repo:r2", "person:p2"}));
  Dataset d = b;
  d.releases[0].published_at = 3100;  // published: a change of the same rows
  c = DiffScopes(b, d);
  EXPECT_EQ(Names(c), (Strings{"org", "team:t2", "repo:r2", "person:p2"}));
  EXPECT_TRUE(DiffScopes(d, d).empty());
}

TEST(DatasetDiffTest, ARemovedRowMarksWhereItWas) {
  const Dataset a = Base();
  Dataset b = Base();
  b.prs.pop_back();
  b.BuildIndexes();
  const ScopeChanges c = DiffScopes(a, b);
  EXPECT_EQ(Names(c), (Strings{"org", "team:t2", "repo:r2", "person:p2"}));
}

TEST(DatasetDiffTest, ARowMovingOutOfATeamMarksBothTeams) {
  const Dataset a = Base();
  Dataset b = Base();
  b.prs[1].author = 0;  // pr2 is now Ann's
  const ScopeChanges c = DiffScopes(a, b);
  EXPECT_EQ(Names(c), (Strings{"org", "team:t1", "team:t2", "repo:r2", "person:p1", "person:p2"}));
}

TEST(DatasetDiffTest, APushedDeploymentMarksTheTeamsOfWhatItShipped) {
  const Dataset a = Base();
  Dataset b = Base();
  DsDeployment d;
  d.id = "dep1";
  d.repo = 0;
  d.environment = "production";
  d.result = "success";
  d.changes = {0, 1};
  b.deployments = {d};
  DsChange ch;
  ch.deployment = 0;
  ch.change_id = "c1";
  ch.repo = 0;
  ch.pr = 0;
  ch.author = 1;  // Bob's change, deployed from repo one
  ch.first_commit_at = 1000;
  b.changes = {ch};
  b.BuildIndexes();
  const ScopeChanges c = DiffScopes(a, b);
  EXPECT_EQ(Names(c), (Strings{"org", "team:t2", "project:proj", "repo:r1", "person:p2"}));
}

TEST(DatasetDiffTest, NewCommitsMarkTheirRepoAuthorAndTeams) {
  const Dataset a = Base();
  Dataset b = Base();
  b.commits.push_back({1, 1, 990, 990, 1, 1, 1, false});
  // Reordered ties compare equal: only the new commit counts.
  std::swap(b.commits[0], b.commits[1]);
  const ScopeChanges c = DiffScopes(a, b);
  EXPECT_EQ(c.rows_changed, 1);
  EXPECT_EQ(Names(c), (Strings{"org", "team:t2", "repo:r2", "person:p2"}));
}

TEST(DatasetDiffTest, TeamAndProjectDefinitionsMarkThemselves) {
  const Dataset a = Base();
  Dataset b = Base();
  b.teams[1].members[0].left_at = 5000;
  b.projects[0].environments = {"production"};
  const ScopeChanges c = DiffScopes(a, b);
  EXPECT_EQ(Names(c), (Strings{"team:t2", "project:proj"}));
}

TEST(DatasetDiffTest, MovedIdentitiesOrTooManyRowsMeanEverything) {
  const Dataset a = Base();
  Dataset b = Base();
  b.account_person["a2"] = 0;  // a merge: Bob's account is Ann's now
  EXPECT_TRUE(DiffScopes(a, b).all);

  Dataset c = Base();
  for (int i = 0; i < 5; ++i) {
    DsPr p = c.prs[0];
    p.id = "extra" + std::to_string(i);
    c.prs.push_back(p);
  }
  const ScopeChanges capped = DiffScopes(a, c, 3);
  EXPECT_TRUE(capped.all);
  EXPECT_TRUE(capped.scopes.empty());
  EXPECT_FALSE(DiffScopes(a, c, 10).all);
}

}  // namespace
}  // namespace sei::metrics
