// DevLake's end-to-end cases, continued (see devlake_compat_test.cc):
// dora/deployment_generator (deployments from CI pipelines and tasks) and
// dora/connect_incident_to_deployment (incidents to deployments), in DevLake
// mode against DevLake's expected CSVs and in our default mode.
#include <gtest/gtest.h>

#include <set>

#include "metrics/link/ci_deployment_generator.h"
#include "metrics/link/devlake_fixture_test_util.h"
#include "metrics/link/linker.h"
#include "model/derived.h"
#include "store/sqlite/sqlite_store.h"

namespace sei::metrics::link {
namespace {

using testing_devlake::CsvRow;
using testing_devlake::Instant;
using testing_devlake::Opt;
using testing_devlake::ReadCsv;

class DevLakeCiIncidentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = sqlite::SqliteStore::Open(dir_.Sub("devlake.db"));
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
  }

  LinkSummary Link(Mode mode) {
    MetricsSettings settings;
    settings.mode = mode;
    Linker linker(*store_, settings);
    auto r = linker.Run();
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : LinkSummary{};
  }

  std::map<std::string, model::Deployment> DeploymentsByPipeline() {
    std::map<std::string, model::Deployment> out;
    auto rows = store_->List<model::Deployment>();
    EXPECT_TRUE(rows.ok());
    for (const auto& d : *rows) out[d.pipeline_id.value_or("")] = d;
    return out;
  }

  sei::testing::TempDir dir_;
  std::unique_ptr<sqlite::SqliteStore> store_;
};

#define SKIP_WITHOUT(dir)                                                                   \
  if ((dir).empty()) {                                                                      \
    GTEST_SKIP() << "../shared/fixtures/devlake-e2e is absent: DevLake's end-to-end cases " \
                    "are not part of this checkout";                                        \
  }

// cicd_pipelines + cicd_pipeline_commits as our pipelines. DevLake keeps a
// run's duration; our pipeline has a start instead: finished - duration_sec
// (what DevLake itself assumes when a start is missing). A pipeline whose
// type is DEPLOYMENT is one deployment job in our model (CiJob.is_deployment
// with the pipeline's environment, result and times).
void LoadCi(const std::string& dir, std::vector<model::CiPipeline>* pipelines,
            std::vector<model::CiJob>* jobs) {
  std::map<std::string, CsvRow> commit_of;
  for (const CsvRow& r : ReadCsv(dir + "/cicd_pipeline_commits.csv")) {
    commit_of[r.at("pipeline_id")] = r;
  }
  for (const CsvRow& r : ReadCsv(dir + "/cicd_pipelines.csv")) {
    model::CiPipeline p;
    p.id = r.at("id");
    p.connection_id = "devlake";
    p.ci_scope = r.at("cicd_scope_id");
    p.name = r.at("name");
    if (auto c = commit_of.find(p.id); c != commit_of.end()) {
      p.repo_id = c->second.at("repo_url");
      p.commit_sha = c->second.at("commit_sha");
      p.ref = c->second.at("branch");
    }
    p.status = Lower(r.at("status")) == "done" ? "done" : "running";
    p.result = Lower(r.at("result"));
    p.created_at = Instant(r.at("created_date")).value_or(0);
    p.finished_at = Instant(r.at("finished_date"));
    if (p.finished_at) p.started_at = *p.finished_at - std::stoll(r.at("duration_sec"));
    if (r.at("type") == "DEPLOYMENT") {
      jobs->push_back({p.id + ":pipeline", p.id, "pipeline", std::nullopt, p.status, p.result,
                       Opt(r.at("environment")), true, p.started_at, p.finished_at, std::nullopt,
                       std::nullopt});
    }
    pipelines->push_back(std::move(p));
  }
  for (const CsvRow& r : ReadCsv(dir + "/cicd_tasks.csv")) {
    jobs->push_back({r.at("id"), r.at("pipeline_id"), r.at("name"), std::nullopt,
                     Lower(r.at("status")) == "done" ? "done" : "running", Lower(r.at("result")),
                     Opt(r.at("environment")), r.at("type") == "DEPLOYMENT",
                     Instant(r.at("started_date")), Instant(r.at("finished_date")), std::nullopt,
                     std::nullopt});
  }
}

