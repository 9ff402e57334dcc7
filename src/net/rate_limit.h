// Rate limits: what a source's response headers say about its limits
// (RateLimitHeaders), and the quota of one credential built from them
// (Quota), which says when the next request may be sent.
//
// Why: GitHub allows 5,000 requests an hour per token and refuses bursts
// with secondary limits; GitLab and Jira have their own. A collector that
// ignores them is locked out or banned, so the RetryingClient
// (retrying_client.h) and the TokenPool (token_pool.h) wait on a Quota
// before each request instead of sending it into a refusal.
//
// Headers read (names in any case):
//   X-RateLimit-Remaining / RateLimit-Remaining   requests left (GitHub; GitLab)
//   X-RateLimit-Reset / RateLimit-Reset           when they refill: epoch seconds,
//                                                 or seconds from now when the value
//                                                 is below 10^9 (the IETF draft form)
//   X-RateLimit-Limit, X-RateLimit-Used, X-RateLimit-Resource   (for messages)
//   Retry-After                                   seconds, or an HTTP date
//   Date                                          the server's clock: reset times are
//                                                 moved by our clock's offset from it
//                                                 (at most 15 minutes either way)
//
// A response is rate limited (IsRateLimited) when it is a 429, or a 403 that
// has a Retry-After, says X-RateLimit-Remaining: 0, or whose body speaks of a
// rate limit (GitHub's secondary limits). A 403 without any of those is a
// permission error and is not retried.
//
// Quota rules: with Remaining 0 no request goes before the reset plus one
// second; a rate-limited answer with Retry-After blocks for that long; one
// without Retry-After or a reset blocks for kDefaultLimitWait (GitHub's
// documented "wait at least one minute"). Once the reset has passed, the
// remaining count is unknown again (treated as full).
//
// Thread safety: RateLimitHeaders and Quota are values with no locking; the
// TokenPool guards its quotas with its own mutex.
#pragma once

#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include "net/http_client.h"

namespace sei::net {

struct RateLimitHeaders {
  std::optional<int64_t> limit;
  std::optional<int64_t> remaining;
  std::optional<int64_t> used;
  std::optional<int64_t> reset_ms;        // local clock, skew-corrected
  std::optional<int64_t> retry_after_ms;  // a duration
  std::string resource;                   // X-RateLimit-Resource ("core", "search", ...)
};

// Reads `response`'s rate-limit headers at local time `now_ms`. Values that do
// not parse are left unset.
RateLimitHeaders ParseRateLimitHeaders(const HttpResponse& response, int64_t now_ms);

// The response is a rate-limit refusal (see above), not a permission error.
bool IsRateLimited(const HttpResponse& response, const RateLimitHeaders& headers);

inline constexpr std::chrono::milliseconds kDefaultLimitWait = std::chrono::seconds(60);

class Quota {
 public:
  static constexpr int64_t kUnknown = std::numeric_limits<int64_t>::max();

  // Takes in what `response` (received at `now_ms`) says.
  void Update(const HttpResponse& response, int64_t now_ms);
  // Counts one request sent (the estimate until its response says better).
  void Spend();

  // The earliest local time (ms since the epoch) a request may be sent;
  // a time <= now means now.
  int64_t AvailableAtMillis() const;
  // Requests left at `now_ms`; kUnknown when no response said or the reset
  // has passed.
  int64_t Remaining(int64_t now_ms) const;
  // When the remaining count refills (local ms), when a response said.
  std::optional<int64_t> reset_ms() const { return reset_ms_; }
  const std::string& resource() const { return resource_; }

 private:
  std::optional<int64_t> remaining_;
  std::optional<int64_t> reset_ms_;
  int64_t blocked_until_ms_ = 0;  // Retry-After or a secondary limit
  std::string resource_;
};

}  // namespace sei::net
