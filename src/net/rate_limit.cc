#include "net/rate_limit.h"

#include <algorithm>
#include <charconv>

#include "common/time.h"

namespace sei::net {
namespace {

constexpr int64_t kMaxSkewMs = 15 * 60 * 1000;
constexpr int64_t kEpochThreshold = 1'000'000'000;  // below: seconds from now
constexpr size_t kBodyScan = 2048;                  // how much of a 403 body is searched

std::optional<int64_t> ParseInt(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  const char* begin = text->data();
  const char* end = begin + text->size();
  while (begin < end && *begin == ' ') ++begin;
  int64_t value = 0;
  const auto parsed = std::from_chars(begin, end, value);
  const char* ptr = parsed.ptr;
  if (parsed.ec != std::errc() || ptr == begin) return std::nullopt;
  while (ptr < end && *ptr == ' ') ++ptr;
  if (ptr != end) return std::nullopt;
  return value;
}

std::optional<std::string> FirstOf(const HttpResponse& r, const char* a, const char* b) {
  auto v = r.Header(a);
  return v ? v : r.Header(b);
}

// Our clock minus the server's (from Date), clamped; 0 without a Date.
int64_t SkewMs(const HttpResponse& r, int64_t now_ms) {
  const auto date = r.Header("date");
  if (!date) return 0;
  const auto ts = ParseTimestamp(*date);
  if (!ts.ok()) return 0;
  return std::clamp(now_ms - ts->UnixMillis(), -kMaxSkewMs, kMaxSkewMs);
}

std::optional<int64_t> RetryAfterMs(const HttpResponse& r, int64_t now_ms, int64_t skew_ms) {
  const auto text = r.Header("retry-after");
  if (!text) return std::nullopt;
  if (const auto seconds = ParseInt(text)) return std::max<int64_t>(0, *seconds) * 1000;
  const auto ts = ParseTimestamp(*text);  // an HTTP date
  if (!ts.ok()) return std::nullopt;
  return std::max<int64_t>(0, ts->UnixMillis() + skew_ms - now_ms);
}

bool MentionsRateLimit(const std::string& body) {
  return AsciiLower(std::string_view(body).substr(0, kBodyScan)).find("rate limit") !=
         std::string::npos;
}

}  // namespace

RateLimitHeaders ParseRateLimitHeaders(const HttpResponse& r, int64_t now_ms) {
  RateLimitHeaders h;
  const int64_t skew = SkewMs(r, now_ms);
  h.limit = ParseInt(FirstOf(r, "x-ratelimit-limit", "ratelimit-limit"));
  h.remaining = ParseInt(FirstOf(r, "x-ratelimit-remaining", "ratelimit-remaining"));
  h.used = ParseInt(FirstOf(r, "x-ratelimit-used", "ratelimit-used"));
  if (const auto reset = ParseInt(FirstOf(r, "x-ratelimit-reset", "ratelimit-reset"))) {
    h.reset_ms = *reset < kEpochThreshold ? now_ms + *reset * 1000 : *reset * 1000 + skew;
  }
  h.retry_after_ms = RetryAfterMs(r, now_ms, skew);
  h.resource = r.Header("x-ratelimit-resource").value_or("");
  return h;
}

bool IsRateLimited(const HttpResponse& r, const RateLimitHeaders& h) {
  if (r.status == 429) return true;
  if (r.status != 403) return false;
  return h.retry_after_ms.has_value() || h.remaining == 0 || MentionsRateLimit(r.body);
}

void Quota::Update(const HttpResponse& response, int64_t now_ms) {
  const RateLimitHeaders h = ParseRateLimitHeaders(response, now_ms);
  if (h.remaining) remaining_ = h.remaining;
  if (h.reset_ms) reset_ms_ = h.reset_ms;
  if (!h.resource.empty()) resource_ = h.resource;
  if (IsRateLimited(response, h)) {
    if (h.retry_after_ms) {
      blocked_until_ms_ = std::max(blocked_until_ms_, now_ms + *h.retry_after_ms);
    } else if (!(h.remaining == 0 && h.reset_ms && *h.reset_ms + 1000 > now_ms)) {
      // No usable reset time (none, or already past by our clock): GitHub's
      // advice for secondary limits is to wait at least a minute.
      blocked_until_ms_ = std::max(blocked_until_ms_, now_ms + kDefaultLimitWait.count());
    }
  } else if (h.remaining == 0 && !h.reset_ms && !reset_ms_) {
    blocked_until_ms_ = std::max(blocked_until_ms_, now_ms + kDefaultLimitWait.count());
  }
}

void Quota::Spend() {
  if (remaining_ && *remaining_ > 0) --*remaining_;
}

int64_t Quota::AvailableAtMillis() const {
  int64_t at = blocked_until_ms_;
  if (remaining_ == 0 && reset_ms_) at = std::max(at, *reset_ms_ + 1000);
  return at;
}

int64_t Quota::Remaining(int64_t now_ms) const {
  if (!remaining_) return kUnknown;
  if (reset_ms_ && now_ms >= *reset_ms_ + 1000) return kUnknown;  // refilled
  return *remaining_;
}

}  // namespace sei::net
