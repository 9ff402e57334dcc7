// DemoGenerator against the real SQLite store: the same options write the
// same rows; re-running is idempotent; a different demo is refused; an
// interrupted run is finished by running again; scale mode adds divisions
// until its targets are met.
#include "demo/demo_generator.h"

#include <gtest/gtest.h>

#include <set>

#include "demo/demo_ids.h"
#include "demo/demo_test_util.h"
#include "model/delivery.h"
#include "model/review.h"

namespace sei::demo {
namespace {

TEST(DemoGeneratorTest, SameSeedWritesIdenticalRowsOtherSeedsDiffer) {
  DemoDb a = GenerateDemo(SmallOptions());
  DemoDb b = GenerateDemo(SmallOptions());
  const auto da = TableDigests(*a.store), db = TableDigests(*b.store);
  EXPECT_EQ(da, db);
  DemoOptions other = SmallOptions(0.1);
  other.seed = 2;
  DemoDb c = GenerateDemo(other);
  const auto dc = TableDigests(*c.store);
  for (const char* table : {"commits", "pull_requests", "issues", "deployments", "people"}) {
    EXPECT_NE(da.at(table), dc.at(table)) << table;
  }
  // Every table the demo is meant to fill has rows; derived tables stay empty.
  for (const char* table : {"connections",   "repos",
                            "commits",       "commit_parents",
                            "commit_files",  "refs",
                            "pull_requests", "pr_commits",
                            "pr_reviews",    "pr_comments",
                            "boards",        "sprints",
                            "issues",        "issue_status_changes",
                            "sprint_issues", "ci_pipelines",
                            "ci_jobs",       "deployments",
                            "incidents",     "quality_findings",
                            "accounts",      "people",
                            "teams",         "team_members",
                            "projects",      "project_scopes",
                            "sync_state"}) {
    EXPECT_NE(da.at(table).rfind("0:", 0), 0u) << table << " is empty";
  }
  for (const char* table : {"identity_links", "deployment_links", "deployment_changes",
                            "commit_pull_requests", "incident_deployments", "deployment_commits"}) {
    EXPECT_EQ(da.at(table).rfind("0:", 0), 0u) << table << " should be left to the linker";
  }
}

TEST(DemoGeneratorTest, RerunIsIdempotentAndOtherOptionsAreRefused) {
  DemoDb db = GenerateDemo(SmallOptions());
  EXPECT_FALSE(db.summary.refreshed);
  const auto before = TableDigests(*db.store);
  Result<DemoSummary> again = DemoGenerator(db.store.get(), SmallOptions()).Run();
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_TRUE(again->refreshed);
  EXPECT_EQ(TableDigests(*db.store), before);

  DemoOptions other = SmallOptions();
  other.seed = 2;
  Result<DemoSummary> refused = DemoGenerator(db.store.get(), other).Run();
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kFailedPrecondition);
  const std::string& m = refused.status().message();
  EXPECT_NE(m.find("--seed 1 --until 2026-11-30 --months 12"), std::string::npos) << m;
  EXPECT_NE(m.find("--seed 2"), std::string::npos) << m;
  EXPECT_NE(m.find("--db"), std::string::npos) << m;
  EXPECT_EQ(TableDigests(*db.store), before);  // nothing written
}

TEST(DemoGeneratorTest, InterruptedRunIsFinishedByRunningAgain) {
  testing::TempDir dir;
  auto store = OpenDemoStore(dir.Sub("demo.db"));
  std::atomic<bool> cancel{true};
  Result<DemoSummary> r = DemoGenerator(store.get(), SmallOptions(), nullptr, &cancel).Run();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kCancelled);
  EXPECT_NE(r.status().message().find("run the same"), std::string::npos);
  auto marker = store->GetSyncState(kGitConnection, "demo", "options");
  ASSERT_TRUE(marker.ok() && marker->has_value());
  EXPECT_EQ((*marker)->status, "in_progress");
  cancel = false;
  r = DemoGenerator(store.get(), SmallOptions(), nullptr, &cancel).Run();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  DemoDb fresh = GenerateDemo(SmallOptions());
  EXPECT_EQ(TableDigests(*store), TableDigests(*fresh.store));
  marker = store->GetSyncState(kGitConnection, "demo", "options");
  EXPECT_EQ((*marker)->status, "complete");
}

