// Scale-out on one PostgreSQL database (issue: PostgreSQL backend and
// scale-out): two `sei serve --no-worker` and two `sei worker` processes.
// A slow GitHub sync is queued; the worker that takes it is killed with
// SIGKILL mid-job, and the other takes the job over once the lease runs
// out. Meanwhile a stream of pushes and signed webhooks goes to both
// servers, one of which is restarted; a sender retries what was not
// answered 2xx (on the other server), as sources do, and some deliveries
// are sent to both servers at once. Afterwards every accepted event is
// stored exactly once, and the sync's rows equal GitHub's.
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "model/delivery.h"
#include "model/inbox.h"
#include "model/meta.h"
#include "model/review.h"
#include "store/postgres/postgres_store.h"
#include "testing/fake_github.h"
#include "testing/pg_cluster.h"
#include "testing/sei_server.h"
#include "testing/test_util.h"

namespace sei {
namespace {

using nlohmann::json;

const std::string kKeyEnv = "SEI_SECRET_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
const std::string kHookSecret = "scale-out-hook-secret";

class ScaleOutTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string shared = testing::SharedFixturesDir();
    if (shared.empty()) GTEST_SKIP() << "../shared/fixtures not found";
    SEI_PG_CLUSTER_OR_SKIP(cluster);
    cluster_ = cluster;
    std::string why;
    url_ = cluster_->CreateDatabase(&why);
    ASSERT_FALSE(url_.empty()) << why;
    gh_ = std::make_unique<testing::FakeGithub>(shared + "/devlake-e2e/github/raw_tables");
    ASSERT_TRUE(gh_->ok());
  }
  void TearDown() override {
    servers_[0].reset();
    servers_[1].reset();
    workers_.clear();
    if (cluster_ != nullptr && !url_.empty()) cluster_->DropDatabase(url_);
  }
  std::vector<std::string> Env() const {
    return {kKeyEnv, "GH_TOKEN=ghp_faketoken123", "HOOK=" + kHookSecret};
  }
  testing::CommandResult Sei(std::vector<std::string> args) {
    std::vector<std::string> argv = {testing::BinaryDir() + "/bin/sei",
                                     "--db",
                                     url_,
                                     "--data-dir",
                                     dir_.Sub("data"),
                                     "--progress",
                                     "never"};
    argv.insert(argv.end(), args.begin(), args.end());
    return testing::RunCommand(argv, dir_.path(), Env());
  }
  std::unique_ptr<testing::SeiServer> Serve() {
    auto s = std::make_unique<testing::SeiServer>(
        url_,
        std::vector<std::string>{"--no-worker", "--no-schedule", "--webhook-secret-env",
                                 "generic=HOOK", "--poll", "0.2"},
        Env());
    EXPECT_TRUE(s->started()) << s->startup_output();
    s->set_token(token_);
    return s;
  }
  std::unique_ptr<testing::SeiProcess> Worker(const std::string& name) {
    auto w = std::make_unique<testing::SeiProcess>(
        url_,
        std::vector<std::string>{"--data-dir", dir_.Sub("data"), "worker", "--name", name,
                                 "--lease", "2", "--poll", "0.1", "--no-schedule"},
        Env());
    EXPECT_TRUE(w->started()) << w->first_line();
    return w;
  }
  std::unique_ptr<pg::PostgresStore> Store() {
    auto s = pg::PostgresStore::Open(url_);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return std::move(*s);
  }
  // The server to send to: `n`'s, or while it restarts the other's.
  testing::SeiServer* Server(int n) {
    std::lock_guard<std::mutex> l(mu_);
    return servers_[n].get();
  }

  testing::TempDir dir_;
  testing::PgCluster* cluster_ = nullptr;
  std::string url_;
  std::string token_;
  std::unique_ptr<testing::FakeGithub> gh_;
  std::mutex mu_;  // guards servers_ while one restarts
  std::unique_ptr<testing::SeiServer> servers_[2];
  std::vector<std::unique_ptr<testing::SeiProcess>> workers_;
};

json Parse(const testing::HttpReply& r) { return json::parse(r.body, nullptr, false); }

