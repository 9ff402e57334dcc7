// Login and the caller's own identity.
#include "api/api_server.h"
#include "auth/token_service.h"
#include "common/clock.h"
#include "common/time.h"

namespace sei::api {

namespace {

HttpResponse Login(ApiServer& api, const HttpRequest& r) {
  auto body = nlohmann::json::parse(r.body, nullptr, false);
  nlohmann::json errors = nlohmann::json::array();
  if (body.is_discarded() || !body.is_object()) {
    errors.push_back({{"field", ""}, {"reason", "the body must be a JSON object"}});
  } else {
    for (const char* f : {"email", "password"}) {
      if (!body.contains(f) || !body[f].is_string() || body[f].get<std::string>().empty() ||
          body[f].get<std::string>().size() > 1024) {
        errors.push_back({{"field", f}, {"reason", "required, a non-empty string"}});
      }
    }
  }
  if (!errors.empty()) return ErrorResponse(400, "invalid_argument", "invalid login", errors);
  auto store = api.stores().Acquire();
  if (!store.ok()) return ErrorResponse(store.status());
  auth::TokenService tokens(**store);
  auto t = tokens.Login(body["email"].get<std::string>(), body["password"].get<std::string>(),
                        SystemClock::Get().NowUnixSeconds(), r.remote_addr);
  if (!t.ok()) return ErrorResponse(401, "unauthenticated", t.status().message());
  return JsonResponse(
      {{"token", t->plaintext},
       {"expires_at", t->token.expires_at ? FormatRfc3339Utc(*t->token.expires_at) : ""},
       {"role", t->token.role}});
}

}  // namespace

void AddAccessRoutes(ApiServer& api) {
  api.Add({"POST",
           "/api/v1/login",
           RouteGroup::kPublic,
           "Log in with email and password: a session token valid for 12 hours",
           "",
           {},
           "Login",
           {200, 400, 401},
           "access",
           [&api](const HttpRequest& r, const Caller&) { return Login(api, r); }});
  api.Add({"GET",
           "/api/v1/me",
           RouteGroup::kOrgMetrics,
           "Who the token belongs to",
           "",
           {},
           "",
           {200, 401},
           "access",
           [](const HttpRequest&, const Caller& c) {
             return JsonResponse({{"id", c.id},
                                  {"name", c.name},
                                  {"role", c.role},
                                  {"person_id", c.person_id ? nlohmann::json(*c.person_id)
                                                            : nlohmann::json(nullptr)},
                                  {"team_ids", c.team_ids}});
           }});
}

}  // namespace sei::api
