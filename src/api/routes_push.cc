// The push API (/api/v1/push/...) and the webhook receivers (/webhooks/...).
// Pushes are validated on the request thread (a bad body gets its 400 with
// every invalid field and never reaches the store), then stored by the
// PushQueue's group commit. Webhooks are checked for their signature before
// anything is parsed; a refused one leaves a counter and a log line only.
#include "api/routes_push.h"

#include <fmt/format.h>

#include "api/api_server.h"
#include "api/write_support.h"
#include "auth/audit_log.h"
#include "collectors/github/github_batch_writer.h"
#include "collectors/github/github_convert.h"
#include "collectors/github/raw_context.h"
#include "collectors/push/generic_receiver.h"
#include "collectors/push/webhook_inbox.h"
#include "common/clock.h"
#include "common/time.h"
#include "model/ids.h"
#include "net/webhook_signature.h"

namespace sei::api {

namespace {

namespace push = collectors::push;
using nlohmann::json;

json ErrorsJson(const std::vector<push::FieldError>& errors) {
  json a = json::array();
  for (const auto& e : errors) a.push_back({{"field", e.field}, {"reason", e.reason}});
  return a;
}

HttpResponse Invalid(const std::vector<push::FieldError>& errors) {
  return ErrorResponse(400, "invalid_argument",
                       std::to_string(errors.size()) + " invalid field" +
                           (errors.size() == 1 ? "" : "s") + "; nothing was stored",
                       ErrorsJson(errors));
}

bool IsJson(const HttpRequest& r) {
  auto ct = r.Header("content-type");
  return ct && ct->rfind("application/json", 0) == 0;
}

HttpResponse NotJson() {
  return ErrorResponse(415, "unsupported_media_type",
                       "send the body as JSON with Content-Type: application/json");
}

std::string ConnectionName(const HttpRequest& r) {
  return r.Param("connection").value_or("default");
}

struct KindRoute {
  push::PushKind kind;
  const char* path;  // "deployments"
  const char* what;  // "a deployment"
  const char* schema;
};

const KindRoute kKinds[] = {
    {push::PushKind::kDeployment, "deployments", "a deployment", "PushDeployment"},
    {push::PushKind::kIncident, "incidents", "an incident", "PushIncident"},
    {push::PushKind::kPullRequest, "pull-requests", "a pull request", "PushPullRequest"},
    {push::PushKind::kIssue, "issues", "an issue", "PushIssue"},
};

model::AuditEntry AuditOf(const Caller& caller, const HttpRequest& r, std::string action,
                          std::string target) {
  model::AuditEntry e = AuditEntryFor(r, caller);
  e.action = std::move(action);
  e.target = std::move(target);
  return e;
}

HttpResponse Push(PushContext& ctx, const KindRoute& k, const HttpRequest& r,
                  const Caller& caller) {
  if (!IsJson(r)) return NotJson();
  auto item = ctx.validator->Validate(k.kind, ConnectionName(r), r.body);
  if (!item.ok()) return Invalid(item.errors());
  const std::string id = model::MakeId(item.value().connection_id, push::PushKindIdSegment(k.kind),
                                       item.value().external_id);
  item.value().audit = AuditOf(caller, r, std::string("push.") + k.path, id);
  // The answer is made here, on the request thread; the writer only says
  // whether the commit succeeded.
  auto ok =
      std::make_shared<const HttpResponse>(JsonResponse({{"id", id},
                                                         {"external_id", item.value().external_id},
                                                         {"connection", item.value().connection_id},
                                                         {"stored", true}}));
  HttpResponse later;
  later.deferred = [queue = ctx.queue,
                    pushed = std::make_shared<push::PushItem>(std::move(item).value()),
                    ok](Reply reply) {
    queue->Submit(std::move(*pushed), [reply = std::move(reply), ok](Status s) {
      reply(s.ok() ? *ok : ErrorResponse(s));
    });
  };
  return later;
}

HttpResponse Delete(PushContext& ctx, const KindRoute& k, const HttpRequest& r,
                    const Caller& caller) {
  auto conn = push::PushValidator::ConnectionIdFor(ConnectionName(r));
  if (!conn.ok()) return Invalid(conn.errors());
  auto ext = push::PushValidator::ExternalId(r.path_params.at("id"));
  if (!ext.ok()) return Invalid(ext.errors());
  const std::string id = model::MakeId(conn.value(), push::PushKindIdSegment(k.kind), ext.value());
  Status s = ctx.queue->Run([&](push::PushWriter& w, Store&) {
    return w.Delete(k.kind, conn.value(), ext.value(),
                    AuditOf(caller, r, std::string("push.") + k.path + ".delete", id));
  });
  if (!s.ok()) return ErrorResponse(s);
  HttpResponse resp;
  resp.status = 204;
  return resp;
}

HttpResponse Resolve(PushContext& ctx, const HttpRequest& r, const Caller& caller) {
  if (!r.body.empty() && !IsJson(r)) return NotJson();
  auto conn = push::PushValidator::ConnectionIdFor(ConnectionName(r));
  if (!conn.ok()) return Invalid(conn.errors());
  auto ext = push::PushValidator::ExternalId(r.path_params.at("id"));
  if (!ext.ok()) return Invalid(ext.errors());
  auto at = ctx.validator->ValidateResolve(r.body);
  if (!at.ok()) return Invalid(at.errors());
  const std::string id = model::MakeId(conn.value(), "incident", ext.value());
  Status s = ctx.queue->Run([&](push::PushWriter& w, Store&) {
    return w.ResolveIncident(conn.value(), ext.value(), at.value(),
                             AuditOf(caller, r, "push.incidents.resolve", id));
  });
  if (!s.ok()) return ErrorResponse(s);
  return JsonResponse({{"id", id}, {"resolved_at", FormatRfc3339Utc(at.value())}});
}

// A refused delivery: counted, logged and audited (never its body), 401.
// The audit line is written by the push writer without making the client
// wait for it.
HttpResponse Refuse(ApiServer& api, PushContext& ctx, const std::string& source,
                    const HttpRequest& r, const std::string& why) {
  ++api.stats().webhooks_refused;
  Caller hook;
  hook.id = "webhook:" + source;
  model::AuditEntry e = AuditOf(hook, r, "webhook.refused", "webhook:" + source);
  e.outcome = "denied";
  e.detail = why;
  ctx.queue->Post([e](push::PushWriter&, Store& store) { return auth::AuditLog::Record(store, e); },
                  [](Status) {});
  std::fprintf(stderr, "sei serve: webhook refused: source=%s remote=%s reason=%s\n",
               source.c_str(), r.remote_addr.c_str(), why.c_str());
  return ErrorResponse(401, "unauthenticated", "webhook refused: " + why);
}

// The secret a delivery must be signed with: the connection's (set by `sei
// connect`) on /webhooks/{source}/{connection}, else the source's
// (--webhook-secret-env); "" when there is none. Generic deliveries belong
// to push connections.
Result<std::string> WebhookSecret(const PushContext& ctx, const std::string& source,
                                  const std::string& connection) {
  if (connection.empty()) {
    auto it = ctx.webhook_secrets.find(source);
    return it == ctx.webhook_secrets.end() ? std::string() : it->second;
  }
  if (!ctx.connection_webhook_secret) return std::string();
  const std::string id = model::ConnectionId(source == "generic" ? "push" : source, connection);
  SEI_ASSIGN_OR_RETURN(std::optional<std::string> secret, ctx.connection_webhook_secret(id));
  return secret.value_or("");
}

// A GitHub delivery converted by the REST sync's converters
// (collectors/github), so a PR seen by webhook and by `sei sync` is one
// row: under /webhooks/github/{name} the connection github:{name}; under
// /webhooks/github the one GitHub connection when there is exactly one,
// else github:webhooks. What the answer says: rows written, or why not
// (the delivery stays archived either way).
json ConvertGithubDelivery(Store& store, const std::string& connection, const std::string& event,
                           const std::string& body, int64_t raw_id) {
  namespace gh = collectors::github;
  gh::ConvertContext cctx;
  cctx.connection_id = connection.empty() ? "" : "github:" + connection;
  if (cctx.connection_id.empty()) {
    ScanOptions where;
    where.where = {{"source", std::string("github")}};
    auto conns = store.List<model::Connection>(where);
    cctx.connection_id =
        conns.ok() && conns->size() == 1 ? (*conns)[0].id : std::string("github:webhooks");
  }
  cctx.raw_id = raw_id;
  auto batch = gh::ConvertWebhook(event, body, cctx);
  if (!batch.ok()) return {{"rows", 0}, {"error", batch.status().message()}};
  if (!batch->handled) return {{"rows", 0}, {"note", batch->note}};
  // Marked converted with the rows, and which connection they went to, so
  // `sei reconvert` converts it again into the same rows.
  gh::RawContext record;
  record.kind = std::string(gh::kWebhookKind);
  record.connection_id = cctx.connection_id;
  Status w = gh::WriteBatch(
      store, *batch, {gh::MarkConverted(raw_id, SystemClock::Get().NowUnixSeconds(), &record)});
  if (!w.ok()) return {{"rows", 0}, {"error", w.message()}};
  json out = {{"rows", batch->RowCount()}, {"connection", cctx.connection_id}};
  if (!batch->errors.empty()) out["skipped"] = batch->errors.size();
  return out;
}

HttpResponse Webhook(ApiServer& api, PushContext& ctx, const std::string& source,
                     const std::string& connection, const HttpRequest& r) {
  const std::string who = connection.empty() ? source : source + "/" + connection;
  auto secret = WebhookSecret(ctx, source, connection);
  if (!secret.ok()) {
    std::fprintf(stderr, "sei serve: webhook secret of %s unreadable: %s\n", who.c_str(),
                 secret.status().message().c_str());
    return Refuse(api, ctx, source, r, "the webhook secret of '" + who + "' cannot be read");
  }
  if (secret->empty()) {
    return Refuse(api, ctx, source, r, "no webhook secret is configured for '" + who + "'");
  }
  std::string delivery, event;
  if (source == "github") {
    if (!net::VerifyGithubSignature(*secret, r.body,
                                    r.Header("x-hub-signature-256").value_or(""))) {
      return Refuse(api, ctx, source, r, "X-Hub-Signature-256 is missing or does not match");
    }
    delivery = r.Header("x-github-delivery").value_or("");
    event = r.Header("x-github-event").value_or("");
  } else if (source == "gitlab") {
    if (!net::VerifyGitlabToken(*secret, r.Header("x-gitlab-token").value_or(""))) {
      return Refuse(api, ctx, source, r, "X-Gitlab-Token is missing or wrong");
    }
    delivery = r.Header("x-gitlab-event-uuid").value_or("");
    event = r.Header("x-gitlab-event").value_or("");
  } else {
    if (!net::VerifySharedSecret(*secret, r.Header("x-sei-webhook-secret").value_or(""))) {
      return Refuse(api, ctx, source, r, "X-Sei-Webhook-Secret is missing or wrong");
    }
    delivery = r.Header("x-sei-delivery").value_or("");
    event = "push";
  }
  if (delivery.empty()) {
    return ErrorResponse(400, "invalid_argument",
                         "the delivery id header is missing (X-GitHub-Delivery, "
                         "X-Gitlab-Event-UUID or X-Sei-Delivery)");
  }
  const int64_t now = SystemClock::Get().NowUnixSeconds();
  json out;
  std::vector<push::FieldError> errors;
  Status s = ctx.queue->Run([&](push::PushWriter& w, Store& store) -> Status {
    push::WebhookInbox inbox(store);
    if (source == "generic") {
      push::GenericReceiver receiver(inbox, *ctx.validator, w);
      SEI_ASSIGN_OR_RETURN(
          auto o, receiver.Receive(connection.empty() ? ConnectionName(r) : connection, delivery,
                                   r.body, now));
      errors = o.errors;
      out = {{"duplicate", o.duplicate}, {"raw_id", o.raw_id}};
      return Status::Ok();
    }
    SEI_ASSIGN_OR_RETURN(
        auto o, inbox.Accept(source, delivery, event, r.body, now,
                             connection.empty() ? "" : model::ConnectionId(source, connection)));
    out = {{"duplicate", o.duplicate}, {"raw_id", o.raw_id}, {"event", event}};
    if (source == "github" && !o.duplicate) {
      out["converted"] = ConvertGithubDelivery(store, connection, event, r.body, o.raw_id);
    }
    return Status::Ok();
  });
  if (!s.ok()) return ErrorResponse(s);
  if (!errors.empty()) return Invalid(errors);
  return JsonResponse(out, 202);
}

// /webhooks/{source}/{id}: a connection's own secret (`sei connect SOURCE
// --name NAME --webhook-secret-env VAR`); what it stores is namespaced
// under that connection. ({id} is the connection's name.)
void AddConnectionWebhookRoutes(ApiServer& api, PushContext* ctx) {
  for (const char* source : {"github", "gitlab", "generic"}) {
    api.Add({"POST",
             std::string("/webhooks/") + source + "/{id}",
             RouteGroup::kWebhook,
             std::string("Webhook receiver for one ") + source +
                 " connection, checked with that connection's secret",
             "The same headers as /webhooks/" + std::string(source) +
                 "; the secret is the connection's (sei connect " +
                 (std::string(source) == "generic" ? "push" : source) +
                 " --name NAME --webhook-secret-env VAR). 401 when unsigned, forged, or the "
                 "connection has no secret.",
             {{"id", "path", "string", "The connection's name"}},
             "",
             {202, 400, 401},
             "webhooks",
             [&api, ctx, s = std::string(source)](const HttpRequest& r, const Caller&) {
               return Webhook(api, *ctx, s, r.path_params.at("id"), r);
             }});
  }
}

}  // namespace

void AddPushRoutes(ApiServer& api, PushContext* ctx) {
  const std::vector<ParamDoc> conn = {
      {"connection", "query", "string",
       "Connection name ([a-z0-9][a-z0-9_-]{0,63}); ids are namespaced per connection "
       "(default: default)"}};
  for (const KindRoute& k : kKinds) {
    api.Add({"POST",
             std::string("/api/v1/push/") + k.path,
             RouteGroup::kPush,
             std::string("Push ") + k.what + " (idempotent by connection and external id)",
             "A bad body gets a 400 listing every invalid field and why, and stores nothing. "
             "Answered once the row is committed.",
             conn,
             k.schema,
             {200, 400, 401, 403, 413, 415},
             "push",
             [ctx, &k](const HttpRequest& r, const Caller& c) { return Push(*ctx, k, r, c); }});
    std::vector<ParamDoc> del = conn;
    del.push_back({"id", "path", "string", "The external id it was pushed with"});
    api.Add({"DELETE",
             std::string("/api/v1/push/") + k.path + "/{id}",
             RouteGroup::kPush,
             std::string("Delete ") + k.what + " pushed before, with its dependent rows",
             "",
             del,
             "",
             {204, 400, 401, 403, 404},
             "push",
             [ctx, &k](const HttpRequest& r, const Caller& c) { return Delete(*ctx, k, r, c); }});
  }
  std::vector<ParamDoc> res = conn;
  res.push_back({"id", "path", "string", "The incident's external id"});
  api.Add({"POST",
           "/api/v1/push/incidents/{id}/resolve",
           RouteGroup::kPush,
           "Resolve a pushed incident (resolved_at, default now)",
           "",
           res,
           "PushResolve",
           {200, 400, 401, 403, 404},
           "push",
           [ctx](const HttpRequest& r, const Caller& c) { return Resolve(*ctx, r, c); }});
  for (const char* source : {"github", "gitlab", "generic"}) {
    api.Add({"POST",
             std::string("/webhooks/") + source,
             RouteGroup::kWebhook,
             std::string("Webhook receiver for ") + source +
                 " (signature checked before parsing; deliveries de-duplicated)",
             "github: X-Hub-Signature-256 (HMAC-SHA256) and X-GitHub-Delivery; gitlab: "
             "X-Gitlab-Token and X-Gitlab-Event-UUID; generic: X-Sei-Webhook-Secret and "
             "X-Sei-Delivery, with a push body that names its kind. 401 when unsigned or forged.",
             std::string(source) == "generic" ? conn : std::vector<ParamDoc>{},
             "",
             {202, 400, 401},
             "webhooks",
             [&api, ctx, s = std::string(source)](const HttpRequest& r, const Caller&) {
               return Webhook(api, *ctx, s, "", r);
             }});
  }
  AddConnectionWebhookRoutes(api, ctx);
}

}  // namespace sei::api
