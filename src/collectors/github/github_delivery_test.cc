// Actions runs and jobs, deployments and their statuses, issues and the
// patterns, from ../shared/fixtures/payloads.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <unordered_set>

#include "collectors/github/github_convert.h"
#include "collectors/github/github_test_util.h"
#include "metrics/link/ci_deployment_generator.h"

namespace sei::collectors::github {
namespace {

using nlohmann::json;
using namespace testing_github;  // NOLINT

TEST(GithubActionsTest, WorkflowRunsRealOnly) {
  SEI_REQUIRE_PAYLOADS();
  const std::string body =
      Payload("github_actions/workflow_runs_list__devlake_panjf2000_ants.real_only.json");
  ConvertedBatch b = Ok(ConvertRest(RestKind::kWorkflowRuns, body, Ctx()));
  EXPECT_TRUE(b.errors.empty());
  ASSERT_EQ(b.pipelines.size(), 20u);
  std::map<std::string, int> results;
  for (const model::CiPipeline& p : b.pipelines) {
    ++results[p.status + "/" + p.result.value_or("none")];
    EXPECT_EQ(p.finished_at.has_value(), p.status == "done") << p.id;
  }
  const std::map<std::string, int> want = {
      {"done/success", 16}, {"done/failure", 2}, {"running/none", 2}};
  EXPECT_EQ(results, want);
  const model::CiPipeline& first = b.pipelines[0];
  EXPECT_EQ(first.id, "github:acme:run:2983238245");
  EXPECT_EQ(first.name, "CodeQL");
  EXPECT_EQ(first.ci_scope, "github:acme:workflow:5904664");
  EXPECT_EQ(first.repo_id, "github:acme:repo:panjf2000/ants");
  EXPECT_EQ(first.commit_sha, "06e6934c35c336b1a2bd3005fb21dc3914a45747");
  EXPECT_EQ(first.ref, "master");
  EXPECT_EQ(first.trigger, "schedule");
  EXPECT_EQ(first.created_at, T("2022-09-03T05:15:09Z"));
  EXPECT_EQ(first.started_at, T("2022-09-03T05:15:09Z"));
  EXPECT_EQ(first.finished_at, T("2022-09-03T05:16:16Z"));
  EXPECT_EQ(first.url, "https://github.com/panjf2000/ants/actions/runs/2983238245");
}

TEST(GithubActionsTest, DevLakeEditedRunsMapEveryValue) {
  SEI_REQUIRE_PAYLOADS();
  const std::string body =
      Payload("github_actions/workflow_runs_list__devlake_panjf2000_ants.json");
  ConvertedBatch b = Ok(ConvertRest(RestKind::kWorkflowRuns, body, Ctx()));
  EXPECT_TRUE(b.errors.empty()) << b.errors[0].ToString();
  EXPECT_EQ(b.pipelines.size(), 35u);
  std::map<std::string, std::string> by_id;
  for (const model::CiPipeline& p : b.pipelines)
    by_id[p.id] = p.status + "/" + p.result.value_or("");
  // Conclusion "" while running (DevLake's edit of null), conclusions in status.
  const json page = json::parse(body);
  for (const json& r : page["workflow_runs"]) {
    const std::string id = "github:acme:run:" + std::to_string(r["id"].get<int64_t>());
    const std::string status = r["status"];
    const std::string got = by_id[id];
    if (status == "TIMED_OUT" || status == "STARTUP_FAILURE") {
      EXPECT_EQ(got, "done/failure");
    }
    if (status == "STALE" || status == "NEUTRAL" || status == "ACTION_REQUIRED") {
      EXPECT_EQ(got, "done/skipped");
    }
    if (status == "IN_PROGRESS") {
      EXPECT_EQ(got, "running/");
    }
    if (status == "QUEUED" || status == "WAITING" || status == "PENDING" || status == "REQUESTED") {
      EXPECT_EQ(got, "queued/") << status;
    }
  }
}

TEST(GithubActionsTest, EarlyAndModernRunShapes) {
  SEI_REQUIRE_PAYLOADS();
  ConvertedBatch early =
      Ok(ConvertRest(RestKind::kWorkflowRuns,
                     Payload("github_actions/workflow_runs_list_2020__pygithub.json"), Ctx()));
  ASSERT_EQ(early.pipelines.size(), 5u);
  EXPECT_EQ(early.pipelines[0].name, "workflow 1026390");  // no name, no path in 2020
  EXPECT_EQ(early.pipelines[0].started_at, early.pipelines[0].created_at);
  ConvertedBatch single =
      Ok(ConvertRest(RestKind::kWorkflowRuns,
                     Payload("github_actions/workflow_run_single__pygithub.json"), Ctx()));
  ASSERT_EQ(single.pipelines.size(), 1u);
  EXPECT_EQ(single.pipelines[0].id, "github:acme:run:3881497935");
  EXPECT_EQ(single.pipelines[0].result, "success");
}

TEST(GithubActionsTest, JobsWithRunnerLocalStepTimes) {
  SEI_REQUIRE_PAYLOADS();
  const std::string body =
      Payload("github_actions/run_jobs_577324554__devlake_panjf2000_ants.json");
  ConvertedBatch b = Ok(ConvertRest(RestKind::kJobs, body, Ctx()));
  ASSERT_EQ(b.jobs.size(), 6u);
  EXPECT_TRUE(b.errors.empty());
  const model::CiJob& j = b.jobs[0];
  EXPECT_EQ(j.id, "github:acme:job:1924918171");
  EXPECT_EQ(j.pipeline_id, "github:acme:run:577324554");
  EXPECT_EQ(j.name, "deployubuntu");
  EXPECT_EQ(j.status, "done");
  EXPECT_EQ(j.result, "cancelled");
  EXPECT_TRUE(j.is_deployment);  // "deploy" in its name
  EXPECT_EQ(j.environment, "production");
  EXPECT_EQ(j.started_at, T("2021-02-18T06:59:13Z"));
  EXPECT_EQ(j.finished_at, T("2021-02-18T07:01:18Z"));

  // Without the job's own times, its steps' +08:00 times give the same instants.
  json page = json::parse(body);
  for (json& job : page["jobs"]) {
    job.erase("started_at");
    job.erase("completed_at");
  }
  ConvertedBatch steps = Ok(ConvertRest(RestKind::kJobs, page.dump(), Ctx()));
  ASSERT_EQ(steps.jobs.size(), b.jobs.size());
  for (size_t i = 0; i < b.jobs.size(); ++i) {
    EXPECT_EQ(steps.jobs[i].started_at, b.jobs[i].started_at) << i;
    EXPECT_EQ(steps.jobs[i].finished_at, b.jobs[i].finished_at) << i;
  }
  // A malformed step time is an error of that job only.
  page["jobs"][2]["steps"][1]["started_at"] = "2021-02-18 14:59:99";
  ConvertedBatch bad = Ok(ConvertRest(RestKind::kJobs, page.dump(), Ctx()));
  EXPECT_EQ(bad.jobs.size(), 5u);
  ASSERT_EQ(bad.errors.size(), 1u);
  EXPECT_NE(bad.errors[0].message().find("jobs [2].steps[1].started_at"), std::string::npos)
      << bad.errors[0].message();
}

TEST(GithubActionsTest, DeploymentJobsBecomeDeploymentsThroughTheLinkersGenerator) {
  SEI_REQUIRE_PAYLOADS();
  ConvertContext ctx = Ctx();
  ctx.workflow_name = "CI";
  ConvertedBatch jobs = Ok(
      ConvertRest(RestKind::kJobs,
                  Payload("github_actions/run_jobs_577330056__devlake_panjf2000_ants.json"), ctx));
  ConvertedBatch pygithub = Ok(ConvertRest(
      RestKind::kJobs, Payload("github_actions/run_jobs_3881497935__pygithub.json"), Ctx()));
  for (const model::CiJob& j : pygithub.jobs) EXPECT_FALSE(j.is_deployment) << j.name;
  // A pipeline for the run, as its workflow run would give it.
  ConvertedBatch run = Ok(ConvertRest(RestKind::kWorkflowRuns, R"({"id": 577330056,
      "name": "CI", "head_sha": "fd8d670fd09489e6ea7693c0a382ba85d2694f16", "head_branch": "master",
      "status": "completed", "conclusion": "success", "event": "push", "workflow_id": 9,
      "created_at": "2021-02-18T07:00:00Z", "updated_at": "2021-02-18T07:20:00Z",
      "url": "https://api.github.com/repos/panjf2000/ants/actions/runs/577330056"})",
                                      Ctx()));
  ASSERT_EQ(run.pipelines.size(), 1u);
  metrics::link::CiDeploymentGenerator gen(metrics::Mode::kDefault);
  std::vector<model::Deployment> d = gen.Generate(run.pipelines, jobs.jobs, {});
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].environment, "production");
  EXPECT_EQ(d[0].commit_sha, "fd8d670fd09489e6ea7693c0a382ba85d2694f16");
  EXPECT_EQ(d[0].pipeline_id, "github:acme:run:577330056");
  // deploymacos and deploywindows have a second, completed attempt: success.
  EXPECT_EQ(d[0].result, "success");
}

