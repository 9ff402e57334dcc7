// `sei serve` as a client meets it: the real binary on port 0 against a real
// SQLite demo store, spoken to over HTTP. The metrics it answers equal the
// command line's; every route of the OpenAPI document answers and every
// answering route is in it; lists page without gaps or repeats; bad input,
// oversized bodies and slow clients get clear refusals; SIGTERM lets a
// request in flight finish.
#include <gtest/gtest.h>

#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>
#include <map>

#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>
#include <tuple>

#include "api/gzip.h"
#include "net/webhook_signature.h"
#include "testing/sei_server.h"
#include "testing/test_util.h"

namespace sei {
namespace {

using nlohmann::json;
using testing::HttpReply;
using testing::SeiServer;

constexpr const char* kRange = "since=2026-06-01&until=2026-12-01";

class ServeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    auto demo = Sei({"demo", "--size", "0.2"});
    ASSERT_EQ(demo.exit_code, 0) << demo.err;
    server_ =
        new SeiServer(dir_->Sub("demo.db"),
                      {"--request-timeout", "1", "--max-body-kib", "64", "--webhook-secret-env",
                       "generic=SEI_TEST_HOOK", "--webhook-secret-env", "github=SEI_TEST_HOOK",
                       "--poll", "0.2", "--token-cache", "0"},
                      {"SEI_TEST_HOOK=s3cret"});
    ASSERT_TRUE(server_->started()) << server_->startup_output();
    server_->set_token(Token("admin"));
  }
  // A new token of `role`, as `sei token create` prints it: alone on stdout.
  static std::string Token(const std::string& role) {
    auto t = Sei({"token", "create", "--role", role, "--name", "serve-test-" + role});
    EXPECT_EQ(t.exit_code, 0) << t.err;
    std::string tok = t.out;
    while (!tok.empty() && (tok.back() == '\n' || tok.back() == '\r')) tok.pop_back();
    return tok;
  }
  static void TearDownTestSuite() {
    delete server_;
    delete dir_;
  }
  static testing::CommandResult Sei(std::vector<std::string> args) {
    std::vector<std::string> argv = {testing::BinaryDir() + "/bin/sei", "--db",
                                     dir_->Sub("demo.db"), "--progress", "never"};
    argv.insert(argv.end(), args.begin(), args.end());
    return testing::RunCommand(argv, dir_->path());
  }
  static json Json(const HttpReply& r) { return json::parse(r.body, nullptr, false); }

  static testing::TempDir* dir_;
  static SeiServer* server_;
};
testing::TempDir* ServeTest::dir_ = nullptr;
SeiServer* ServeTest::server_ = nullptr;

TEST_F(ServeTest, HealthAndReadiness) {
  EXPECT_EQ(server_->Get("/healthz").status, 200);
  HttpReply r = server_->Get("/readyz");
  ASSERT_EQ(r.status, 200) << r.body;
  json j = Json(r);
  EXPECT_TRUE(j["ready"].get<bool>());
  EXPECT_TRUE(j["checks"]["migrations"]["ok"].get<bool>());
}

TEST_F(ServeTest, MetricsEqualTheCommandLine) {
  for (const std::string family : {"dora", "pr", "flow"}) {
    HttpReply r = server_->Get("/api/v1/metrics/" + family + "?team=payments&" + kRange);
    ASSERT_EQ(r.status, 200) << family << ": " << r.body;
    auto cli = Sei({"metrics", family, "--team", "payments", "--since", "2026-06-01", "--until",
                    "2026-12-01", "--format", "json"});
    ASSERT_EQ(cli.exit_code, 0) << cli.err;
    json api = Json(r), want = json::parse(cli.out);
    EXPECT_EQ(api["metrics"], want["metrics"]) << family;
    EXPECT_EQ(api["scope"], "team:payments");
    EXPECT_GE(api["data"]["generation"].get<int>(), 1);
    ASSERT_FALSE(api["metrics"].empty());
    EXPECT_TRUE(api["metrics"][0].contains("version"));
    EXPECT_TRUE(api["metrics"][0].contains("completeness"));
  }
}

// Asking for one metric gives the value the whole family gives for it.
TEST_F(ServeTest, OneMetricEqualsItsValueInTheWholeFamily) {
  const std::string base = std::string("/api/v1/metrics/flow?") + kRange;
  json all = Json(server_->Get(base));
  ASSERT_TRUE(all.contains("metrics")) << all.dump().substr(0, 300);
  size_t checked = 0;
  for (const auto& m : all["metrics"]) {
    const std::string key = m["key"];
    json one = Json(server_->Get(base + "&metric=" + key));
    json found;  // a key that is also a group ("flow.throughput") brings its members too
    for (const auto& o : one["metrics"]) {
      if (o["key"] == key) found = o;
    }
    EXPECT_EQ(found, m) << key;  // value, parts, sample, completeness, series
    ++checked;
  }
  EXPECT_GE(checked, 5u);
}

