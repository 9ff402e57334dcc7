// LoadDataset against a real SQLite store: accounts resolved to people (and
// standing in for one when unresolved), bots by pattern, children grouped
// under their parents in time order, derived links attached, each PR's first
// production deployment, and the next successful deployment per target.
#include "metrics/core/dataset_loader.h"

#include <gtest/gtest.h>

#include "model/delivery.h"
#include "model/derived.h"
#include "model/org.h"
#include "model/review.h"
#include "store/sqlite/sqlite_store.h"
#include "testing/test_util.h"

namespace sei::metrics {
namespace {

model::Account Acct(const std::string& id, const std::string& login,
                    std::optional<std::string> person = std::nullopt) {
  model::Account a;
  a.id = id;
  a.connection_id = "github:1";
  a.source = "github";
  a.login = login;
  a.person_id = std::move(person);
  return a;
}

model::Deployment Dep(const std::string& id, const std::string& result, int64_t at,
                      const std::string& env_type = "production") {
  model::Deployment d;
  d.id = id;
  d.connection_id = "ci";
  d.repo_id = "r1";
  d.environment = env_type == "production" ? "prod" : "stage";
  d.environment_type = env_type;
  d.result = result;
  d.finished_at = at;
  return d;
}

class DatasetLoaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = sqlite::SqliteStore::Open(dir_.Sub("d.db"));
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
    model::Repo repo{"r1", "git:local", "api", "/srv/api"};
    ASSERT_TRUE(store_->UpsertRepo(repo).ok());
    model::Person ann{"p-ann", "Ann", "ann@example.com", false, 0};
    ASSERT_TRUE(store_->Upsert<model::Person>({ann}).ok());
    ASSERT_TRUE(store_
                    ->Upsert<model::Account>({Acct("github:ann", "ann", "p-ann"),
                                              Acct("git:ann", "ann2"), Acct("github:bob", "bob"),
                                              Acct("github:dep", "dependabot[bot]")})
                    .ok());
    // git:ann is linked to Ann by identity_links even though accounts says nothing.
    ASSERT_TRUE(
        store_->Upsert<model::IdentityLink>({{"git:ann", "p-ann", "same-email", 1, "auto", 0}})
            .ok());
  }

  testing::TempDir dir_;
  std::unique_ptr<sqlite::SqliteStore> store_;
};

TEST_F(DatasetLoaderTest, AccountsBecomePeopleAndBotsAreFlagged) {
  auto ds = LoadDataset(*store_, MetricsSettings{});
  ASSERT_TRUE(ds.ok()) << ds.status().ToString();
  const Dataset& d = **ds;
  const Idx ann = d.PersonOfAccount("github:ann");
  ASSERT_NE(ann, kNone);
  EXPECT_EQ(d.PersonOfAccount("git:ann"), ann);
  EXPECT_EQ(d.people[static_cast<size_t>(ann)].name, "Ann");
  const Idx bob = d.PersonOfAccount("github:bob");
  ASSERT_NE(bob, kNone);
  EXPECT_NE(bob, ann);
  EXPECT_EQ(d.people[static_cast<size_t>(bob)].name, "bob");  // stands for itself
  EXPECT_FALSE(d.IsBot(bob));
  EXPECT_TRUE(d.IsBot(d.PersonOfAccount("github:dep")));
  EXPECT_EQ(d.PersonOfAccount("github:nobody"), kNone);
  auto me = d.Resolve(Scope{ScopeKind::kPerson, "ann@example.com"});
  ASSERT_TRUE(me.ok());
  EXPECT_EQ(me->index, ann);
  auto missing = d.Resolve(Scope{ScopeKind::kRepo, "nope"});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("known: api"), std::string::npos);
}

TEST_F(DatasetLoaderTest, BadBotPatternIsAClearError) {
  MetricsSettings s;
  s.bot_pattern = "([unclosed";
  auto ds = LoadDataset(*store_, s);
  ASSERT_FALSE(ds.ok());
  EXPECT_NE(ds.status().message().find("metrics.bot_pattern"), std::string::npos);
}

TEST_F(DatasetLoaderTest, ChildrenGroupedInTimeOrderAndLinksAttached) {
  model::PullRequest a, b;
  a.id = "pa";
  a.repo_id = "r1";
  a.title = "A";
  a.state = "merged";
  a.created_at = 200;
  a.merged_at = 300;
  a.author_account_id = "github:ann";
  b = a;
  b.id = "pb";
  b.created_at = 100;
  ASSERT_TRUE(store_->Upsert<model::PullRequest>({a, b}).ok());
  ASSERT_TRUE(store_
                  ->Upsert<model::PrReview>({{"v2", "pa", "github:bob", "approved", 250},
                                             {"v1", "pa", "github:bob", "commented", 210},
                                             {"v3", "pb", "github:bob", "approved", 150}})
                  .ok());
  ASSERT_TRUE(store_
                  ->Upsert<model::Deployment>(
                      {Dep("d1", "success", 1000), Dep("d0", "failure", 900),
                       Dep("s1", "success", 950, "staging"), Dep("d2", "success", 2000)})
                  .ok());
  model::DeploymentChange staging{"s1", "pa", "r1", "pa", "m", 150, 1, "github:ann", "graph"};
  model::DeploymentChange later{"d2", "pa", "r1", "pa", "m", 150, 1, "github:ann", "graph"};
  model::DeploymentChange first{"d1", "pa", "r1", "pa", "m", 150, 1, "github:ann", "graph"};
  ASSERT_TRUE(store_->Upsert<model::DeploymentChange>({staging, later, first}).ok());
  ASSERT_TRUE(store_->Upsert<model::DeploymentLink>({{"d1", "d0", 1, 1, false, "graph"}}).ok());
  auto ds = LoadDataset(*store_, MetricsSettings{});
  ASSERT_TRUE(ds.ok()) << ds.status().ToString();
  const Dataset& d = **ds;
  ASSERT_EQ(d.prs.size(), 2u);
  EXPECT_EQ(d.prs[0].id, "pb");  // by creation
  const DsPr& pa = d.prs[static_cast<size_t>(d.PrById("pa"))];
  ASSERT_EQ(pa.reviews.size(), 2u);
  EXPECT_EQ(d.reviews[pa.reviews.begin].state, "commented");  // v1 (210) before v2 (250)
  // First *production* success that shipped it, not staging (950) nor d2.
  ASSERT_TRUE(pa.deployed_at.has_value());
  EXPECT_EQ(*pa.deployed_at, 1000);
  ASSERT_EQ(d.deployments.size(), 4u);
  EXPECT_EQ(d.deployments[0].id, "d0");  // by time
  const DsDeployment& d1 = d.deployments[static_cast<size_t>(d.DeploymentById("d1"))];
  EXPECT_TRUE(d1.has_link);
  EXPECT_EQ(d.deployments[static_cast<size_t>(d1.prev)].id, "d0");
  EXPECT_EQ(d1.changes.size(), 1u);
  // d0 failed at 900: the next production success of r1/prod is d1, not staging s1.
  const DsDeployment& d0 = d.deployments[0];
  EXPECT_EQ(d.deployments[static_cast<size_t>(d0.next_success)].id, "d1");
  EXPECT_EQ(d.deployments[static_cast<size_t>(d.DeploymentById("d2"))].next_success, kNone);
  EXPECT_FALSE(d.has_commits);
}

}  // namespace
}  // namespace sei::metrics
