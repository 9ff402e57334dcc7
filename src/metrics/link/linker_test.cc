// The Linker end to end on a real SQLite store: re-runs are idempotent,
// explicit rows are inputs that survive, CI deployments are generated and
// cleaned up, and the write is all or nothing.
#include "metrics/link/linker.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "model/delivery.h"
#include "model/derived.h"
#include "model/review.h"
#include "testing/store_backends.h"
#include "testing/test_util.h"

namespace sei::metrics::link {
namespace {

constexpr int64_t kDay = 86400;
constexpr int64_t kT0 = 1700000000;

class LinkerTest : public sei::testing::StoreBackendTest {
 protected:
  void SetUp() override {
    StoreBackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    AddRepo(*store());
  }

  static void AddRepo(Store& store) {
    model::Repo repo;
    repo.id = "r";
    repo.connection_id = "git:local";
    repo.name = "org/api";
    repo.location = "/srv/api";
    EXPECT_TRUE(store.UpsertRepo(repo).ok());
  }
  // A second, new database with the repository (a fresh run to compare with).
  std::unique_ptr<Store> NewStore() {
    auto s = OpenFresh();
    if (s) AddRepo(*s);
    return s;
  }

  // A line of commits c1..cn, one a day from kT0, by dev@example.com.
  void WriteLine(int n, Store* store = nullptr) {
    std::vector<CommitRecord> batch;
    for (int i = 1; i <= n; ++i) {
      CommitRecord r;
      r.commit.repo_id = "r";
      r.commit.sha = "c" + std::to_string(i);
      r.commit.tree_sha = std::string(40, '0');
      r.commit.author_name = "Dev";
      r.commit.author_email = "dev@example.com";
      r.commit.author_time = kT0 + i * kDay;
      r.commit.committer_time = r.commit.author_time;
      r.commit.author_account_id = "git:local:account:dev@example.com";
      if (i > 1) r.parents.push_back("c" + std::to_string(i - 1));
      r.commit.parent_count = static_cast<int64_t>(r.parents.size());
      batch.push_back(std::move(r));
    }
    ASSERT_TRUE((store ? store : this->store())->WriteCommits("r", batch).ok());
  }

  static model::Deployment Dep(const std::string& id, const std::string& sha, int64_t at,
                               const std::string& result = "success") {
    model::Deployment d;
    d.id = id;
    d.connection_id = "push";
    d.repo_id = "r";
    d.environment = "production";
    d.environment_type = "production";
    d.commit_sha = sha;
    d.result = result;
    d.started_at = at - 60;
    d.finished_at = at;
    return d;
  }

  LinkSummary Link(const MetricsSettings& settings = {}, Store* store = nullptr) {
    Linker linker(store ? *store : *this->store(), settings);
    auto r = linker.Run();
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : LinkSummary{};
  }