TEST_F(ServeTest, ReviewPairsSayWhoReviewsWhom) {
  json org = Json(server_->Get(std::string("/api/v1/review-pairs?") + kRange));
  ASSERT_TRUE(org.contains("pairs")) << org.dump().substr(0, 300);
  ASSERT_FALSE(org["pairs"].empty());
  int64_t sum = 0, last = INT64_MAX;
  for (const auto& p : org["pairs"]) {
    EXPECT_NE(p["reviewer"]["id"], p["author"]["id"]);  // no self-reviews
    EXPECT_LE(p["reviews"].get<int64_t>(), last);       // most reviews first
    EXPECT_LE(p["prs"].get<int64_t>(), p["reviews"].get<int64_t>());
    last = p["reviews"];
    sum += last;
  }
  EXPECT_EQ(sum, org["reviews"].get<int64_t>());
  json team = Json(server_->Get(std::string("/api/v1/review-pairs?team=payments&") + kRange));
  EXPECT_GT(team["reviews"].get<int64_t>(), 0);
  EXPECT_LT(team["reviews"].get<int64_t>(), org["reviews"].get<int64_t>());  // a part of it
  // The same reviews as the review-load metric: its total and its per-reviewer parts.
  for (const std::string& q : {std::string(), std::string("team=payments&")}) {
    json pairs = Json(server_->Get("/api/v1/review-pairs?" + q + kRange));
    json load = Json(server_->Get("/api/v1/metrics/pr?" + q + "metric=pr.review_load&" + kRange));
    ASSERT_EQ(load["metrics"].size(), 1u) << load.dump().substr(0, 300);
    EXPECT_EQ(pairs["reviews"].get<double>(), load["metrics"][0]["value"].get<double>()) << q;
    std::map<std::string, double> by_reviewer;
    for (const auto& p : pairs["pairs"]) {
      by_reviewer[p["reviewer"]["name"].get<std::string>()] += p["reviews"].get<double>();
    }
    ASSERT_FALSE(load["metrics"][0]["parts"].empty());
    for (const auto& part : load["metrics"][0]["parts"]) {
      EXPECT_EQ(by_reviewer[part["key"].get<std::string>()], part["value"].get<double>())
          << q << part["key"];
    }
  }
  EXPECT_EQ(server_
                ->Get("/api/v1/review-pairs?team=payments",
                      {{"Authorization", "Bearer " + Token("viewer")}})
                .status,
            403);
  EXPECT_EQ(server_->Get("/api/v1/review-pairs?since=yesterday-ish").status, 400);
}

TEST_F(ServeTest, DrillRowsComeBackOnRequest) {
  json plain =
      Json(server_->Get(std::string("/api/v1/metrics/dora?metric=dora.lead_time&") + kRange));
  json drill = Json(
      server_->Get(std::string("/api/v1/metrics/dora?metric=dora.lead_time&drill=true&") + kRange));
  ASSERT_EQ(drill["metrics"].size(), 1u) << drill.dump();
  EXPECT_FALSE(plain["metrics"][0].contains("rows") && !plain["metrics"][0]["rows"].empty());
  ASSERT_TRUE(drill["metrics"][0].contains("rows"));
  EXPECT_EQ(drill["metrics"][0]["rows"].size(),
            drill["metrics"][0]["distribution"]["n"].get<size_t>());
}

TEST_F(ServeTest, EveryDocumentedRouteAnswersAndEveryRouteIsDocumented) {
  json doc = Json(server_->Get("/api/v1/openapi.json"));
  ASSERT_EQ(doc["openapi"], "3.0.3");
  // Every schema a route refers to is in the document.
  const std::string text = doc.dump();
  const std::string ref = "#/components/schemas/";
  for (size_t at = text.find(ref); at != std::string::npos; at = text.find(ref, at + 1)) {
    const size_t end = text.find('"', at);
    const std::string name = text.substr(at + ref.size(), end - at - ref.size());
    EXPECT_TRUE(doc["components"]["schemas"].contains(name)) << "dangling $ref " << name;
  }
  size_t checked = 0;
  for (const auto& [path, ops] : doc["paths"].items()) {
    std::string target = path;
    for (const auto& [param, value] : {std::pair<std::string, std::string>{"{family}", "dora"},
                                       {"{id}", "x-1"},
                                       {"{person}", "p-1"}}) {
      const size_t brace = target.find(param);
      if (brace != std::string::npos) target.replace(brace, param.size(), value);
    }
    ASSERT_EQ(target.find('{'), std::string::npos) << "untested parameter in " << path;
    for (const auto& [method, op] : ops.items()) {
      if (method != "get") continue;
      if (path == "/api/v1/events") continue;  // a stream: LiveUpdates* test it

      HttpReply r = server_->Get(target);
      // A 404 must be of the entity ("no connection 'x-1'"), not of the route.
      EXPECT_FALSE(r.status == 404 && r.body.find("no route") != std::string::npos) << path;
      EXPECT_NE(r.status, 405) << path;
      const std::string want = r.status == 200 ? "200" : std::to_string(r.status);
      EXPECT_TRUE(op["responses"].contains(want)) << path << " answered " << r.status;
      ++checked;
    }
  }
  EXPECT_GE(checked, 14u);
  // An undocumented API path is not served.
  EXPECT_EQ(server_->Get("/api/v1/not-a-route").status, 404);
  HttpReply wrong = server_->Send("DELETE", "/api/v1/teams", "");
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(wrong.headers["allow"], "GET, POST");
}

