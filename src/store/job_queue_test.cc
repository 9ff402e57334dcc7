// The job queue of the Store contract (store.h, "Job queue"), on SQLite and
// PostgreSQL: one active job per dedupe key, claims that never hand one job
// to two workers (also from threads racing on their own connections),
// leases that run out and are claimed again, and a worker that lost its
// lease being refused.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "store/store.h"
#include "testing/store_backends.h"

namespace sei {
namespace {

class JobQueueTest : public sei::testing::StoreBackendTest {};

model::Job CollectJob(const std::string& connection) {
  model::Job job;
  job.kind = "collect";
  job.dedupe_key = "collect:" + connection;
  job.connection_id = connection;
  job.locations = R"(["/a","/b"])";
  job.created_at = 1700000000;
  return job;
}

std::vector<model::CollectionRun> RunsFor(const std::string& connection,
                                          const std::vector<std::string>& locations) {
  std::vector<model::CollectionRun> runs;
  for (const std::string& l : locations) {
    runs.push_back({0, connection, l, 1700000000, {}, "running", 0, {}});
  }
  return runs;
}

TEST_P(JobQueueTest, EnqueueBeginsRunsAndRefusesASecondActiveJobOfOneKey) {
  auto runs = RunsFor("git:local", {"/a", "/b"});
  auto job = store()->EnqueueJob(CollectJob("git:local"), &runs);
  ASSERT_TRUE(job.ok()) << job.status().ToString();
  EXPECT_GT(job->id, 0);
  EXPECT_EQ(job->state, "queued");
  EXPECT_EQ(job->attempts, 0);
  ASSERT_GT(runs[0].id, 0);
  EXPECT_LT(runs[0].id, runs[1].id);
  EXPECT_EQ(job->run_ids,
            "[" + std::to_string(runs[0].id) + "," + std::to_string(runs[1].id) + "]");
  EXPECT_EQ(job->locations, R"(["/a","/b"])");
  auto stored_runs = *store()->List<model::CollectionRun>();
  ASSERT_EQ(stored_runs.size(), 2u);
  EXPECT_EQ(stored_runs[1].status, "running");

  // The same key again: refused, and nothing written (no runs begun).
  auto more = RunsFor("git:local", {"/c"});
  auto again = store()->EnqueueJob(CollectJob("git:local"), &more);
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  EXPECT_NE(again.status().message().find("job " + std::to_string(job->id)), std::string::npos)
      << again.status().message();
  EXPECT_EQ(store()->List<model::CollectionRun>()->size(), 2u);
  EXPECT_EQ(store()->List<model::Job>()->size(), 1u);
  // Another key is independent.
  EXPECT_TRUE(store()->EnqueueJob(CollectJob("github:acme"), nullptr).ok());
}

TEST_P(JobQueueTest, ClaimTakesTheOldestAndAFinishedKeyTakesANewJob) {
  const int64_t first = store()->EnqueueJob(CollectJob("a"), nullptr)->id;
  const int64_t second = store()->EnqueueJob(CollectJob("b"), nullptr)->id;
  auto claimed = store()->ClaimJob("w1", 1'000'000, 30'000);
  ASSERT_TRUE(claimed.ok()) << claimed.status().ToString();
  ASSERT_TRUE(claimed->has_value());
  EXPECT_EQ((*claimed)->id, first);
  EXPECT_EQ((*claimed)->state, "running");
  EXPECT_EQ((*claimed)->worker, "w1");
  EXPECT_EQ((*claimed)->lease_until_ms, 1'030'000);
  EXPECT_EQ((*claimed)->attempts, 1);
  EXPECT_EQ((*claimed)->started_at, 1000);
  EXPECT_EQ((**store()->ClaimJob("w2", 1'000'000, 30'000)).id, second);
  EXPECT_FALSE(store()->ClaimJob("w3", 1'000'000, 30'000)->has_value());

  // Running still blocks its key; finished frees it.
  EXPECT_EQ(store()->EnqueueJob(CollectJob("a"), nullptr).status().code(),
            StatusCode::kAlreadyExists);
  ASSERT_TRUE(store()->FinishJob(first, "w1", "done", {}, 1001).ok());
  auto done = *FindOne<model::Job>(*store(), "id", first);
  EXPECT_EQ(done->state, "done");
  EXPECT_EQ(done->finished_at, 1001);
  EXPECT_FALSE(done->lease_until_ms.has_value());
  EXPECT_TRUE(store()->EnqueueJob(CollectJob("a"), nullptr).ok());
  EXPECT_EQ(store()->FinishJob(second, "w2", "queued", {}, 1).code(), StatusCode::kInvalidArgument);
}

TEST_P(JobQueueTest, AnExpiredLeaseIsClaimedAgainAndTheOldWorkerIsRefused) {
  const int64_t id = store()->EnqueueJob(CollectJob("a"), nullptr)->id;
  ASSERT_TRUE((*store()->ClaimJob("dead", 1'000'000, 5'000)).has_value());
  // Renewed in time: nobody else gets it.
  ASSERT_TRUE(store()->RenewJobLease(id, "dead", 1'010'000).ok());
  EXPECT_FALSE(store()->ClaimJob("w2", 1'008'000, 5'000)->has_value());
  // Past the lease: another worker claims it, the attempt is counted, and
  // the first claim's start stays.
  auto again = store()->ClaimJob("w2", 1'010'001, 5'000);
  ASSERT_TRUE(again.ok() && again->has_value());
  EXPECT_EQ((*again)->id, id);
  EXPECT_EQ((*again)->worker, "w2");
  EXPECT_EQ((*again)->attempts, 2);
  EXPECT_EQ((*again)->started_at, 1000);
  // The worker that lost it can neither renew nor finish it.
  EXPECT_EQ(store()->RenewJobLease(id, "dead", 2'000'000).code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(store()->FinishJob(id, "dead", "done", {}, 1).code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(store()->FinishJob(id, "w2", "failed", std::string("boom"), 1011).ok());
  EXPECT_EQ((*FindOne<model::Job>(*store(), "id", id))->error, "boom");
  EXPECT_EQ(store()->RenewJobLease(id, "w2", 2'000'000).code(), StatusCode::kFailedPrecondition);
  EXPECT_FALSE(store()->ClaimJob("w3", 9'000'000, 5'000)->has_value());
}

TEST_P(JobQueueTest, ConcurrentWorkersEachClaimDifferentJobs) {
  constexpr int kJobs = 40;
  for (int i = 0; i < kJobs; ++i) {
    ASSERT_TRUE(store()->EnqueueJob(CollectJob("c" + std::to_string(i)), nullptr).ok());
  }
  std::mutex mu;
  std::multiset<int64_t> claimed;
  std::atomic<int> errors{0};
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&, w] {
      auto own = Open();
      if (!own.ok()) {
        ++errors;
        return;
      }
      const std::string name = "w" + std::to_string(w);
      for (;;) {
        auto job = (*own)->ClaimJob(name, 1'000'000, 60'000);
        if (!job.ok()) {
          ++errors;
          return;
        }
        if (!job->has_value()) return;
        {
          std::lock_guard<std::mutex> l(mu);
          claimed.insert((*job)->id);
        }
        if (!(*own)->FinishJob((*job)->id, name, "done", {}, 1).ok()) ++errors;
      }
    });
  }
  for (auto& t : workers) t.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(claimed.size(), static_cast<size_t>(kJobs));
  EXPECT_EQ(std::set<int64_t>(claimed.begin(), claimed.end()).size(),
            static_cast<size_t>(kJobs));  // no job claimed twice
  const std::vector<model::Job> jobs = *store()->List<model::Job>();
  for (const model::Job& j : jobs) EXPECT_EQ(j.state, "done") << j.id;
}

TEST_P(JobQueueTest, PollingAnEmptyQueueMovesNoDataVersion) {
  auto other = OpenAnother();
  const int64_t before = *store()->DataVersion();
  EXPECT_FALSE(other->ClaimJob("idle", 1'000'000, 1000)->has_value());
  EXPECT_FALSE(other->ClaimJob("idle", 1'000'001, 1000)->has_value());
  EXPECT_EQ(*store()->DataVersion(), before);
}

SEI_INSTANTIATE_STORE_BACKENDS(JobQueueTest);

}  // namespace
}  // namespace sei
