// Connections (sources) with write-only secrets, and collection triggers.
// A secret sent here is sealed (auth::SecretBox) before it is stored and is
// never answered, logged or audited: answers say which secrets are set and
// when. A trigger starts a background collection (collection_runner.h) and
// is answered 202 with the run ids to poll.
#include <fmt/format.h>

#include <set>

#include "api/collection_runner.h"
#include "api/connection_scheduler.h"
#include "api/entity_json.h"
#include "api/request_params.h"
#include "api/write_support.h"
#include "auth/connection_service.h"
#include "collectors/github/github_settings.h"
#include "common/clock.h"
#include "common/time.h"
#include "identity/org_sync.h"
#include "model/git.h"

namespace sei::api {

namespace {

using nlohmann::json;

constexpr size_t kMaxRepos = 100;

json ConfigJson(const std::optional<std::string>& config) {
  if (!config) return nullptr;
  json j = json::parse(*config, nullptr, false);
  return j.is_discarded() ? json(nullptr) : j;
}

// The connection, with its config and, given a store, its schedule.
json ConnectionJson(const auth::ConnectionInfo& info, Store* store = nullptr,
                    const WriteContext* ctx = nullptr) {
  const model::Connection& c = info.connection;
  json secrets = json::object();
  for (const char* kind : {auth::kTokenSecret, auth::kWebhookSecret}) {
    auto it = info.secrets_set.find(kind);
    secrets[kind] = it == info.secrets_set.end()
                        ? json{{"set", false}, {"updated_at", nullptr}}
                        : json{{"set", true}, {"updated_at", FormatRfc3339Utc(it->second)}};
  }
  json out = {{"id", c.id},
              {"source", c.source},
              {"name", c.name},
              {"base_url", c.base_url ? json(*c.base_url) : json(nullptr)},
              {"config", ConfigJson(c.config)},
              {"created_at", FormatRfc3339Utc(c.created_at)},
              {"updated_at", FormatRfc3339Utc(c.updated_at)},
              {"secrets", secrets}};
  if (store != nullptr) {
    const bool busy = ctx != nullptr && ctx->collections != nullptr && [&] {
      auto b = ctx->collections->Busy(*store, c.id);
      return b.ok() && *b;
    }();
    auto schedule = ScheduleOf(*store, c, SystemClock::Get().NowUnixSeconds(), busy);
    if (schedule.ok()) out["schedule"] = ScheduleJson(*schedule);
  }
  return out;
}

// A GitHub connection's config: checked, and stored as it reads back.
void ReadConfig(const json& body, FieldReader& f, const std::string& source,
                auth::ConnectionChange* change) {
  if (body.find("config") == body.end()) return;
  const json* it = f.Member("config");
  if (it == nullptr) return;
  if (it->is_null()) {
    change->config = std::optional<std::string>();
    return;
  }
  if (source != "github") {
    f.Error("config", "is for github connections (a " + source + " connection has none)");
    return;
  }
  if (!it->is_object()) {
    f.Error("config", "must be an object, e.g. {\"org\": \"acme\", \"interval_seconds\": 3600}");
    return;
  }
  const std::string text = it->dump();
  if (text.size() > 64 * 1024) {
    f.Error("config", "is larger than 64 KiB");
    return;
  }
  auto settings = collectors::github::ParseGithubSettings(text);
  if (!settings.ok()) {
    f.Error("config", settings.status().message());
    return;
  }
  if (auto p = collectors::github::GithubSettingsProblem(*settings)) {
    f.Error("config", *p);
    return;
  }
  change->config = collectors::github::GithubSettingsJson(*settings);
}

// Reads base_url, token and webhook_secret into `change` (null clears).
void ReadChange(const json& body, FieldReader& f, auth::ConnectionChange* change) {
  if (auto it = body.find("base_url"); it != body.end() && it->is_null()) {
    change->base_url = std::optional<std::string>();
  }
  if (auto url = f.String("base_url", false, collectors::push::kMaxUrl)) {
    if (url->rfind("https://", 0) != 0 && url->rfind("http://", 0) != 0) {
      f.Error("base_url", "must be an http:// or https:// URL");
    }
    change->base_url = *url;
  }
  for (const char* kind : {auth::kTokenSecret, auth::kWebhookSecret}) {
    if (auto it = body.find(kind); it != body.end() && it->is_null()) {
      change->secrets[kind] = std::nullopt;
    }
    if (auto secret = f.String(kind, false, auth::kMaxSecretBytes)) {
      if (auto p = auth::ConnectionService::SecretProblem(*secret)) f.Error(kind, *p);
      change->secrets[kind] = *secret;
    }
  }
}

// The service, with the secret key when the change has a secret to seal.
Result<auth::ConnectionService> Service(WriteContext& ctx, Store& store, bool needs_key) {
  const auth::SecretBox* box = nullptr;
  if (needs_key) {
    if (!ctx.secret_box) return FailedPreconditionError("the server has no secret key");
    SEI_ASSIGN_OR_RETURN(box, ctx.secret_box());
  }
  return auth::ConnectionService(store, box);
}

bool SetsSecret(const auth::ConnectionChange& c) {
  for (const auto& [kind, value] : c.secrets) {
    if (value) return true;
  }
  return false;
}

HttpResponse Put(ApiServer& api, WriteContext& ctx, Store& store, const auth::ConnectionChange& c,
                 const HttpRequest& r, const Caller& caller) {
  auto service = Service(ctx, store, SetsSecret(c));
  if (!service.ok()) return ErrorResponse(service.status());
  bool created = false;
  auto info =
      service->Put(c, SystemClock::Get().NowUnixSeconds(), AuditEntryFor(r, caller), &created);
  if (!info.ok()) return ErrorResponse(info.status());
  api.metrics().MarkChanged();
  return JsonResponse(ConnectionJson(*info, &store, &ctx), created ? 201 : 200);
}

HttpResponse Create(ApiServer& api, WriteContext& ctx, const HttpRequest& r, const Caller& c) {
  WriteRequest w(api, r, false);
  if (!w.ok()) return w.error();
  FieldReader& f = w.fields();
  auth::ConnectionChange change;
  if (auto source = f.String("source", true, 64)) {
    change.source = auth::ConnectionService::NormaliseSource(*source);
    if (auto p = auth::ConnectionService::SourceProblem(change.source)) f.Error("source", *p);
  }
  if (auto name = f.String("name", true, 64)) {
    change.name = *name;
    if (auto p = auth::ConnectionService::NameProblem(*name)) f.Error("name", *p);
  }
  ReadChange(w.body(), f, &change);
  ReadConfig(w.body(), f, change.source, &change);
  if (auto invalid = w.Invalid()) return *invalid;
  Store& store = w.store();
  return Put(api, ctx, store, change, r, c);
}

HttpResponse Update(ApiServer& api, WriteContext& ctx, const HttpRequest& r, const Caller& c) {
  WriteRequest w(api, r, false);
  if (!w.ok()) return w.error();
  Store& store = w.store();
  auto found = auth::ConnectionService(store, nullptr).Get(r.path_params.at("id"));
  if (!found.ok()) return ErrorResponse(found.status());
  if (!*found) return NotFound("no connection '" + r.path_params.at("id") + "'");
  FieldReader& f = w.fields();
  auth::ConnectionChange change;
  change.source = (*found)->connection.source;
  change.name = (*found)->connection.name;
  ReadChange(w.body(), f, &change);
  ReadConfig(w.body(), f, change.source, &change);
  if (auto invalid = w.Invalid()) return *invalid;
  return Put(api, ctx, store, change, r, c);
}

HttpResponse List(ApiServer& api, WriteContext& ctx, const HttpRequest&, const Caller&) {
  auto store = api.stores().Acquire();
  if (!store.ok()) return ErrorResponse(store.status());
  auto all = auth::ConnectionService(**store, nullptr).List();
  if (!all.ok()) return ErrorResponse(all.status());
  json items = json::array();
  for (const auto& info : *all) items.push_back(ConnectionJson(info, &**store, &ctx));
  return JsonResponse({{"connections", items}});
}

HttpResponse Get(ApiServer& api, WriteContext& ctx, const HttpRequest& r, const Caller&) {
  auto store = api.stores().Acquire();
  if (!store.ok()) return ErrorResponse(store.status());
  auto found = auth::ConnectionService(**store, nullptr).Get(r.path_params.at("id"));
  if (!found.ok()) return ErrorResponse(found.status());
  if (!*found) return NotFound("no connection '" + r.path_params.at("id") + "'");
  return JsonResponse(ConnectionJson(**found, &**store, &ctx));
}

HttpResponse Delete(ApiServer& api, WriteContext&, const HttpRequest& r, const Caller& c) {
  auto store = api.stores().Acquire();
  if (!store.ok()) return ErrorResponse(store.status());
  const std::string& id = r.path_params.at("id");
  auto deleted = auth::ConnectionService(**store, nullptr).Delete(id, AuditEntryFor(r, c));
  if (!deleted.ok()) return ErrorResponse(deleted.status());
  if (!*deleted) return NotFound("no connection '" + id + "'");
  HttpResponse out;
  out.status = 204;
  return out;
}

bool LooksLikeUrl(const std::string& s) {
  return s.find("://") != std::string::npos ||
         (s.find('@') != std::string::npos && s.find(':') != std::string::npos);
}

// The locations a trigger collects: each entry of "repos" is a stored repo
// (id, name or location) or, for admins, a new absolute path or URL.
std::vector<std::string> ReadLocations(Store& store, FieldReader& f, const Caller& c,
                                       Status* failed, bool* needs_admin) {
  std::vector<std::string> out;
  const json* v = f.Member("repos");
  if (v == nullptr || v->is_null()) return out;
  if (!v->is_array() || v->empty() || v->size() > kMaxRepos) {
    f.Error("repos", fmt::format("must be an array of 1 to {} strings", kMaxRepos));
    return out;
  }
  auto repos = store.List<model::Repo>();
  if (!repos.ok()) {
    *failed = repos.status();
    return out;
  }
  for (size_t i = 0; i < v->size(); ++i) {
    const std::string field = fmt::format("repos[{}]", i);
    const json& item = (*v)[i];
    if (!item.is_string() || item.get_ref<const std::string&>().empty() ||
        item.get_ref<const std::string&>().size() > collectors::push::kMaxUrl) {
      f.Error(field, "must be a non-empty string of at most 2048 bytes");
      continue;
    }
    const std::string text = item.get<std::string>();
    std::set<std::string> ids = identity::FindRepos(*repos, text, "/");
    if (ids.size() == 1) {
      for (const model::Repo& r : *repos) {
        if (r.id == *ids.begin()) out.push_back(r.location);
      }
      continue;
    }
    if (ids.size() > 1) {
      f.Error(field, fmt::format("names {} repos: give a repo id", ids.size()));
    } else if (text.front() != '/' && !LooksLikeUrl(text)) {
      f.Error(field, "is no stored repo's id, name or location, nor an absolute path or a URL");
    } else {
      *needs_admin = *needs_admin || c.role != "admin";
      out.push_back(text);
    }
  }
  return out;
}

HttpResponse Collect(ApiServer& api, WriteContext& ctx, const HttpRequest& r, const Caller& c) {
  const std::string& id = r.path_params.at("id");
  WriteRequest w(api, r, true);
  if (!w.ok()) return w.error();
  Store& store = w.store();
  if (ctx.collections == nullptr || !ctx.collections->Collects(id)) {
    auto found = auth::ConnectionService(store, nullptr).Get(id);
    if (!found.ok()) return ErrorResponse(found.status());
    if (!*found) return NotFound("no connection '" + id + "'");
    return ErrorResponse(501, "not_implemented",
                         "this version collects git repositories (connection git:local) and "
                         "syncs GitHub connections; " +
                             (*found)->connection.source +
                             " connections send webhooks or use the push API");
  }
  FieldReader& f = w.fields();
  Status failed;
  bool needs_admin = false;
  const bool git = id.rfind("git:", 0) == 0;
  std::vector<std::string> locations;
  if (git) {
    locations = ReadLocations(store, f, c, &failed, &needs_admin);
  } else if (const json* repos = f.Member("repos"); repos != nullptr && !repos->is_null()) {
    f.Error("repos", "a " + id.substr(0, id.find(':')) +
                         " connection syncs the repositories its config names; change them with "
                         "PATCH /api/v1/connections/" +
                         id + " {\"config\": ...}");
  }
  const bool full = f.Bool("full").value_or(false);
  if (!failed.ok()) return ErrorResponse(failed);
  if (auto invalid = w.Invalid()) return *invalid;
  if (needs_admin) {
    return ErrorResponse(403, "forbidden",
                         "only an admin may collect a repository the store does not hold yet");
  }
  if (locations.empty()) {
    auto defaults = ctx.collections->DefaultLocations(store, id);
    if (!defaults.ok()) return ErrorResponse(defaults.status());
    locations = std::move(*defaults);
  }
  if (locations.empty()) {
    return InvalidFields({{"repos", "nothing to collect: the store holds no repository of " + id +
                                        " and the config lists none; name one"}});
  }
  auto runs = ctx.collections->Start(store, id, locations, full);
  if (!runs.ok()) return ErrorResponse(runs.status());
  json items = json::array();
  for (const auto& run : *runs) {
    items.push_back({{"id", run.id}, {"scope", run.scope}, {"status", run.status}});
  }
  Status audited = auth::AuditLog::Record(store, [&] {
    auth::AuditEntry e = AuditEntryFor(r, c);
    e.action = "collection.trigger";
    e.target = "connection:" + id;
    e.detail = fmt::format("{} run(s) from {}", runs->size(), runs->front().id);
    return e;
  }());
  if (!audited.ok()) return ErrorResponse(audited);
  const int64_t first = runs->front().id;
  return JsonResponse({{"run_id", first},
                       {"runs", items},
                       {"status_url", "/api/v1/collection-runs/" + std::to_string(first)}},
                      202);
}

HttpResponse RunStatus(ApiServer& api, WriteContext&, const HttpRequest& r, const Caller&) {
  const std::string& text = r.path_params.at("id");
  if (text.empty() || text.size() > 18 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    return NotFound("no collection run '" + text + "' (run ids are numbers)");
  }
  auto store = api.stores().Acquire();
  if (!store.ok()) return ErrorResponse(store.status());
  ScanOptions where;
  where.where = {{"id", static_cast<int64_t>(std::stoll(text))}};
  auto runs = (*store)->List<model::CollectionRun>(where);
  if (!runs.ok()) return ErrorResponse(runs.status());
  if (runs->empty()) return NotFound("no collection run " + text);
  const model::CollectionRun& run = runs->front();
  return JsonResponse({{"id", run.id},
                       {"connection_id", run.connection_id},
                       {"scope", run.scope},
                       {"status", run.status},
                       {"started_at", FormatRfc3339Utc(run.started_at)},
                       {"finished_at", TimeOrNull(run.finished_at)},
                       {"items_added", run.items_added},
                       {"error", run.error ? json(*run.error) : json(nullptr)}});
}

// The job queue (model::Job), newest first: what every worker runs.
HttpResponse Jobs(ApiServer& api, WriteContext&, const HttpRequest& r, const Caller&) {
  auto limit = IntParam(r, "limit", 50, 1, 500);
  if (!limit.ok()) return ErrorResponse(limit.status());
  ScanOptions where;
  if (auto state = r.Param("state")) {
    static const std::set<std::string> kStates = {"queued", "running", "done", "failed",
                                                  "interrupted"};
    if (kStates.count(*state) == 0) {
      return InvalidFields(
          {{"state", "'" + *state + "': use queued, running, done, failed or interrupted"}});
    }
    where.where = {{"state", model::Value{*state}}};
  }
  where.order_by = "id";
  where.descending = true;
  where.limit = *limit;
  auto store = api.stores().Acquire();
  if (!store.ok()) return ErrorResponse(store.status());
  auto jobs = (*store)->List<model::Job>(where);
  if (!jobs.ok()) return ErrorResponse(jobs.status());
  json items = json::array();
  for (const model::Job& j : *jobs) {
    items.push_back(
        {{"id", j.id},
         {"kind", j.kind},
         {"connection_id", j.connection_id},
         {"locations", json::parse(j.locations, nullptr, false)},
         {"run_ids", json::parse(j.run_ids, nullptr, false)},
         {"full", j.full_sync != 0},
         {"state", j.state},
         {"attempts", j.attempts},
         {"worker", j.worker ? json(*j.worker) : json(nullptr)},
         {"lease_until",
          j.lease_until_ms ? json(FormatRfc3339Utc(*j.lease_until_ms / 1000)) : json(nullptr)},
         {"created_at", FormatRfc3339Utc(j.created_at)},
         {"started_at", TimeOrNull(j.started_at)},
         {"finished_at", TimeOrNull(j.finished_at)},
         {"error", j.error ? json(*j.error) : json(nullptr)}});
  }
  return JsonResponse({{"items", items}});
}

}  // namespace

void AddConnectionRoutes(ApiServer& api, WriteContext* ctx) {
  const std::vector<ParamDoc> id = {{"id", "path", "string", "The connection's id (SOURCE:NAME)"}};
  const char* secrets =
      "token and webhook_secret are write-only: sealed before they are stored, never answered "
      "(answers say which are set, and when); null removes one.";
  api.Add({"GET",
           "/api/v1/connections",
           RouteGroup::kConnections,
           "Connections, with which secrets are set (never the secrets), their config and "
           "schedule (interval, last run with its error, next run)",
           "",
           {},
           "",
           {200, 401, 403},
           "connections",
           BindWrite(api, ctx, List)});
  api.Add({"GET",
           "/api/v1/connections/{id}",
           RouteGroup::kConnections,
           "One connection",
           "",
           id,
           "",
           {200, 401, 403, 404},
           "connections",
           BindWrite(api, ctx, Get)});
  api.Add({"POST",
           "/api/v1/connections",
           RouteGroup::kConnections,
           "Create a connection, or update the one with this source and name",
           secrets,
           {},
           "ConnectionCreate",
           {200, 201, 400, 401, 403, 415},
           "connections",
           BindWrite(api, ctx, Create)});
  api.Add({"PATCH",
           "/api/v1/connections/{id}",
           RouteGroup::kConnections,
           "Change a connection's base URL or secrets",
           secrets,
           id,
           "ConnectionUpdate",
           {200, 400, 401, 403, 404, 415},
           "connections",
           BindWrite(api, ctx, Update)});
  api.Add({"DELETE",
           "/api/v1/connections/{id}",
           RouteGroup::kConnections,
           "Delete a connection and its secrets (its collected data stays)",
           "",
           id,
           "",
           {204, 401, 403, 404},
           "connections",
           BindWrite(api, ctx, Delete)});
  api.Add({"POST",
           "/api/v1/connections/{id}/collect",
           RouteGroup::kCollect,
           "Start a collection in the background: 202 with the run ids",
           "For git:local (the git collector): repos names stored repos (id, name or "
           "location), or, for admins, new absolute paths or URLs; without it, every stored "
           "repository and the config's sources.git. For a GitHub connection: a sync of what its "
           "config names (full: true lists everything again and removes what GitHub no longer "
           "has). One collection per connection at a time (409 while one runs, also a scheduled "
           "one).",
           id,
           "CollectTrigger",
           {202, 400, 401, 403, 404, 409, 415, 501},
           "connections",
           BindWrite(api, ctx, Collect)});
  api.Add({"GET",
           "/api/v1/collection-runs/{id}",
           RouteGroup::kCollect,
           "A collection run: status (running, complete, failed, interrupted), items added, "
           "error",
           "",
           {{"id", "path", "string", "The run id a trigger answered"}},
           "",
           {200, 401, 403, 404},
           "connections",
           BindWrite(api, ctx, RunStatus)});
  api.Add({"GET",
           "/api/v1/jobs",
           RouteGroup::kCollect,
           "The collection job queue, newest first: state (queued, running, done, failed, "
           "interrupted), the worker holding it and its lease, attempts, runs",
           "Triggers and schedules queue jobs; `sei serve`'s worker and `sei worker` processes "
           "run them, one at a time per connection. A job whose worker died is taken over by "
           "another once its lease runs out (attempts counts the claims).",
           {{"state", "query", "string", "Only jobs in this state"},
            {"limit", "query", "integer", "Most jobs answered (1-500, default 50)"}},
           "",
           {200, 400, 401, 403},
           "connections",
           BindWrite(api, ctx, Jobs)});
}

}  // namespace sei::api