TEST_F(ServeTest, ListsPageWithoutGapsOrRepeats) {
  std::set<std::string> seen;
  std::string cursor;
  size_t total = 0, pages = 0;
  std::string last_at;
  do {
    std::string target = std::string("/api/v1/deployments?production=true&limit=37&sort=at&") +
                         kRange + (cursor.empty() ? "" : "&cursor=" + cursor);
    HttpReply r = server_->Get(target);
    ASSERT_EQ(r.status, 200) << r.body;
    json j = Json(r);
    total = j["total"].get<size_t>();
    for (const auto& d : j["items"]) {
      EXPECT_TRUE(d["production"].get<bool>());
      EXPECT_TRUE(seen.insert(d["id"].get<std::string>()).second) << "repeated " << d["id"];
      const std::string at = d["finished_at"].is_null() ? d["started_at"].get<std::string>()
                                                        : d["finished_at"].get<std::string>();
      EXPECT_LE(last_at, at);  // ascending
      last_at = at;
    }
    cursor = j["next_cursor"].is_null() ? "" : j["next_cursor"].get<std::string>();
    ++pages;
  } while (!cursor.empty() && pages < 1000);
  EXPECT_GT(total, 37u);
  EXPECT_EQ(seen.size(), total);
  // The DORA count over the same range rests on the same deployments.
  json dora = Json(
      server_->Get(std::string("/api/v1/metrics/dora?metric=dora.deployment_frequency&") + kRange));
  EXPECT_EQ(dora["metrics"][0]["completeness"]["total"].get<size_t>(), total);
}

TEST_F(ServeTest, BadParametersAreAllListed) {
  HttpReply r = server_->Get("/api/v1/pull-requests?limit=0&sort=nope&state=weird&colour=red");
  ASSERT_EQ(r.status, 400);
  json j = Json(r);
  std::set<std::string> fields;
  for (const auto& d : j["error"]["details"]) fields.insert(d["field"].get<std::string>());
  EXPECT_EQ(fields, (std::set<std::string>{"limit", "sort", "state", "colour"}));
  HttpReply since = server_->Get("/api/v1/metrics/dora?since=yesterday");
  EXPECT_EQ(since.status, 400);
  EXPECT_NE(since.body.find("since"), std::string::npos);
  EXPECT_EQ(server_->Get("/api/v1/metrics/dora?team=nobody").status, 404);
  EXPECT_EQ(server_->Get("/api/v1/metrics/nosuch").status, 404);
  EXPECT_EQ(server_->Get("/api/v1/metrics/dora?drill=maybe").status, 400);
}

TEST_F(ServeTest, LargeAnswersAreGzippedWhenAsked) {
  const std::string target = std::string("/api/v1/metrics/pr?") + kRange;
  HttpReply plain = server_->Get(target);
  HttpReply gz = server_->Get(target, {{"Accept-Encoding", "gzip, br"}});
  ASSERT_EQ(gz.status, 200);
  EXPECT_EQ(plain.headers.count("content-encoding"), 0u);
  ASSERT_EQ(gz.headers["content-encoding"], "gzip");
  EXPECT_LT(gz.body.size(), plain.body.size() / 3);
  auto back = api::GzipDecompress(gz.body);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, plain.body);
}

TEST_F(ServeTest, OversizedBodyIsRefusedWith413) {
  // 64 KiB is this server's limit; 100 KiB declared.
  HttpReply r = server_->Send("POST", "/api/v1/teams", std::string(100 << 10, 'x'),
                              {{"Content-Type", "application/json"}});
  EXPECT_EQ(r.status, 413) << r.body;
}

TEST_F(ServeTest, SlowClientIsCutOffAndOthersAreServed) {
  const int fd = server_->Connect();
  ASSERT_GE(fd, 0);
  // Half a request line, then nothing: the 1 s request timeout must end it.
  ASSERT_TRUE(SeiServer::WriteAll(fd, "GET /api/v1/org HTTP/1.1\r\nHost: x\r\n"));
  EXPECT_EQ(server_->Get("/healthz").status, 200);  // others are not held up
  const auto start = std::chrono::steady_clock::now();
  const std::string raw = SeiServer::ReadAll(fd, 10000);
  const double waited =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  close(fd);
  EXPECT_LT(waited, 5.0) << "the slow connection was not closed";
  EXPECT_EQ(testing::ParseHttpReply(raw).status, 408) << raw;
}

