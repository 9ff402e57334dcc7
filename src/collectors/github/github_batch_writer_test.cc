// WriteBatch into a real store, SQLite and PostgreSQL (every case runs on
// both): idempotent re-runs, what a payload could not say kept from the
// stored row, and the same rows in both stores.
#include "collectors/github/github_batch_writer.h"

#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <set>

#include "collectors/github/github_test_util.h"
#include "testing/store_backends.h"

namespace sei::collectors::github {
namespace {

using nlohmann::json;
using namespace testing_github;  // NOLINT

class GithubBatchWriterTest : public sei::testing::StoreBackendTest {
 protected:
  template <class T>
  std::vector<T> All() {
    auto r = store()->List<T>();
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : std::vector<T>{};
  }

  void Write(const ConvertedBatch& b) {
    Status s = WriteBatch(*store(), b);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
};

SEI_INSTANTIATE_STORE_BACKENDS(GithubBatchWriterTest);

TEST_P(GithubBatchWriterTest, ReRunsUpsertTheSameRows) {
  SEI_REQUIRE_PAYLOADS();
  ConvertedBatch pulls = Ok(ConvertRest(
      RestKind::kPulls, Payload("github_rest/pulls_list__devlake_panjf2000_ants.json"), Ctx()));
  ConvertedBatch reviews =
      Ok(ConvertRest(RestKind::kReviews,
                     Payload("github_rest/pull_reviews_pr53__devlake_panjf2000_ants.json"), Ctx()));
  ConvertedBatch runs = Ok(ConvertRest(
      RestKind::kWorkflowRuns,
      Payload("github_actions/workflow_runs_list__devlake_panjf2000_ants.real_only.json"), Ctx()));
  for (int run = 0; run < 2; ++run) {
    Write(pulls);
    Write(reviews);
    Write(runs);
  }
  const std::vector<model::PullRequest> prs = All<model::PullRequest>();
  EXPECT_EQ(prs.size(), 49u);
  EXPECT_EQ(All<model::PrReview>().size(), 15u);
  EXPECT_EQ(All<model::CiPipeline>().size(), 20u);
  EXPECT_EQ(All<model::Repo>().size(), 0u);  // list pages embed no repository of their own
  std::set<std::string> account_ids;
  for (const ConvertedBatch* b : {&pulls, &reviews, &runs}) {
    for (const model::Account& a : b->accounts) account_ids.insert(a.id);
  }
  EXPECT_EQ(All<model::Account>().size(), account_ids.size());  // authors and reviewers, once
  int merged = 0;
  for (const model::PullRequest& p : prs) merged += p.state == "merged";
  EXPECT_EQ(merged, 26);
}

TEST_P(GithubBatchWriterTest, ListSyncKeepsWhatOnlyWebhooksAndSinglesSay) {
  SEI_REQUIRE_PAYLOADS();
  json hook = json::parse(Payload("github_webhooks/pull_request__closed__octokit.json"));
  hook["action"] = "ready_for_review";
  hook["pull_request"]["merged"] = true;
  hook["pull_request"]["merged_at"] = "2019-05-15T15:21:18Z";
  hook["pull_request"]["merged_by"] = hook["sender"];
  Write(Ok(ConvertWebhook("pull_request", hook.dump(), Ctx())));
  // The same PR as a list page gives it: no merged_by, no size.
  json item = hook["pull_request"];
  for (const char* key : {"merged", "merged_by", "additions", "deletions", "changed_files"}) {
    item.erase(key);
  }
  ConvertedBatch list = Ok(ConvertRest(RestKind::kPulls, "[" + item.dump() + "]", Ctx()));
  ASSERT_EQ(list.prs.size(), 1u);
  EXPECT_FALSE(list.prs[0].additions);
  Write(list);
  const std::vector<model::PullRequest> prs = All<model::PullRequest>();
  ASSERT_EQ(prs.size(), 1u);
  EXPECT_EQ(prs[0].state, "merged");
  EXPECT_EQ(prs[0].ready_at, T("2019-05-15T15:21:18Z"));
  EXPECT_EQ(prs[0].additions, 1);
  EXPECT_EQ(prs[0].deletions, 1);
  EXPECT_EQ(prs[0].changed_files, 1);
  EXPECT_EQ(prs[0].merged_by_account_id, "github:acme:account:21031067");
}

TEST_P(GithubBatchWriterTest, DeploymentResultAndAccountPersonSurvive) {
  SEI_REQUIRE_PAYLOADS();
  Write(Ok(ConvertWebhook("deployment_status",
                          Payload("github_webhooks/deployment_status__payload__octokit.json"),
                          Ctx())));
  // A PR's author, whom identity resolution then gives a person.
  const std::string opened = Payload("github_webhooks/pull_request__opened__octokit.json");
  Write(Ok(ConvertWebhook("pull_request", opened, Ctx())));
  std::vector<model::Account> accounts = All<model::Account>();
  ASSERT_EQ(accounts.size(), 1u);
  for (model::Account& a : accounts) a.person_id = "person:codertocat";
  ASSERT_TRUE(store()->Upsert(accounts).ok());
  // The same delivery again (its user object names no person), and a late
  // `deployment` webhook (no status).
  Write(Ok(ConvertWebhook("pull_request", opened, Ctx())));
  ConvertedBatch late = Ok(ConvertWebhook(
      "deployment", Payload("github_webhooks/deployment__payload__octokit.json"), Ctx()));
  ASSERT_EQ(late.deployments.size(), 1u);
  EXPECT_EQ(late.deployments[0].result, "");
  Write(late);
  const std::vector<model::Deployment> d = All<model::Deployment>();
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].result, "success");
  EXPECT_EQ(d[0].finished_at, T("2019-05-15T15:20:55Z"));
  for (const model::Account& a : All<model::Account>()) {
    EXPECT_EQ(a.person_id, "person:codertocat") << a.id;
  }
  // A deployment never given a status is in progress.
  ConvertedBatch fresh = Ok(ConvertRest(
      RestKind::kDeployments, Payload("github_rest/deployments_list__pygithub.json"), Ctx()));
  Write(fresh);
  int in_progress = 0;
  for (const model::Deployment& x : All<model::Deployment>())
    in_progress += x.result == "in_progress";
  EXPECT_EQ(in_progress, 2);
}

TEST_P(GithubBatchWriterTest, EmptyBatchWritesNothing) {
  EXPECT_TRUE(WriteBatch(*store(), ConvertedBatch{}).ok());
  EXPECT_TRUE(All<model::PullRequest>().empty());
}

// The git collector's fields of a mirrored repository (its mirror and when
// it was collected) survive the next sync's repository row; GitHub's own
// fields are GitHub's.
TEST_P(GithubBatchWriterTest, ARepositoryKeepsItsMirrorAcrossSyncs) {
  model::Repo collected;
  collected.id = "github:acme:repo:acme/api";
  collected.connection_id = "github:acme";
  collected.name = "api";
  collected.location = "https://github.com/acme/api.git";
  collected.mirror_path = "/data/mirrors/github.com-acme-api.git";
  collected.default_branch = "main";
  collected.collected_at = 1700000000;
  ASSERT_TRUE(store()->UpsertRepo(collected).ok());
  ConvertedBatch sync;
  model::Repo listed;
  listed.id = collected.id;
  listed.connection_id = collected.connection_id;
  listed.name = "acme/api";
  listed.location = "https://github.com/acme/api.git";
  listed.default_branch = "trunk";
  listed.created_at = 1500000000;
  sync.repos.push_back(listed);
  Write(sync);
  const auto repos = All<model::Repo>();
  ASSERT_EQ(repos.size(), 1u);
  EXPECT_EQ(repos[0].name, "acme/api");
  EXPECT_EQ(repos[0].default_branch, std::optional<std::string>("trunk"));
  EXPECT_EQ(repos[0].created_at, std::optional<int64_t>(1500000000));
  EXPECT_EQ(repos[0].mirror_path, collected.mirror_path);
  EXPECT_EQ(repos[0].collected_at, collected.collected_at);
}

// Every payload kind written into SQLite and into PostgreSQL leaves the
// same rows, cell for cell.
class GithubBatchParityTest : public sei::testing::StoreParityTest {};

TEST_F(GithubBatchParityTest, BothBackendsStoreTheSameRows) {
  SEI_REQUIRE_PAYLOADS();
  std::vector<ConvertedBatch> batches = {
      Ok(ConvertRest(RestKind::kPulls,
                     Payload("github_rest/pulls_list__devlake_panjf2000_ants.json"), Ctx())),
      Ok(ConvertRest(RestKind::kReviews,
                     Payload("github_rest/pull_reviews_pr53__devlake_panjf2000_ants.json"), Ctx())),
      Ok(ConvertRest(
          RestKind::kWorkflowRuns,
          Payload("github_actions/workflow_runs_list__devlake_panjf2000_ants.real_only.json"),
          Ctx())),
      Ok(ConvertRest(RestKind::kDeployments, Payload("github_rest/deployments_list__pygithub.json"),
                     Ctx())),
      Ok(ConvertWebhook("pull_request",
                        Payload("github_webhooks/pull_request__opened__octokit.json"), Ctx())),
      Ok(ConvertWebhook("deployment_status",
                        Payload("github_webhooks/deployment_status__payload__octokit.json"),
                        Ctx())),
  };
  for (Store* store : both()) {
    for (int run = 0; run < 2; ++run) {
      for (const ConvertedBatch& b : batches) {
        Status s = WriteBatch(*store, b);
        ASSERT_TRUE(s.ok()) << store->Describe() << ": " << s.ToString();
      }
    }
  }
  EXPECT_GT(sei::testing::ExpectSameRows(*sqlite(), *postgres()), 100);
}

}  // namespace
}  // namespace sei::collectors::github
