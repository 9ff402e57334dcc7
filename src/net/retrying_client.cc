#include "net/retrying_client.h"

#include <algorithm>

#include "common/strings.h"
#include "common/time.h"
#include "net/rate_limit.h"

namespace sei::net {

struct RetryingClient::Attempts {
  std::string what;      // "GET <redacted url>", for messages
  int sends = 0;         // counted against max_attempts
  int rate_limited = 0;  // rate-limit refusals so far
  int64_t waited_ms = 0;
};

namespace {

std::string Duration(int64_t ms) { return HumanDuration(static_cast<double>(ms) / 1000.0); }

std::unique_ptr<TokenPool> PoolUnless(TokenPool* given) {
  return given != nullptr ? nullptr : std::make_unique<TokenPool>();
}

uint64_t Seed(uint64_t seed) { return seed != 0 ? seed : std::random_device{}(); }

bool RetryableStatus(int status) { return status >= 500 && status != 501 && status != 505; }

std::string Attempted(int sends) {
  return std::to_string(sends) + (sends == 1 ? " attempt" : " attempts");
}

}  // namespace

RetryingClient::RetryingClient(HttpClient& inner, const Clock& clock, Sleeper& sleeper,
                               RetryOptions options, TokenPool* tokens)
    : inner_(inner),
      clock_(clock),
      sleeper_(sleeper),
      options_(options),
      own_pool_(PoolUnless(tokens)),
      pool_(tokens != nullptr ? *tokens : *own_pool_),
      rng_(Seed(options.jitter_seed)) {}

bool RetryingClient::Retryable(const HttpRequest& request) const {
  return options_.retry_non_idempotent || (request.method != "POST" && request.method != "PATCH");
}

Status RetryingClient::WaitForToken(const TokenPool::Choice& choice, Attempts* a) {
  const int64_t now = clock_.NowUnixMillis();
  if (choice.available_at_ms == TokenPool::kNever) {
    return UnauthenticatedError(a->what + ": every token was refused by the source (HTTP 401); " +
                                pool_.Describe(now));
  }
  const int64_t wait = std::max<int64_t>(0, choice.available_at_ms - now);
  if (a->waited_ms + wait > options_.max_total_wait.count()) {
    return ResourceExhaustedError(
        a->what + ": rate limited until " + FormatRfc3339Utc(choice.available_at_ms / 1000) +
        " (in " + Duration(wait) + "), past the wait cap of " +
        Duration(options_.max_total_wait.count()) + " (max_total_wait); " + pool_.Describe(now));
  }
  sleeper_.SleepFor(std::chrono::milliseconds(wait));
  a->waited_ms += wait;
  return Status::Ok();
}

bool RetryingClient::Backoff(std::optional<int64_t> retry_after_ms, Attempts* a) {
  const int shift = std::min(a->sends - 1, 30);
  const int64_t ceiling =
      std::min<int64_t>(options_.max_backoff.count(), options_.initial_backoff.count() << shift);
  std::uniform_int_distribution<int64_t> jitter(0, std::max<int64_t>(0, ceiling));
  const int64_t wait = std::max(jitter(rng_), retry_after_ms.value_or(0));
  if (a->waited_ms + wait > options_.max_total_wait.count()) return false;
  sleeper_.SleepFor(std::chrono::milliseconds(wait));
  a->waited_ms += wait;
  return true;
}

bool RetryingClient::AgainAfterError(const HttpRequest& request, Result<HttpResponse>* r,
                                     Attempts* a) {
  const Status& s = r->status();
  if (s.code() == StatusCode::kUnavailable && Retryable(request) && a->sends < MaxSends() &&
      Backoff(std::nullopt, a)) {
    return true;
  }
  if (a->sends > 1) {
    *r = Status(s.code(), s.message() + " (gave up after " + Attempted(a->sends) + ")");
  }
  return false;
}

bool RetryingClient::AgainAfterResponse(const HttpRequest& request, size_t slot,
                                        Result<HttpResponse>* r, Attempts* a) {
  const HttpResponse& response = **r;
  const int64_t now = clock_.NowUnixMillis();
  pool_.Update(slot, response, now);
  const RateLimitHeaders limits = ParseRateLimitHeaders(response, now);
  if (IsRateLimited(response, limits)) {
    if (++a->rate_limited <= options_.max_rate_limit_retries) {
      --a->sends;  // the pool's wait, not max_attempts, bounds these
      return true;
    }
    *r = ResourceExhaustedError(
        a->what + ": still rate limited (HTTP " + std::to_string(response.status) + ") after " +
        std::to_string(options_.max_rate_limit_retries) + " waits; " + pool_.Describe(now));
    return false;
  }
  if (response.status == 401 && !pool_.anonymous()) {
    const bool another = pool_.usable() > 1;
    pool_.Disable(slot);
    if (another) --a->sends;
    return another;
  }
  if (!RetryableStatus(response.status) || !Retryable(request)) return false;
  if (a->sends < MaxSends() && Backoff(limits.retry_after_ms, a)) return true;
  *r =
      UnavailableError(a->what + ": gave up after " + Attempted(a->sends) +
                       "; the last answer was HTTP " + std::to_string(response.status) +
                       (a->sends < MaxSends() ? " (the next wait would pass max_total_wait)" : ""));
  return false;
}

Result<HttpResponse> RetryingClient::Send(const HttpRequest& request) {
  Attempts a;
  a.what = request.method + " " + RedactUrl(request.url);
  while (true) {
    const TokenPool::Choice choice = pool_.Acquire(clock_.NowUnixMillis());
    if (!choice.ready) {
      SEI_RETURN_IF_ERROR(WaitForToken(choice, &a));
      continue;
    }
    HttpRequest sent = request;
    if (!pool_.anonymous()) sent.SetHeader("Authorization", choice.authorization);
    ++a.sends;
    Result<HttpResponse> r = inner_.Send(sent);
    const bool again = r.ok() ? AgainAfterResponse(request, choice.slot, &r, &a)
                              : AgainAfterError(request, &r, &a);
    if (!again) return r;
  }
}

}  // namespace sei::net
