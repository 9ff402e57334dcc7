// Identity merges and splits over the API: the same operations as
// `sei identity merge | split | overrides | undo` (identity/identity_service.h).
// Each change re-resolves identities, and re-syncs the config file's teams
// and projects when the server was given one, in one transaction with its
// audit entry. Changes are made one at a time (the override ids are "one
// past the largest").
#include <fmt/format.h>

#include <mutex>

#include "api/write_support.h"
#include "common/clock.h"
#include "common/time.h"
#include "identity/account_ref.h"
#include "identity/identity_service.h"
#include "model/derived.h"

namespace sei::api {

namespace {

using model::IdentityOverride;
using nlohmann::json;

std::mutex& IdentityMutex() {
  static std::mutex mu;
  return mu;
}

json OverrideJson(const IdentityOverride& o) {
  auto opt = [](const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); };
  return {{"id", o.id},
          {"action", o.action},
          {"account_id", o.account_id},
          {"other_account_id", opt(o.other_account_id)},
          {"display_name", opt(o.display_name)},
          {"created_at", FormatRfc3339Utc(o.created_at)},
          {"created_by", opt(o.created_by)},
          {"note", opt(o.note)}};
}

std::string PersonOf(const identity::Resolution& r, const std::string& account) {
  for (const auto& l : r.links) {
    if (l.account_id == account) return l.person_id;
  }
  return "";
}

identity::ServiceOptions Options(const WriteContext& ctx) {
  identity::ServiceOptions o;
  o.resolver = ctx.resolver;
  o.org = ctx.org;
  return o;
}

// The account a body field names, or an error recorded against the field.
std::string ReadAccount(Store& store, FieldReader& f, const char* key, bool required,
                        bool existing_person, Status* failed) {
  std::optional<std::string> ref = f.String(key, required);
  if (!ref) return "";
  auto a = identity::FindAccount(store, *ref, existing_person);
  if (a.ok()) return *a;
  const StatusCode code = a.status().code();
  if (code == StatusCode::kNotFound || code == StatusCode::kInvalidArgument) {
    f.Error(key, a.status().message());
  } else {
    *failed = a.status();
  }
  return "";
}

// Records `o` and re-resolves with the audit entry, in one transaction.
HttpResponse Apply(ApiServer& api, WriteContext& ctx, Store& store, IdentityOverride o,
                   const HttpRequest& r, const Caller& c) {
  identity::IdentityService service(store, SystemClock::Get());
  auto id = service.NextOverrideId();
  if (!id.ok()) return ErrorResponse(id.status());
  o.id = *id;
  o.created_at = SystemClock::Get().NowUnixSeconds();
  o.created_by = c.id;
  auth::AuditEntry entry = AuditEntryFor(r, c);
  entry.action = "identity." + o.action;
  entry.target = "identity-override:" + o.id;
  entry.detail = o.account_id + (o.other_account_id ? " and " + *o.other_account_id : "");
  auto audit = auth::AuditLog::Write(std::move(entry));
  if (!audit.ok()) return ErrorResponse(audit.status());
  identity::ServiceOptions options = Options(ctx);
  options.add_overrides.push_back(o);
  options.also_write.push_back(std::move(*audit));
  auto report = service.Resolve(options);
  if (!report.ok()) return ErrorResponse(report.status());
  api.metrics().MarkChanged();
  json people = {{o.account_id, PersonOf(report->resolution, o.account_id)}};
  if (o.other_account_id) {
    people[*o.other_account_id] = PersonOf(report->resolution, *o.other_account_id);
  }
  return JsonResponse({{"override", OverrideJson(o)},
                       {"person_of", people},
                       {"people", report->resolution.people.size()},
                       {"warnings", report->warnings},
                       {"undo", "DELETE /api/v1/identity/overrides/" + o.id}},
                      201);
}

// POST merges (`merge`) or splits: the override the body describes,
// recorded and resolved.
HttpResponse Change(ApiServer& api, WriteContext& ctx, const HttpRequest& r, const Caller& c,
                    bool merge) {
  WriteRequest w(api, r, false);
  if (!w.ok()) return w.error();
  std::lock_guard<std::mutex> l(IdentityMutex());
  Store& store = w.store();
  FieldReader& f = w.fields();
  Status failed;
  IdentityOverride o;
  o.action = merge ? "merge" : "split";
  o.account_id = ReadAccount(store, f, "account", true, merge, &failed);
  const char* other_key = merge ? "other" : "from";
  const std::string other = ReadAccount(store, f, other_key, merge, merge, &failed);
  if (merge) o.display_name = f.String("name", false, 200);
  o.note = f.String("note", false);
  if (!failed.ok()) return ErrorResponse(failed);
  if (!o.account_id.empty() && o.account_id == other) {
    f.Error(other_key, merge ? "is the same account as account: nothing to merge"
                             : "an account cannot be split from itself");
  }
  if (auto invalid = w.Invalid()) return *invalid;
  if (!other.empty()) o.other_account_id = other;
  return Apply(api, ctx, store, std::move(o), r, c);
}

HttpResponse Merge(ApiServer& api, WriteContext& ctx, const HttpRequest& r, const Caller& c) {
  return Change(api, ctx, r, c, true);
}

HttpResponse Split(ApiServer& api, WriteContext& ctx, const HttpRequest& r, const Caller& c) {
  return Change(api, ctx, r, c, false);
}

HttpResponse ListOverrides(ApiServer& api, WriteContext&, const HttpRequest&, const Caller&) {
  auto store = api.stores().Acquire();
  if (!store.ok()) return ErrorResponse(store.status());
  auto all = (*store)->List<IdentityOverride>();
  if (!all.ok()) return ErrorResponse(all.status());
  json items = json::array();
  for (const IdentityOverride& o : *all) items.push_back(OverrideJson(o));
  return JsonResponse({{"overrides", items}});
}

HttpResponse Undo(ApiServer& api, WriteContext& ctx, const HttpRequest& r, const Caller& c) {
  const std::string& id = r.path_params.at("id");
  std::lock_guard<std::mutex> l(IdentityMutex());
  auto store = api.stores().Acquire();
  if (!store.ok()) return ErrorResponse(store.status());
  auto found = FindOne<IdentityOverride>(**store, "id", id);
  if (!found.ok()) return ErrorResponse(found.status());
  if (!*found) return NotFound("no identity override '" + id + "'");
  auth::AuditEntry entry = AuditEntryFor(r, c);
  entry.action = "identity.undo";
  entry.target = "identity-override:" + id;
  entry.detail = "undid the " + (*found)->action + " of " + (*found)->account_id;
  auto audit = auth::AuditLog::Write(std::move(entry));
  if (!audit.ok()) return ErrorResponse(audit.status());
  identity::ServiceOptions options = Options(ctx);
  options.remove_overrides.push_back(id);
  options.also_write.push_back(std::move(*audit));
  auto report = identity::IdentityService(**store, SystemClock::Get()).Resolve(options);
  if (!report.ok()) return ErrorResponse(report.status());
  api.metrics().MarkChanged();
  json people = {{(*found)->account_id, PersonOf(report->resolution, (*found)->account_id)}};
  if ((*found)->other_account_id) {
    people[*(*found)->other_account_id] = PersonOf(report->resolution, *(*found)->other_account_id);
  }
  return JsonResponse({{"undone", OverrideJson(**found)}, {"person_of", people}});
}

}  // namespace

