// RetryingClient: an HttpClient decorator that retries what is worth
// retrying, waits out rate limits, and rotates tokens, so that a collector
// sees a request either succeed or fail for a reason worth reporting.
//
// Why: remote APIs fail in passing (a 502 from a load balancer, a reset
// connection) and refuse bursts (GitHub's primary and secondary rate
// limits). Each connector handling that itself would do it differently;
// wrapping the transport once (leveldb's EnvWrapper idea) keeps collectors
// to their own logic.
//
// For each Send():
//   1. Ask the TokenPool (token_pool.h; an anonymous one when none is given)
//      for a token. When every token's quota is spent (X-RateLimit-Remaining
//      0) or blocked (Retry-After), sleep until the first one is available
//      (the reset plus one second), then ask again. The request's own
//      Authorization header is replaced by the pool's (kept for an anonymous
//      pool).
//   2. Send through the wrapped client; give the response to the pool.
//   3. Decide:
//      - a rate-limit refusal (rate_limit.h: 429, or 403 with Retry-After,
//        Remaining 0 or a "rate limit" body): back to 1, where the pool makes
//        it wait; at most `max_rate_limit_retries` times. Also for POST.
//      - 401 with a token pool: that token is disabled and the request is
//        sent again with another; with no token left the 401 is returned.
//      - a transport error with code kUnavailable, or a 5xx other than 501
//        and 505: retried after a back-off, up to `max_attempts` sends in
//        all. Back-off is exponential with full jitter: a uniform random
//        wait in [0, min(max_backoff, initial_backoff * 2^(n-1))] before the
//        n-th retry, or the response's Retry-After when that is longer. POST
//        and PATCH are not retried this way unless `retry_non_idempotent`.
//        Giving up returns the last error, or kUnavailable naming the last
//        HTTP status ("gave up after 5 attempts; the last answer was HTTP
//        502").
//      - anything else (2xx, 3xx, other 4xx): returned as is.
// Waiting is capped: when the next wait would bring the total slept for one
// request over `max_total_wait`, Send fails at once, with kResourceExhausted
// saying when the limit resets for a rate limit. All waiting goes through the
// Sleeper and all times through the Clock given (common/sleeper.h, clock.h),
// so tests neither sleep nor depend on the wall clock.
//
// Messages name the method and RedactUrl(url), and tokens by position only;
// no token text ever appears in a Status.
//
// Thread safety: like the wrapped client: one RetryingClient per thread
// (it holds a random generator and calls the wrapped client). The TokenPool
// may be shared across threads; the Clock and Sleeper must be thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <string>

#include "common/clock.h"
#include "common/sleeper.h"
#include "net/http_client.h"
#include "net/token_pool.h"

namespace sei::net {

struct RetryOptions {
  int max_attempts = 5;  // sends per request for transport errors and 5xx (>= 1)
  std::chrono::milliseconds initial_backoff{std::chrono::seconds(1)};
  std::chrono::milliseconds max_backoff{std::chrono::minutes(1)};
  // The most one request may spend sleeping (back-off and rate limits).
  std::chrono::milliseconds max_total_wait{std::chrono::hours(1)};
  int max_rate_limit_retries = 10;    // rate-limit refusals sent again per request
  bool retry_non_idempotent = false;  // also retry POST/PATCH after errors and 5xx
  uint64_t jitter_seed = 0;           // 0: seeded from std::random_device
};

class RetryingClient final : public HttpClient {
 public:
  // `inner`, `clock`, `sleeper` and `tokens` (null: an anonymous pool of
  // its own) must outlive this client.
  RetryingClient(HttpClient& inner, const Clock& clock, Sleeper& sleeper, RetryOptions options = {},
                 TokenPool* tokens = nullptr);

  Result<HttpResponse> Send(const HttpRequest& request) override;

 private:
  struct Attempts;  // one Send's counters

  // Sleeps until the pool has a token, or fails when that is past the cap.
  Status WaitForToken(const TokenPool::Choice& choice, Attempts* a);
  // Sleeps the back-off before retry `a->sends` (or `retry_after`); false
  // when that would pass the cap.
  bool Backoff(std::optional<int64_t> retry_after_ms, Attempts* a);
  // After a transport error / a response: true to send again (having
  // waited), false to return `*r`, which may be replaced by a clearer error.
  bool AgainAfterError(const HttpRequest& request, Result<HttpResponse>* r, Attempts* a);
  bool AgainAfterResponse(const HttpRequest& request, size_t slot, Result<HttpResponse>* r,
                          Attempts* a);
  bool Retryable(const HttpRequest& request) const;
  int MaxSends() const { return options_.max_attempts > 1 ? options_.max_attempts : 1; }

  HttpClient& inner_;
  const Clock& clock_;
  Sleeper& sleeper_;
  const RetryOptions options_;
  std::unique_ptr<TokenPool> own_pool_;  // when none was given
  TokenPool& pool_;
  std::mt19937_64 rng_;
};

}  // namespace sei::net
