// The config's teams, projects, metrics and identity sections: a complete
// good file, and each kind of mistake with the message it gives.
#include <gtest/gtest.h>

#include "app/config.h"
#include "testing/test_util.h"

namespace sei::app {
namespace {

using sei::testing::TempDir;
using sei::testing::WriteFile;

constexpr int64_t k2024Jan1 = 1704067200;  // 2024-01-01T00:00:00Z
constexpr int64_t k2024Jul1 = 1719792000;  // 2024-07-01T00:00:00Z: the end of 2024-06-30

TEST(ConfigOrgTest, ParsesTeamsProjectsMetricsAndIdentity) {
  TempDir dir;
  const std::string file = dir.Sub("conf/sei.yaml");
  ASSERT_TRUE(WriteFile(file,
                        "teams:\n"
                        "  - name: Engineering\n"
                        "  - name: Platform & Infra\n"
                        "    parent: Engineering\n"
                        "    description: runs the platform\n"
                        "    members:\n"
                        "      - ann@example.com\n"
                        "      - {who: bob, joined: 2024-01-01, left: 2024-06-30, role: lead}\n"
                        "      - who: person:cat@example.com\n"
                        "        joined: 2024-01-01T12:00:00Z\n"
                        "  - name: Web\n"
                        "    id: web-team\n"
                        "projects:\n"
                        "  - name: Checkout\n"
                        "    description: the shop\n"
                        "    repos: [api, ../repos/web, 'git:local:repo:/srv/billing']\n"
                        "    boards: [CHK]\n"
                        "    services: [checkout-api]\n"
                        "    environments: [production, staging]\n"
                        "    ci_scopes: [checkout-ci]\n"
                        "metrics:\n"
                        "  mode: devlake\n"
                        "  history_start: 2023-01-01\n"
                        "  first_deployment_window_days: 14\n"
                        "  production_types: [production, prod]\n"
                        "  incident_window_hours: 12\n"
                        "  bot_pattern: '^ci-'\n"
                        "  stale_pr_days: 7\n"
                        "  large_pr_lines: 800\n"
                        "  wait_statuses: [blocked]\n"
                        "  rework_window_days: 28\n"
                        "  band_year: 2024\n"
                        "identity:\n"
                        "  min_confidence: 0.8\n"
                        "  same_name: false\n"));
  auto c = LoadConfig(file);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  ASSERT_EQ(c->org.teams.size(), 3u);
  const identity::TeamSpec& platform = c->org.teams[1];
  EXPECT_EQ(platform.StoreId(), "config:team:platform-infra");
  EXPECT_EQ(platform.parent, std::optional<std::string>("Engineering"));
  EXPECT_EQ(platform.description, std::optional<std::string>("runs the platform"));
  EXPECT_EQ(platform.where, file + ":3");
  ASSERT_EQ(platform.members.size(), 3u);
  EXPECT_EQ(platform.members[0].who, "ann@example.com");
  EXPECT_FALSE(platform.members[0].joined_at);
  EXPECT_EQ(platform.members[1].who, "bob");
  EXPECT_EQ(platform.members[1].joined_at, k2024Jan1);
  EXPECT_EQ(platform.members[1].left_at, k2024Jul1);
  EXPECT_EQ(platform.members[1].role, std::optional<std::string>("lead"));
  EXPECT_EQ(platform.members[2].joined_at, k2024Jan1 + 12 * 3600);  // an instant is exact
  EXPECT_EQ(c->org.teams[2].StoreId(), "config:team:web-team");
  ASSERT_EQ(c->org.projects.size(), 1u);
  const identity::ProjectSpec& p = c->org.projects[0];
  EXPECT_EQ(p.StoreId(), "config:project:checkout");
  EXPECT_EQ(p.repos,
            (std::vector<std::string>{"api", "../repos/web", "git:local:repo:/srv/billing"}));
  EXPECT_EQ(p.base_dir, dir.Sub("conf"));
  EXPECT_EQ(p.boards, std::vector<std::string>{"CHK"});
  EXPECT_EQ(p.services, std::vector<std::string>{"checkout-api"});
  EXPECT_EQ(p.environments, (std::vector<std::string>{"production", "staging"}));
  EXPECT_EQ(p.ci_scopes, std::vector<std::string>{"checkout-ci"});
  const metrics::MetricsSettings& m = c->metrics;
  EXPECT_EQ(m.mode, metrics::Mode::kDevLake);
  EXPECT_EQ(m.history_start, std::optional<int64_t>(1672531200));  // 2023-01-01
  EXPECT_EQ(m.first_deployment_window_days, 14);
  EXPECT_EQ(m.production_types, (std::vector<std::string>{"production", "prod"}));
  EXPECT_EQ(m.incident_window_seconds, 12 * 3600);
  EXPECT_EQ(m.bot_pattern, "^ci-");
  EXPECT_EQ(m.stale_pr_seconds, 7 * 86400);
  EXPECT_EQ(m.large_pr_lines, 800);
  EXPECT_EQ(m.wait_statuses, std::vector<std::string>{"blocked"});
  EXPECT_EQ(m.rework_window_days, 28);
  EXPECT_EQ(m.band_year, "2024");
  EXPECT_DOUBLE_EQ(c->identity.min_confidence, 0.8);
  EXPECT_FALSE(c->identity.same_name);
  EXPECT_EQ(c->identity.bot_pattern, "^ci-");  // the identity rules use the metrics' pattern
}

TEST(ConfigOrgTest, DefaultsWithoutTheSections) {
  TempDir dir;
  ASSERT_TRUE(WriteFile(dir.Sub("sei.yaml"), "db: x.db\n"));
  auto c = LoadConfig(dir.Sub("sei.yaml"));
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->org.teams.empty());
  EXPECT_EQ(c->metrics.band_year, metrics::MetricsSettings{}.band_year);
  EXPECT_EQ(c->identity.bot_pattern, metrics::MetricsSettings{}.bot_pattern);
  EXPECT_TRUE(c->identity.same_name);
}

TEST(ConfigOrgTest, RejectsMistakesWithFileLineAndKey) {
  TempDir dir;
  struct Case {
    const char* yaml;
    const char* message;
  } cases[] = {
      {"teams:\n  - name: A\n    memebrs: []\n", "sei.yaml:3: unknown key 'memebrs' in a team"},
      {"teams:\n  - name: A\n    members: ann\n", "sei.yaml:3: members of team A must be a list"},
      {"teams:\n  - name: A\n    members:\n      - {joined: 2024-01-01}\n",
       "sei.yaml:4: a member of team A written as a mapping needs who:"},
      {"teams:\n  - name: A\n    members:\n      - {who: a, joind: 2024-01-01}\n",
       "sei.yaml:4: unknown key 'joind' in a team member"},
      {"teams:\n  - name: A\n    members:\n      - {who: a, joined: soon}\n",
       "sei.yaml:4: member of team A: joined must be a date like 2024-01-31"},
      {"teams:\n  - name: A\n    members:\n      - {who: a, joined: 2024-05-01, left: "
       "2024-04-01}\n",
       "sei.yaml:4: member 'a' of team A leaves before joining"},
      {"teams:\n  - name: A\n    members: [a, A]\n",
       "member 'A' is listed twice in team A with the same joined date"},
      {"teams:\n  - name: Web Team\n  - name: web-team\n",
       "sei.yaml:3: team 'web-team' has the id config:team:web-team that 'Web Team' ("},
      {"teams:\n  - name: A\n    id: Big Team\n", "team id 'Big Team' may hold only lowercase"},
      {"teams:\n  - name: '***'\n", "has no letters or digits to make an id from"},
      {"teams:\n  - name: A\n    parent: B\n  - name: B\n    parent: A\n",
       "sei.yaml:2: team A is its own ancestor"},
      {"teams:\n  - name: [A]\n", "sei.yaml:2: wrong type for teams: name: expected text"},
      {"projects:\n  - name: P\n    repos: api\n",
       "sei.yaml:3: wrong type for projects: repos: expected a list"},
      {"projects:\n  - repos: [a]\n", "sei.yaml:2: a project needs a name"},
      {"projects:\n  - name: P\n    owns: {}\n", "unknown key 'owns' in a project"},
      {"metrics:\n  mod: devlake\n", "sei.yaml:2: unknown key 'mod' in metrics"},
      {"metrics:\n  mode: fast\n", "sei.yaml:2: metrics.mode must be default or devlake"},
      {"metrics:\n  band_year: 2022\n", "metrics.band_year must be 2021, 2023 or 2024"},
      {"metrics:\n  large_pr_lines: lots\n",
       "sei.yaml:2: wrong type for metrics.large_pr_lines: expected an integer, got 'lots'"},
      {"metrics:\n  stale_pr_days: 0\n", "metrics.stale_pr_days must be between 1 and"},
      {"metrics:\n  bot_pattern: '(['\n",
       "metrics.bot_pattern '([' is not a valid regular expression"},
      {"metrics:\n  production_types: []\n", "needs at least one environment type"},
      {"metrics:\n  history_start: yesterday\n", "metrics.history_start must be a date"},
      {"identity:\n  min_confidence: 2\n", "identity.min_confidence must be between 0 and 1"},
      {"identity:\n  same_name: sometimes\n", "wrong type for identity.same_name"},
  };
  for (const Case& c : cases) {
    ASSERT_TRUE(WriteFile(dir.Sub("sei.yaml"), c.yaml));
    auto r = LoadConfig(dir.Sub("sei.yaml"));
    ASSERT_FALSE(r.ok()) << c.yaml;
    EXPECT_NE(r.status().message().find(c.message), std::string::npos)
        << c.yaml << " -> " << r.status().message();
  }
}

}  // namespace
}  // namespace sei::app
