// REST pages from ../shared/fixtures/payloads/github_rest: pulls, reviews,
// PR commits; the expected values are read from the files with nlohmann
// (an independent parser) or copied from them.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "collectors/github/github_convert.h"
#include "collectors/github/github_test_util.h"

namespace sei::collectors::github {
namespace {

using nlohmann::json;
using namespace testing_github;  // NOLINT

const model::PullRequest* ByNumber(const ConvertedBatch& b, int64_t number) {
  for (const model::PullRequest& p : b.prs) {
    if (p.number == number) return &p;
  }
  return nullptr;
}

TEST(GithubPullsTest, ListPageOfFortyNinePullRequests) {
  SEI_REQUIRE_PAYLOADS();
  const std::string body = Payload("github_rest/pulls_list__devlake_panjf2000_ants.json");
  ConvertedBatch b = Ok(ConvertRest(RestKind::kPulls, body, Ctx()));
  EXPECT_TRUE(b.errors.empty());
  ASSERT_EQ(b.prs.size(), 49u);
  // Independently: merged exactly when merged_at is set (lists have no `merged`).
  const json page = json::parse(body);
  std::set<int64_t> merged, want_merged, users;
  for (const json& p : page) {
    if (!p["merged_at"].is_null()) want_merged.insert(p["number"].get<int64_t>());
    users.insert(p["user"]["id"].get<int64_t>());
  }
  for (const model::PullRequest& p : b.prs) {
    if (p.state == "merged") merged.insert(p.number);
    EXPECT_EQ(p.merge_sha.has_value(), p.state == "merged") << p.number;
    EXPECT_FALSE(p.merged_by_account_id) << "lists carry no merged_by";
    EXPECT_FALSE(p.additions) << "lists carry no additions";
    EXPECT_EQ(p.raw_id, 7);
  }
  EXPECT_EQ(merged, want_merged);
  EXPECT_EQ(merged.size(), 26u);
  EXPECT_EQ(b.accounts.size(), users.size());  // one account per author, de-duplicated
  EXPECT_EQ(b.accounts.size(), 45u);

  const model::PullRequest* p53 = ByNumber(b, 53);
  ASSERT_NE(p53, nullptr);
  EXPECT_EQ(p53->id, "github:acme:pr:panjf2000/ants/53");
  EXPECT_EQ(p53->repo_id, "github:acme:repo:panjf2000/ants");
  EXPECT_EQ(p53->state, "merged");
  EXPECT_EQ(p53->merge_sha, "f0e23928f4388661a8e0f6f5ff93f8f9514a1762");
  EXPECT_EQ(p53->head_ref, "feature/loopQueue");
  EXPECT_EQ(p53->head_sha, "6ef45a0a1fd2ad8878c5684e9ec1baf8aab24f87");
  EXPECT_EQ(p53->base_ref, "master");
  EXPECT_EQ(p53->base_sha, "66350c88dbd991f49ca95454e2d8485ca990fd30");
  EXPECT_EQ(p53->author_account_id, "github:acme:account:2813260");
  EXPECT_EQ(p53->created_at, T("2019-10-07T08:17:20Z"));
  EXPECT_EQ(p53->merged_at, T("2019-10-09T16:59:19Z"));
  EXPECT_EQ(p53->closed_at, T("2019-10-09T16:59:19Z"));
  EXPECT_EQ(p53->labels, R"(["enhancement","pending merged"])");
  EXPECT_EQ(p53->url, "https://github.com/panjf2000/ants/pull/53");

  // #8 was closed without a merge, yet carries a merge_commit_sha.
  const model::PullRequest* p8 = ByNumber(b, 8);
  ASSERT_NE(p8, nullptr);
  EXPECT_EQ(p8->state, "closed");
  EXPECT_FALSE(p8->merge_sha);
  EXPECT_FALSE(p8->merged_at);
}

TEST(GithubPullsTest, SinglePullRequestsCarryMergedByAndSize) {
  SEI_REQUIRE_PAYLOADS();
  ConvertedBatch b = Ok(ConvertRest(
      RestKind::kPulls, Payload("github_rest/pull_single_pr21_merged__pygithub_austinsasko.json"),
      Ctx()));
  ASSERT_EQ(b.prs.size(), 1u);
  const model::PullRequest& p = b.prs[0];
  EXPECT_EQ(p.id, "github:acme:pr:austinsasko/PyGithub/21");
  EXPECT_EQ(p.state, "merged");
  EXPECT_EQ(p.merge_sha, "40abf8b68f4c86d0001cc9a03f19cf8f1bd018e1");
  EXPECT_EQ(p.merged_by_account_id, "github:acme:account:4807843");
  EXPECT_EQ(p.additions, 1);
  EXPECT_EQ(p.deletions, 1);
  EXPECT_EQ(p.changed_files, 1);

  ConvertedBatch b31 = Ok(ConvertRest(
      RestKind::kPulls, Payload("github_rest/pull_single_pr31_merged__pygithub.json"), Ctx()));
  ASSERT_EQ(b31.prs.size(), 1u);
  EXPECT_EQ(b31.prs[0].merge_sha, "28ae6dd10ebccd5eaf8db8dacb5b699ee7f4a663");
  EXPECT_EQ(b31.prs[0].merged_at, T("2012-05-27T10:29:07Z"));
  EXPECT_EQ(b31.prs[0].additions, 511);
  EXPECT_EQ(b31.prs[0].deletions, 384);
  EXPECT_EQ(b31.prs[0].changed_files, 45);
  bool merger = false;
  for (const model::Account& a : b31.accounts) {
    if (a.id == b31.prs[0].merged_by_account_id) merger = a.login == "jacquev6";
  }
  EXPECT_TRUE(merger);

  // Open: a test-merge sha is there, and is not a merge.
  ConvertedBatch open = Ok(ConvertRest(
      RestKind::kPulls, Payload("github_rest/pull_single_pr2_open__pygithub_florentclarret.json"),
      Ctx()));
  ASSERT_EQ(open.prs.size(), 1u);
  EXPECT_EQ(open.prs[0].state, "open");
  EXPECT_FALSE(open.prs[0].merge_sha);
  EXPECT_FALSE(open.prs[0].merged_by_account_id);
  EXPECT_FALSE(open.prs[0].is_draft);
}

TEST(GithubPullsTest, ReviewStatesAreNormalised) {
  SEI_REQUIRE_PAYLOADS();
  struct Case {
    const char* file;
    std::map<std::string, int> states;
    const char* pr_id;
  };
  const Case cases[] = {
      {"pull_reviews_pr41__devlake_panjf2000_ants.json",
       {{"commented", 13}},
       "github:acme:pr:panjf2000/ants/41"},
      {"pull_reviews_pr53__devlake_panjf2000_ants.json",
       {{"commented", 12}, {"changes_requested", 3}},
       "github:acme:pr:panjf2000/ants/53"},
      {"pull_reviews_pr538__pygithub.json",
       {{"commented", 4}, {"approved", 1}},
       "github:acme:pr:PyGithub/PyGithub/538"},
  };
  for (const Case& c : cases) {
    ConvertedBatch b =
        Ok(ConvertRest(RestKind::kReviews, Payload(std::string("github_rest/") + c.file), Ctx()));
    EXPECT_TRUE(b.errors.empty()) << c.file;
    std::map<std::string, int> states;
    for (const model::PrReview& r : b.reviews) {
      ++states[r.state];
      EXPECT_EQ(r.pr_id, c.pr_id);
      EXPECT_TRUE(r.submitted_at) << r.id;
    }
    EXPECT_EQ(states, c.states) << c.file;
  }
  ConvertedBatch b41 =
      Ok(ConvertRest(RestKind::kReviews,
                     Payload("github_rest/pull_reviews_pr41__devlake_panjf2000_ants.json"), Ctx()));
  ASSERT_FALSE(b41.reviews.empty());
  EXPECT_EQ(b41.reviews[0].id, "github:acme:review:277027723");
  EXPECT_EQ(b41.reviews[0].submitted_at, T("2019-08-20T09:05:02Z"));
  EXPECT_EQ(b41.reviews[0].commit_sha, "ee1ad289e5af90bd7ee573f2ff1c968e57e3d69b");
}

TEST(GithubPullsTest, PendingReviewHasNoSubmittedAt) {
  ConvertedBatch b = Ok(ConvertRest(RestKind::kReviews, R"([{"id": 1, "state": "PENDING",
      "user": {"login": "ann", "id": 5, "type": "User"}, "body": "",
      "pull_request_url": "https://api.github.com/repos/o/r/pulls/3", "commit_id": "abc"}])",
                                    Ctx()));
  ASSERT_EQ(b.reviews.size(), 1u);
  EXPECT_EQ(b.reviews[0].state, "pending");
  EXPECT_FALSE(b.reviews[0].submitted_at);
  EXPECT_EQ(b.reviews[0].pr_id, "github:acme:pr:o/r/3");
}

