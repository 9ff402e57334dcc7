// Webhook bodies from ../shared/fixtures/payloads/github_webhooks.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "collectors/github/github_convert.h"
#include "collectors/github/github_test_util.h"
#include "model/entity.h"

namespace sei::collectors::github {
namespace {

using nlohmann::json;
using namespace testing_github;  // NOLINT

ConvertedBatch Hook(const std::string& event, const std::string& file) {
  return Ok(ConvertWebhook(event, Payload("github_webhooks/" + file), Ctx()));
}

TEST(GithubWebhookTest, EveryFixtureConvertsOrIsNotHandled) {
  SEI_REQUIRE_PAYLOADS();
  int converted = 0, not_handled = 0;
  for (const auto& entry : std::filesystem::directory_iterator(PayloadDir("github_webhooks"))) {
    const std::string name = entry.path().filename().string();
    if (name.find(".headers.") != std::string::npos) continue;
    const std::string event = name.substr(0, name.find("__"));
    Result<ConvertedBatch> r =
        ConvertWebhook(event, sei::testing::ReadFile(entry.path().string()), Ctx());
    ASSERT_TRUE(r.ok()) << name << ": " << r.status().ToString();
    EXPECT_TRUE(r->errors.empty()) << name;
    if (r->handled) {
      ++converted;
      if (event != "ping") {
        EXPECT_GT(r->RowCount(), 0u) << name;
      }
    } else {
      ++not_handled;
      EXPECT_EQ(r->RowCount(), 0u) << name;
      EXPECT_NE(r->note.find("not handled"), std::string::npos) << name;
    }
  }
  EXPECT_EQ(not_handled, 2);  // check_run, check_suite
  EXPECT_EQ(converted, 27);
}

TEST(GithubWebhookTest, WebhookAndRestGiveOneIdenticalRow) {
  SEI_REQUIRE_PAYLOADS();
  const std::string body = Payload("github_webhooks/pull_request__opened__octokit.json");
  ConvertedBatch hook = Ok(ConvertWebhook("pull_request", body, Ctx()));
  // The same object as GET /pulls/2 returns it, and as a list item.
  const std::string single = json::parse(body)["pull_request"].dump();
  ConvertedBatch rest = Ok(ConvertRest(RestKind::kPulls, single, Ctx()));
  ConvertedBatch list = Ok(ConvertRest(RestKind::kPulls, "[" + single + "]", Ctx()));
  ASSERT_EQ(hook.prs.size(), 1u);
  ASSERT_EQ(rest.prs.size(), 1u);
  ASSERT_EQ(list.prs.size(), 1u);
  EXPECT_EQ(model::ToRow(hook.prs[0]), model::ToRow(rest.prs[0]));
  EXPECT_EQ(model::ToRow(hook.prs[0]), model::ToRow(list.prs[0]));
  const model::PullRequest& p = hook.prs[0];
  EXPECT_EQ(p.id, "github:acme:pr:Codertocat/Hello-World/2");
  EXPECT_EQ(p.state, "open");
  EXPECT_EQ(p.head_sha, "ec26c3e57ca3a959ca5aad62de7213c562f8c821");
  EXPECT_EQ(p.created_at, T("2019-05-15T15:20:33Z"));
  EXPECT_FALSE(p.merge_sha);
  EXPECT_EQ(p.additions, 1);
  ASSERT_EQ(hook.repos.size(), 1u);
  EXPECT_EQ(hook.repos[0].id, "github:acme:repo:Codertocat/Hello-World");
  EXPECT_EQ(hook.repos[0].location, "https://github.com/Codertocat/Hello-World.git");
}

TEST(GithubWebhookTest, ClosedWithoutMergeHasNoMergeSha) {
  SEI_REQUIRE_PAYLOADS();
  for (const char* file : {"pull_request__closed__octokit.json",
                           "pull_request__closed.with-organization__octokit.json"}) {
    ConvertedBatch b = Hook("pull_request", file);
    ASSERT_EQ(b.prs.size(), 1u) << file;
    EXPECT_EQ(b.prs[0].state, "closed");
    EXPECT_FALSE(b.prs[0].merge_sha) << "the body has merge_commit_sha c4295bd7... anyway";
    EXPECT_FALSE(b.prs[0].merged_at);
    EXPECT_EQ(b.prs[0].closed_at, T("2019-05-15T15:21:18Z"));
  }
  // The same body, merged: now it is a merge.
  json merged = json::parse(Payload("github_webhooks/pull_request__closed__octokit.json"));
  merged["pull_request"]["merged"] = true;
  merged["pull_request"]["merged_at"] = "2019-05-15T15:21:18Z";
  merged["pull_request"]["merged_by"] = merged["sender"];
  ConvertedBatch m = Ok(ConvertWebhook("pull_request", merged.dump(), Ctx()));
  ASSERT_EQ(m.prs.size(), 1u);
  EXPECT_EQ(m.prs[0].state, "merged");
  EXPECT_EQ(m.prs[0].merge_sha, "c4295bd74fb0f4fda03689c3df3f2803b658fd85");
  EXPECT_TRUE(m.prs[0].merged_by_account_id);
}

TEST(GithubWebhookTest, ReadyForReviewSetsReadyAt) {
  SEI_REQUIRE_PAYLOADS();
  ConvertedBatch b = Hook("pull_request", "pull_request__ready_for_review__octokit.json");
  ASSERT_EQ(b.prs.size(), 1u);
  EXPECT_EQ(b.prs[0].ready_at, T("2019-05-15T15:21:18Z"));
  EXPECT_FALSE(b.prs[0].is_draft);
  ConvertedBatch opened = Hook("pull_request", "pull_request__opened__octokit.json");
  ASSERT_EQ(opened.prs.size(), 1u);
  EXPECT_FALSE(opened.prs[0].ready_at);
}

TEST(GithubWebhookTest, ReviewsInLowerCaseMatchRest) {
  SEI_REQUIRE_PAYLOADS();
  ConvertedBatch submitted =
      Hook("pull_request_review", "pull_request_review__submitted__octokit.json");
  ASSERT_EQ(submitted.reviews.size(), 1u);
  EXPECT_EQ(submitted.reviews[0].state, "commented");
  EXPECT_EQ(submitted.reviews[0].pr_id, "github:acme:pr:Codertocat/Hello-World/2");
  EXPECT_EQ(submitted.prs.size(), 1u);  // the review's PR, as a list item gives it
  ConvertedBatch dismissed =
      Hook("pull_request_review", "pull_request_review__dismissed__octokit.json");
  ASSERT_EQ(dismissed.reviews.size(), 1u);
  EXPECT_EQ(dismissed.reviews[0].state, "dismissed");
}

TEST(GithubWebhookTest, DeploymentStatusAndJobEnvironment) {
  SEI_REQUIRE_PAYLOADS();
  ConvertedBatch s = Hook("deployment_status", "deployment_status__payload__octokit.json");
  ASSERT_EQ(s.deployments.size(), 1u);
  EXPECT_EQ(s.deployments[0].result, "success");
  EXPECT_EQ(s.deployments[0].environment, "production");
  EXPECT_EQ(s.deployments[0].environment_type, "production");
  EXPECT_EQ(s.deployments[0].finished_at, T("2019-05-15T15:20:55Z"));
  ConvertedBatch created = Hook("deployment", "deployment__payload__octokit.json");
  ASSERT_EQ(created.deployments.size(), 1u);
  EXPECT_EQ(created.deployments[0].id, s.deployments[0].id);
  EXPECT_EQ(created.deployments[0].result, "");  // no status yet

  ConvertedBatch job = Hook("workflow_job", "workflow_job__queued.with-deployment__octokit.json");
  ASSERT_EQ(job.jobs.size(), 1u);
  EXPECT_EQ(job.jobs[0].status, "queued");  // "waiting" for the environment's approval
  EXPECT_FALSE(job.jobs[0].result);
  EXPECT_TRUE(job.jobs[0].is_deployment);
  EXPECT_EQ(job.jobs[0].environment, "Test");
  EXPECT_EQ(job.jobs[0].pipeline_id, "github:acme:run:4747967848");

  ConvertedBatch failed =
      Hook("workflow_job", "workflow_job__completed.failure.with-organization__octokit.json");
  ASSERT_EQ(failed.jobs.size(), 1u);
  EXPECT_EQ(failed.jobs[0].result, "failure");
  ConvertedBatch run = Hook("workflow_run", "workflow_run__requested__octokit.json");
  ASSERT_EQ(run.pipelines.size(), 1u);
  EXPECT_EQ(run.pipelines[0].status, "queued");
  EXPECT_FALSE(run.pipelines[0].result);
}

TEST(GithubWebhookTest, PushPingAndUnhandledEvents) {
  SEI_REQUIRE_PAYLOADS();
  ConvertedBatch push = Hook("push", "push__with-new-branch__octokit.json");
  ASSERT_EQ(push.repos.size(), 1u);
  EXPECT_EQ(push.repos[0].created_at, 1557933565);  // an epoch integer in push events
  EXPECT_EQ(push.repos[0].default_branch, "master");
  EXPECT_EQ(push.RowCount(), 1u);
  ConvertedBatch ping = Hook("ping", "ping__payload__octokit.json");
  EXPECT_TRUE(ping.handled);
  EXPECT_EQ(ping.RowCount(), 0u);
  ConvertedBatch check = Hook("check_run", "check_run__completed__octokit.json");
  EXPECT_FALSE(check.handled);
  Result<ConvertedBatch> star = ConvertWebhook("star", "not even json", Ctx());
  ASSERT_TRUE(star.ok());
  EXPECT_FALSE(star->handled);
}

TEST(GithubWebhookTest, CommentsOnPullRequestsOnly) {
  const std::string pr_comment = R"({"action": "created",
    "issue": {"number": 9, "pull_request": {"url": "u"}},
    "comment": {"id": 77, "body": "LGTM", "created_at": "2020-02-02T10:00:00Z",
      "issue_url": "https://api.github.com/repos/o/r/issues/9",
      "user": {"login": "dependabot[bot]", "id": 49699333, "type": "Bot"}}})";
  ConvertedBatch b = Ok(ConvertWebhook("issue_comment", pr_comment, Ctx()));
  ASSERT_EQ(b.comments.size(), 1u);
  EXPECT_EQ(b.comments[0].id, "github:acme:issue-comment:77");
  EXPECT_EQ(b.comments[0].pr_id, "github:acme:pr:o/r/9");
  EXPECT_EQ(b.comments[0].kind, "issue");
  ASSERT_EQ(b.accounts.size(), 1u);
  EXPECT_TRUE(b.accounts[0].is_bot);
  EXPECT_EQ(b.accounts[0].external_id, "49699333");