  template <class T>
  std::vector<T> All() {
    auto r = store()->List<T>();
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : std::vector<T>{};
  }
};

// The push API stores a deployment's "commits" with link_method "pushed":
// the linker takes them as that deployment's commits, like explicit rows,
// and neither rewrites nor deletes them.
TEST_P(LinkerTest, PushedRowsAreInputsAndSurvive) {
  WriteLine(10);
  ASSERT_TRUE(store()
                  ->Upsert(std::vector<model::Deployment>{Dep("d1", "c3", kT0 + 4 * kDay),
                                                          Dep("d2", "c9", kT0 + 10 * kDay)})
                  .ok());
  ASSERT_TRUE(store()
                  ->Upsert(std::vector<model::DeploymentCommit>{{"d2", "r", "c8", "pushed"},
                                                                {"d2", "r", "c9", "pushed"}})
                  .ok());
  const LinkSummary first = Link();
  Link();
  int pushed = 0, graph_for_d2 = 0;
  for (const auto& c : All<model::DeploymentCommit>()) {
    pushed += c.link_method == "pushed";
    graph_for_d2 += c.deployment_id == "d2" && c.link_method != "pushed";
  }
  EXPECT_EQ(pushed, 2);
  // Without the rows, d2 would ship c4..c9 by graph walk from d1's c3.
  EXPECT_EQ(graph_for_d2, 0);
  EXPECT_EQ(first.deployments_by_method.at("explicit"), 1);
  EXPECT_EQ(first.commits_shipped, 3 + 2);  // d1: c1..c3 (first, bounded); d2: c8, c9
}

TEST_P(LinkerTest, RerunIsIdempotentAndExplicitRowsSurvive) {
  WriteLine(10);
  ASSERT_TRUE(store()
                  ->Upsert(std::vector<model::Deployment>{Dep("d1", "c3", kT0 + 4 * kDay),
                                                          Dep("d2", "c6", kT0 + 7 * kDay),
                                                          Dep("d3", "c9", kT0 + 10 * kDay)})
                  .ok());
  // d3's commits were pushed by a source: c8 and c9 only.
  ASSERT_TRUE(store()
                  ->Upsert(std::vector<model::DeploymentCommit>{{"d3", "r", "c8", "explicit"},
                                                                {"d3", "r", "c9", "explicit"}})
                  .ok());
  const LinkSummary first = Link();
  const auto commits1 = All<model::DeploymentCommit>();
  const auto changes1 = All<model::DeploymentChange>();
  const LinkSummary second = Link();
  const auto commits2 = All<model::DeploymentCommit>();
  ASSERT_EQ(commits1.size(), commits2.size());
  for (size_t i = 0; i < commits1.size(); ++i) {
    EXPECT_EQ(commits1[i].deployment_id, commits2[i].deployment_id);
    EXPECT_EQ(commits1[i].commit_sha, commits2[i].commit_sha);
    EXPECT_EQ(commits1[i].link_method, commits2[i].link_method);
  }
  EXPECT_EQ(All<model::DeploymentChange>().size(), changes1.size());
  // d1 (first, window 30 days): c1..c3; d2: c4..c6 by graph; d3: the two explicit rows.
  int graph = 0, first_bounded = 0, explicit_rows = 0;
  for (const auto& c : commits2) {
    graph += c.link_method == "graph";
    first_bounded += c.link_method == "first-bounded";
    explicit_rows += c.link_method == "explicit";
  }
  EXPECT_EQ(first_bounded, 3);
  EXPECT_EQ(graph, 3);
  EXPECT_EQ(explicit_rows, 2);
  EXPECT_EQ(first.deployments_by_method.at("explicit"), 1);
  EXPECT_EQ(second.commits_shipped, 3 + 3 + 2);
  // c7 was never shipped by anyone: d3 says it shipped c8 and c9 only.
  for (const auto& c : changes1) EXPECT_NE(c.head_sha, "c7");
}

TEST_P(LinkerTest, CiDeploymentsAreGeneratedAndStaleOnesRemoved) {
  WriteLine(4);
  model::CiPipeline p;
  p.id = "ci:1:run:7";
  p.connection_id = "ci:1";
  p.ci_scope = "deploy.yml";
  p.name = "deploy";
  p.repo_id = "r";
  p.commit_sha = "c4";
  p.status = "done";
  p.result = "failure";  // a smoke test after the deployment failed
  p.created_at = kT0 + 5 * kDay;
  p.finished_at = kT0 + 5 * kDay + 900;
  ASSERT_TRUE(store()->Upsert(std::vector<model::CiPipeline>{p}).ok());
  std::vector<model::CiJob> jobs(3);
  jobs[0] = {"j1",         p.id, "deploy-prod",  std::nullopt,         "done",       "failure",
             "production", true, kT0 + 5 * kDay, kT0 + 5 * kDay + 100, std::nullopt, std::nullopt};
  jobs[1] = {"j2",         p.id,         "deploy-prod", std::nullopt,         "done",
             "success",    "production", true,          kT0 + 5 * kDay + 200, kT0 + 5 * kDay + 300,
             std::nullopt, std::nullopt};  // retry
  jobs[2] = {"j3",         p.id,         "smoke", std::nullopt,         "done",
             "failure",    "production", false,   kT0 + 5 * kDay + 400, kT0 + 5 * kDay + 900,
             std::nullopt, std::nullopt};
  ASSERT_TRUE(store()->Upsert(jobs).ok());
  LinkSummary s = Link();
  EXPECT_EQ(s.generated_deployments, 1);
  auto deps = All<model::Deployment>();
  ASSERT_EQ(deps.size(), 1u);
  EXPECT_EQ(deps[0].id, "ci:1:run:7:deploy:production");
  EXPECT_EQ(deps[0].result, "success");  // the retried deployment job succeeded
  EXPECT_EQ(deps[0].environment_type, "production");
  EXPECT_EQ(deps[0].started_at, kT0 + 5 * kDay + 200);
  EXPECT_EQ(deps[0].finished_at, kT0 + 5 * kDay + 300);
  EXPECT_EQ(All<model::DeploymentLink>().at(0).link_method, "first-bounded");

  // DevLake mode: the pipeline's result and times.
  MetricsSettings devlake;
  devlake.mode = Mode::kDevLake;
  Link(devlake);
  deps = All<model::Deployment>();
  ASSERT_EQ(deps.size(), 1u);
  EXPECT_EQ(deps[0].result, "failure");
  EXPECT_EQ(deps[0].finished_at, kT0 + 5 * kDay + 900);

  // The deployment job goes away: so does the generated deployment, and its links.
  jobs[0].is_deployment = jobs[1].is_deployment = false;
  ASSERT_TRUE(store()->Upsert(jobs).ok());
  s = Link();
  EXPECT_EQ(s.removed_deployments, 1);
  EXPECT_TRUE(All<model::Deployment>().empty());
  EXPECT_TRUE(All<model::DeploymentLink>().empty());
  EXPECT_TRUE(All<model::DeploymentCommit>().empty());
}

TEST_P(LinkerTest, PipelineReportedByADeploymentSourceGeneratesNothing) {
  WriteLine(2);
  model::CiPipeline p;
  p.id = "ci:1:run:8";
  p.connection_id = "ci:1";
  p.repo_id = "r";
  p.commit_sha = "c2";
  p.status = "done";
  p.result = "success";
  ASSERT_TRUE(store()->Upsert(std::vector<model::CiPipeline>{p}).ok());
  model::CiJob j{"j",          p.id, "deploy", std::nullopt, "done",       "success",
                 "production", true, kT0,      kT0 + 10,     std::nullopt, std::nullopt};
  ASSERT_TRUE(store()->Upsert(std::vector<model::CiJob>{j}).ok());
  model::Deployment d = Dep("github:1:deployment:5", "c2", kT0 + 3 * kDay);
  d.pipeline_id = p.id;
  ASSERT_TRUE(store()->Upsert(std::vector<model::Deployment>{d}).ok());
  EXPECT_EQ(Link().generated_deployments, 0);
  EXPECT_EQ(All<model::Deployment>().size(), 1u);
}

TEST_P(LinkerTest, FailedProduceLeavesThePreviousRunIntact) {
  WriteLine(3);
  ASSERT_TRUE(
      store()->Upsert(std::vector<model::Deployment>{Dep("d1", "c3", kT0 + 4 * kDay)}).ok());
  Link();
  ASSERT_EQ(All<model::DeploymentCommit>().size(), 3u);
  TableWrite w;
  w.spec = &model::SpecOf<model::DeploymentCommit>();
  w.clear = true;
  w.produce = [](const RowCallback& upsert, const RowCallback& erase) -> Status {
    SEI_RETURN_IF_ERROR(erase(model::Row{std::string("d1"), std::string("r"), std::string("c1")}));
    SEI_RETURN_IF_ERROR(upsert(model::ToRow(model::DeploymentCommit{"d9", "r", "x", "graph"})));
    return InternalError("interrupted halfway");
  };
  std::vector<TableWrite> writes;
  writes.push_back(std::move(w));
  EXPECT_FALSE(store()->ApplyWrites(writes).ok());
  const auto rows = All<model::DeploymentCommit>();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].deployment_id, "d1");
}