TEST_F(ServeTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  const int fd = server_->Connect();
  ASSERT_GE(fd, 0);
  ASSERT_TRUE(SeiServer::WriteAll(fd,
                                  "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                                  "GET /api/v1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  const std::string raw = SeiServer::ReadAll(fd, 10000);
  close(fd);
  const size_t second = raw.find("HTTP/1.1", 1);
  ASSERT_NE(second, std::string::npos) << raw;
  EXPECT_EQ(testing::ParseHttpReply(raw.substr(0, second)).status, 200);
  HttpReply b = testing::ParseHttpReply(raw.substr(second));
  EXPECT_EQ(b.status, 200);
  EXPECT_NE(b.body.find("openapi"), std::string::npos);
}

const std::map<std::string, std::string> kJson = {{"Content-Type", "application/json"}};

TEST_F(ServeTest, PushedDeploymentIsStoredOnceAndServed) {
  const std::string body = R"({"id": "rel-1", "environment": "production", "service": "checkout",
    "result": "success", "started_at": "2026-11-20T10:00:00Z", "finished_at": "2026-11-20T10:05:00Z"})";
  HttpReply a = server_->Send("POST", "/api/v1/push/deployments?connection=ci", body, kJson);
  ASSERT_EQ(a.status, 200) << a.body;
  EXPECT_EQ(Json(a)["id"], "push:ci:deployment:rel-1");
  ASSERT_EQ(server_->Send("POST", "/api/v1/push/deployments?connection=ci", body, kJson).status,
            200);
  // Served by the lists once the metrics reloaded (the push marks them changed).
  size_t found = 0;
  for (int i = 0; i < 100 && found == 0; ++i) {
    json j = Json(server_->Get("/api/v1/deployments?service=checkout&since=2026-11-01&limit=500"));
    for (const auto& d : j["items"]) found += d["id"] == "push:ci:deployment:rel-1";
    if (found == 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(found, 1u);  // pushed twice, one row
  EXPECT_EQ(server_->Send("DELETE", "/api/v1/push/deployments/rel-1?connection=ci", "").status,
            204);
  EXPECT_EQ(server_->Send("DELETE", "/api/v1/push/deployments/rel-1?connection=ci", "").status,
            404);
  // Each write left its audit row (written with it): two pushes, one delete;
  // the delete that found nothing wrote nothing.
  auto audit = Sei({"export", "audit-log", "--format", "jsonl"});
  ASSERT_EQ(audit.exit_code, 0) << audit.err;
  int pushes = 0, deletes = 0;
  std::istringstream lines(audit.out);
  for (std::string line; std::getline(lines, line);) {
    json e = json::parse(line, nullptr, false);
    if (!e.is_object() || e["target"] != "push:ci:deployment:rel-1") continue;
    EXPECT_EQ(e["outcome"], "ok");
    EXPECT_EQ(e["remote_addr"], "127.0.0.1");
    EXPECT_EQ(e["actor"].get<std::string>().rfind("token:", 0), 0u) << line;
    pushes += e["action"] == "push.deployments";
    deletes += e["action"] == "push.deployments.delete";
  }
  EXPECT_EQ(pushes, 2);
  EXPECT_EQ(deletes, 1);
}

TEST_F(ServeTest, BadPushListsEveryFieldAndStoresNothing) {
  HttpReply r = server_->Send(
      "POST", "/api/v1/push/deployments?connection=ci",
      R"({"id": "bad-1", "environment": "production", "result": "maybe", "started_at": "yesterday",
          "commits": ["nothex"], "colour": "red"})",
      kJson);
  ASSERT_EQ(r.status, 400) << r.body;
  std::set<std::string> fields;
  const json j = Json(r);
  for (const auto& d : j["error"]["details"]) fields.insert(d["field"].get<std::string>());
  EXPECT_TRUE(fields.count("result") && fields.count("started_at") && fields.count("colour"))
      << r.body;
  EXPECT_GE(fields.size(), 4u);
  EXPECT_EQ(server_->Send("DELETE", "/api/v1/push/deployments/bad-1?connection=ci", "").status,
            404);  // nothing was stored
  EXPECT_EQ(server_
                ->Send("POST", "/api/v1/push/deployments", "id=1",
                       {{"Content-Type", "application/x-www-form-urlencoded"}})
                .status,
            415);
  EXPECT_EQ(server_->Send("POST", "/api/v1/push/incidents", "{not json", kJson).status, 400);
}