TEST(GithubDeploymentsTest, ListAndStatuses) {
  SEI_REQUIRE_PAYLOADS();
  ConvertedBatch list = Ok(ConvertRest(
      RestKind::kDeployments, Payload("github_rest/deployments_list__pygithub.json"), Ctx()));
  ASSERT_EQ(list.deployments.size(), 2u);
  EXPECT_EQ(list.deployments[0].result, "");  // no status known: the writer decides
  EXPECT_EQ(list.deployments[0].repo_id, "github:acme:repo:PyGithub/PyGithub");

  ConvertedBatch b = Ok(ConvertDeploymentWithStatuses(
      Payload("github_rest/deployment_single__pygithub.json"),
      Payload("github_rest/deployment_statuses_list__pygithub.json"), Ctx()));
  EXPECT_TRUE(b.errors.empty());
  ASSERT_EQ(b.deployments.size(), 1u);
  const model::Deployment& d = b.deployments[0];
  EXPECT_EQ(d.id, "github:acme:deployment:263877258");
  EXPECT_EQ(d.environment, "test");
  EXPECT_EQ(d.environment_type, "testing");
  EXPECT_EQ(d.commit_sha, "743f5a58b0bce91c4eab744ff7e39dfca9e6e8a5");
  EXPECT_EQ(d.result, "in_progress");  // all three statuses are queued
  EXPECT_FALSE(d.finished_at);
  EXPECT_EQ(d.started_at, T("2020-08-26T11:44:53Z"));
  EXPECT_EQ(d.url, "https://example.com/deployment.log");  // the latest status's

  // The latest status wins, whatever the page order.
  json statuses = json::parse(Payload("github_rest/deployment_statuses_list__pygithub.json"));
  statuses[1]["state"] = "failure";
  statuses[1]["created_at"] = "2020-08-26T15:00:00Z";
  statuses[2]["state"] = "success";
  ConvertedBatch failed = Ok(ConvertDeploymentWithStatuses(
      Payload("github_rest/deployment_single__pygithub.json"), statuses.dump(), Ctx()));
  ASSERT_EQ(failed.deployments.size(), 1u);
  EXPECT_EQ(failed.deployments[0].result, "failure");
  EXPECT_EQ(failed.deployments[0].finished_at, T("2020-08-26T15:00:00Z"));
}