TEST_P(LinkerTest, HistoryStartBoundsEveryDeployment) {
  WriteLine(6);
  ASSERT_TRUE(store()
                  ->Upsert(std::vector<model::Deployment>{Dep("d1", "c2", kT0 + 3 * kDay),
                                                          Dep("d2", "c6", kT0 + 7 * kDay)})
                  .ok());
  MetricsSettings s;
  s.history_start = kT0 + 5 * kDay;  // c5 and c6 only
  Link(s);
  const auto rows = All<model::DeploymentCommit>();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].commit_sha, "c5");
  EXPECT_EQ(rows[1].commit_sha, "c6");
  const auto links = All<model::DeploymentLink>();
  EXPECT_TRUE(links[0].bounded);
  EXPECT_EQ(links[0].commits_shipped, 0);
  EXPECT_FALSE(links[1].bounded);
  EXPECT_EQ(links[1].prev_deployment_id, "d1");
}

// Every derived table as text rows, for comparing two stores.
std::vector<std::string> Dump(Store& store) {
  std::vector<std::string> out;
  for (const model::TableSpec* spec :
       {&model::SpecOf<model::Deployment>(), &model::SpecOf<model::DeploymentCommit>(),
        &model::SpecOf<model::CommitPullRequest>(), &model::SpecOf<model::DeploymentLink>(),
        &model::SpecOf<model::DeploymentChange>(), &model::SpecOf<model::IncidentDeployment>()}) {
    EXPECT_TRUE(store
                    .ScanRows(*spec, {},
                              [&](const model::Row& row) {
                                std::string line = spec->table;
                                for (const auto& v : row) line += "|" + model::ValueToString(v);
                                out.push_back(line);
                                return Status::Ok();
                              })
                    .ok());
  }
  return out;
}