TEST_F(DevLakeCiIncidentTest, DeploymentGenerator) {
  const std::string dir = testing_devlake::CaseDir("dora/deployment_generator");
  SKIP_WITHOUT(dir);
  std::vector<model::CiPipeline> pipelines;
  std::vector<model::CiJob> jobs;
  LoadCi(dir, &pipelines, &jobs);
  ASSERT_TRUE(store_->Upsert(pipelines).ok());
  ASSERT_TRUE(store_->Upsert(jobs).ok());
  std::map<std::string, std::string> scope_of;
  for (const auto& p : pipelines) scope_of[p.id] = p.ci_scope;

  const std::vector<CsvRow> want = ReadCsv(dir + "/cicd_deployment_commits.csv");
  ASSERT_EQ(want.size(), 6u);
  EXPECT_EQ(Link(Mode::kDevLake).generated_deployments, 6);
  auto got = DeploymentsByPipeline();
  ASSERT_EQ(got.size(), want.size());
  for (const CsvRow& w : want) {
    const std::string& pipeline = w.at("cicd_deployment_id");
    ASSERT_TRUE(got.count(pipeline)) << pipeline;
    const model::Deployment& d = got[pipeline];
    EXPECT_EQ(*d.pipeline_id + ":" + d.repo_id.value_or(""), w.at("id"));
    EXPECT_EQ(scope_of[pipeline], w.at("cicd_scope_id")) << pipeline;
    EXPECT_EQ(d.commit_sha.value_or(""), w.at("commit_sha")) << pipeline;
    EXPECT_EQ(d.result, Lower(w.at("result"))) << pipeline;
    EXPECT_EQ(d.repo_id.value_or(""), w.at("repo_url")) << pipeline;
    EXPECT_EQ(d.environment, w.at("environment")) << pipeline;
    EXPECT_EQ(d.started_at, Instant(w.at("started_date"))) << pipeline;
    EXPECT_EQ(d.finished_at, Instant(w.at("finished_date"))) << pipeline;
  }

  // Default mode: the same six deployments, but a deployment's result and
  // times are its deployment jobs'. Pipelines 485877118 and 457475337 failed
  // (DevLake: FAILURE) while their deployment jobs succeeded; their times
  // are the jobs' (the "format" job ran three times: its latest attempt,
  // job 103, counts).
  Link(Mode::kDefault);
  got = DeploymentsByPipeline();
  ASSERT_EQ(got.size(), 6u);
  const auto& a = got["gitlab:GitlabPipeline:1:485877118"];
  EXPECT_EQ(a.result, "success");
  EXPECT_EQ(a.environment, "PRODUCTION");
  EXPECT_EQ(a.started_at, Instant("2022-07-25T15:06:57Z"));   // job 100
  EXPECT_EQ(a.finished_at, Instant("2022-07-25T15:30:58Z"));  // job 103
  const auto& b = got["gitlab:GitlabPipeline:1:457475337"];
  EXPECT_EQ(b.result, "success");
  EXPECT_EQ(b.started_at, Instant("2022-07-25T15:35:14Z"));  // job 109
  EXPECT_EQ(b.finished_at, Instant("2022-07-25T15:35:17Z"));
  for (const char* id : {"gitlab:GitlabPipeline:1:485811050", "gitlab:GitlabPipeline:1:485813816",
                         "gitlab:GitlabPipeline:1:485814501"}) {
    EXPECT_EQ(got[id].result, "failure") << id;
  }
  const auto& c = got["gitlab:GitlabPipeline:1:485932863"];
  EXPECT_EQ(c.result, "success");
  EXPECT_EQ(c.environment, "");
  EXPECT_EQ(c.started_at, Instant("2022-03-07T09:34:58Z"));
}