TEST(GithubIssuesTest, LabelsGiveTypesAndPullRequestsAreSkipped) {
  const std::string page = R"([
    {"number": 1, "title": "crash", "state": "open", "created_at": "2020-01-01T00:00:00Z",
     "repository_url": "https://api.github.com/repos/o/r", "labels": [{"name": "Type: Bug"}],
     "user": {"login": "ann", "id": 5, "type": "User"}},
    {"number": 2, "title": "site down", "state": "closed", "created_at": "2020-01-01T00:00:00Z",
     "closed_at": "2020-01-02T00:00:00Z", "repository_url": "https://api.github.com/repos/o/r",
     "labels": [{"name": "bug"}, {"name": "sev1"}]},
    {"number": 3, "title": "a PR", "state": "open", "created_at": "2020-01-01T00:00:00Z",
     "repository_url": "https://api.github.com/repos/o/r", "pull_request": {"url": "x"}},
    {"number": 4, "title": "reopened", "state": "open", "created_at": "2020-01-01T00:00:00Z",
     "closed_at": "2020-01-02T00:00:00Z", "repository_url": "https://api.github.com/repos/o/r",
     "labels": []}
  ])";
  ConvertedBatch b = Ok(ConvertRest(RestKind::kIssues, page, Ctx()));
  ASSERT_EQ(b.issues.size(), 3u);
  EXPECT_EQ(b.skipped, 1);
  EXPECT_EQ(b.issues[0].id, "github:acme:issue:o/r/1");
  EXPECT_EQ(b.issues[0].type, "bug");
  EXPECT_EQ(b.issues[0].raw_type, "Type: Bug");
  EXPECT_EQ(b.issues[0].key, "#1");
  EXPECT_EQ(b.issues[0].status_category, "todo");
  EXPECT_EQ(b.issues[0].board_id, "github:acme:board:o/r");
  EXPECT_EQ(b.issues[1].type, "incident");  // incident comes first in the patterns
  EXPECT_EQ(b.issues[1].resolved_at, T("2020-01-02T00:00:00Z"));
  EXPECT_EQ(b.issues[1].status_category, "done");
  EXPECT_EQ(b.issues[2].type, "other");
  EXPECT_FALSE(b.issues[2].resolved_at);  // open again: its old closed_at is not a resolution
  ASSERT_EQ(b.boards.size(), 1u);         // one board per repository

  GithubPatterns mine;
  mine.issue_types = {{"feature", "^type: bug$"}};
  mine.default_issue_type = "task";
  Result<CompiledPatterns> compiled = CompiledPatterns::Compile(mine);
  ASSERT_TRUE(compiled.ok());
  ConvertContext ctx = Ctx();
  ctx.patterns = &*compiled;
  ConvertedBatch custom = Ok(ConvertRest(RestKind::kIssues, page, ctx));
  ASSERT_EQ(custom.issues.size(), 3u);
  EXPECT_EQ(custom.issues[0].type, "feature");
  EXPECT_EQ(custom.issues[1].type, "task");

  mine.deployment = "([";
  Result<CompiledPatterns> bad = CompiledPatterns::Compile(mine);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("deployment"), std::string::npos);
}

}  // namespace
}  // namespace sei::collectors::github