TEST(GithubPullsTest, PrCommitsKeepTheirOrder) {
  SEI_REQUIRE_PAYLOADS();
  ConvertContext ctx = Ctx();
  ctx.pr_id = PrId(kConn, "panjf2000/ants", 11);
  ctx.first_ordinal = 100;
  ConvertedBatch b =
      Ok(ConvertRest(RestKind::kPrCommits,
                     Payload("github_rest/pull_commits_pr11__devlake_panjf2000_ants.json"), ctx));
  ASSERT_EQ(b.pr_commits.size(), 14u);
  EXPECT_EQ(b.pr_commits[0].commit_sha, "2ce873b39ec1056ad3895a05fc46c5dfc9e76613");
  EXPECT_EQ(b.pr_commits[0].ordinal, 100);
  EXPECT_EQ(b.pr_commits[0].authored_at, T("2018-07-31T03:06:02Z"));
  EXPECT_EQ(b.pr_commits[13].commit_sha, "a03eccc794870f0a2e55a5cb8344ea47f2a0001d");
  EXPECT_EQ(b.pr_commits[13].ordinal, 113);
  for (const model::PrCommit& c : b.pr_commits) EXPECT_EQ(c.pr_id, ctx.pr_id);

  // Without the PR it belongs to, a commits page cannot be converted.
  ConvertedBatch none =
      Ok(ConvertRest(RestKind::kPrCommits,
                     Payload("github_rest/pull_commits_pr11__devlake_panjf2000_ants.json"), Ctx()));
  EXPECT_TRUE(none.pr_commits.empty());
  EXPECT_EQ(none.errors.size(), 14u);
}