TEST_F(DevLakeCiIncidentTest, ConnectIncidentToDeployment) {
  const std::string dir = testing_devlake::CaseDir("dora/connect_incident_to_deployment");
  SKIP_WITHOUT(dir);
  std::vector<model::Deployment> deps;
  std::map<std::string, model::CiPipeline> pipelines;
  for (const CsvRow& r :
       ReadCsv(dir + "/prev_success_deployment_commit/cicd_deployment_commits_after.csv")) {
    model::Deployment d;
    d.id = r.at("id");
    d.connection_id = "devlake";
    d.repo_id = Opt(r.at("repo_url"));
    d.environment = r.at("environment");
    d.environment_type = CiDeploymentGenerator::EnvironmentType(d.environment);
    d.commit_sha = Opt(r.at("commit_sha"));
    d.result = Lower(r.at("result"));
    d.started_at = Instant(r.at("started_date"));
    d.finished_at = Instant(r.at("finished_date"));
    d.pipeline_id = r.at("cicd_deployment_id");
    deps.push_back(d);
    model::CiPipeline p;
    p.id = *d.pipeline_id;
    p.connection_id = "devlake";
    p.ci_scope = r.at("cicd_scope_id");
    p.status = "done";
    pipelines.emplace(p.id, p);
  }
  // An incident belongs to the repo or board its scope_id names: our
  // incident's service is that scope id.
  std::vector<model::Incident> incidents;
  for (const CsvRow& r : ReadCsv(dir + "/raw_tables/incidents.csv")) {
    model::Incident i;
    i.id = r.at("id");
    i.connection_id = "devlake";
    i.service = r.at("scope_id");
    i.title = r.at("id");
    i.status = "resolved";
    i.created_at = *Instant(r.at("created_date"));
    incidents.push_back(i);
  }
  std::vector<model::Project> projects;
  std::vector<model::ProjectScope> scopes;
  testing_devlake::ProjectMapping(dir + "/raw_tables/project_mapping.csv", &projects, &scopes);
  std::vector<model::CiPipeline> ps;
  for (const auto& [id, p] : pipelines) ps.push_back(p);
  ASSERT_TRUE(store_->Upsert(deps).ok());
  ASSERT_TRUE(store_->Upsert(ps).ok());
  ASSERT_TRUE(store_->Upsert(incidents).ok());
  ASSERT_TRUE(store_->Upsert(projects).ok());
  ASSERT_TRUE(store_->Upsert(scopes).ok());

  std::map<std::string, std::string> want;  // incident -> DevLake deployment (pipeline)
  for (const CsvRow& r :
       ReadCsv(dir + "/snapshot_tables/project_incident_deployment_relationships.csv")) {
    ASSERT_EQ(r.at("project_name"), "project1");
    want[r.at("id")] = r.at("deployment_id");
  }
  ASSERT_EQ(want.size(), 6u);
  Link(Mode::kDevLake);
  std::map<std::string, std::string> pipeline_of;
  for (const auto& d : deps) pipeline_of[d.id] = *d.pipeline_id;
  auto rows = store_->List<model::IncidentDeployment>();
  ASSERT_TRUE(rows.ok());
  std::map<std::string, std::string> got;
  for (const auto& r : *rows) {
    EXPECT_EQ(r.link_method, "devlake-latest");
    EXPECT_EQ(got.count(r.incident_id), 0u) << "one deployment per incident and project";
    got[r.incident_id] = pipeline_of[r.deployment_id];
  }
  EXPECT_EQ(got, want);

  // Default mode: no incident names a service or a repository that was
  // deployed (their scopes are repo1, repo2, repo3, board1; the deployments
  // are of REPO111, REPO222, REPO333), and the window is 24 h: DevLake's
  // "latest production deployment in the project" is not a cause, so all
  // seven stay unlinked rather than pinned to whatever deployed last.
  const LinkSummary s = Link(Mode::kDefault);
  rows = store_->List<model::IncidentDeployment>();
  ASSERT_TRUE(rows.ok());
  EXPECT_TRUE(rows->empty());
  EXPECT_EQ(s.incidents, 7);
  int64_t unlinked = 0;
  for (const auto& [reason, n] : s.incidents_unlinked) unlinked += n;
  EXPECT_EQ(unlinked, 7);
}

}  // namespace
}  // namespace sei::metrics::link