  json on_issue = json::parse(pr_comment);
  on_issue["issue"].erase("pull_request");
  ConvertedBatch skipped = Ok(ConvertWebhook("issue_comment", on_issue.dump(), Ctx()));
  EXPECT_TRUE(skipped.comments.empty());
  EXPECT_EQ(skipped.skipped, 1);

  const std::string review_comment = R"({"action": "created",
    "pull_request": {"number": 9, "title": "t", "state": "open",
      "created_at": "2020-02-01T00:00:00Z", "url": "https://api.github.com/repos/o/r/pulls/9",
      "head": {"ref": "f", "sha": "a1"}, "base": {"ref": "main", "sha": "b1"}},
    "comment": {"id": 78, "body": "nit", "path": "a.go", "line": null, "original_line": 12,
      "pull_request_review_id": 5, "created_at": "2020-02-02T10:00:00Z",
      "pull_request_url": "https://api.github.com/repos/o/r/pulls/9"}})";
  ConvertedBatch rc = Ok(ConvertWebhook("pull_request_review_comment", review_comment, Ctx()));
  ASSERT_EQ(rc.comments.size(), 1u);
  EXPECT_EQ(rc.comments[0].kind, "review");
  EXPECT_EQ(rc.comments[0].line, 12);
  EXPECT_EQ(rc.comments[0].review_id, "github:acme:review:5");
  EXPECT_EQ(rc.prs.size(), 1u);
}

TEST(GithubWebhookTest, InvalidBodiesNameTheField) {
  Result<ConvertedBatch> r = ConvertWebhook(
      "pull_request", R"({"action": "opened", "pull_request": {"number": 1}})", Ctx());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("pull_request webhook pull_request.base: is required"),
            std::string::npos)
      << r.status().message();
  Result<ConvertedBatch> not_json = ConvertWebhook("issues", "{", Ctx());
  EXPECT_FALSE(not_json.ok());
  Result<ConvertedBatch> array = ConvertWebhook("issues", "[]", Ctx());
  EXPECT_FALSE(array.ok());
}

}  // namespace
}  // namespace sei::collectors::github
