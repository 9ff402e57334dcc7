// GET /api/v1/events: the live-update stream (Server-Sent Events) that
// tells an open dashboard which scopes' metrics changed after a push, a
// collection or a reload (api/event_hub.h).
#include "api/api_server.h"
#include "api/scope_params.h"
#include "common/time.h"

namespace sei::api {

namespace {

bool MaySee(ApiServer& api, const Caller& caller, const metrics::Scope& s) {
  if (s.kind == metrics::ScopeKind::kOrg) {
    return api.Authorize(caller, RouteGroup::kOrgMetrics, Target{}).ok();
  }
  Target t;
  t.scope_kind = std::string(metrics::ScopeKindName(s.kind));
  t.scope_id = s.id;
  return api.Authorize(caller, RouteGroup::kScopedMetrics, t).ok();
}

HttpResponse Events(ApiServer& api, const HttpRequest& r, const Caller& caller) {
  Subscriber sub;
  const auto asked = r.Params("scope");
  if (asked.size() > 64) {
    return ErrorResponse(400, "invalid_argument", "at most 64 scope parameters per stream");
  }
  if (!asked.empty()) {
    auto ds = api.metrics().Data(false);
    if (!ds.ok()) return ErrorResponse(ds.status());
    for (const std::string& text : asked) {
      auto scope = metrics::ParseScope(text);
      if (!scope.ok()) return ErrorResponse(scope.status());
      auto rs = (*ds)->Resolve(*scope);
      if (!rs.ok()) return ErrorResponse(rs.status());
      // The canonical id, as the events name it.
      const Target t = TargetOf(**ds, *rs);
      metrics::Scope canonical{scope->kind, t.scope_id};
      if (!MaySee(api, caller, canonical)) {
        return ErrorResponse(403, "forbidden",
                             "this caller may not see the metrics of " + canonical.ToString());
      }
      sub.only.push_back(std::move(canonical));
    }
  }
  std::optional<int64_t> last_seen;
  if (auto h = r.Header("last-event-id"); h && !h->empty()) {
    try {
      size_t used = 0;
      last_seen = std::stoll(*h, &used);
      if (used != h->size()) last_seen.reset();
    } catch (const std::exception&) {
      last_seen.reset();  // not ours: treated as a first connection
    }
  }
  sub.may_see = [&api, caller](const metrics::Scope& s) { return MaySee(api, caller, s); };
  HttpRequest credentials;
  if (auto a = r.Header("authorization")) credentials.headers["authorization"] = *a;
  credentials.remote_addr = r.remote_addr;
  sub.still_allowed = [&api, credentials] { return api.Authenticate(credentials).ok(); };

  HttpResponse out;
  out.content_type = "text/event-stream; charset=utf-8";
  out.stream = [&api, sub = std::move(sub), last_seen](std::shared_ptr<StreamSink> sink) mutable {
    const int64_t gen = api.metrics().generation();
    nlohmann::json watched = nlohmann::json::array();
    for (const auto& s : sub.only) watched.push_back(s.ToString());
    sink->Send("retry: 3000\n" +
               EventHub::Format("hello", gen,
                                {{"generation", gen},
                                 {"loaded_at", FormatRfc3339Utc(api.metrics().loaded_at())},
                                 {"scopes", watched}}));
    sub.sink = sink;
    api.events().Add(std::move(sub));
    // Missed while away (or while this stream opened): everything may have
    // changed.
    const int64_t now_gen = api.metrics().generation();
    if ((last_seen && *last_seen < now_gen) || now_gen != gen) {
      sink->Send(EventHub::Format("metrics", now_gen,
                                  {{"generation", now_gen},
                                   {"all", true},
                                   {"scopes", watched},
                                   {"rows_changed", 0},
                                   {"loaded_at", FormatRfc3339Utc(api.metrics().loaded_at())}}));
    }
  };
  return out;
}

}  // namespace

void AddEventRoutes(ApiServer& api) {
  api.metrics().OnReload([&api](int64_t gen, const metrics::ScopeChanges& changes) {
    api.events().Publish(gen, changes, api.metrics().loaded_at());
  });
  // No open stream, no comparison (it costs about a tenth of a reload).
  api.metrics().SetChangesWanted([&api] { return api.events().size() > 0; });
  api.Add({"GET",
           "/api/v1/events",
           RouteGroup::kOrgMetrics,
           "Live updates: a Server-Sent Events stream of the scopes whose metrics changed",
           "text/event-stream. First a `hello` event with the current data generation, then "
           "after each reload of the store (a push, a collection, `sei link`) one `metrics` "
           "event per change that touches a watched scope the caller may see: "
           "`{\"generation\", \"all\", \"scopes\": [\"org\", \"team:ID\", ...], "
           "\"rows_changed\", \"loaded_at\"}`. `all: true` means refresh everything shown. "
           "Event ids are generations: reconnecting with `Last-Event-ID` below the current "
           "generation gets an `all` event at once. A comment line is sent every 15 s. "
           "Send the token in the Authorization header (a browser reads the stream with "
           "fetch); a stream whose token is revoked gets a `denied` event and ends.",
           {{"scope", "query", "string",
             "A scope to watch (repeatable): org, team:NAME, project:NAME, repo:NAME, "
             "person:NAME; default every scope the caller may see"}},
           "",
           {200, 400, 401, 403, 404},
           "live",
           [&api](const HttpRequest& r, const Caller& c) { return Events(api, r, c); }});
}

}  // namespace sei::api
