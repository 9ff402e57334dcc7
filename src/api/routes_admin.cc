// Admin routes: API tokens (list, create — shown once —, revoke), users
// (list) and the audit log, the same things `sei token` and `sei user` do
// on the command line. Each write commits with its audit entry.
#include <fmt/format.h>

#include "api/api_server.h"
#include "api/entity_json.h"
#include "api/request_params.h"
#include "api/write_support.h"
#include "auth/token_service.h"
#include "auth/user_service.h"
#include "common/time.h"

namespace sei::api {

namespace {

using nlohmann::json;

json TokenJson(const model::ApiToken& t) {
  return {{"id", t.id},
          {"name", t.name},
          {"prefix", t.prefix},
          {"role", t.role},
          {"user_id", OptOrNull(t.user_id)},
          {"created_at", FormatRfc3339Utc(t.created_at)},
          {"expires_at", TimeOrNull(t.expires_at)},
          {"last_used_at", TimeOrNull(t.last_used_at)},
          {"revoked_at", TimeOrNull(t.revoked_at)}};
}

HttpResponse ListTokens(ApiServer& api) {
  auto store = api.stores().Acquire();
  if (!store.ok()) return ErrorResponse(store.status());
  auto tokens = auth::TokenService(**store).List();
  if (!tokens.ok()) return ErrorResponse(tokens.status());
  json items = json::array();
  for (const auto& t : *tokens) items.push_back(TokenJson(t));
  return JsonResponse({{"tokens", items}});
}

HttpResponse CreateToken(ApiServer& api, const HttpRequest& r, const Caller& c) {
  WriteRequest w(api, r, false);
  if (!w.ok()) return w.error();
  FieldReader& f = w.fields();
  auto role = f.Enum("role", true, {"admin", "manager", "member", "viewer"});
  auto name = f.String("name", false, 200);
  auto email = f.String("user", false, 320);
  auto days = f.Int("expires_in_days", false, 1, 3650);
  std::optional<std::string> user_id;
  if (email) {
    auto user = auth::UserService(w.store()).FindByEmail(*email);
    if (!user.ok()) return ErrorResponse(user.status());
    if (!*user) {
      f.Error("user", "no user with this email (GET /api/v1/users lists them)");
    } else {
      user_id = (*user)->id;
    }
  }
  if (auto invalid = w.Invalid()) return *invalid;
  auto parsed = auth::ParseRole(*role);
  if (!parsed.ok()) return ErrorResponse(parsed.status());
  const int64_t now = SystemClock::Get().NowUnixSeconds();
  std::optional<int64_t> expires_at;
  if (days) expires_at = now + *days * 86400;
  auth::AuditEntry audit = AuditEntryFor(r, c);
  audit.action = "token.create";
  audit.detail = "role " + *role + ", name \"" + name.value_or("") + "\", user " +
                 user_id.value_or("-") + ", expires " +
                 (expires_at ? FormatRfc3339Utc(*expires_at) : "never");
  auto created = auth::TokenService(w.store()).Create(*parsed, name.value_or(""), user_id,
                                                      expires_at, std::move(audit));
  if (!created.ok()) return ErrorResponse(created.status());
  json out = TokenJson(created->token);
  out["token"] = created->plaintext;  // shown once; only its hash is stored
  HttpResponse resp = JsonResponse(out, 201);
  resp.headers.push_back({"Cache-Control", "no-store"});
  return resp;
}

HttpResponse RevokeToken(ApiServer& api, const HttpRequest& r, const Caller& c) {
  auto store = api.stores().Acquire();
  if (!store.ok()) return ErrorResponse(store.status());
  const std::string& id = r.path_params.at("id");
  auth::AuditEntry audit = AuditEntryFor(r, c);
  audit.action = "token.revoke";
  audit.target = "token:" + id;
  audit.detail = "revoked";
  Status s = auth::TokenService(**store).Revoke(id, std::move(audit));
  if (!s.ok()) return ErrorResponse(s);
  HttpResponse resp;
  resp.status = 204;
  return resp;
}

json UserJson(const model::User& u) {
  return {{"id", u.id},
          {"name", u.name},
          {"email", u.email},
          {"role", u.role},
          {"team_id", OptOrNull(u.team_id)},
          {"person_id", OptOrNull(u.person_id)},
          {"password_set", u.password_hash.has_value()},
          {"created_at", FormatRfc3339Utc(u.created_at)},
          {"disabled_at", TimeOrNull(u.disabled_at)}};
}

HttpResponse ListUsers(ApiServer& api) {
  auto store = api.stores().Acquire();
  if (!store.ok()) return ErrorResponse(store.status());
  auto users = auth::UserService(**store).List();
  if (!users.ok()) return ErrorResponse(users.status());
  json items = json::array();
  for (const auto& u : *users) items.push_back(UserJson(u));
  return JsonResponse({{"users", items}});
}

constexpr size_t kMaxPassword = 1024;

// A user's team or person: absent, a string, or null (cleared).
std::optional<std::optional<std::string>> ReadRef(WriteRequest& w, const char* key) {
  if (w.IsNull(key)) {
    w.fields().Member(key);
    return std::optional<std::string>();
  }
  if (auto v = w.fields().String(key, false, 200)) return std::optional<std::string>(*v);
  return std::nullopt;
}

HttpResponse AddUser(ApiServer& api, const HttpRequest& r, const Caller& c) {
  WriteRequest w(api, r, false);
  if (!w.ok()) return w.error();
  FieldReader& f = w.fields();
  auto email = f.String("email", true, 320);
  auto name = f.String("name", true, 200);
  auto role = f.Enum("role", true, {"admin", "manager", "member", "viewer"});
  auto team = f.String("team_id", false, 200);
  auto person = f.String("person_id", false, 200);
  auto password = f.String("password", false, kMaxPassword);
  if (auto invalid = w.Invalid()) return *invalid;
  auto parsed = auth::ParseRole(*role);
  if (!parsed.ok()) return ErrorResponse(parsed.status());
  auth::AuditEntry audit = AuditEntryFor(r, c);
  audit.action = "user.add";
  audit.detail = "email " + auth::UserService::NormaliseEmail(*email) + ", role " + *role +
                 ", team " + team.value_or("-") + ", person " + person.value_or("-") +
                 ", password " + (password ? "set" : "none");
  auto added = auth::UserService(w.store()).Add({*email, *name, *parsed, team, person, password},
                                                std::move(audit));
  if (!added.ok()) return ErrorResponse(added.status());
  return JsonResponse(UserJson(*added), 201);
}

HttpResponse UpdateUser(ApiServer& api, const HttpRequest& r, const Caller& c) {
  const std::string& id = r.path_params.at("id");
  WriteRequest w(api, r, false);
  if (!w.ok()) return w.error();
  FieldReader& f = w.fields();
  auth::UserChange change;
  std::vector<std::string> changed;
  change.name = f.String("name", false, 200);
  if (auto role = f.Enum("role", false, {"admin", "manager", "member", "viewer"})) {
    auto parsed = auth::ParseRole(*role);
    if (!parsed.ok()) return ErrorResponse(parsed.status());
    change.role = *parsed;
    changed.push_back("role " + *role);
  }
  change.team_id = ReadRef(w, "team_id");
  change.person_id = ReadRef(w, "person_id");
  change.disabled = f.Bool("disabled");
  change.password = f.String("password", false, kMaxPassword);
  if (auto invalid = w.Invalid()) return *invalid;
  if (change.name) changed.push_back("name");
  if (change.team_id) changed.push_back("team " + change.team_id->value_or("cleared"));
  if (change.person_id) changed.push_back("person " + change.person_id->value_or("cleared"));
  if (change.disabled) changed.push_back(*change.disabled ? "disabled" : "enabled");
  if (change.password) changed.push_back("password set");  // never the password
  auth::AuditEntry audit = AuditEntryFor(r, c);
  audit.action = "user.update";
  audit.detail = changed.empty() ? "no change" : fmt::format("{}", fmt::join(changed, ", "));
  auto updated = auth::UserService(w.store()).Update(id, change, std::move(audit));
  if (!updated.ok()) return ErrorResponse(updated.status());
  return JsonResponse(UserJson(*updated));
}

HttpResponse AuditLog(ApiServer& api, const HttpRequest& r) {
  auto limit = IntParam(r, "limit", 100, 1, 1000);
  if (!limit.ok()) return ErrorResponse(limit.status());
  std::optional<int64_t> before;
  if (r.Param("before")) {
    auto b = IntParam(r, "before", 0, 1, INT64_MAX);
    if (!b.ok()) return ErrorResponse(b.status());
    before = *b;
  }
  auto store = api.stores().Acquire();
  if (!store.ok()) return ErrorResponse(store.status());
  auto entries = auth::AuditLog::Recent(**store, *limit, before);
  if (!entries.ok()) return ErrorResponse(entries.status());
  json items = json::array();
  for (const auto& e : *entries) {
    items.push_back({{"id", e.id},
                     {"at", FormatRfc3339Utc(e.at)},
                     {"actor", e.actor},
                     {"action", e.action},
                     {"target", e.target},
                     {"detail", OptOrNull(e.detail)},
                     {"remote_addr", OptOrNull(e.remote_addr)},
                     {"outcome", e.outcome}});
  }
  json out = {{"entries", items}};
  out["next_before"] =
      entries->size() == static_cast<size_t>(*limit) ? json(entries->back().id) : json(nullptr);
  return JsonResponse(out);
}

}  // namespace

void AddAdminRoutes(ApiServer& api) {
  api.Add({"GET",
           "/api/v1/tokens",
           RouteGroup::kAdmin,
           "API tokens (never the tokens themselves: id, name, prefix, role, times)",
           "",
           {},
           "",
           {200, 401, 403},
           "admin",
           [&api](const HttpRequest&, const Caller&) { return ListTokens(api); }});
  api.Add({"POST",
           "/api/v1/tokens",
           RouteGroup::kAdmin,
           "Create an API token; the answer's `token` is shown this once",
           "role (required), name, user (an email: the token acts as that user's person and "
           "teams), expires_in_days (default never). Only the token's hash is stored.",
           {},
           "TokenCreate",
           {201, 400, 401, 403, 415},
           "admin",
           [&api](const HttpRequest& r, const Caller& c) { return CreateToken(api, r, c); }});
  api.Add({"DELETE",
           "/api/v1/tokens/{id}",
           RouteGroup::kAdmin,
           "Revoke an API token: it stops working at once (within --token-cache seconds)",
           "",
           {{"id", "path", "string", "The token's id (tk-...)"}},
           "",
           {204, 401, 403, 404},
           "admin",
           [&api](const HttpRequest& r, const Caller& c) { return RevokeToken(api, r, c); }});
  api.Add({"GET",
           "/api/v1/users",
           RouteGroup::kAdmin,
           "Users who may sign in (never their passwords)",
           "",
           {},
           "",
           {200, 401, 403},
           "admin",
           [&api](const HttpRequest&, const Caller&) { return ListUsers(api); }});
  api.Add({"POST",
           "/api/v1/users",
           RouteGroup::kAdmin,
           "Add a user who may sign in",
           "email, name and role (required), team_id, person_id (the person the user is: "
           "their own metrics), password (at least 10 characters; none: tokens only). 409 when "
           "the email is taken.",
           {},
           "UserCreate",
           {201, 400, 401, 403, 409, 415},
           "admin",
           [&api](const HttpRequest& r, const Caller& c) { return AddUser(api, r, c); }});
  api.Add({"PATCH",
           "/api/v1/users/{id}",
           RouteGroup::kAdmin,
           "Change a user: name, role, team_id, person_id (null clears), disabled, password",
           "disabled=true stops the user's tokens and sessions at once, false enables them "
           "again. 409 when the change would leave no admin who can sign in. A raised role "
           "reaches a login session at its next sign-in.",
           {{"id", "path", "string", "The user's id (u-...)"}},
           "UserUpdate",
           {200, 400, 401, 403, 404, 409, 415},
           "admin",
           [&api](const HttpRequest& r, const Caller& c) { return UpdateUser(api, r, c); }});
  api.Add({"GET",
           "/api/v1/audit-log",
           RouteGroup::kAdmin,
           "The audit log, newest first: every write and every login",
           "Page on with before=<next_before>.",
           {{"limit", "query", "integer", "1..1000 (default 100)"},
            {"before", "query", "integer", "Only entries with a smaller id"}},
           "",
           {200, 400, 401, 403},
           "admin",
           [&api](const HttpRequest& r, const Caller&) { return AuditLog(api, r); }});
}

}  // namespace sei::api
