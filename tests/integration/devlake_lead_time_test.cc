// DevLake's change_lead_time end-to-end case (../shared/fixtures/devlake-e2e/
// dora/change_lead_time) through our whole pipeline: the input CSVs become
// our model in a real SQLite store, the commits each deployment shipped
// (DevLake's commits_diffs) become explicit deployment commits, the linker
// matches them to PRs by merge sha, and the PR family in DevLake mode must
// give DevLake's project_pr_metrics: every stage of every merged PR, in
// minutes rounded up as DevLake stores them. Our default mode runs on the
// same input, and the test asserts where it differs on purpose
// (docs/metrics.md, "PR flow" and "Linking").
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "metrics/core/dataset_loader.h"
#include "metrics/engine/engine.h"
#include "metrics/link/ci_deployment_generator.h"
#include "metrics/link/devlake_fixture_test_util.h"
#include "metrics/link/linker.h"
#include "model/delivery.h"
#include "model/org.h"
#include "model/review.h"
#include "store/sqlite/sqlite_store.h"

namespace sei {
namespace {

using metrics::link::testing_devlake::CaseDir;
using metrics::link::testing_devlake::CsvRow;

// DevLake's CSVs also write dates without zero padding ("2023-4-10
// 6:51:47"); pad them before the strict parser sees them.
std::optional<int64_t> Instant(const std::string& s) {
  std::string out, part;
  for (size_t i = 0; i <= s.size(); ++i) {
    const char c = i < s.size() ? s[i] : '\0';
    if (std::isdigit(static_cast<unsigned char>(c))) {
      part += c;
      continue;
    }
    if (!part.empty()) out += part.size() == 1 ? "0" + part : part;
    part.clear();
    if (c != '\0') out += c;
  }
  return metrics::link::testing_devlake::Instant(out);
}
using metrics::link::testing_devlake::Opt;
using metrics::link::testing_devlake::ReadCsv;

// PR id -> stage -> minutes (DevLake's project_pr_metrics columns).
using Stages = std::map<std::string, std::map<std::string, std::optional<int64_t>>>;

const char* const kStageColumns[][2] = {{"pr.coding_time", "pr_coding_time"},
                                        {"pr.pickup_time", "pr_pickup_time"},
                                        {"pr.review_time", "pr_review_time"},
                                        {"pr.deploy_time", "pr_deploy_time"},
                                        {"pr.cycle_time", "pr_cycle_time"}};

class DevLakeLeadTimeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = CaseDir("dora/change_lead_time");
    if (dir_.empty()) GTEST_SKIP() << "../shared/fixtures/devlake-e2e is absent";
    auto s = sqlite::SqliteStore::Open(tmp_.Sub("devlake.db"));
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
    Load();
  }

  void Load() {
    ASSERT_TRUE(store_->UpsertRepo({"repo1", "devlake", "repo1", "repo1"}).ok());
    std::map<std::string, bool> people;
    std::vector<model::PullRequest> prs;
    int64_t number = 0;
    for (const CsvRow& r : ReadCsv(dir_ + "/pull_requests.csv")) {
      model::PullRequest p;
      p.id = r.at("id");
      p.connection_id = "devlake";
      p.repo_id = "repo1";  // DevLake matches deployments to PRs by merge sha alone
      p.number = ++number;
      p.title = p.id;
      p.merged_at = Instant(r.at("merged_date"));
      p.state = p.merged_at ? "merged" : "open";
      p.author_account_id = Opt(r.at("author_id"));
      if (p.author_account_id) people[*p.author_account_id] = true;
      p.created_at = Instant(r.at("created_date")).value();
      p.merge_sha = Opt(r.at("merge_commit_sha"));
      prs.push_back(p);
    }
    std::vector<model::PrCommit> commits;
    for (const CsvRow& r : ReadCsv(dir_ + "/pull_request_commits.csv")) {
      commits.push_back(
          {r.at("pull_request_id"), r.at("commit_sha"), 0, Instant(r.at("commit_authored_date"))});
    }
    std::vector<model::PrComment> comments;
    for (const CsvRow& r : ReadCsv(dir_ + "/pull_request_comments.csv")) {
      model::PrComment c;
      c.id = r.at("id");
      c.pr_id = r.at("pull_request_id");
      c.author_account_id = Opt(r.at("account_id"));
      people[r.at("account_id")] = true;
      c.kind = "issue";
      c.created_at = Instant(r.at("created_date")).value();
      comments.push_back(c);
    }
    std::vector<model::Account> accounts;
    for (const auto& [id, unused] : people) {
      model::Account a;
      a.id = id;
      a.connection_id = "devlake";
      a.source = "devlake";
      a.login = "user-" + id;
      accounts.push_back(a);
    }
    ASSERT_TRUE(store_->Upsert(accounts).ok());
    ASSERT_TRUE(store_->Upsert(prs).ok());
    ASSERT_TRUE(store_->Upsert(commits).ok());
    ASSERT_TRUE(store_->Upsert(comments).ok());
    LoadDeployments();
  }