TEST_F(ServeTest, WebhooksAreCheckedBeforeParsingAndDeduplicated) {
  const std::string body = R"({"kind": "incident", "id": "inc-9", "title": "Checkout down",
    "created_at": "2026-11-21T08:00:00Z"})";
  auto hook = [&](const std::string& secret, const std::string& delivery) {
    return server_->Send("POST", "/webhooks/generic?connection=pager", body,
                         {{"Content-Type", "application/json"},
                          {"X-Sei-Webhook-Secret", secret},
                          {"X-Sei-Delivery", delivery}});
  };
  EXPECT_EQ(hook("wrong", "d-1").status, 401);
  EXPECT_EQ(server_->Send("POST", "/webhooks/generic", body, kJson).status, 401);  // unsigned
  HttpReply first = hook("s3cret", "d-1");
  ASSERT_EQ(first.status, 202) << first.body;
  EXPECT_FALSE(Json(first)["duplicate"].get<bool>());
  HttpReply again = hook("s3cret", "d-1");
  ASSERT_EQ(again.status, 202);
  EXPECT_TRUE(Json(again)["duplicate"].get<bool>());
  // GitHub: HMAC-SHA256 of the exact body.
  const std::string gh = R"({"zen": "Keep it logically awesome.", "hook_id": 1})";
  HttpReply signed_ok =
      server_->Send("POST", "/webhooks/github", gh,
                    {{"Content-Type", "application/json"},
                     {"X-Hub-Signature-256", "sha256=" + net::HmacSha256Hex("s3cret", gh)},
                     {"X-GitHub-Delivery", "gh-1"},
                     {"X-GitHub-Event", "ping"}});
  EXPECT_EQ(signed_ok.status, 202) << signed_ok.body;
  HttpReply tampered =
      server_->Send("POST", "/webhooks/github", gh + " ",
                    {{"Content-Type", "application/json"},
                     {"X-Hub-Signature-256", "sha256=" + net::HmacSha256Hex("s3cret", gh)},
                     {"X-GitHub-Delivery", "gh-2"}});
  EXPECT_EQ(tampered.status, 401);
  // GitLab has no secret configured here: every delivery is refused.
  EXPECT_EQ(server_->Send("POST", "/webhooks/gitlab", "{}", kJson).status, 401);
  const std::string prom = server_->Get("/metrics").body;
  EXPECT_NE(prom.find("sei_webhooks_refused_total"), std::string::npos);
  EXPECT_EQ(prom.find("sei_webhooks_refused_total 0"), std::string::npos);
  // And an audit line each (written by the push writer after the 401).
  int refused = 0;
  for (int i = 0; i < 50 && refused == 0; ++i) {
    auto audit = Sei({"export", "audit-log", "--format", "jsonl"});
    ASSERT_EQ(audit.exit_code, 0) << audit.err;
    std::istringstream lines(audit.out);
    for (std::string line; std::getline(lines, line);) {
      json e = json::parse(line, nullptr, false);
      if (e.is_object() && e["action"] == "webhook.refused" && e["actor"] == "webhook:gitlab") {
        ++refused;
        EXPECT_EQ(e["outcome"], "denied");
        EXPECT_EQ(e["body"], nullptr);
      }
    }
    if (refused == 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_GE(refused, 1);
}

TEST_F(ServeTest, CallersWithoutAValidTokenGet401) {
  auto no_token = server_->Get("/api/v1/metrics/dora", {{"Authorization", ""}});
  EXPECT_EQ(no_token.status, 401);
  EXPECT_NE(no_token.headers["www-authenticate"].find("Bearer"), std::string::npos);
  EXPECT_EQ(server_->Get("/api/v1/teams", {{"Authorization", "Bearer sei_forged"}}).status, 401);
  // Public routes need none.
  EXPECT_EQ(server_->Get("/healthz", {{"Authorization", ""}}).status, 200);
  EXPECT_EQ(server_->Get("/api/v1/openapi.json", {{"Authorization", ""}}).status, 200);
  // A revoked token stops working.
  const std::string t = Token("viewer");
  const std::map<std::string, std::string> auth = {{"Authorization", "Bearer " + t}};
  ASSERT_EQ(server_->Get("/api/v1/metrics/dora", auth).status, 200);
  auto list = Sei({"token", "list", "--format", "json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  std::string id;
  for (const auto& row : json::parse(list.out)) {
    // This token, not another test's of the same name.
    if (row["prefix"] == t.substr(0, 8)) id = row["id"].get<std::string>();
  }
  ASSERT_FALSE(id.empty()) << list.out;
  ASSERT_EQ(Sei({"token", "revoke", id}).exit_code, 0);
  EXPECT_EQ(server_->Get("/api/v1/metrics/dora", auth).status, 401);
}

// Each role against each route group (the full matrix is unit-tested in
// src/auth; here the server must apply it to real routes).
TEST_F(ServeTest, RolesAreEnforcedPerRouteGroup) {
  struct Case {
    const char* method;
    std::string target;
    int admin, manager, viewer;  // expected status per role
  };
  const std::string push_body = R"({"id": "role-1", "environment": "staging", "result": "success",
    "started_at": "2026-11-20T10:00:00Z"})";
  const std::vector<Case> cases = {
      {"GET", "/api/v1/metrics/dora?" + std::string(kRange), 200, 200, 200},  // org metrics
      {"GET", "/api/v1/metrics/pr?team=payments&" + std::string(kRange), 200, 200, 403},
      {"GET", "/api/v1/deployments?limit=1", 200, 200, 403},                 // lists
      {"GET", "/api/v1/teams", 200, 200, 200},                               // org read
      {"POST", "/api/v1/push/deployments?connection=roles", 200, 200, 403},  // push
      {"GET", "/metrics", 200, 403, 403},                                    // observability
  };
  const std::map<std::string, std::string> tokens = {
      {"admin", Token("admin")}, {"manager", Token("manager")}, {"viewer", Token("viewer")}};
  for (const Case& c : cases) {
    for (const auto& [role, want] : {std::pair<std::string, int>{"admin", c.admin},
                                     {"manager", c.manager},
                                     {"viewer", c.viewer}}) {
      std::map<std::string, std::string> h = {{"Authorization", "Bearer " + tokens.at(role)},
                                              {"Content-Type", "application/json"}};
      HttpReply r =
          server_->Send(c.method, c.target, std::string(c.method) == "POST" ? push_body : "", h);
      EXPECT_EQ(r.status, want) << role << " " << c.method << " " << c.target << ": " << r.body;
      if (want == 403) {
        EXPECT_NE(r.body.find("forbidden"), std::string::npos);
      }
    }
  }
}

// Members and managers with a real person and team of the demo: what each
// may see of their team, their teammates, themselves and others.
TEST_F(ServeTest, MembersAndManagersSeeTheirTeamsAndPeopleOnly) {
  json teams = Json(server_->Get("/api/v1/teams"))["teams"];
  ASSERT_GE(teams.size(), 2u);
  std::set<std::string> ever_in_a;
  std::vector<std::string> current_a;
  for (const auto& m : teams[0]["members"]) {
    ever_in_a.insert(m["id"]);
    if (m["current"].get<bool>()) current_a.push_back(m["id"]);
  }
  ASSERT_GE(current_a.size(), 2u);
  std::string outsider;
  for (const auto& t : teams) {
    for (const auto& m : t["members"]) {
      if (outsider.empty() && !ever_in_a.count(m["id"])) outsider = m["id"];
    }
  }
  ASSERT_FALSE(outsider.empty());
  const std::string team_a = teams[0]["id"], team_b = teams[1]["id"];
  const std::string self = current_a[0], mate = current_a[1];
  ASSERT_EQ(Sei({"user", "add", "--email", "member@acme.test", "--name", "Member", "--role",
                 "member", "--person", self})
                .exit_code,
            0);
  ASSERT_EQ(Sei({"user", "add", "--email", "lead@acme.test", "--name", "Lead", "--role", "manager",
                 "--team", team_a})
                .exit_code,
            0);
  auto user_token = [](const std::string& role, const std::string& email) {
    auto t = Sei({"token", "create", "--role", role, "--user", email});
    EXPECT_EQ(t.exit_code, 0) << t.err;
    return t.out.substr(0, t.out.find('\n'));
  };
  const std::string member = user_token("member", "member@acme.test");
  const std::string manager = user_token("manager", "lead@acme.test");
  const std::string range = std::string("&") + kRange;
  struct Case {
    std::string method, target;
    int member, manager;
  };
  const std::vector<Case> cases = {
      {"GET", "/api/v1/metrics/pr?team=" + team_a + range, 200, 200},
      {"GET", "/api/v1/metrics/pr?team=" + team_b + range, 200, 200},  // team metrics: any team
      {"GET", "/api/v1/metrics/pr?person=" + self + range, 200, 200},
      {"GET", "/api/v1/metrics/pr?person=" + mate + range, 403, 200},  // individual metrics
      {"GET", "/api/v1/metrics/pr?person=" + outsider + range, 403, 403},
      {"GET", "/api/v1/pull-requests?team=" + team_a, 200, 200},
      {"GET", "/api/v1/pull-requests?person=" + self, 200, 200},
      {"GET", "/api/v1/pull-requests?person=" + mate, 403, 200},
      {"GET", "/api/v1/pull-requests?person=" + outsider, 403, 403},
      {"GET", "/api/v1/pull-requests", 403, 200},  // a member lists their teams or themselves
      {"GET", "/api/v1/metrics/dora?" + std::string(kRange), 200, 200},
      {"GET", "/api/v1/teams", 200, 200},
      {"GET", "/api/v1/events?scope=person:" + mate, 403, 200},  // a stream is checked alike
      {"GET", "/api/v1/events?scope=person:" + outsider, 403, 403},
      {"POST", "/api/v1/push/deployments?connection=roles", 403, 200},
      {"GET", "/metrics", 403, 403},
  };
  const std::string push_body = R"({"id": "role-2", "environment": "staging", "result": "success",
    "started_at": "2026-11-20T10:00:00Z"})";
  for (const Case& c : cases) {
    for (const auto& [who, token, want] :
         {std::tuple<std::string, std::string, int>{"member", member, c.member},
          {"manager", manager, c.manager}}) {
      // A 200 stream would not end: only its refusals are asked for here.
      if (c.target.rfind("/api/v1/events", 0) == 0 && want == 200) continue;
      HttpReply r = server_->Send(
          c.method, c.target, c.method == "POST" ? push_body : "",
          {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}});
      EXPECT_EQ(r.status, want) << who << " " << c.method << " " << c.target << ": "
                                << r.body.substr(0, 300);
    }
  }
  json me = Json(server_->Get("/api/v1/me", {{"Authorization", "Bearer " + member}}));
  EXPECT_EQ(me["person_id"], self) << me.dump();

  // With access.individual_metrics off, a manager sees the team, not one person of it.
  ASSERT_TRUE(
      testing::WriteFile(dir_->Sub("private.yaml"), "access:\n  individual_metrics: false\n"));
  SeiServer strict(dir_->Sub("demo.db"), {}, {"SEI_CONFIG=" + dir_->Sub("private.yaml")});
  ASSERT_TRUE(strict.started()) << strict.startup_output();
  strict.set_token(manager);
  EXPECT_EQ(strict.Get("/api/v1/metrics/pr?team=" + team_a + range).status, 200);
  EXPECT_EQ(strict.Get("/api/v1/metrics/pr?person=" + mate + range).status, 403);
  EXPECT_EQ(strict.Get("/api/v1/pull-requests?person=" + mate).status, 403);
  strict.set_token(member);
  EXPECT_EQ(strict.Get("/api/v1/metrics/pr?person=" + self + range).status, 200);
}