class RecordingProgress : public Progress {
 public:
  void Begin(std::string_view what, int64_t units) override {
    ++begins;
    label = std::string(what);
    total = units;
  }
  void Update(int64_t done) override {
    EXPECT_GE(done, last);
    last = done;
    ++updates;
  }
  void End() override { ++ends; }
  std::string label;
  int64_t total = 0, last = 0;
  int begins = 0, updates = 0, ends = 0;
};

TEST(DemoGeneratorTest, ReportsProgressInCommits) {
  testing::TempDir dir;
  auto store = OpenDemoStore(dir.Sub("demo.db"));
  RecordingProgress progress;
  Result<DemoSummary> r = DemoGenerator(store.get(), SmallOptions(), &progress).Run();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(progress.begins, 1);
  EXPECT_GE(progress.ends, 1);
  EXPECT_EQ(progress.total, r->counts.commits);
  EXPECT_EQ(progress.last, r->counts.commits);
  EXPECT_EQ(progress.updates, 30);  // one per repository
}

// The scale mode's code path at a small size: divisions are added until
// every target is met, the first division is the default organisation, and
// the further ones are enterprise-shaped (merge commits dominate).
TEST(DemoGeneratorTest, ScaleModeAddsDivisionsUntilTargetsAreMet) {
  DemoOptions o = SmallOptions(0.15);
  o.scale = true;
  o.targets = {12000, 2400, 2000};
  DemoDb scaled = GenerateDemo(o);
  const DemoCounts& c = scaled.summary.counts;
  EXPECT_GE(c.units, 2);
  EXPECT_GE(c.commits, 12000);
  EXPECT_GE(c.prs, 2400);
  EXPECT_GE(c.deployments, 2000);
  EXPECT_EQ(c.repos, 30 * c.units);
  EXPECT_EQ(*scaled.store->CountRows(model::SpecOf<model::Commit>(), {}), c.commits);
  EXPECT_EQ(*scaled.store->CountRows(model::SpecOf<model::PullRequest>(), {}), c.prs);
  EXPECT_EQ(*scaled.store->CountRows(model::SpecOf<model::Deployment>(), {}), c.deployments);
  EXPECT_NE(scaled.summary.marker.find("scale=1"), std::string::npos);

  // Division 1 is exactly the default organisation of the same size.
  DemoDb plain = GenerateDemo(SmallOptions(0.15));
  for (const char* repo : {"payments-api", "search-api", "data-pipelines"}) {
    ScanOptions where;
    where.where = {{"repo_id", RepoId(repo)}};
    auto a = scaled.store->List<model::PullRequest>(where);
    auto b = plain.store->List<model::PullRequest>(where);
    ASSERT_TRUE(a.ok() && b.ok());
    ASSERT_EQ(a->size(), b->size()) << repo;
    for (size_t i = 0; i < a->size(); ++i) EXPECT_EQ((*a)[i].merge_sha, (*b)[i].merge_sha);
  }
  // Division 2's repositories merge mostly with merge commits.
  ScanOptions d2;
  d2.where = {{"repo_id", RepoId("d2-payments-api")}, {"state", std::string("merged")}};
  auto prs = scaled.store->List<model::PullRequest>(d2);
  ASSERT_TRUE(prs.ok());
  ASSERT_GT(prs->size(), 10u);
  int merges = 0;
  for (const auto& pr : *prs) {
    ScanOptions sha;
    sha.where = {{"repo_id", pr.repo_id}, {"sha", *pr.merge_sha}};
    auto commit = scaled.store->List<model::Commit>(sha);
    ASSERT_TRUE(commit.ok() && commit->size() == 1);
    merges += (*commit)[0].is_merge ? 1 : 0;
  }
  EXPECT_GT(merges, static_cast<int>(prs->size()) / 2);
}

}  // namespace
}  // namespace sei::demo
