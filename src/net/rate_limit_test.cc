#include "net/rate_limit.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "fakes/fake_http_client.h"
#include "testing/test_util.h"

namespace sei::net {
namespace {

constexpr int64_t kNow = 1'700'000'000'000;

HttpResponse With(int status, HttpHeaders headers, std::string body = "") {
  return FakeHttpClient::Response(status, std::move(headers), std::move(body));
}

TEST(RateLimitTest, ParsesGithubAndGitlabHeaders) {
  const auto gh = ParseRateLimitHeaders(With(200, {{"X-RateLimit-Limit", "5000"},
                                                   {"X-RateLimit-Remaining", "4997"},
                                                   {"X-RateLimit-Used", "3"},
                                                   {"X-RateLimit-Reset", "1700000600"},
                                                   {"X-RateLimit-Resource", "core"}}),
                                        kNow);
  EXPECT_EQ(gh.limit, 5000);
  EXPECT_EQ(gh.remaining, 4997);
  EXPECT_EQ(gh.used, 3);
  EXPECT_EQ(gh.reset_ms, kNow + 600'000);
  EXPECT_EQ(gh.resource, "core");
  EXPECT_FALSE(gh.retry_after_ms.has_value());
  // GitLab: RateLimit-* without the X-; the IETF draft's delta-seconds reset.
  const auto gl = ParseRateLimitHeaders(
      With(200, {{"RateLimit-Remaining", "0"}, {"RateLimit-Reset", "42"}}), kNow);
  EXPECT_EQ(gl.remaining, 0);
  EXPECT_EQ(gl.reset_ms, kNow + 42'000);
  const auto junk = ParseRateLimitHeaders(
      With(200, {{"X-RateLimit-Remaining", "lots"}, {"Retry-After", "soon"}}), kNow);
  EXPECT_FALSE(junk.remaining.has_value());
  EXPECT_FALSE(junk.retry_after_ms.has_value());
}

TEST(RateLimitTest, RetryAfterInSecondsOrAsAnHttpDate) {
  EXPECT_EQ(ParseRateLimitHeaders(With(429, {{"Retry-After", "120"}}), kNow).retry_after_ms,
            120'000);
  // 2023-11-14T22:13:20Z is kNow; the date says 90 s later.
  EXPECT_EQ(
      ParseRateLimitHeaders(With(503, {{"Retry-After", "Tue, 14 Nov 2023 22:14:50 GMT"}}), kNow)
          .retry_after_ms,
      90'000);
}

// The server's Date moves its reset time onto our clock: in the PyGithub
// recording the reset is an hour after Date; a local clock 5 minutes ahead
// waits until 5 minutes after the reset's epoch value.
TEST(RateLimitTest, ResetIsCorrectedForClockSkewFromTheRecordedDate) {
  const std::string root = testing::SharedFixturesDir();
  if (root.empty()) GTEST_SKIP() << "../shared/fixtures is absent";
  const auto doc = nlohmann::json::parse(testing::ReadFile(
      root + "/payloads/recordings/github_actions_runs_created_filter__pygithub.json"));
  HttpResponse r;
  r.status = 200;
  for (const auto& [name, value] : doc[0]["headers"].items()) {
    r.headers.emplace_back(AsciiLower(name), value.get<std::string>());
  }
  ASSERT_EQ(r.Header("date"), "Thu, 01 Feb 2024 12:09:42 GMT");  // 1706789382
  ASSERT_EQ(r.Header("x-ratelimit-reset"), "1706792982");
  const int64_t server_now = int64_t{1706789382} * 1000;
  const int64_t ahead = 5 * 60 * 1000;
  const auto h = ParseRateLimitHeaders(r, server_now + ahead);
  EXPECT_EQ(h.remaining, 4997);
  EXPECT_EQ(h.limit, 5000);
  EXPECT_EQ(h.reset_ms, int64_t{1706792982} * 1000 + ahead);
  // A skew beyond 15 minutes is not believed in full.
  EXPECT_EQ(ParseRateLimitHeaders(r, server_now + 10 * ahead).reset_ms,
            int64_t{1706792982} * 1000 + 15 * 60 * 1000);
}

TEST(RateLimitTest, WhatCountsAsARateLimit) {
  const auto limited = [](const HttpResponse& r) {
    return IsRateLimited(r, ParseRateLimitHeaders(r, kNow));
  };
  EXPECT_TRUE(limited(With(429, {})));
  EXPECT_TRUE(limited(With(403, {{"Retry-After", "60"}})));
  EXPECT_TRUE(limited(With(403, {{"X-RateLimit-Remaining", "0"}})));
  EXPECT_TRUE(limited(With(403, {}, R"({"message":"You have exceeded a secondary rate limit."})")));
  EXPECT_TRUE(limited(With(403, {}, R"({"message":"API rate limit exceeded for user ID 1."})")));
  EXPECT_FALSE(limited(With(403, {{"X-RateLimit-Remaining", "12"}}, R"({"message":"Forbidden"})")));
  EXPECT_FALSE(limited(With(200, {{"X-RateLimit-Remaining", "0"}})));
  EXPECT_FALSE(limited(With(503, {{"Retry-After", "5"}})));
}

TEST(RateLimitTest, QuotaWaitsForTheResetPlusASecondThenRefills) {
  Quota q;
  EXPECT_EQ(q.Remaining(kNow), Quota::kUnknown);
  EXPECT_LE(q.AvailableAtMillis(), kNow);
  q.Update(With(200, {{"X-RateLimit-Remaining", "2"}, {"X-RateLimit-Reset", "1700000600"}}), kNow);
  EXPECT_EQ(q.Remaining(kNow), 2);
  q.Spend();
  q.Spend();
  q.Spend();  // never below zero
  EXPECT_EQ(q.Remaining(kNow), 0);
  EXPECT_EQ(q.AvailableAtMillis(), kNow + 601'000);
  EXPECT_EQ(q.Remaining(kNow + 601'000), Quota::kUnknown);  // refilled
}

TEST(RateLimitTest, QuotaBlocksOnRetryAfterAndOnLimitsWithoutAReset) {
  Quota q;
  q.Update(With(429, {{"Retry-After", "30"}}), kNow);
  EXPECT_EQ(q.AvailableAtMillis(), kNow + 30'000);
  Quota secondary;
  secondary.Update(With(403, {}, "secondary rate limit"), kNow);
  EXPECT_EQ(secondary.AvailableAtMillis(), kNow + kDefaultLimitWait.count());
  Quota stale;  // remaining 0 and a reset already past by our clock
  stale.Update(With(403, {{"X-RateLimit-Remaining", "0"}, {"X-RateLimit-Reset", "1699999000"}}),
               kNow);
  EXPECT_EQ(stale.AvailableAtMillis(), kNow + kDefaultLimitWait.count());
  Quota fine;  // a 5xx's Retry-After is back-off, not quota
  fine.Update(With(503, {{"Retry-After", "30"}}), kNow);
  EXPECT_LE(fine.AvailableAtMillis(), kNow);
}

}  // namespace
}  // namespace sei::net
