// What the write routes (routes_org_write.cc, routes_identity.cc,
// routes_connections.cc) share: their context (the secret key, the config's
// teams and projects, the collection runner), reading a JSON body with
// every problem listed (collectors/push/field_reader.h, the push API's
// rules), and committing a write together with its audit entry.
//
// Thread safety: WriteContext is filled before the routes are added, then
// only read (secret_box is safe to call from any thread); the functions are
// thread-safe.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "api/api_server.h"
#include "auth/audit_log.h"
#include "auth/secret_box.h"
#include "collectors/push/field_reader.h"
#include "identity/identity_resolver.h"
#include "identity/org_config.h"

namespace sei::api {

class CollectionRunner;

struct WriteContext {
  // The key that seals connection secrets, loaded on first use.
  std::function<Result<const auth::SecretBox*>()> secret_box;
  // The config file's teams and projects (null without a config file): an
  // identity merge re-syncs them, as `sei identity merge` does.
  const identity::OrgConfig* org = nullptr;
  identity::ResolverOptions resolver;
  std::string config_file;
  CollectionRunner* collections = nullptr;
};

using FieldError = collectors::push::FieldError;
using FieldReader = collectors::push::FieldReader;

// The request's body as a JSON object. Otherwise nullopt, with `error` set
// to the answer: 415 when it is not sent as application/json, 400 when it
// is not a JSON object. An empty body is {} when `empty_ok`.
std::optional<nlohmann::json> JsonBody(const HttpRequest& r, bool empty_ok, HttpResponse* error);

// 400 listing every invalid field; nothing was written.
HttpResponse InvalidFields(const std::vector<FieldError>& errors);

// The audit entry of a write made by `caller` through `r`: now, the
// caller's id, the client address, outcome "ok".
auth::AuditEntry AuditEntryFor(const HttpRequest& r, const Caller& caller);

// Applies `writes` and the audit entry (action, target, detail) in one
// transaction, then tells the metrics the store changed.
Status ApplyAudited(ApiServer& api, Store& store, std::vector<TableWrite> writes,
                    auth::AuditEntry entry, std::string action, std::string target,
                    std::string detail);

// What a write handler begins with: the JSON body, a store, and a reader
// of the body's fields that collects every problem.
class WriteRequest {
 public:
  // `empty_ok`: an empty body is {}.
  WriteRequest(ApiServer& api, const HttpRequest& r, bool empty_ok);

  // false: answer error() (415, 400, or the store's error).
  bool ok() const { return ok_; }
  const HttpResponse& error() const { return error_; }
  Store& store() { return **store_; }
  const nlohmann::json& body() const { return body_; }
  FieldReader& fields() { return fields_; }
  // Whether `key` is present as null (a PATCH clearing it).
  bool IsNull(const char* key) const;
  // After reading every field: the 400 listing every problem (unknown fields
  // too), or nullopt.
  std::optional<HttpResponse> Invalid();

 private:
  bool ok_ = false;
  HttpResponse error_;
  nlohmann::json body_;
  std::optional<StorePool::Handle> store_;
  std::vector<FieldError> errors_;
  FieldReader fields_;
};

// 404 with `what` ("no team 'x'").
HttpResponse NotFound(const std::string& what);

}  // namespace sei::api

namespace sei::api {

// Ids of what the API creates: "api:team:<slug>", "api:project:<slug>"
// (the config's are "config:team:..."; identity/org_config.h).
inline constexpr const char* kApiTeamPrefix = "api:team:";
inline constexpr const char* kApiProjectPrefix = "api:project:";

// The optional "id" and required "name" of a new team or project: the store
// id `prefix` + the id, or the slug of the name; "" after an error.
std::string NewOrgId(FieldReader& f, const std::optional<std::string>& slug,
                     const std::optional<std::string>& name, const char* prefix);

// 409 when `id` belongs to the config file (its teams and projects are
// replaced by every sync, so a change here would not last); nullopt otherwise.
std::optional<HttpResponse> RefuseConfigOwned(const WriteContext& ctx, const std::string& id,
                                              const char* what);

// Inserts `item` unless a row with its key exists, checked inside the
// transaction: AlreadyExists (409) otherwise.
template <class T>
TableWrite InsertNew(Store& store, T item, std::string what) {
  TableWrite w;
  w.spec = &model::SpecOf<T>();
  w.produce = [&store, item = std::move(item), what = std::move(what)](
                  const RowCallback& upsert, const RowCallback&) -> Status {
    const model::Row row = model::ToRow(item);
    const model::TableSpec& spec = model::SpecOf<T>();
    ScanOptions where;
    for (size_t i = 0; i < spec.columns.size(); ++i) {
      for (const std::string& k : spec.key) {
        if (spec.columns[i].name == k) where.where.push_back({k, row[i]});
      }
    }
    SEI_ASSIGN_OR_RETURN(int64_t n, store.CountRows(spec, where));
    if (n > 0) return AlreadyExistsError(what + " exists already");
    return upsert(row);
  };
  return w;
}

using WriteHandler = HttpResponse (*)(ApiServer&, WriteContext&, const HttpRequest&, const Caller&);
inline RouteHandler BindWrite(ApiServer& api, WriteContext* ctx, WriteHandler fn) {
  return [&api, ctx, fn](const HttpRequest& r, const Caller& c) { return fn(api, *ctx, r, c); };
}

// The write routes, by file (AddWriteRoutes in api_server.h calls each).
void AddTeamWriteRoutes(ApiServer& api, WriteContext* ctx);
void AddProjectWriteRoutes(ApiServer& api, WriteContext* ctx);
void AddIdentityWriteRoutes(ApiServer& api, WriteContext* ctx);
void AddConnectionRoutes(ApiServer& api, WriteContext* ctx);

}  // namespace sei::api
