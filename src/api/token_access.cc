#include "api/token_access.h"

#include <openssl/sha.h>

#include "auth/team_lookup.h"
#include "auth/token_service.h"
#include "common/clock.h"

namespace sei::api {

namespace {

std::string Sha256Hex(std::string_view s) {
  unsigned char md[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(s.data()), s.size(), md);
  static const char* d = "0123456789abcdef";
  std::string out;
  for (unsigned char c : md) {
    out.push_back(d[c >> 4]);
    out.push_back(d[c & 15]);
  }
  return out;
}

auth::RouteGroup AuthGroup(RouteGroup g, const Target& t) {
  switch (g) {
    case RouteGroup::kPublic:
    case RouteGroup::kWebhook:
      return auth::RouteGroup::kPublic;
    case RouteGroup::kObservability:
      return auth::RouteGroup::kObservability;
    case RouteGroup::kOrgMetrics:
      return auth::RouteGroup::kOrgMetrics;
    case RouteGroup::kScopedMetrics:
      return auth::MetricsGroupFor(t.scope_kind);
    case RouteGroup::kEntityLists:
      return auth::RouteGroup::kEntityLists;
    case RouteGroup::kOrgRead:
      return auth::RouteGroup::kOrgRead;
    case RouteGroup::kOrgWrite:
      return auth::RouteGroup::kOrgWrite;
    case RouteGroup::kConnections:
      return auth::RouteGroup::kConnections;
    case RouteGroup::kCollect:
      return auth::RouteGroup::kCollect;
    case RouteGroup::kPush:
      return auth::RouteGroup::kPush;
    case RouteGroup::kAdmin:
      return auth::RouteGroup::kAdmin;
  }
  return auth::RouteGroup::kAdmin;
}

}  // namespace

Result<Caller> TokenAccess::Authenticate(const HttpRequest& request, bool* unauthenticated) {
  auto header = request.Header("authorization");
  if (!header || header->rfind("Bearer ", 0) != 0) {
    *unauthenticated = true;
    return UnauthenticatedError(
        "send \"Authorization: Bearer <token>\"; create a token with `sei token create --role "
        "ROLE` or log in with POST /api/v1/login");
  }
  const int64_t now = SystemClock::Get().NowUnixSeconds();
  // The cache key is a digest, so the token itself is not kept in memory.
  const std::string digest = Sha256Hex(header->substr(7));
  if (cache_seconds_ > 0) {
    std::lock_guard<std::mutex> l(mu_);
    auto it = cache_.find(digest);
    if (it != cache_.end() && it->second.second > now) return it->second.first;
  }
  SEI_ASSIGN_OR_RETURN(auto store, stores_->Acquire());
  auth::TokenService tokens(*store);
  auto p = tokens.Verify(header->substr(7), now);
  if (!p.ok()) {
    *unauthenticated = p.status().code() == StatusCode::kUnauthenticated;
    return p.status();
  }
  Caller c;
  c.id = p->id;
  c.name = p->name;
  c.role = std::string(auth::RoleName(p->role));
  c.person_id = p->person_id;
  c.user_id = p->user_id;
  c.team_ids = p->team_ids;
  if (cache_seconds_ > 0) {
    std::lock_guard<std::mutex> l(mu_);
    if (cache_.size() > 10000) cache_.clear();
    cache_[digest] = {c, now + cache_seconds_};
  }
  return c;
}

Status TokenAccess::Authorize(const Caller& caller, RouteGroup group, const Target& target) {
  auth::Principal p;
  p.id = caller.id;
  p.name = caller.name;
  auto role = auth::ParseRole(caller.role);
  if (!role.ok()) return PermissionDeniedError("the caller has no role");
  p.role = *role;
  p.person_id = caller.person_id;
  p.user_id = caller.user_id;
  p.team_ids = caller.team_ids;
  auth::Target t;
  t.scope_kind = target.scope_kind;
  t.scope_id = target.scope_id;
  if (target.scope_kind == "person" && !target.scope_id.empty()) {
    SEI_ASSIGN_OR_RETURN(auto store, stores_->Acquire());
    SEI_ASSIGN_OR_RETURN(
        t.person_team_ids,
        auth::TeamsOfPerson(*store, target.scope_id, SystemClock::Get().NowUnixSeconds()));
  }
  auth::Decision d = auth::Authorize(p, AuthGroup(group, target), t, settings_);
  if (!d.allowed) return PermissionDeniedError(d.reason);
  return Status::Ok();
}

}  // namespace sei::api
