#include "api/collection_runner.h"

#include "api/job_worker.h"

#include <gtest/gtest.h>

#include <condition_variable>

#include "common/clock.h"
#include "store/sqlite/sqlite_store.h"
#include "testing/test_util.h"

namespace sei::api {
namespace {

// Collects nothing; holds each collection until released, then finishes
// its run complete (or interrupted when cancelled).
class GatedCollector : public RepoCollector {
 public:
  bool Collects(const std::string& id) const override { return id == "git:local"; }
  Result<std::vector<std::string>> DefaultLocations(Store&, const std::string&) override {
    return std::vector<std::string>{"/default"};
  }
  Status Collect(Store& store, const CollectJob& job) override {
    std::unique_lock<std::mutex> l(mu_);
    // Cancel is an atomic flag nobody notifies about: look again often.
    while (!cv_.wait_for(l, std::chrono::milliseconds(5),
                         [&] { return open_ || job.cancel->load(); })) {
    }
    seen_.push_back(job.location);
    return store.FinishRun(job.run_id, job.cancel->load() ? "interrupted" : "complete", 1, {}, 1);
  }
  void Open() {
    std::lock_guard<std::mutex> l(mu_);
    open_ = true;
    cv_.notify_all();
  }
  std::vector<std::string> seen() {
    std::lock_guard<std::mutex> l(mu_);
    return seen_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
  std::vector<std::string> seen_;
};

class CollectionRunnerTest : public ::testing::Test {
 protected:
  StoreOpener Opener() {
    return [this]() -> Result<std::unique_ptr<Store>> {
      SEI_ASSIGN_OR_RETURN(auto s, sqlite::SqliteStore::Open(dir_.Sub("sei.db")));
      return std::unique_ptr<Store>(std::move(s));
    };
  }
  std::unique_ptr<Store> Open() {
    auto s = Opener()();
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return std::move(*s);
  }
  std::vector<model::CollectionRun> Runs() { return *Open()->List<model::CollectionRun>(); }
  std::vector<model::Job> Jobs() { return *Open()->List<model::Job>(); }
  JobWorkerOptions FastWorker() {
    JobWorkerOptions o;
    o.name = "test";
    o.poll = std::chrono::milliseconds(20);
    return o;
  }
  testing::TempDir dir_;
};

TEST_F(CollectionRunnerTest, OneCollectionPerConnectionAtATime) {
  GatedCollector collector;
  JobWorker worker(Opener(), &collector, SystemClock::Get(), FastWorker());
  worker.Start();
  CollectionRunner runner(&collector, &worker);
  std::unique_ptr<Store> store = Open();
  auto runs = runner.Start(*store, "git:local", {"/a", "/b"});
  ASSERT_TRUE(runs.ok()) << runs.status().ToString();
  ASSERT_EQ(runs->size(), 2u);
  EXPECT_EQ((*runs)[0].status, "running");
  EXPECT_LT((*runs)[0].id, (*runs)[1].id);
  // Begun before the answer: both rows are there, running.
  ASSERT_EQ(Runs().size(), 2u);
  EXPECT_EQ(Runs()[1].status, "running");
  auto second = runner.Start(*store, "git:local", {"/c"});
  EXPECT_EQ(second.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(Runs().size(), 2u);  // the refused trigger began nothing
  EXPECT_TRUE(*runner.Busy(*store, "git:local"));
  EXPECT_FALSE(*runner.Busy(*store, "github:other"));
  // A runner of another process (no worker of its own) sees the same.
  CollectionRunner elsewhere(&collector, nullptr);
  EXPECT_EQ(elsewhere.Start(*store, "git:local", {"/d"}).status().code(),
            StatusCode::kFailedPrecondition);
  collector.Open();
  for (int i = 0; i < 200 && (Runs()[1].status == "running"); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(Runs()[0].status, "complete");
  EXPECT_EQ(Runs()[1].status, "complete");
  EXPECT_EQ(collector.seen(), (std::vector<std::string>{"/a", "/b"}));
  for (int i = 0; i < 200 && Jobs()[0].state == "running"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(Jobs()[0].state, "done");
  EXPECT_EQ(Jobs()[0].worker, "test:0");
  // Finished: the connection takes a new trigger at once.
  ASSERT_TRUE(runner.Start(*store, "git:local", {"/c"}).ok());
  for (int i = 0; i < 500 && collector.seen().size() < 3; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  runner.Stop();
  EXPECT_EQ(collector.seen().size(), 3u);
  EXPECT_EQ(Runs()[2].status, "complete");
}

TEST_F(CollectionRunnerTest, StopInterruptsAndRefusesNewTriggers) {
  GatedCollector collector;
  JobWorker worker(Opener(), &collector, SystemClock::Get(), FastWorker());
  worker.Start();
  CollectionRunner runner(&collector, &worker);
  std::unique_ptr<Store> store = Open();
  ASSERT_TRUE(runner.Start(*store, "git:local", {"/a", "/b"}).ok());
  for (int i = 0; i < 500 && Jobs()[0].state != "running"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  runner.Stop();
  EXPECT_EQ(Runs()[0].status, "interrupted");
  EXPECT_EQ(Runs()[1].status, "interrupted");  // never started: ends with the job
  EXPECT_EQ(Jobs()[0].state, "interrupted");
  // /a was being collected (or about to be); /b never began.
  EXPECT_LE(collector.seen().size(), 1u);
  EXPECT_EQ(runner.Start(*store, "git:local", {"/b"}).status().code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace sei::api