TEST(GithubPullsTest, BadItemsAreReportedAndTheRestConvert) {
  const std::string page = R"([
    {"number": 1, "title": "ok", "state": "open", "created_at": "2020-01-01T00:00:00Z",
     "url": "https://api.github.com/repos/o/r/pulls/1",
     "head": {"ref": "f", "sha": "a1"}, "base": {"ref": "main", "sha": "b1"}},
    {"number": "2", "title": "bad number", "state": "open", "created_at": "2020-01-01T00:00:00Z",
     "url": "https://api.github.com/repos/o/r/pulls/2",
     "head": {"ref": "f", "sha": "a1"}, "base": {"ref": "main", "sha": "b1"}},
    {"number": 3, "title": "bad time", "state": "open", "created_at": "yesterday",
     "url": "https://api.github.com/repos/o/r/pulls/3",
     "head": {"ref": "f", "sha": "a1"}, "base": {"ref": "main", "sha": "b1"}},
    {"number": 4, "title": "no head", "state": "open", "created_at": "2020-01-01T00:00:00Z",
     "url": "https://api.github.com/repos/o/r/pulls/4", "base": {"ref": "main", "sha": "b1"}},
    17
  ])";
  ConvertedBatch b = Ok(ConvertRest(RestKind::kPulls, page, Ctx()));
  ASSERT_EQ(b.prs.size(), 1u);
  EXPECT_EQ(b.prs[0].id, "github:acme:pr:o/r/1");
  ASSERT_EQ(b.errors.size(), 4u);
  for (const Status& s : b.errors) EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(b.errors[0].message(), "pulls [1].number: must be an integer (it is a string)");
  EXPECT_NE(b.errors[1].message().find("pulls [2].created_at: must be a timestamp"),
            std::string::npos)
      << b.errors[1].message();
  EXPECT_EQ(b.errors[2].message(), "pulls [3].head: is required");
  EXPECT_EQ(b.errors[3].message(), "pulls [4]: must be an object (it is an integer)");
}

TEST(GithubPullsTest, BodiesThatAreNoPageAreRefused) {
  Result<ConvertedBatch> not_json = ConvertRest(RestKind::kPulls, "[{\"number\": 1", Ctx());
  ASSERT_FALSE(not_json.ok());
  EXPECT_EQ(not_json.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(not_json.status().message().find("pulls: the body is not valid JSON"),
            std::string::npos);
  Result<ConvertedBatch> scalar = ConvertRest(RestKind::kReviews, "42", Ctx());
  ASSERT_FALSE(scalar.ok());
  EXPECT_NE(scalar.status().message().find("reviews: the body must be a JSON array"),
            std::string::npos);
  Result<ConvertedBatch> statuses = ConvertRest(RestKind::kDeploymentStatuses, "[]", Ctx());
  EXPECT_FALSE(statuses.ok());
}

TEST(GithubPullsTest, RepoIdFromTheContextWins) {
  SEI_REQUIRE_PAYLOADS();
  ConvertContext ctx = Ctx();
  ctx.repo_id = "git:local:repo:/srv/git/ants";
  ConvertedBatch b = Ok(ConvertRest(
      RestKind::kPulls, Payload("github_rest/pulls_list__devlake_panjf2000_ants.json"), ctx));
  ASSERT_FALSE(b.prs.empty());
  for (const model::PullRequest& p : b.prs) EXPECT_EQ(p.repo_id, ctx.repo_id);
  EXPECT_EQ(b.prs[0].id.rfind("github:acme:pr:panjf2000/ants/", 0), 0u);  // ids stay GitHub's
}

}  // namespace
}  // namespace sei::collectors::github