void AddIdentityWriteRoutes(ApiServer& api, WriteContext* ctx) {
  const std::string how =
      "Accounts are named by account id, person id (its canonical account), or an email or "
      "login only one account has. The change re-resolves identities (and re-syncs the config "
      "file's teams and projects when the server has one) in one transaction.";
  api.Add({"POST",
           "/api/v1/identity/merges",
           RouteGroup::kOrgWrite,
           "Merge two accounts into one person (as `sei identity merge`)",
           how,
           {},
           "IdentityMerge",
           {201, 400, 401, 403, 409, 415},
           "identity",
           BindWrite(api, ctx, Merge)});
  api.Add({"POST",
           "/api/v1/identity/splits",
           RouteGroup::kOrgWrite,
           "Split an account off its person, or from one other account (as `sei identity "
           "split`)",
           how,
           {},
           "IdentitySplit",
           {201, 400, 401, 403, 409, 415},
           "identity",
           BindWrite(api, ctx, Split)});
  api.Add({"GET",
           "/api/v1/identity/overrides",
           RouteGroup::kOrgWrite,
           "The manual merges and splits in force",
           "",
           {},
           "",
           {200, 401, 403},
           "identity",
           BindWrite(api, ctx, ListOverrides)});
  api.Add({"DELETE",
           "/api/v1/identity/overrides/{id}",
           RouteGroup::kOrgWrite,
           "Undo a merge or split (as `sei identity undo`)",
           "",
           {{"id", "path", "string", "The override's id (ov-N)"}},
           "",
           {200, 401, 403, 404, 409},
           "identity",
           BindWrite(api, ctx, Undo)});
}

}  // namespace sei::api
