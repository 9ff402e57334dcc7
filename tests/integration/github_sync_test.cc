// `sei connect github` + `sei sync` through the real binary against a fake
// GitHub (tests/testing/fake_github.h) replaying DevLake's raw rows of
// panjf2000/ants with real Link paging: the synced rows equal the raw data,
// a re-run is idempotent and incremental, and faults (502 bursts, a
// malformed page, a rate limit) end in the right rows or a clear error
// from which the next run completes.
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <set>

#include "model/delivery.h"
#include "model/meta.h"
#include "model/review.h"
#include "model/work.h"
#include "store/sqlite/sqlite_store.h"
#include "testing/fake_github.h"
#include "testing/test_util.h"

namespace sei {
namespace {

using nlohmann::json;

const std::string kKeyEnv = "SEI_SECRET_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

class GithubSyncTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string shared = testing::SharedFixturesDir();
    if (shared.empty()) GTEST_SKIP() << "../shared/fixtures not found";
    gh_ = std::make_unique<testing::FakeGithub>(shared + "/devlake-e2e/github/raw_tables");
    ASSERT_TRUE(gh_->ok());
    auto c = Sei({"connect", "github", "--name", "ants", "--repo", "panjf2000/ants", "--base-url",
                  gh_->base_url(), "--token-env", "GH_TOKEN"});
    ASSERT_EQ(c.exit_code, 0) << c.err;
  }
  testing::CommandResult Sei(std::vector<std::string> args) {
    std::vector<std::string> argv = {testing::BinaryDir() + "/bin/sei", "--db", dir_.Sub("sei.db"),
                                     "--progress", "never"};
    argv.insert(argv.end(), args.begin(), args.end());
    return testing::RunCommand(argv, dir_.path(), {kKeyEnv, "GH_TOKEN=ghp_faketoken123"});
  }
  std::unique_ptr<sqlite::SqliteStore> Store() {
    auto s = sqlite::SqliteStore::Open(dir_.Sub("sei.db"));
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return std::move(*s);
  }
  // The raw items of `table`, parsed.
  std::vector<json> Raw(const std::string& table) {
    std::vector<json> out;
    for (const auto& s : gh_->Items(table)) out.push_back(json::parse(s));
    return out;
  }
  size_t Requests(const std::string& part, size_t from = 0) {
    size_t n = 0;
    const auto all = gh_->requests();
    for (size_t i = from; i < all.size(); ++i) n += all[i].target.find(part) != std::string::npos;
    return n;
  }
  // The stored rows match DevLake's raw rows of connection 1.
  void ExpectRowsEqualRawData() {
    auto store = Store();
    const auto prs = *store->List<model::PullRequest>();
    const auto raw_prs = Raw("pull_requests");
    ASSERT_EQ(prs.size(), raw_prs.size());
    std::set<int64_t> merged;
    for (const auto& p : raw_prs) {
      if (!p["merged_at"].is_null()) merged.insert(p["number"].get<int64_t>());
    }
    for (const auto& p : prs) {
      EXPECT_EQ(p.state == "merged", merged.count(p.number) > 0) << p.id;
      if (p.state == "merged") {
        EXPECT_TRUE(p.merge_sha.has_value()) << p.id;
      }
    }
    EXPECT_EQ(store->List<model::PrReview>()->size(), Raw("pull_request_reviews").size());
    std::set<std::pair<int64_t, std::string>> commits;
    for (size_t i = 0; i < gh_->Items("pull_request_commits").size(); ++i) {
      const int64_t number =
          json::parse(gh_->Inputs("pull_request_commits")[i])["Number"].get<int64_t>();
      const std::string sha =
          json::parse(gh_->Items("pull_request_commits")[i])["sha"].get<std::string>();
      commits.insert(std::make_pair(number, sha));
    }
    EXPECT_EQ(store->List<model::PrCommit>()->size(), commits.size());
    EXPECT_EQ(store->List<model::CiPipeline>()->size(), Raw("runs").size());  // with the made ones
    EXPECT_EQ(store->List<model::CiJob>()->size(), Raw("jobs").size());
  }

  testing::TempDir dir_;
  std::unique_ptr<testing::FakeGithub> gh_;
};

TEST_F(GithubSyncTest, SyncsTheRawDataWithPagingAndAgainIncrementally) {
  auto r = Sei({"sync"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_NE(r.out.find("github:ants: 1 repositories"), std::string::npos) << r.out;
  ExpectRowsEqualRawData();
  // 49 PRs at 20 a page: three pages followed through the Link headers.
  EXPECT_EQ(Requests("/pulls?"), 3u);
  EXPECT_GE(Requests("page=3"), 1u);
  for (const auto& q : gh_->requests()) {
    EXPECT_EQ(q.Header("authorization"), "Bearer ghp_faketoken123") << q.target;
  }
  EXPECT_EQ(r.out.find("ghp_faketoken123"), std::string::npos);
  EXPECT_EQ(r.err.find("ghp_faketoken123"), std::string::npos);
  // Every page was archived before it was converted.
  EXPECT_GE(Store()->List<model::RawPayload>()->size(), gh_->requests().size());

  // Again: the same rows, and nothing older than the last sync is asked for.
  const size_t before = gh_->requests().size();
  auto again = Sei({"sync", "github:ants"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  ExpectRowsEqualRawData();
  EXPECT_EQ(Requests("/reviews", before), 0u);  // no PR changed since
  EXPECT_EQ(Requests("/pulls?", before), 1u);   // the first page showed nothing newer
  EXPECT_GE(Requests("since=", before), 1u);
  auto runs = *Store()->List<model::CollectionRun>();
  ASSERT_GE(runs.size(), 2u);
  EXPECT_EQ(runs.back().status, "complete");
}

TEST_F(GithubSyncTest, FaultsEndInAClearErrorAndTheNextRunCompletes) {
  testing::FakeResponse bad = testing::FakeResponse::Json(502, R"({"message":"Server Error"})");
  gh_->AddFault({"/pulls?", 2, bad});  // retried
  gh_->AddFault({"/issues?", 1, testing::FakeResponse::Json(200, "[{\"number\": 1,")});
  auto r = Sei({"sync"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("issues"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("127.0.0.1"), std::string::npos) << r.err;  // names the URL
  // What was synced before the bad page stays, whole.
  EXPECT_EQ(Store()->List<model::PullRequest>()->size(), Raw("pull_requests").size());
  auto runs = *Store()->List<model::CollectionRun>();
  ASSERT_FALSE(runs.empty());
  EXPECT_EQ(runs.back().status, "failed");
  EXPECT_TRUE(runs.back().error.has_value());

  const size_t before = gh_->requests().size();
  auto again = Sei({"sync"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  ExpectRowsEqualRawData();
  EXPECT_EQ(Requests("/reviews", before), 0u);  // the PRs were not fetched again
}

TEST_F(GithubSyncTest, ARateLimitIsWaitedOut) {
  const int64_t reset = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count() +
                        2;
  testing::FakeResponse limited =
      testing::FakeResponse::Json(403, R"({"message":"API rate limit exceeded"})");
  limited.WithHeader("X-RateLimit-Remaining", "0");
  limited.WithHeader("X-RateLimit-Reset", std::to_string(reset));
  gh_->AddFault({"/actions/runs?", 1, limited});
  const auto t0 = std::chrono::steady_clock::now();
  auto r = Sei({"sync"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_GE(std::chrono::steady_clock::now() - t0, std::chrono::seconds(1));
  ExpectRowsEqualRawData();
}

}  // namespace
}  // namespace sei