  // Deployments, and the commits each shipped (commits_diffs, keyed by the
  // deployment's commit) as explicit rows.
  void LoadDeployments() {
    std::vector<model::Deployment> deps;
    std::map<std::string, std::vector<std::string>> by_commit;
    for (const CsvRow& r : ReadCsv(dir_ + "/cicd_deployment_commits.csv")) {
      model::Deployment d;
      d.id = r.at("id");
      d.connection_id = "devlake";
      d.repo_id = "repo1";
      d.service = r.at("repo_url");
      d.environment = r.at("environment").empty() ? "unknown" : r.at("environment");
      d.environment_type = metrics::link::CiDeploymentGenerator::EnvironmentType(d.environment);
      d.commit_sha = r.at("commit_sha");
      d.result = metrics::link::Lower(r.at("result"));
      d.started_at = Instant(r.at("started_date"));
      d.finished_at = Instant(r.at("finished_date"));
      by_commit[*d.commit_sha].push_back(d.id);
      deps.push_back(d);
    }
    std::vector<model::DeploymentCommit> shipped;
    for (const CsvRow& r : ReadCsv(dir_ + "/commits_diffs.csv")) {
      for (const std::string& d : by_commit[r.at("new_commit_sha")]) {
        shipped.push_back({d, "repo1", r.at("commit_sha"), "explicit"});
      }
    }
    ASSERT_TRUE(store_->Upsert(deps).ok());
    ASSERT_TRUE(store_->Upsert(shipped).ok());
  }

  // Our PR stages for every merged PR, in DevLake's minutes.
  Stages Run(metrics::Mode mode) {
    metrics::MetricsSettings settings;
    settings.mode = mode;
    metrics::link::Linker linker(*store_, settings);
    auto linked = linker.Run();
    EXPECT_TRUE(linked.ok()) << linked.status().ToString();
    auto ds = metrics::LoadDataset(*store_, settings);
    EXPECT_TRUE(ds.ok()) << ds.status().ToString();
    metrics::Query q;
    q.range = {ParseTimestamp("2021-01-01").value().unix_seconds,
               ParseTimestamp("2024-01-01").value().unix_seconds};
    q.drill = true;
    q.only = {"pr.coding_time", "pr.pickup_time", "pr.review_time", "pr.deploy_time",
              "pr.cycle_time"};
    auto report = metrics::Compute(**ds, "pr", q);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    Stages out;
    for (const auto& pr : (*ds)->prs) {
      if (pr.merged_at) out[pr.id];  // every merged PR has a row, stages may be empty
    }
    for (const metrics::Metric& m : report->metrics) {
      for (const metrics::DrillRow& row : m.rows) {
        out[row.id][m.key] = static_cast<int64_t>(std::ceil(*row.value / 60.0));
      }
    }
    return out;
  }

  std::string dir_;
  testing::TempDir tmp_;
  std::unique_ptr<sqlite::SqliteStore> store_;
};

TEST_F(DevLakeLeadTimeTest, DevLakeModeReproducesProjectPrMetrics) {
  const Stages ours = Run(metrics::Mode::kDevLake);
  const std::vector<CsvRow> expected = ReadCsv(dir_ + "/project_pr_metrics.csv");
  ASSERT_EQ(ours.size(), expected.size()) << "merged PRs";
  for (const CsvRow& want : expected) {
    const std::string& id = want.at("id");
    ASSERT_TRUE(ours.count(id)) << id;
    for (const auto& [key, column] : kStageColumns) {
      const std::string& cell = want.at(column);
      const std::optional<int64_t> w =
          cell.empty() ? std::nullopt : std::optional<int64_t>(std::stoll(cell));
      auto it = ours.at(id).find(key);
      const std::optional<int64_t> got = it == ours.at(id).end() ? std::nullopt : it->second;
      EXPECT_EQ(got, w) << id << " " << column;
    }
  }
}

// Our default definitions on the same input, where they differ on purpose:
// a conversation comment is not a review (only reviews and comments on the
// diff are), and these PRs have no others, so none has a pickup or review
// time (DevLake takes the first comment by someone else); pr2 was opened
// before its first commit, so its coding time is 0 (DevLake: none); cycle
// time needs a production deployment (DevLake falls back to the merge); and
// pr0 shipped with the repository's first production deployment, which
// counts in ours (its commits were given explicitly) and not in DevLake's.
TEST_F(DevLakeLeadTimeTest, DefaultModeDiffersWhereDocumented) {
  const Stages ours = Run(metrics::Mode::kDefault);
  auto stage = [&](const char* pr, const char* key) -> std::optional<int64_t> {
    auto it = ours.at(pr).find(key);
    return it == ours.at(pr).end() ? std::nullopt : it->second;
  };
  EXPECT_EQ(stage("pr2", "pr.coding_time"), 0);
  EXPECT_EQ(stage("pr1", "pr.coding_time"), 1440);  // the same as DevLake
  EXPECT_EQ(stage("pr1", "pr.pickup_time"), std::nullopt);
  EXPECT_EQ(stage("pr4", "pr.pickup_time"), std::nullopt);
  EXPECT_EQ(stage("pr1", "pr.review_time"), std::nullopt);
  EXPECT_EQ(stage("pr1", "pr.cycle_time"), 4478);          // deployed: the same as DevLake
  EXPECT_EQ(stage("pr4", "pr.cycle_time"), std::nullopt);  // staging only
  EXPECT_EQ(stage("pr5", "pr.cycle_time"), std::nullopt);  // failed deployment only
  // pr1 and pr2 shipped with deployment 5 in both modes: the same deploy time.
  EXPECT_EQ(stage("pr1", "pr.deploy_time"), 2978);
  EXPECT_EQ(stage("pr2", "pr.deploy_time"), 1538);
  // pr0's first deployment counts in ours: merged 2022-02-10 04:51:47,
  // deployed 2023-04-10 06:52:47 = 424 days 2 h 1 m.
  EXPECT_EQ(stage("pr0", "pr.deploy_time"), 424 * 1440 + 121);
}

}  // namespace
}  // namespace sei
