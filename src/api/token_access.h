// TokenAccess: the server's AccessControl over src/auth. A request names its
// caller with "Authorization: Bearer <token>" (an API token from
// `sei token create`, or a session from POST /api/v1/login); the token is
// verified against its stored hash, and the role rules of auth/access_policy
// decide per route group and scope. Person targets are checked with the
// teams that person belongs to now.
//
// Thread safety: any number of threads (each call borrows a Store).
#pragma once

#include <mutex>
#include <unordered_map>
#include "api/api_server.h"

#include "auth/access_policy.h"

namespace sei::api {

// Verified tokens are remembered for `cache_seconds` (by a hash of the
// token, never the token itself), so a busy dashboard does not cost a store
// lookup per request; a revoked token stops working within that time.
class TokenAccess : public AccessControl {
 public:
  TokenAccess(StorePool* stores, auth::AccessSettings settings, int cache_seconds)
      : stores_(stores), settings_(settings), cache_seconds_(cache_seconds) {}

  Result<Caller> Authenticate(const HttpRequest& request, bool* unauthenticated) override;
  Status Authorize(const Caller& caller, RouteGroup group, const Target& target) override;

 private:
  StorePool* stores_;
  auth::AccessSettings settings_;
  int cache_seconds_;
  std::mutex mu_;                                                      // guards cache_
  std::unordered_map<std::string, std::pair<Caller, int64_t>> cache_;  // digest -> caller, expiry
};

}  // namespace sei::api