TEST_P(LinkerTest, ReRunAfterChangesEqualsAFreshRun) {
  WriteLine(12);
  std::vector<model::Deployment> deps = {
      Dep("d1", "c2", kT0 + 3 * kDay), Dep("d2", "c5", kT0 + 6 * kDay),
      Dep("d3", "c7", kT0 + 8 * kDay), Dep("d4", "c9", kT0 + 10 * kDay)};
  ASSERT_TRUE(store()->Upsert(deps).ok());
  model::PullRequest pr;
  pr.id = "pr1";
  pr.connection_id = "gh";
  pr.repo_id = "r";
  pr.state = "merged";
  pr.merge_sha = "c6";
  pr.merged_at = kT0 + 6 * kDay;
  ASSERT_TRUE(store()->Upsert(std::vector<model::PullRequest>{pr}).ok());
  model::Incident inc;
  inc.id = "i1";
  inc.connection_id = "pd";
  inc.deployment_id = "d2";
  inc.title = "down";
  inc.status = "resolved";
  inc.created_at = kT0 + 7 * kDay;
  ASSERT_TRUE(store()->Upsert(std::vector<model::Incident>{inc}).ok());
  Link();
  // Then: d2 failed after all, d3 is gone, d5 is new, the PR merged elsewhere.
  deps[1].result = "failure";
  ASSERT_TRUE(store()->Upsert(std::vector<model::Deployment>{deps[1]}).ok());
  ASSERT_TRUE(store()->DeleteRow(model::SpecOf<model::Deployment>(), {std::string("d3")}).ok());
  const model::Deployment d5 = Dep("d5", "c12", kT0 + 13 * kDay);
  ASSERT_TRUE(store()->Upsert(std::vector<model::Deployment>{d5}).ok());
  pr.merge_sha = "c8";
  ASSERT_TRUE(store()->Upsert(std::vector<model::PullRequest>{pr}).ok());
  Link();
  const std::vector<std::string> rerun = Dump(*store());

  // The same final data, linked once in a fresh store.
  auto fresh = NewStore();
  WriteLine(12, fresh.get());
  ASSERT_TRUE(fresh->Upsert(std::vector<model::Deployment>{deps[0], deps[1], deps[3], d5}).ok());
  ASSERT_TRUE(fresh->Upsert(std::vector<model::PullRequest>{pr}).ok());
  ASSERT_TRUE(fresh->Upsert(std::vector<model::Incident>{inc}).ok());
  Link({}, fresh.get());
  EXPECT_EQ(rerun, Dump(*fresh));
  EXPECT_FALSE(rerun.empty());
}

TEST_P(LinkerTest, LoadCommitWalkMatchesLoadCommitGraph) {
  WriteLine(5);
  std::vector<CommitRecord> batch(1);
  batch[0].commit.repo_id = "r";
  batch[0].commit.sha = "m";
  batch[0].commit.tree_sha = std::string(40, '0');
  batch[0].commit.author_time = kT0;
  batch[0].commit.author_account_id = "git:local:account:ann@example.com";
  batch[0].parents = {"c5", "c2", "not-stored"};
  batch[0].commit.parent_count = 3;
  ASSERT_TRUE(store()->WriteCommits("r", batch).ok());
  auto graph = store()->LoadCommitGraph("r");
  auto walk = store()->LoadCommitWalk("r");
  ASSERT_TRUE(graph.ok() && walk.ok());
  ASSERT_EQ(walk->shas.size(), graph->size());
  ASSERT_EQ(walk->parent_begin.size(), walk->shas.size() + 1);
  for (size_t i = 0; i < walk->shas.size(); ++i) {
    const StoredCommit& want = graph->at(walk->shas[i]);
    std::vector<std::string> parents;
    for (uint32_t p = walk->parent_begin[i]; p < walk->parent_begin[i + 1]; ++p) {
      parents.push_back(walk->shas[static_cast<size_t>(walk->parents[p])]);
    }
    std::vector<std::string> stored;
    for (const std::string& p : want.parents) {
      if (graph->count(p) != 0) stored.push_back(p);
    }
    EXPECT_EQ(parents, stored) << walk->shas[i];
    EXPECT_EQ(walk->parent_counts[i], static_cast<int32_t>(want.parents.size()));
  }
  const size_t m = static_cast<size_t>(std::find(walk->shas.begin(), walk->shas.end(), "m") -
                                       walk->shas.begin());
  EXPECT_EQ(walk->author_accounts[static_cast<size_t>(walk->authors[m])],
            "git:local:account:ann@example.com");
  EXPECT_EQ(walk->author_times[m], kT0);
}

SEI_INSTANTIATE_STORE_BACKENDS(LinkerTest);

}  // namespace
}  // namespace sei::metrics::link
