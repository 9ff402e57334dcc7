#include "net/retrying_client.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "fakes/fake_clock.h"
#include "fakes/fake_http_client.h"
#include "fakes/fake_sleeper.h"
#include "net/curl_http_client.h"
#include "testing/fake_http_server.h"

namespace sei::net {
namespace {

using std::chrono::milliseconds;

constexpr int64_t kStart = 1'700'000'000'000;  // 2023-11-14T22:13:20Z
const std::vector<std::string> kTokens = {"ghp_tokenAAAAAAAAAAAAAAAA", "ghp_tokenBBBBBBBBBBBBBBBB",
                                          "ghp_tokenCCCCCCCCCCCCCCCC"};

std::string Sec(int64_t unix_ms) { return std::to_string(unix_ms / 1000); }

HttpResponse Limited(int status, int64_t remaining, int64_t reset_ms, std::string body = "") {
  return FakeHttpClient::Response(
      status,
      {{"X-RateLimit-Remaining", std::to_string(remaining)}, {"X-RateLimit-Reset", Sec(reset_ms)}},
      std::move(body));
}

void ExpectNoToken(const std::string& text) {
  for (const std::string& t : kTokens) EXPECT_EQ(text.find(t), std::string::npos) << text;
}

class RetryingClientTest : public ::testing::Test {
 protected:
  RetryOptions Options() {
    RetryOptions o;
    o.max_attempts = 4;
    o.initial_backoff = milliseconds(1000);
    o.max_backoff = milliseconds(30000);
    o.jitter_seed = 7;
    return o;
  }
  FakeClock clock_{kStart};
  FakeSleeper sleeper_{&clock_};
  FakeHttpClient inner_;
};

// Real libcurl against the fake server: three 502s, then a 200, over one
// kept-alive connection, with three jittered back-offs inside their bounds.
TEST_F(RetryingClientTest, BadGatewayBurstThenSuccessOverRealHttp) {
  testing::FakeHttpServer server;
  ASSERT_TRUE(server.started());
  const auto bad = testing::FakeResponse::Text(502, "Bad Gateway");
  server.Script("GET", "/repos/a/b", {bad, bad, bad, testing::FakeResponse::Json(200, "{}")});
  CurlHttpClientOptions co;
  co.proxy = "";
  CurlHttpClient curl(co);
  RetryingClient client(curl, clock_, sleeper_, Options());
  auto r = client.Send(HttpRequest::Get(server.Url("/repos/a/b")));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(server.request_count(), 4u);
  EXPECT_EQ(server.connections_accepted(), 1);
  const auto sleeps = sleeper_.sleeps();
  ASSERT_EQ(sleeps.size(), 3u);
  for (size_t i = 0; i < sleeps.size(); ++i) {
    EXPECT_GE(sleeps[i].count(), 0);
    EXPECT_LE(sleeps[i].count(), 1000 << i) << "back-off " << i;
  }
  EXPECT_GT(sleeper_.total().count(), 0);  // jittered, not all zero
}

TEST_F(RetryingClientTest, BackoffStaysUnderTheCeilingAndMaxBackoff) {
  RetryOptions o = Options();
  o.max_attempts = 12;
  o.max_backoff = milliseconds(5000);
  o.max_total_wait = std::chrono::hours(1);
  for (int i = 0; i < 11; ++i) inner_.Script(FakeHttpClient::Response(503));
  inner_.Script(FakeHttpClient::Response(200));
  RetryingClient client(inner_, clock_, sleeper_, o);
  ASSERT_TRUE(client.Send(HttpRequest::Get("https://api.example/x")).ok());
  const auto sleeps = sleeper_.sleeps();
  ASSERT_EQ(sleeps.size(), 11u);
  int64_t later_max = 0;
  int below_half = 0;
  for (size_t i = 0; i < sleeps.size(); ++i) {
    const int64_t ceiling = std::min<int64_t>(5000, int64_t{1000} << i);
    EXPECT_LE(sleeps[i].count(), ceiling);
    if (2 * sleeps[i].count() < ceiling) ++below_half;
    if (i >= 3) later_max = std::max<int64_t>(later_max, sleeps[i].count());
  }
  EXPECT_GT(later_max, 1000);  // the ceiling really grows
  EXPECT_GT(below_half, 0);    // full jitter: not just the ceiling
}

TEST_F(RetryingClientTest, GivesUpAfterMaxAttemptsNamingTheLastStatus) {
  for (int i = 0; i < 4; ++i) inner_.Script(FakeHttpClient::Response(i < 3 ? 502 : 504));
  RetryingClient client(inner_, clock_, sleeper_, Options());
  auto r = client.Send(HttpRequest::Get("https://api.github.com/repos/a/b?access_token=zzz"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(r.status().message().find("gave up after 4 attempts"), std::string::npos)
      << r.status().message();
  EXPECT_NE(r.status().message().find("HTTP 504"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("GET https://api.github.com/repos/a/b"), std::string::npos);
  EXPECT_EQ(r.status().message().find("zzz"), std::string::npos);
  EXPECT_EQ(inner_.requests().size(), 4u);
  EXPECT_EQ(sleeper_.sleeps().size(), 3u);
}

TEST_F(RetryingClientTest, TransportErrorsAreRetriedOnlyWhenTransient) {
  inner_.Script(UnavailableError("GET https://h/x: Couldn't connect to server"));
  inner_.Script(UnavailableError("GET https://h/x: response body truncated"));
  inner_.Script(FakeHttpClient::Response(200, {}, "ok"));
  inner_.Script(FailedPreconditionError("GET https://h/y: SSL peer certificate was not OK"));
  RetryingClient client(inner_, clock_, sleeper_, Options());
  auto ok = client.Send(HttpRequest::Get("https://h/x"));
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->body, "ok");
  EXPECT_EQ(sleeper_.sleeps().size(), 2u);
  auto tls = client.Send(HttpRequest::Get("https://h/y"));
  ASSERT_FALSE(tls.ok());
  EXPECT_EQ(tls.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(inner_.requests().size(), 4u);  // not retried
}

TEST_F(RetryingClientTest, TheLastTransportErrorIsReturnedWithTheAttemptCount) {
  for (int i = 0; i < 4; ++i) inner_.Script(UnavailableError("GET https://h/x: timed out"));
  RetryingClient client(inner_, clock_, sleeper_, Options());
  auto r = client.Send(HttpRequest::Get("https://h/x"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(r.status().message(), "GET https://h/x: timed out (gave up after 4 attempts)");
}

TEST_F(RetryingClientTest, PostIsNotRetriedAfterA5xxUnlessAllowed) {
  HttpRequest post;
  post.method = "POST";
  post.url = "https://api.github.com/graphql";
  inner_.Script(FakeHttpClient::Response(502));
  RetryingClient strict(inner_, clock_, sleeper_, Options());
  auto r = strict.Send(post);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 502);  // returned as is
  RetryOptions o = Options();
  o.retry_non_idempotent = true;
  inner_.Script(FakeHttpClient::Response(502));
  inner_.Script(FakeHttpClient::Response(200));
  RetryingClient lenient(inner_, clock_, sleeper_, o);
  auto again = lenient.Send(post);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->status, 200);
  EXPECT_EQ(inner_.requests().size(), 3u);
}

TEST_F(RetryingClientTest, RemainingZeroWaitsUntilTheResetPlusASecond) {
  const int64_t reset = kStart + 600'000;
  inner_.Script(Limited(200, 0, reset, "page 1"));
  inner_.Script(Limited(200, 4999, reset + 3'600'000, "page 2"));
  RetryingClient client(inner_, clock_, sleeper_, Options());
  ASSERT_TRUE(client.Send(HttpRequest::Get("https://api.github.com/a")).ok());
  EXPECT_TRUE(sleeper_.sleeps().empty());
  auto second = client.Send(HttpRequest::Get("https://api.github.com/b"));
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->body, "page 2");
  ASSERT_EQ(sleeper_.sleeps().size(), 1u);
  EXPECT_EQ(sleeper_.sleeps()[0], milliseconds(601'000));
  EXPECT_EQ(clock_.NowUnixMillis(), reset + 1000);
}

TEST_F(RetryingClientTest, Forbidden403WithRemainingZeroWaitsForTheResetAndRetries) {
  const int64_t reset = kStart + 300'000;
  inner_.Script(Limited(403, 0, reset, R"({"message":"API rate limit exceeded"})"));
  inner_.Script(FakeHttpClient::Response(200, {}, "[]"));
  RetryingClient client(inner_, clock_, sleeper_, Options());
  auto r = client.Send(HttpRequest::Get("https://api.github.com/a"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 200);
  ASSERT_EQ(sleeper_.sleeps().size(), 1u);
  EXPECT_EQ(sleeper_.sleeps()[0], milliseconds(301'000));
}

TEST_F(RetryingClientTest, RetryAfterIsHonouredFor429And403) {
  inner_.Script(FakeHttpClient::Response(429, {{"Retry-After", "30"}}));
  inner_.Script(FakeHttpClient::Response(
      403, {{"Retry-After", "5"}},
      R"({"message":"You have exceeded a secondary rate limit. Please wait a few minutes."})"));
  inner_.Script(FakeHttpClient::Response(200));
  RetryingClient client(inner_, clock_, sleeper_, Options());
  auto r = client.Send(HttpRequest::Get("https://api.github.com/search/issues?q=x"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(sleeper_.sleeps(),
            (std::vector<milliseconds>{milliseconds(30'000), milliseconds(5'000)}));
}

TEST_F(RetryingClientTest, SecondaryLimitWithoutRetryAfterWaitsAMinute) {
  inner_.Script(FakeHttpClient::Response(
      403, {},
      R"({"message":"You have exceeded a secondary rate limit and have been temporarily blocked"})"));
  inner_.Script(FakeHttpClient::Response(429));
  inner_.Script(FakeHttpClient::Response(200));
  RetryingClient client(inner_, clock_, sleeper_, Options());
  ASSERT_TRUE(client.Send(HttpRequest::Get("https://api.github.com/a")).ok());
  EXPECT_EQ(sleeper_.sleeps(), (std::vector<milliseconds>{kDefaultLimitWait, kDefaultLimitWait}));
}

TEST_F(RetryingClientTest, PlainForbiddenIsNotARateLimit) {
  inner_.Script(
      FakeHttpClient::Response(403, {{"X-RateLimit-Remaining", "4000"}},
                               R"({"message":"Resource not accessible by integration"})"));
  RetryingClient client(inner_, clock_, sleeper_, Options());
  auto r = client.Send(HttpRequest::Get("https://api.github.com/a"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 403);
  EXPECT_TRUE(sleeper_.sleeps().empty());
  EXPECT_EQ(inner_.requests().size(), 1u);
}

TEST_F(RetryingClientTest, WaitPastTheCapFailsSayingWhenTheLimitResets) {
  const int64_t reset = kStart + 2 * 3'600'000;  // 2023-11-15T00:13:20Z
  inner_.Script(Limited(403, 0, reset, "rate limit"));
  TokenPool pool({kTokens[0]});
  RetryingClient client(inner_, clock_, sleeper_, Options(), &pool);
  auto r = client.Send(HttpRequest::Get("https://api.github.com/a"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted);
  const std::string& m = r.status().message();
  EXPECT_NE(m.find("rate limited until 2023-11-15T00:13:21Z"), std::string::npos) << m;
  EXPECT_NE(m.find("max_total_wait"), std::string::npos) << m;
  EXPECT_NE(m.find("token 1 of 1: 0 left"), std::string::npos) << m;
  ExpectNoToken(m);
  EXPECT_TRUE(sleeper_.sleeps().empty());
  EXPECT_EQ(inner_.requests().size(), 1u);
}

TEST_F(RetryingClientTest, BackoffPastTheCapGivesUpAtOnce) {
  RetryOptions o = Options();
  o.max_total_wait = std::chrono::minutes(10);
  inner_.Script(FakeHttpClient::Response(503, {{"Retry-After", "3600"}}));
  RetryingClient client(inner_, clock_, sleeper_, o);
  auto r = client.Send(HttpRequest::Get("https://h/x"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("max_total_wait"), std::string::npos) << r.status().message();
  EXPECT_TRUE(sleeper_.sleeps().empty());
}

TEST_F(RetryingClientTest, TokensRotateToTheOneWithQuotaLeft) {
  const int64_t reset = kStart + 3'600'000;
  FakeHttpClient inner([&](const HttpRequest& req) -> Result<HttpResponse> {
    const std::string auth = req.Header("Authorization").value_or("");
    if (auth == "token " + kTokens[0]) return Limited(200, 0, reset);
    if (auth == "token " + kTokens[1]) return Limited(200, 4000, reset);
    if (auth == "token " + kTokens[2]) return Limited(200, 10, reset);
    return FakeHttpClient::Response(401);
  });
  TokenPool pool(kTokens, "token");
  RetryingClient client(inner, clock_, sleeper_, Options(), &pool);
  for (int i = 0; i < 4; ++i) {
    HttpRequest req = HttpRequest::Get("https://api.github.com/x");
    req.SetHeader("Authorization", "token caller-supplied");  // replaced by the pool's
    ASSERT_TRUE(client.Send(req).ok());
  }
  std::vector<std::string> used;
  for (const auto& req : inner.requests()) used.push_back(*req.Header("authorization"));
  EXPECT_EQ(used, (std::vector<std::string>{"token " + kTokens[0], "token " + kTokens[1],
                                            "token " + kTokens[2], "token " + kTokens[1]}));
  EXPECT_TRUE(sleeper_.sleeps().empty());
  const std::string described = pool.Describe(clock_.NowUnixMillis());
  EXPECT_NE(described.find("token 2 of 3: 4000 left"), std::string::npos) << described;
  ExpectNoToken(described);
}

TEST_F(RetryingClientTest, AllTokensSpentWaitsForTheEarliestReset) {
  TokenPool pool({kTokens[0], kTokens[1]});
  inner_.Script(Limited(200, 0, kStart + 900'000));
  inner_.Script(Limited(200, 0, kStart + 300'000));
  inner_.Script(Limited(200, 4999, kStart + 4'000'000));
  RetryingClient client(inner_, clock_, sleeper_, Options(), &pool);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(client.Send(HttpRequest::Get("https://h/x")).ok());
  EXPECT_EQ(sleeper_.sleeps(), (std::vector<milliseconds>{milliseconds(301'000)}));
  EXPECT_EQ(inner_.requests()[2].Header("authorization"), "Bearer " + kTokens[1]);
}

TEST_F(RetryingClientTest, ATokenWhoseResetPassedIsPreferred) {
  TokenPool pool({kTokens[0], kTokens[1]});
  RetryingClient client(inner_, clock_, sleeper_, Options(), &pool);
  inner_.Script(Limited(200, 1, kStart + 60'000));  // token 1 nearly spent
  inner_.Script(Limited(200, 50, kStart + 60'000));
  ASSERT_TRUE(client.Send(HttpRequest::Get("https://h/x")).ok());
  ASSERT_TRUE(client.Send(HttpRequest::Get("https://h/x")).ok());  // token 2: unknown > 0 left
  clock_.AdvanceSeconds(120);  // both resets passed: both full again, token 1 first
  inner_.Script(FakeHttpClient::Response(200));
  ASSERT_TRUE(client.Send(HttpRequest::Get("https://h/x")).ok());
  const auto reqs = inner_.requests();
  EXPECT_EQ(reqs[1].Header("authorization"), "Bearer " + kTokens[1]);
  EXPECT_EQ(reqs[2].Header("authorization"), "Bearer " + kTokens[0]);
}

TEST_F(RetryingClientTest, RefusedTokensAreDisabledAndNeverShown) {
  TokenPool pool({kTokens[0], kTokens[1]});
  RetryingClient client(inner_, clock_, sleeper_, Options(), &pool);
  inner_.Script(FakeHttpClient::Response(401, {}, R"({"message":"Bad credentials"})"));
  inner_.Script(FakeHttpClient::Response(200));
  auto r = client.Send(HttpRequest::Get("https://h/x"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(pool.usable(), 1u);
  inner_.Script(FakeHttpClient::Response(401));
  auto last = client.Send(HttpRequest::Get("https://h/x"));
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(last->status, 401);  // the last token's refusal is the answer
  auto none = client.Send(HttpRequest::Get("https://h/x"));
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().code(), StatusCode::kUnauthenticated);
  EXPECT_NE(none.status().message().find("token 1 of 2: disabled"), std::string::npos);
  ExpectNoToken(none.status().message());
  EXPECT_EQ(inner_.requests().size(), 3u);
}

TEST_F(RetryingClientTest, AnonymousPoolKeepsTheCallersAuthorization) {
  inner_.Script(FakeHttpClient::Response(200));
  RetryingClient client(inner_, clock_, sleeper_, Options());
  HttpRequest req = HttpRequest::Get("https://h/x");
  req.SetHeader("Authorization", "Basic dXNlcjpwYXNz");
  ASSERT_TRUE(client.Send(req).ok());
  EXPECT_EQ(inner_.requests()[0].Header("authorization"), "Basic dXNlcjpwYXNz");
}

TEST_F(RetryingClientTest, EndlessRateLimitsStopAfterTheirBudget) {
  RetryOptions o = Options();
  o.max_rate_limit_retries = 3;
  for (int i = 0; i < 4; ++i) inner_.Script(FakeHttpClient::Response(429, {{"Retry-After", "1"}}));
  RetryingClient client(inner_, clock_, sleeper_, o);
  auto r = client.Send(HttpRequest::Get("https://h/x"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(r.status().message().find("still rate limited (HTTP 429) after 3 waits"),
            std::string::npos)
      << r.status().message();
  EXPECT_EQ(inner_.requests().size(), 4u);
}

}  // namespace
}  // namespace sei::net