TEST_F(ServeTest, AdminsManageTokensAndReadTheAuditLog) {
  HttpReply made =
      server_->Send("POST", "/api/v1/tokens",
                    R"({"role": "viewer", "name": "from-api", "expires_in_days": 7})", kJson);
  ASSERT_EQ(made.status, 201) << made.body;
  EXPECT_EQ(made.headers["cache-control"], "no-store");
  json t = Json(made);
  const std::string token = t["token"], id = t["id"];
  ASSERT_EQ(token.rfind("sei_", 0), 0u);
  EXPECT_EQ(t["role"], "viewer");
  EXPECT_FALSE(t["expires_at"].is_null());
  auto as_new = [&](const std::string& target) {
    return server_->Get(target, {{"Authorization", "Bearer " + token}});
  };
  EXPECT_EQ(as_new("/api/v1/me").status, 200);
  EXPECT_EQ(as_new("/api/v1/tokens").status, 403);  // a viewer is no admin
  // Listed without the token or its hash.
  HttpReply list = server_->Get("/api/v1/tokens");
  ASSERT_EQ(list.status, 200);
  EXPECT_NE(list.body.find(id), std::string::npos);
  EXPECT_EQ(list.body.find(token), std::string::npos);
  EXPECT_EQ(list.body.find("hash"), std::string::npos);
  // Bad bodies list every problem and create nothing.
  HttpReply bad = server_->Send("POST", "/api/v1/tokens",
                                R"({"role": "god", "user": "nobody@x.test", "colour": 1})", kJson);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(Json(bad)["error"]["details"].size(), 3u) << bad.body;
  EXPECT_EQ(server_->Send("DELETE", "/api/v1/tokens/" + id, "").status, 204);
  EXPECT_EQ(as_new("/api/v1/me").status, 401);  // revoked (the suite's token cache is 0)
  EXPECT_EQ(server_->Send("DELETE", "/api/v1/tokens/tk-000000000000", "").status, 404);
  // The audit log has both writes, newest first, and pages.
  json log = Json(server_->Get("/api/v1/audit-log?limit=200"));
  bool created = false, revoked = false;
  int64_t last = INT64_MAX;
  for (const auto& e : log["entries"]) {
    EXPECT_LT(e["id"].get<int64_t>(), last);
    last = e["id"];
    created |= e["action"] == "token.create" && e["target"] == "token:" + id;
    revoked |= e["action"] == "token.revoke" && e["target"] == "token:" + id;
    EXPECT_EQ(e.dump().find(token), std::string::npos);  // never the secret
  }
  EXPECT_TRUE(created);
  EXPECT_TRUE(revoked);
  json page = Json(server_->Get("/api/v1/audit-log?limit=1"));
  ASSERT_EQ(page["entries"].size(), 1u);
  json next = Json(server_->Get("/api/v1/audit-log?limit=1&before=" +
                                std::to_string(page["next_before"].get<int64_t>())));
  ASSERT_EQ(next["entries"].size(), 1u);
  EXPECT_LT(next["entries"][0]["id"].get<int64_t>(), page["entries"][0]["id"].get<int64_t>());
  EXPECT_EQ(server_->Get("/api/v1/audit-log?limit=0").status, 400);
  HttpReply users = server_->Get("/api/v1/users");
  EXPECT_EQ(users.status, 200);
  EXPECT_EQ(users.body.find("argon2"), std::string::npos);
  const std::string manager = Token("manager");
  for (const char* target : {"/api/v1/tokens", "/api/v1/users", "/api/v1/audit-log"}) {
    EXPECT_EQ(server_->Get(target, {{"Authorization", "Bearer " + manager}}).status, 403) << target;
  }
}

