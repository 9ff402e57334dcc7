// The BI views (migration 0009, docs/data-model.md "BI views"), read by
// plain SQL as a BI tool reads them, on SQLite and on PostgreSQL: rows
// written through the Store come out with the values docs/metrics.md
// defines (stages, lead times, change failures, recovery), both backends
// expose the same views and columns, and the document lists exactly the
// views and columns the schema has.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "common/time.h"
#include "model/delivery.h"
#include "model/derived.h"
#include "model/org.h"
#include "model/review.h"
#include "model/work.h"
#include "testing/bi_sample.h"
#include "testing/bi_view_reader.h"
#include "testing/store_backends.h"
#include "testing/test_util.h"

namespace sei {
namespace {

using testing::BiViewReader;
using namespace testing::bi_sample;  // NOLINT: the sample's names read best bare

class BiViewsTest : public sei::testing::StoreBackendTest {};

TEST_P(BiViewsTest, AccountsAndPeopleAreCountedAsTheMetricsCountThem) {
  PutPeople(store());
  BiViewReader bi(store());
  EXPECT_EQ(bi.Lines("bi_accounts", {"account_id", "person_id", "is_bot"}, "ORDER BY account_id"),
            (std::vector<std::string>{
                "git:local:account:ann@acme.example | person:ann | 0",
                "github:1:account:1 | person:ann | 0",
                "github:1:account:2 | github:1:account:2 | 0",
                "github:1:account:3 | github:1:account:3 | 1",
                "github:1:account:4 | github:1:account:4 | 0",
                "github:1:account:9 | github:1:account:9 | 1",
            }));
  EXPECT_EQ(
      bi.Lines("bi_people", {"person_id", "display_name", "is_bot", "is_resolved", "created_at"},
               "ORDER BY person_id"),
      (std::vector<std::string>{
          "github:1:account:2 | bob | 0 | 0 | NULL",
          "github:1:account:3 | dependabot[bot] | 1 | 0 | NULL",
          "github:1:account:4 | carol | 0 | 0 | NULL",
          "github:1:account:9 | acme-deployer | 1 | 0 | NULL",
          "person:ann | Ann Lee | 0 | 1 | " + At(0),
      }));
}

// docs/metrics.md, "PR flow": coding, pickup, review, deploy and cycle, each
// missing (NULL) where the definition says so.
TEST_P(BiViewsTest, PrFlowStagesFollowTheDefinitions) {
  PutPrCases(store());
  const std::string bob = kBob, bot = kBot;
  // #1: drafted, reviewed (Ann's other account, a bot and a pending review
  // do not count; Carol's comment on the diff is the first review), merged,
  // deployed to production twice (the first successful one counts). #2: no
  // commits, reviewed before it was ready, merged, never deployed. #3: its
  // commit is later than its opening (coding 0), reviewed only after the
  // merge, "deployed" before the merge (bad data: no deploy time). #4: open,
  // by a bot, reviewed by Ann.
  BiViewReader bi(store());
  EXPECT_EQ(bi.Lines("bi_pr_flow",
                     {"pr_id", "author_person_id", "author_is_bot", "created_at", "first_commit_at",
                      "ready_at", "first_review_at", "merged_at", "deployed_at", "coding_seconds",
                      "pickup_seconds", "review_seconds", "deploy_seconds", "cycle_seconds",
                      "reviewed_before_merge"},
                     "ORDER BY pr_id"),
            (std::vector<std::string>{
                // cycle: from the first commit (400, before the opening) to 5000.
                PrId("1") + " | person:ann | 0 | " + At(1000) + " | " + At(400) + " | " + At(1500) +
                    " | " + At(2000) + " | " + At(3000) + " | " + At(5000) +
                    " | 1100 | 500 | 1000 | 2000 | 4600 | 1",
                PrId("2") + " | " + bob + " | 0 | " + At(1000) + " | NULL | " + At(1000) + " | " +
                    At(900) + " | " + At(1200) + " | NULL | NULL | 0 | 300 | NULL | NULL | 1",
                PrId("3") + " | person:ann | 0 | " + At(500) + " | " + At(1200) + " | " + At(500) +
                    " | " + At(1100) + " | " + At(1000) + " | " + At(900) +
                    " | 0 | NULL | NULL | NULL | NULL | 0",
                PrId("4") + " | " + bot + " | 1 | " + At(1000) + " | NULL | " + At(1000) + " | " +
                    At(2000) + " | NULL | NULL | NULL | 1000 | NULL | NULL | NULL | 0",
            }));
  // The entity views read the same rows.
  EXPECT_EQ(bi.Lines("bi_pull_requests", {"pr_id", "number", "state", "author_person_id"},
                     "WHERE number <= 2 ORDER BY number"),
            (std::vector<std::string>{PrId("1") + " | 1 | merged | person:ann",
                                      PrId("2") + " | 2 | merged | " + bob}));
  EXPECT_EQ(bi.Lines("bi_reviews", {"review_id", "repo_id", "reviewer_person_id", "submitted_at"},
                     "WHERE pr_id = '" + PrId("1") + "' AND state = 'approved'"),
            (std::vector<std::string>{"github:1:review:4 | " + std::string(kRepo) + " | " + bob +
                                      " | " + At(2500)}));
}

// docs/metrics.md, "DORA": what places a deployment, change failures and
// their reasons, recovery (incidents resolved, else the next success of the
// same repository or service and environment), lead time rows, per day.
TEST_P(BiViewsTest, DoraViewsFollowTheDefinitions) {
  PutDoraCases(store());
  const int64_t h = kHour;
  BiViewReader bi(store());
  EXPECT_EQ(
      bi.Lines("bi_dora_deployments",
               {"deployment_id", "is_production", "deployed_at", "deployed_day", "is_success",
                "is_finished", "incidents", "is_change_failure", "failure_reason", "recovered_at",
                "recovery_seconds"},
               "ORDER BY deployment_id"),
      (std::vector<std::string>{
          "d1 | 1 | " + At(h) + " | 2024-01-01 | 1 | 1 | 0 | 0 | NULL | NULL | NULL",
          // recovered by the next success of the repository in prod: d4.
          "d10 | 1 | " + At(12 * h) + " | 2024-01-01 | 0 | 1 | 0 | 1 | result: failure | " +
              At(14 * h) + " | 7200",
          "d11 | 1 | " + At(14 * h) + " | 2024-01-01 | 1 | 1 | 0 | 0 | NULL | NULL | NULL",
          "d2 | 1 | " + At(2 * h) + " | 2024-01-01 | 0 | 1 | 0 | 1 | result: failure | " +
              At(4 * h) + " | 7200",
          "d3 | 1 | " + At(3 * h) + " | 2024-01-01 | 0 | 0 | 0 | 0 | NULL | NULL | NULL",
          // caused two incidents: recovered when the last was resolved.
          "d4 | 1 | " + At(4 * h) + " | 2024-01-01 | 1 | 1 | 2 | 1 | incident: i1 | " + At(5 * h) +
              " | 3600",
          "d5 | 1 | " + At(26 * h) + " | 2024-01-02 | 1 | 1 | 1 | 1 | incident: i3 | NULL | NULL",
          // recovered by the next success, d8 (started only).
          "d6 | 1 | " + At(27 * h) + " | 2024-01-02 | 0 | 1 | 0 | 1 | result: rolled_back | " +
              At(30 * h) + " | 10800",
          "d7 | 0 | " + At(h) + " | 2024-01-01 | 1 | 1 | 0 | 0 | NULL | NULL | NULL",
          "d8 | 1 | " + At(30 * h) + " | 2024-01-02 | 1 | 1 | 0 | 0 | NULL | NULL | NULL",
      }))
      << "d8 started only, so it is placed by its start; d9 has no time; d10's repository is "
         "not collected, so it recovers at its service's next success (d11), not the "
         "repository's (d4)";

  EXPECT_EQ(bi.Lines("bi_dora_changes",
                     {"deployment_id", "change_id", "author_person_id", "author_is_bot",
                      "first_commit_at", "deployed_day", "lead_time_seconds", "counted"},
                     "ORDER BY deployment_id, change_id"),
            (std::vector<std::string>{
                "d1 | c-ann | person:ann | 0 | " + At(h - 500) + " | 2024-01-01 | 500 | 1",
                "d1 | c-bot | github:1:account:3 | 1 | " + At(h - 100) + " | 2024-01-01 | 100 | 0",
                "d1 | c-skew | person:ann | 0 | " + At(h + 20) + " | 2024-01-01 | NULL | 0",
                "d4 | c-bob | github:1:account:2 | 0 | " + At(2 * h) + " | 2024-01-01 | 7200 | 1",
            }));

  const std::string repo = kRepo;
  EXPECT_EQ(bi.Lines("bi_dora_daily",
                     {"day", "repo_id", "service", "environment", "is_production", "deployments",
                      "finished", "change_failures"},
                     "ORDER BY day, COALESCE(repo_id, ''), COALESCE(service, ''), environment"),
            (std::vector<std::string>{
                "2024-01-01 | NULL | billing | prod | 1 | 1 | 1 | 0",
                "2024-01-01 | " + repo + " | NULL | prod | 1 | 2 | 3 | 2",
                "2024-01-01 | " + repo + " | NULL | staging | 0 | 1 | 1 | 0",
                "2024-01-01 | github:1:repo:acme/gone | billing | prod | 1 | 0 | 1 | 1",
                "2024-01-02 | " + repo + " | NULL | prod | 1 | 2 | 3 | 2",
            }));
  EXPECT_EQ(
      bi.Lines("bi_incidents", {"incident_id", "created_at", "resolved_at", "restore_seconds"},
               "ORDER BY incident_id"),
      (std::vector<std::string>{
          "i1 | " + At(4 * h + 100) + " | " + At(4 * h + 700) + " | 600",
          "i2 | " + At(4 * h + 200) + " | " + At(5 * h) + " | 3400",
          "i3 | " + At(26 * h + 10) + " | NULL | NULL",
      }));
  EXPECT_EQ(
      bi.Lines("bi_deployments", {"deployment_id", "started_at", "finished_at", "deployed_at"},
               "WHERE deployment_id IN ('d1', 'd8', 'd9') ORDER BY deployment_id"),
      (std::vector<std::string>{
          "d1 | " + At(h - 60) + " | " + At(h) + " | " + At(h),
          "d8 | " + At(30 * h) + " | NULL | " + At(30 * h),
          "d9 | NULL | NULL | NULL",
      }));
}

// The entity views: readable columns over the tables (timestamps, the
// commit subject, durations, people).
TEST_P(BiViewsTest, EntityViewsReadTheTables) {
  PutPeople(store());
  PutRepo(store());
  CommitRecord r;
  r.commit.repo_id = kRepo;
  r.commit.sha = std::string(40, 'c');
  r.commit.tree_sha = std::string(40, 'f');
  r.commit.author_name = r.commit.committer_name = "Ann Lee";
  r.commit.author_email = r.commit.committer_email = "ann@acme.example";
  r.commit.author_time = kT0 + 10;
  r.commit.committer_time = kT0 + 20;
  r.commit.message = "Fix the build\n\nIt was broken.\n";
  r.commit.parent_count = 0;
  r.commit.author_account_id = r.commit.committer_account_id = "git:local:account:ann@acme.example";
  ASSERT_TRUE(store()->WriteCommits(kRepo, {r}).ok());
  model::CiPipeline run;
  run.id = "github:1:run:7";
  run.connection_id = "github:1";
  run.ci_scope = "github:1:workflow:1";
  run.name = "ci";
  run.repo_id = kRepo;
  run.status = "done";
  run.result = "success";
  run.created_at = kT0;
  run.started_at = kT0 + 5;
  run.finished_at = kT0 + 65;
  model::CiPipeline running = run;
  running.id = "github:1:run:8";
  running.status = "running";
  running.result.reset();
  running.finished_at.reset();
  Put(store(), std::vector<model::CiPipeline>{run, running});
  model::Issue issue;
  issue.id = "jira:1:issue:10";
  issue.connection_id = "jira:1";
  issue.key = "API-10";
  issue.title = "Crash";
  issue.type = "bug";
  issue.status = "Done";
  issue.status_category = "done";
  issue.story_points = 2.5;
  issue.assignee_account_id = "github:1:account:1";
  issue.created_at = kT0;
  issue.resolved_at = kT0 + 86400;
  Put(store(), std::vector<model::Issue>{issue});
  model::Release rel;
  rel.id = "github:1:release:1";
  rel.connection_id = "github:1";
  rel.repo_id = kRepo;
  rel.tag_name = "v1.0";
  rel.prerelease = true;
  rel.created_at = kT0;
  Put(store(), std::vector<model::Release>{rel});
  model::Team team;
  team.id = "config:team:api";
  team.name = "API";
  Put(store(), std::vector<model::Team>{team});
  model::TeamMember m;
  m.team_id = team.id;
  m.person_id = "person:ann";
  m.joined_at = kT0;
  Put(store(), std::vector<model::TeamMember>{m});

  BiViewReader bi(store());
  EXPECT_EQ(bi.Lines("bi_repositories",
                     {"repo_id", "name", "default_branch", "created_at", "collected_at"}),
            (std::vector<std::string>{std::string(kRepo) + " | acme/api | main | " + At(-86400) +
                                      " | NULL"}));
  EXPECT_EQ(
      bi.Lines("bi_commits", {"repo_id", "sha", "author_person_id", "authored_at", "committed_at",
                              "subject", "is_merge", "reachable"}),
      (std::vector<std::string>{std::string(kRepo) + " | " + r.commit.sha + " | person:ann | " +
                                At(10) + " | " + At(20) + " | Fix the build | 0 | 1"}));
  EXPECT_EQ(
      bi.Lines("bi_pipeline_runs",
               {"pipeline_id", "result", "started_at", "finished_at", "duration_seconds"},
               "ORDER BY pipeline_id"),
      (std::vector<std::string>{"github:1:run:7 | success | " + At(5) + " | " + At(65) + " | 60",
                                "github:1:run:8 | NULL | " + At(5) + " | NULL | NULL"}));
  EXPECT_EQ(
      bi.Lines("bi_issues",
               {"key", "type", "story_points", "assignee_person_id", "created_at", "resolved_at"}),
      (std::vector<std::string>{"API-10 | bug | 2.5 | person:ann | " + At(0) + " | " + At(86400)}));
  EXPECT_EQ(
      bi.Lines("bi_releases", {"tag_name", "name", "is_draft", "is_prerelease", "published_at"}),
      (std::vector<std::string>{"v1.0 | NULL | 0 | 1 | NULL"}));
  EXPECT_EQ(bi.Lines("bi_team_members", {"team_id", "person_id", "joined_at", "left_at"}),
            (std::vector<std::string>{"config:team:api | person:ann | " + At(0) + " | NULL"}));
  // A column a BI tool sorts and buckets by is an instant on PostgreSQL.
  if (bi.postgres()) {
    for (const auto& [name, type] : bi.Columns("bi_commits")) {
      if (name == "authored_at") {
        EXPECT_EQ(type, "timestamp with time zone");
      }
    }
  }
}

// Both backends expose the same views with the same columns in the same
// order, so a dashboard written against one reads the other.
class BiViewsParityTest : public sei::testing::StoreParityTest {};

TEST_F(BiViewsParityTest, SameViewsAndColumnsOnBothBackends) {
  BiViewReader lite(sqlite()), pg(postgres());
  const std::vector<std::string> views = lite.Views();
  EXPECT_GE(views.size(), 20u);
  EXPECT_EQ(views, pg.Views());
  for (const std::string& v : views) {
    EXPECT_EQ(lite.ColumnNames(v), pg.ColumnNames(v)) << v;
    EXPECT_FALSE(lite.ColumnNames(v).empty()) << v;
  }
}

// docs/data-model.md, "BI views": one "### `bi_name`" heading per view and
// a table of its columns (name, type, meaning). The schema must have exactly
// the documented views and columns, in order, with the documented types on
// PostgreSQL; every bi_ view docs/operations.md names must exist.
struct DocView {
  std::string name;
  std::vector<std::pair<std::string, std::string>> columns;  // name, documented type
};

std::vector<DocView> DocumentedViews() {
  std::ifstream in(sei::testing::SourceDir() + "/docs/data-model.md");
  std::vector<DocView> out;
  bool in_section = false;
  std::string line;
  const std::regex heading(R"(^### `(bi_[a-z_]+)`)");
  const std::regex row(R"(^\| `?([a-z_]+)`? \| ([a-z ]+) \|)");
  while (std::getline(in, line)) {
    if (line.rfind("## ", 0) == 0) in_section = line.rfind("## BI views", 0) == 0;
    if (!in_section) continue;
    std::smatch m;
    if (std::regex_search(line, m, heading)) {
      out.push_back({m[1], {}});
    } else if (!out.empty() && std::regex_search(line, m, row) && m[1] != "column") {
      out.back().columns.emplace_back(m[1], m[2]);
    }
  }
  return out;
}

std::string PgTypeOf(const std::string& documented) {
  static const std::map<std::string, std::string> types = {{"text", "text"},
                                                           {"integer", "bigint"},
                                                           {"real", "double precision"},
                                                           {"boolean", "boolean"},
                                                           {"instant", "timestamp with time zone"},
                                                           {"day", "date"}};
  auto it = types.find(documented);
  return it == types.end() ? "unknown documented type '" + documented + "'" : it->second;
}

TEST_P(BiViewsTest, DocumentedViewsAndColumnsAreTheSchemas) {
  const std::vector<DocView> doc = DocumentedViews();
  ASSERT_GE(doc.size(), 20u) << "docs/data-model.md has no BI views section";
  BiViewReader bi(store());
  std::vector<std::string> documented;
  for (const DocView& v : doc) {
    documented.push_back(v.name);
    const auto columns = bi.Columns(v.name);
    ASSERT_EQ(columns.size(), v.columns.size())
        << v.name << ": documented and schema columns differ";
    for (size_t i = 0; i < columns.size(); ++i) {
      EXPECT_EQ(columns[i].first, v.columns[i].first) << v.name << " column " << i;
      if (bi.postgres()) {
        EXPECT_EQ(columns[i].second, PgTypeOf(v.columns[i].second))
            << v.name << "." << columns[i].first;
      }
    }
  }
  std::sort(documented.begin(), documented.end());
  EXPECT_EQ(documented, bi.Views()) << "every bi_ view is documented, once";

  const std::string ops = sei::testing::ReadFile(sei::testing::SourceDir() + "/docs/operations.md");
  ASSERT_FALSE(ops.empty()) << "docs/operations.md is missing";
  const std::set<std::string> views(documented.begin(), documented.end());
  const std::regex named(R"(\bbi_[a-z_]+)");
  int mentioned = 0;
  for (auto it = std::sregex_iterator(ops.begin(), ops.end(), named); it != std::sregex_iterator();
       ++it) {
    ++mentioned;
    EXPECT_EQ(views.count(it->str()), 1u)
        << "docs/operations.md names " << it->str() << ", which is no view";
  }
  EXPECT_GT(mentioned, 3);
}

INSTANTIATE_TEST_SUITE_P(Backends, BiViewsTest, ::testing::Values("sqlite", "postgres"),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

}  // namespace
}  // namespace sei