TEST_F(ScaleOutTest, AKilledWorkerAndARestartedServerLoseAndDuplicateNothing) {
  auto c = Sei({"connect", "github", "--name", "ants", "--repo", "panjf2000/ants", "--base-url",
                gh_->base_url(), "--token-env", "GH_TOKEN", "--no-mirror"});
  ASSERT_EQ(c.exit_code, 0) << c.err;
  auto hooks = Sei({"connect", "generic", "--name", "hooks", "--webhook-secret-env", "HOOK"});
  ASSERT_EQ(hooks.exit_code, 0) << hooks.err;
  auto t = Sei({"token", "create", "--role", "admin", "--name", "scale-out"});
  ASSERT_EQ(t.exit_code, 0) << t.err;
  token_ = t.out.substr(0, t.out.find_first_of("\r\n"));
  // Every per-PR answer is slow: the sync takes seconds, long enough to be
  // killed in the middle.
  for (const char* part : {"/commits", "/reviews", "/comments"}) {
    gh_->AddDelay(part, std::chrono::milliseconds(60));
  }
  servers_[0] = Serve();
  servers_[1] = Serve();
  ASSERT_TRUE(servers_[0]->started() && servers_[1]->started());
  workers_.push_back(Worker("wa"));
  workers_.push_back(Worker("wb"));

  // The stream: deployments pushed and incidents by generic webhook, to
  // alternate servers, each sent until a server answers 2xx.
  // Events go on until the job is over and the restart done (and at least
  // kMinEvents were sent).
  constexpr int kMinEvents = 40;
  std::atomic<int> sent{0};
  std::atomic<bool> stop{false};
  std::atomic<int> accepted_pushes{0}, accepted_hooks{0}, retries{0};
  auto send_until_accepted = [&](int n, bool webhook, int first) {
    const std::string id = std::to_string(n);
    for (int attempt = 0; attempt < 400; ++attempt) {
      testing::SeiServer* s = Server((first + attempt) % 2);
      testing::HttpReply r;
      if (s != nullptr && webhook) {
        r = s->Send("POST", "/webhooks/generic/hooks",
                    R"({"kind": "incident", "id": "inc-)" + id + R"(", "title": "Down )" + id +
                        R"(", "created_at": "2026-05-01T08:00:00Z"})",
                    {{"Content-Type", "application/json"},
                     {"X-Sei-Webhook-Secret", kHookSecret},
                     {"X-Sei-Delivery", "wh-" + id}});
      } else if (s != nullptr) {
        r = s->Send("POST", "/api/v1/push/deployments?connection=ci",
                    R"({"id": "dep-)" + id +
                        R"(", "environment": "production", "result": "success",
                           "started_at": "2026-05-01T08:00:00Z"})",
                    {{"Content-Type", "application/json"}});
      }
      if (r.status >= 200 && r.status < 300) return true;
      ++retries;
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    return false;
  };
  std::thread stream([&] {
    for (int n = 0; n < kMinEvents || !stop; ++n) {
      sent = n + 1;
      if (send_until_accepted(n, false, n)) ++accepted_pushes;
      if (send_until_accepted(n, true, n + 1)) ++accepted_hooks;
      if (n % 10 == 0) {
        // The same delivery to both servers at once.
        std::thread other([&, n] { send_until_accepted(n, true, n); });
        send_until_accepted(n, true, n + 1);
        other.join();
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(40));
    }
  });

  auto trigger = servers_[0]->Send("POST", "/api/v1/connections/github:ants/collect", "{}",
                                   {{"Content-Type", "application/json"}});
  ASSERT_EQ(trigger.status, 202) << trigger.body;
  const int64_t run_id = Parse(trigger)["run_id"].get<int64_t>();
  // Wait until a worker holds the job and has stored some of it, then kill
  // that worker.
  std::string holder;
  for (int i = 0; i < 300 && holder.empty(); ++i) {
    json jobs = Parse(servers_[1]->Get("/api/v1/jobs"));
    if (jobs["items"].size() == 1 && jobs["items"][0]["state"] == "running" && [&] {
          auto n = Store()->CountRows(model::SpecOf<model::PrReview>(), {});
          return n.ok() && *n > 0;
        }()) {
      holder = jobs["items"][0]["worker"].get<std::string>();
    }
    if (holder.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_FALSE(holder.empty()) << "no worker took the job";
  const int victim = holder.rfind("wa:", 0) == 0 ? 0 : 1;
  EXPECT_EQ(workers_[static_cast<size_t>(victim)]->Stop(SIGKILL), 128 + SIGKILL);

  // Restart the second server while the stream goes on.
  {
    std::unique_ptr<testing::SeiServer> old;
    {
      std::lock_guard<std::mutex> l(mu_);
      old = std::move(servers_[1]);
    }
    EXPECT_EQ(old->Stop(SIGTERM), 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    auto fresh = Serve();
    std::lock_guard<std::mutex> l(mu_);
    servers_[1] = std::move(fresh);
  }

  // The survivor takes the job over once the lease (2 s) runs out.
  json job;
  for (int i = 0; i < 1200; ++i) {
    json jobs = Parse(Server(0)->Get("/api/v1/jobs"));
    if (jobs["items"].size() == 1) job = jobs["items"][0];
    if (job.is_object() && job["state"] != "queued" && job["state"] != "running") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  stop = true;
  stream.join();
  const int kEvents = sent.load();
  ASSERT_TRUE(job.is_object());
  EXPECT_EQ(job["state"], "done") << job.dump();
  EXPECT_EQ(job["attempts"], 2) << job.dump();
  EXPECT_EQ(job["worker"].get<std::string>().substr(0, 3), victim == 0 ? "wb:" : "wa:")
      << job.dump();
  json run = Parse(Server(0)->Get("/api/v1/collection-runs/" + std::to_string(run_id)));
  EXPECT_EQ(run["status"], "complete") << run.dump();

  // Every event was accepted, and is stored once.
  EXPECT_EQ(accepted_pushes.load(), kEvents);
  EXPECT_EQ(accepted_hooks.load(), kEvents);
  auto store = Store();
  const std::vector<model::Deployment> deployments = *store->List<model::Deployment>();
  const std::vector<model::Incident> incidents = *store->List<model::Incident>();
  const std::vector<model::WebhookDelivery> deliveries = *store->List<model::WebhookDelivery>();
  std::set<std::string> dep_ids, inc_ids, delivery_ids;
  for (const auto& d : deployments) {
    if (d.connection_id == "push:ci") dep_ids.insert(d.id);
  }
  for (const auto& i : incidents) {
    if (i.connection_id == "push:hooks") inc_ids.insert(i.id);
  }
  for (const auto& d : deliveries) delivery_ids.insert(d.delivery_id);
  EXPECT_EQ(dep_ids.size(), static_cast<size_t>(kEvents));
  EXPECT_EQ(inc_ids.size(), static_cast<size_t>(kEvents));
  EXPECT_EQ(deliveries.size(), static_cast<size_t>(kEvents));
  for (int n = 0; n < kEvents; ++n) {
    EXPECT_EQ(dep_ids.count("push:ci:deployment:dep-" + std::to_string(n)), 1u) << n;
    EXPECT_EQ(inc_ids.count("push:hooks:incident:inc-" + std::to_string(n)), 1u) << n;
    EXPECT_EQ(delivery_ids.count("wh-" + std::to_string(n)), 1u) << n;
  }
  // One archived body per delivery, also for those sent to both servers at
  // once and those sent again after a server went away.
  ScanOptions hooks_raw;
  hooks_raw.where = {{"scope", model::Value{std::string("webhook")}}};
  EXPECT_EQ(*store->CountRows(model::SpecOf<model::RawPayload>(), hooks_raw), kEvents);

  // The sync's rows equal GitHub's, however often pages were fetched again.
  std::set<int64_t> raw_prs;
  for (const auto& p : gh_->Items("pull_requests")) {
    raw_prs.insert(json::parse(p)["number"].get<int64_t>());
  }
  const std::vector<model::PullRequest> prs = *store->List<model::PullRequest>();
  std::set<int64_t> numbers;
  for (const auto& p : prs) {
    if (p.connection_id == "github:ants") numbers.insert(p.number);
  }
  EXPECT_EQ(numbers, raw_prs);
  EXPECT_EQ(store->List<model::PrReview>()->size(), gh_->Items("pull_request_reviews").size());
  std::cout << "[ scale-out ] " << retries.load() << " sends retried; job " << job["id"]
            << " taken over by " << job["worker"] << "\n";
}

// A dashboard on one server hears of a push another server took at once:
// the servers poll once an hour here, so only PostgreSQL's NOTIFY can tell.
TEST_F(ScaleOutTest, LiveUpdatesReachADashboardOnAnotherServer) {
  auto t = Sei({"token", "create", "--role", "admin", "--name", "live"});
  ASSERT_EQ(t.exit_code, 0) << t.err;
  token_ = t.out.substr(0, t.out.find_first_of("\r\n"));
  auto serve = [&] {
    auto s = std::make_unique<testing::SeiServer>(url_, std::vector<std::string>{"--poll", "3600"},
                                                  Env());
    EXPECT_TRUE(s->started()) << s->startup_output();
    s->set_token(token_);
    return s;
  };
  auto watched = serve();
  auto writer = serve();
  testing::EventStream stream(*watched, "/api/v1/events", token_);
  ASSERT_TRUE(stream.ReadHead());
  ASSERT_FALSE(stream.NextData("hello").empty()) << stream.rest();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the watcher listens
  auto pushed = writer->Send("POST", "/api/v1/push/deployments?connection=ci",
                             R"({"id": "live-1", "environment": "production",
                                 "result": "success", "started_at": "2026-05-01T08:00:00Z"})",
                             {{"Content-Type", "application/json"}});
  ASSERT_EQ(pushed.status, 200) << pushed.body;
  // Skips a catch-up event of the first load (`all`, no rows) if one comes.
  json event;
  for (int i = 0; i < 5; ++i) {
    event = json::parse(stream.NextData("metrics", 15000), nullptr, false);
    if (!event.is_object() || event.value("rows_changed", 0) > 0) break;
  }
  ASSERT_TRUE(event.is_object()) << stream.rest();
  EXPECT_GE(event["rows_changed"].get<int>(), 1) << event.dump();
  EXPECT_EQ(event["scopes"][0], "org") << event.dump();
  json deps = Parse(watched->Get("/api/v1/deployments?since=2026-04-01&until=2026-06-01"));
  ASSERT_TRUE(deps["items"].is_array()) << deps.dump();
  EXPECT_EQ(deps["items"].size(), 1u) << deps.dump();
}

}  // namespace
}  // namespace sei