TEST_F(ServeTest, SigtermDuringAPushStoresItBeforeExit) {
  SeiServer s(dir_->Sub("demo.db"), {"--request-timeout", "10"});
  ASSERT_TRUE(s.started()) << s.startup_output();
  s.set_token(Token("admin"));
  const std::string body = R"({"id": "term-1", "environment": "staging", "result": "success",
    "started_at": "2026-11-20T10:00:00Z"})";
  const int fd = s.Connect();
  ASSERT_GE(fd, 0);
  const std::string head =
      "POST /api/v1/push/deployments?connection=term HTTP/1.1\r\nHost: x\r\n"
      "Content-Type: application/json\r\nAuthorization: Bearer " +
      Token("admin") + "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  ASSERT_TRUE(SeiServer::WriteAll(fd, head + body.substr(0, 20)));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  kill(s.pid(), SIGTERM);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  ASSERT_TRUE(SeiServer::WriteAll(fd, body.substr(20)));
  HttpReply r = testing::ParseHttpReply(SeiServer::ReadAll(fd, 10000));
  close(fd);
  ASSERT_EQ(r.status, 200) << r.body;  // answered only after its commit
  EXPECT_EQ(s.Stop(0), 0);
  // Stored: the suite's server deletes it (204), and a second delete finds nothing.
  EXPECT_EQ(server_->Send("DELETE", "/api/v1/push/deployments/term-1?connection=term", "").status,
            204);
  EXPECT_EQ(server_->Send("DELETE", "/api/v1/push/deployments/term-1?connection=term", "").status,
            404);
}

TEST_F(ServeTest, SigtermLetsTheRequestInFlightFinish) {
  SeiServer s(dir_->Sub("demo.db"), {"--request-timeout", "10"});
  ASSERT_TRUE(s.started()) << s.startup_output();
  const int fd = s.Connect();
  ASSERT_GE(fd, 0);
  // The request is in flight (its body half sent) when SIGTERM arrives.
  ASSERT_TRUE(SeiServer::WriteAll(
      fd, "POST /api/v1/teams HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n12345"));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  kill(s.pid(), SIGTERM);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const int idle = s.Connect();  // new connections are refused once it stopped accepting
  if (idle >= 0) close(idle);
  ASSERT_TRUE(SeiServer::WriteAll(fd, "67890"));
  HttpReply r = testing::ParseHttpReply(SeiServer::ReadAll(fd, 10000));
  close(fd);
  EXPECT_EQ(r.status, 401);  // answered in full (this request carries no token)
  EXPECT_EQ(r.headers["connection"], "close");
  EXPECT_EQ(s.Stop(0), 0);  // exited cleanly by itself
}

// A live-update stream whose events' data is parsed.
class EventStream : public testing::EventStream {
 public:
  using testing::EventStream::EventStream;
  // The data of the next event named `name` (null when none came).
  json Next(const std::string& name, int ms = 5000) {
    const std::string data = NextData(name, ms);
    return data.empty() ? json() : json::parse(data, nullptr, false);
  }
};

