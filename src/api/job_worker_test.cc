// JobWorker on a real SQLite store: a dead worker's job is taken over once
// its lease runs out (only the runs it left unfinished are collected
// again), a job whose workers keep dying fails, a worker that lost its lease
// stops without touching the new holder's runs, and a malformed job fails
// with a message saying what was wrong.
#include "api/job_worker.h"

#include <gtest/gtest.h>

#include <atomic>

#include "common/clock.h"
#include "store/sqlite/sqlite_store.h"
#include "testing/test_util.h"

namespace sei::api {
namespace {

// Records what it collects and finishes the run complete; with `block`, it
// waits until cancelled first (and finishes nothing).
class RecordingCollector : public RepoCollector {
 public:
  explicit RecordingCollector(bool block = false) : block_(block) {}
  bool Collects(const std::string& id) const override { return id == "git:local"; }
  Result<std::vector<std::string>> DefaultLocations(Store&, const std::string&) override {
    return std::vector<std::string>{};
  }
  Status Collect(Store& store, const CollectJob& job) override {
    {
      std::lock_guard<std::mutex> l(mu_);
      seen_.push_back(job.location);
    }
    if (block_) {
      while (!job.cancel->load()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
      ++returned_;
      return CancelledError("cancelled");
    }
    return store.FinishRun(job.run_id, "complete", 1, {}, 1);
  }
  int returned() const { return returned_.load(); }
  std::vector<std::string> seen() {
    std::lock_guard<std::mutex> l(mu_);
    return seen_;
  }

 private:
  bool block_;
  std::atomic<int> returned_{0};
  std::mutex mu_;
  std::vector<std::string> seen_;
};

class JobWorkerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = sqlite::SqliteStore::Open(dir_.Sub("sei.db"));
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
  }
  StoreOpener Opener() {
    return [this]() -> Result<std::unique_ptr<Store>> {
      SEI_ASSIGN_OR_RETURN(auto s, sqlite::SqliteStore::Open(dir_.Sub("sei.db")));
      return std::unique_ptr<Store>(std::move(s));
    };
  }
  // A job collecting `locations` of git:local, with its runs begun.
  model::Job Enqueue(const std::vector<std::string>& locations,
                     const std::string& locations_json = "") {
    model::Job job;
    job.kind = "collect";
    job.dedupe_key = "collect:git:local";
    job.connection_id = "git:local";
    job.locations = locations_json;
    if (job.locations.empty()) {
      job.locations = "[";
      for (size_t i = 0; i < locations.size(); ++i) {
        job.locations += (i ? ",\"" : "\"") + locations[i] + "\"";
      }
      job.locations += "]";
    }
    job.created_at = 1;
    std::vector<model::CollectionRun> runs;
    for (const auto& l : locations) runs.push_back({0, "git:local", l, 1, {}, "running", 0, {}});
    auto queued = store_->EnqueueJob(job, &runs);
    EXPECT_TRUE(queued.ok()) << queued.status().ToString();
    return queued.ok() ? *queued : model::Job{};
  }
  model::Job JobNow(int64_t id) { return **FindOne<model::Job>(*store_, "id", id); }
  std::string RunStatus(int64_t id) {
    return (*FindOne<model::CollectionRun>(*store_, "id", id))->status;
  }
  std::vector<int64_t> RunIds() {
    std::vector<int64_t> ids;
    const std::vector<model::CollectionRun> runs = *store_->List<model::CollectionRun>();
    for (const auto& r : runs) ids.push_back(r.id);
    return ids;
  }
  JobWorkerOptions Options(const std::string& name, int64_t lease_ms = 30000) {
    JobWorkerOptions o;
    o.name = name;
    o.poll = std::chrono::milliseconds(10);
    o.lease = std::chrono::milliseconds(lease_ms);
    return o;
  }
  static bool Eventually(const std::function<bool()>& done) {
    for (int i = 0; i < 1000; ++i) {
      if (done()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return done();
  }

  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(JobWorkerTest, ADeadWorkersJobIsTakenOverAndOnlyItsUnfinishedRunsCollected) {
  const model::Job job = Enqueue({"/a", "/b"});
  const int64_t now = SystemClock::Get().NowUnixMillis();
  // A worker claims it for 150 ms, finishes /a, and dies.
  ASSERT_TRUE((*store_->ClaimJob("dead:0", now, 150)).has_value());
  const std::vector<int64_t> runs = RunIds();
  ASSERT_TRUE(store_->FinishRun(runs[0], "complete", 5, {}, 2).ok());
  RecordingCollector collector;
  JobWorker worker(Opener(), &collector, SystemClock::Get(), Options("alive"));
  worker.Start();
  ASSERT_TRUE(Eventually([&] { return JobNow(job.id).state == "done"; })) << JobNow(job.id).state;
  worker.Stop();
  EXPECT_EQ(collector.seen(), std::vector<std::string>{"/b"});
  EXPECT_EQ(JobNow(job.id).worker, "alive:0");
  EXPECT_EQ(JobNow(job.id).attempts, 2);
  EXPECT_EQ(RunStatus(runs[0]), "complete");
  EXPECT_EQ(RunStatus(runs[1]), "complete");
  EXPECT_EQ(worker.jobs_finished(), 1);
}

TEST_F(JobWorkerTest, AJobWhoseWorkersKeepDyingFailsWithItsRuns) {
  const model::Job job = Enqueue({"/a"});
  int64_t now = SystemClock::Get().NowUnixMillis() - 1000;  // their leases ran out since
  for (int i = 0; i < 3; ++i) {                             // three workers claim it and die
    ASSERT_TRUE((*store_->ClaimJob("dead:" + std::to_string(i), now, 1)).has_value());
    now += 10;
  }
  RecordingCollector collector;
  JobWorker worker(Opener(), &collector, SystemClock::Get(), Options("w"));
  auto own = Opener()();
  ASSERT_TRUE(own.ok());
  EXPECT_TRUE(*worker.RunOnce(**own, "w:0"));
  EXPECT_TRUE(collector.seen().empty());
  const model::Job failed = JobNow(job.id);
  EXPECT_EQ(failed.state, "failed");
  EXPECT_EQ(failed.attempts, 4);
  ASSERT_TRUE(failed.error.has_value());
  EXPECT_NE(failed.error->find("claimed 4 times"), std::string::npos) << *failed.error;
  EXPECT_EQ(RunStatus(RunIds()[0]), "failed");
  EXPECT_FALSE(*worker.RunOnce(**own, "w:0"));  // nothing left
}

TEST_F(JobWorkerTest, AWorkerThatLostItsLeaseStopsAndLeavesTheRunsToTheNewHolder) {
  const model::Job job = Enqueue({"/a", "/b"});
  RecordingCollector blocking(/*block=*/true);
  JobWorker stalled(Opener(), &blocking, SystemClock::Get(), Options("stalled", 300));
  stalled.Start();
  ASSERT_TRUE(Eventually([&] { return blocking.seen().size() == 1; }));
  // Another worker whose clock runs far ahead sees the lease as run out and
  // takes the job: the stalled worker's next heartbeat is refused.
  auto thief = store_->ClaimJob("thief:0", SystemClock::Get().NowUnixMillis() + 3'600'000, 60'000);
  ASSERT_TRUE(thief.ok() && thief->has_value());
  // Cancelled by the refused heartbeat, not by Stop.
  ASSERT_TRUE(Eventually([&] { return blocking.returned() == 1; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  stalled.Stop();
  EXPECT_EQ(stalled.jobs_finished(), 0);
  EXPECT_EQ(blocking.seen(), std::vector<std::string>{"/a"});  // stopped, /b not begun
  const model::Job now = JobNow(job.id);
  EXPECT_EQ(now.state, "running");
  EXPECT_EQ(now.worker, "thief:0");
  for (int64_t run : RunIds()) EXPECT_EQ(RunStatus(run), "running") << run;
}

TEST_F(JobWorkerTest, AMalformedJobFailsSayingWhatIsWrong) {
  const model::Job job = Enqueue({"/a"}, "{not json");
  RecordingCollector collector;
  JobWorker worker(Opener(), &collector, SystemClock::Get(), Options("w"));
  auto own = Opener()();
  ASSERT_TRUE(own.ok());
  EXPECT_TRUE(*worker.RunOnce(**own, "w:0"));
  const model::Job failed = JobNow(job.id);
  EXPECT_EQ(failed.state, "failed");
  ASSERT_TRUE(failed.error.has_value());
  EXPECT_NE(failed.error->find("malformed locations"), std::string::npos) << *failed.error;
  EXPECT_EQ(RunStatus(RunIds()[0]), "failed");
  EXPECT_TRUE(collector.seen().empty());
}

}  // namespace
}  // namespace sei::api
