// The "identity" golden step on rows loaded the way golden cases load them.
#include <gtest/gtest.h>

#include "golden/golden_case.h"
#include "metrics/core/dataset_loader.h"
#include "model/derived.h"
#include "model/org.h"
#include "store/sqlite/sqlite_store.h"
#include "testing/test_util.h"

namespace sei::golden {
namespace {

TEST(IdentityStepTest, ResolvesCaseRowsAndMembershipsFollow) {
  testing::TempDir dir;
  auto store = sqlite::SqliteStore::Open(dir.Sub("golden.db"));
  ASSERT_TRUE(store.ok());
  const nlohmann::json rows = nlohmann::json::parse(R"({
    "accounts": [
      {"id": "git:ann", "source": "git", "email": "ann@example.com", "name": "Ann", "person_id": "p1"},
      {"id": "gh:ann", "source": "github", "login": "ann", "email": "ANN@example.com", "person_id": "p2"},
      {"id": "gh:bot", "source": "github", "login": "renovate[bot]"}
    ],
    "teams": [{"id": "t1", "name": "Web"}],
    "team_members": [{"team_id": "t1", "person_id": "p2", "joined_at": 0}]
  })");
  ASSERT_TRUE(LoadRows(**store, rows).ok());
  auto it = Steps().find("identity");
  ASSERT_NE(it, Steps().end());
  ASSERT_TRUE(it->second(**store, metrics::MetricsSettings{}).ok());
  auto links = (*store)->List<model::IdentityLink>();
  ASSERT_EQ(links->size(), 3u);  // by account id: gh:ann, gh:bot, git:ann
  EXPECT_EQ((*links)[0].person_id, "person:ann@example.com");
  EXPECT_EQ((*links)[0].reason, "canonical");  // no first-seen times: the smaller id anchors
  EXPECT_EQ((*links)[1].person_id, "person:gh:bot");
  EXPECT_EQ((*links)[2].person_id, "person:ann@example.com");
  EXPECT_EQ((*links)[2].reason, "same-email");
  auto members = (*store)->List<model::TeamMember>();
  ASSERT_EQ(members->size(), 1u);
  EXPECT_EQ((*members)[0].person_id, "person:ann@example.com");
  auto ds = metrics::LoadDataset(**store, {});
  ASSERT_TRUE(ds.ok());
  EXPECT_TRUE((*ds)->IsBot((*ds)->PersonOfAccount("gh:bot")));
  EXPECT_TRUE((*ds)->PersonInTeam(0, (*ds)->PersonOfAccount("git:ann"), 100));
}

}  // namespace
}  // namespace sei::golden