TEST_F(ServeTest, LiveUpdatesNameTheChangedScopesToThoseWhoMaySeeThem) {
  const std::string viewer = Token("viewer");
  EventStream admin(*server_, "/api/v1/events", Token("admin"));
  EventStream view(*server_, "/api/v1/events", viewer);
  // Watching a repository the push below does not touch.
  json repos = Json(server_->Get("/api/v1/repos"));
  ASSERT_FALSE(repos["repos"].empty()) << repos.dump();
  const std::string repo = repos["repos"][0]["id"];
  EventStream quiet(*server_, "/api/v1/events?scope=repo:" + repo, Token("admin"));
  for (EventStream* s : {&admin, &view, &quiet}) {
    ASSERT_TRUE(s->ReadHead());
    EXPECT_NE(s->head().find("HTTP/1.1 200"), std::string::npos) << s->head();
    EXPECT_NE(s->head().find("text/event-stream"), std::string::npos);
    EXPECT_NE(s->head().find("chunked"), std::string::npos);
    json hello = s->Next("hello");
    ASSERT_TRUE(hello.contains("generation")) << s->rest();
  }
  const std::string body = R"({"id": "live-1", "environment": "production", "service": "live",
    "result": "success", "started_at": "2026-11-21T10:00:00Z"})";
  ASSERT_EQ(server_->Send("POST", "/api/v1/push/deployments?connection=live", body, kJson).status,
            200);
  // Skips a catch-up event of the first load (`all`, no rows) if one comes.
  json a = admin.Next("metrics", 10000);
  std::string seen = a.dump();
  while (a.is_object() && a["all"].get<bool>() && a["rows_changed"] == 0) {
    a = admin.Next("metrics", 10000);
    seen += " " + a.dump();
  }
  ASSERT_TRUE(a.is_object()) << seen << admin.rest();
  EXPECT_FALSE(a["all"].get<bool>());
  EXPECT_GE(a["rows_changed"].get<int>(), 1);
  EXPECT_EQ(a["scopes"][0], "org") << a.dump();
  json v = view.Next("metrics", 10000);
  while (v.is_object() && v["all"].get<bool>() && v["rows_changed"] == 0) {
    v = view.Next("metrics", 10000);
  }
  ASSERT_TRUE(v.is_object());
  EXPECT_EQ(v["scopes"], json::array({"org"}));  // a viewer hears of the organisation only
  EXPECT_EQ(v["generation"], a["generation"]);
  // Nothing for a scope the push left alone (the same publish reached everyone).
  EXPECT_TRUE(quiet.Next("metrics", 700).is_null()) << quiet.rest();
  // The /metrics gauges count the open streams.
  HttpReply m = server_->Get("/metrics");
  EXPECT_NE(m.body.find("sei_event_streams 3"), std::string::npos) << m.body.substr(0, 400);
  EXPECT_NE(m.body.find("sei_collection_runs{status=\"failed\"} "), std::string::npos);
  EXPECT_NE(m.body.find("sei_push_queue_depth "), std::string::npos);
  ASSERT_EQ(server_->Send("DELETE", "/api/v1/push/deployments/live-1?connection=live", "").status,
            204);
}

TEST_F(ServeTest, LiveUpdatesCatchUpAfterAReconnectAndRefuseUnseenScopes) {
  // A client that saw generation 0 missed everything since: told `all` at once.
  EventStream back(*server_, "/api/v1/events", Token("admin"), "Last-Event-ID: 0\r\n");
  ASSERT_TRUE(back.ReadHead());
  json all = back.Next("metrics");
  ASSERT_TRUE(all.is_object()) << back.rest();
  EXPECT_TRUE(all["all"].get<bool>());
  // A viewer may not watch a team; a bad scope is a 400, an unknown one a 404.
  const std::string viewer = Token("viewer");
  auto get = [&](const std::string& target, const std::string& token) {
    return server_->Get(target, {{"Authorization", "Bearer " + token}});
  };
  EXPECT_EQ(get("/api/v1/events?scope=team:payments", viewer).status, 403);
  EXPECT_EQ(get("/api/v1/events?scope=galaxy:far", viewer).status, 400);
  EXPECT_EQ(get("/api/v1/events?scope=team:no-such-team", Token("admin")).status, 404);
  EXPECT_EQ(server_->Get("/api/v1/events", {{"Authorization", "Bearer nope"}}).status, 401);
}

TEST_F(ServeTest, LiveUpdatesEndWhenTheTokenIsRevoked) {
  auto t = Sei({"token", "create", "--role", "viewer", "--name", "revoked-stream"});
  ASSERT_EQ(t.exit_code, 0) << t.err;
  const std::string tok = t.out.substr(0, t.out.find('\n'));
  EventStream s(*server_, "/api/v1/events", tok);
  ASSERT_TRUE(s.ReadHead());
  ASSERT_TRUE(s.Next("hello").is_object());
  auto list = Sei({"token", "list", "--format", "json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  std::string id;
  for (const auto& j : json::parse(list.out, nullptr, false)) {
    if (j.is_object() && j["name"] == "revoked-stream") id = j["id"];
  }
  ASSERT_FALSE(id.empty()) << list.out;
  ASSERT_EQ(Sei({"token", "revoke", id}).exit_code, 0);
  const std::string body = R"({"id": "live-2", "environment": "staging", "result": "success",
    "started_at": "2026-11-21T10:00:00Z"})";
  ASSERT_EQ(server_->Send("POST", "/api/v1/push/deployments?connection=live", body, kJson).status,
            200);
  json denied = s.Next("denied", 10000);
  EXPECT_TRUE(denied.is_object()) << s.rest();
  EXPECT_TRUE(s.Until("0\r\n\r\n"));  // the stream's last chunk, then the connection closes
  ASSERT_EQ(server_->Send("DELETE", "/api/v1/push/deployments/live-2?connection=live", "").status,
            204);
}

TEST_F(ServeTest, SigtermEndsOpenStreamsAndExitsAtOnce) {
  SeiServer s(dir_->Sub("demo.db"), {"--shutdown-grace", "20"});
  ASSERT_TRUE(s.started()) << s.startup_output();
  EventStream e(s, "/api/v1/events", Token("viewer"));
  ASSERT_TRUE(e.ReadHead());
  ASSERT_TRUE(e.Next("hello").is_object());
  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(s.Stop(SIGTERM), 0);
  // Ended by the server, not waited out for the 20 s grace.
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
  EXPECT_TRUE(e.Until("0\r\n\r\n", 1000)) << e.rest();
}

}  // namespace
}  // namespace sei
