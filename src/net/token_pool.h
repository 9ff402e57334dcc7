// TokenPool: several API tokens for one source, rotated so that a collection
// uses the one with the most quota left, and waits only when all are spent.
//
// Why: one GitHub token allows 5,000 requests an hour; a large organisation's
// first sync needs far more. Teams give SEI several tokens (from several
// bot accounts or apps); the RetryingClient (retrying_client.h) asks the pool
// for an Authorization value before every request and gives it back each
// response, whose rate-limit headers (rate_limit.h) update that token's
// Quota.
//
// Choice: among the usable tokens whose quota allows a request now, the one
// with the most requests left, where a token not used yet or whose reset has
// passed counts as full; ties go to the earlier token. When none allows a
// request, Acquire says when the first one will. A token the source refused
// with 401 is disabled (Disable) and never chosen again.
//
// A pool built with no tokens has one anonymous slot: no Authorization
// header, but its quota is tracked the same way (GitHub allows 60 anonymous
// requests an hour).
//
// Secrets: the tokens are only ever returned inside Choice::authorization,
// for the request header. Describe() and every message name tokens by their
// position ("token 2 of 3"), never by their text.
//
// Limits: one quota per token. GitHub counts "core", "search" and "graphql"
// separately; a collector that mixes them heavily should use one pool per
// resource.
//
// Thread safety: thread-safe; one pool may be shared by RetryingClients on
// many threads (a mutex guards the quotas). Acquire counts the request
// against the chosen quota at once, so concurrent callers spread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <mutex>
#include <string>
#include <vector>

#include "net/http_client.h"
#include "net/rate_limit.h"

namespace sei::net {

class TokenPool {
 public:
  static constexpr int64_t kNever = std::numeric_limits<int64_t>::max();

  // Each token is sent as "Authorization: <scheme> <token>" (GitHub accepts
  // "Bearer" and "token"; GitLab "Bearer").
  explicit TokenPool(std::vector<std::string> tokens = {}, std::string scheme = "Bearer");
  TokenPool(const TokenPool&) = delete;
  TokenPool& operator=(const TokenPool&) = delete;

  struct Choice {
    bool ready = false;  // a token may be used now: `slot` and `authorization` are set
    size_t slot = 0;     // give it back to Update() / Disable()
    // The Authorization header value ("" for the anonymous slot). A secret:
    // put it in the request and nowhere else.
    std::string authorization;
    int64_t available_at_ms = 0;  // when not ready: the earliest time one will be;
                                  // kNever when every token is disabled
  };

  // The token to use for a request at `now_ms`, counted as spent.
  Choice Acquire(int64_t now_ms);
  // Takes in the response to a request sent with `slot`.
  void Update(size_t slot, const HttpResponse& response, int64_t now_ms);
  // Never choose `slot` again (the source refused it: HTTP 401). No-op for
  // the anonymous slot.
  void Disable(size_t slot);

  size_t size() const { return slots_.size(); }  // 1 for an anonymous pool
  bool anonymous() const { return anonymous_; }
  // Slots not disabled.
  size_t usable() const;
  // One line on every slot's state, e.g. "token 1 of 2: 0 left, resets
  // 2024-02-01T12:29:42Z; token 2 of 2: disabled (refused by the source)".
  std::string Describe(int64_t now_ms) const;

 private:
  struct Slot {
    std::string authorization;
    Quota quota;
    bool disabled = false;
  };

  std::string Name(size_t slot) const;

  const bool anonymous_;
  mutable std::mutex mu_;
  std::vector<Slot> slots_;  // the quotas and flags are guarded by mu_
};

}  // namespace sei::net
