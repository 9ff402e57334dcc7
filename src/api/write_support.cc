#include "api/write_support.h"

#include "common/clock.h"
#include "identity/text.h"

namespace sei::api {

std::optional<nlohmann::json> JsonBody(const HttpRequest& r, bool empty_ok, HttpResponse* error) {
  if (empty_ok && r.body.empty()) return nlohmann::json::object();
  auto ct = r.Header("content-type");
  if (!ct || ct->rfind("application/json", 0) != 0) {
    *error = ErrorResponse(415, "unsupported_media_type",
                           "send the body as JSON with Content-Type: application/json");
    return std::nullopt;
  }
  nlohmann::json doc = nlohmann::json::parse(r.body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    *error = InvalidFields({{"", doc.is_discarded() ? "the body is not valid JSON"
                                                    : "the body must be a JSON object"}});
    return std::nullopt;
  }
  return doc;
}

WriteRequest::WriteRequest(ApiServer& api, const HttpRequest& r, bool empty_ok)
    : fields_(body_, "", &errors_) {
  std::optional<nlohmann::json> body = JsonBody(r, empty_ok, &error_);
  if (!body) return;
  body_ = std::move(*body);
  auto store = api.stores().Acquire();
  if (!store.ok()) {
    error_ = ErrorResponse(store.status());
    return;
  }
  store_.emplace(std::move(*store));
  ok_ = true;
}

bool WriteRequest::IsNull(const char* key) const {
  auto it = body_.find(key);
  return it != body_.end() && it->is_null();
}

std::optional<HttpResponse> WriteRequest::Invalid() {
  fields_.Finish();
  if (errors_.empty()) return std::nullopt;
  return InvalidFields(errors_);
}

HttpResponse InvalidFields(const std::vector<FieldError>& errors) {
  nlohmann::json details = nlohmann::json::array();
  for (const FieldError& e : errors) details.push_back({{"field", e.field}, {"reason", e.reason}});
  const std::string count =
      errors.size() == 1 ? "1 invalid field" : std::to_string(errors.size()) + " invalid fields";
  return ErrorResponse(400, "invalid_argument", count + "; nothing was written", details);
}

auth::AuditEntry AuditEntryFor(const HttpRequest& r, const Caller& caller) {
  auth::AuditEntry e;
  e.at = SystemClock::Get().NowUnixSeconds();
  e.actor = caller.id;
  e.remote_addr = r.remote_addr;
  e.outcome = "ok";
  return e;
}

Status ApplyAudited(ApiServer& api, Store& store, std::vector<TableWrite> writes,
                    auth::AuditEntry entry, std::string action, std::string target,
                    std::string detail) {
  entry.action = std::move(action);
  entry.target = std::move(target);
  if (!detail.empty()) entry.detail = std::move(detail);
  SEI_ASSIGN_OR_RETURN(TableWrite audit, auth::AuditLog::Write(std::move(entry)));
  writes.push_back(std::move(audit));
  SEI_RETURN_IF_ERROR(store.ApplyWrites(writes));
  api.metrics().MarkChanged();
  return Status::Ok();
}

void AddWriteRoutes(ApiServer& api, WriteContext* ctx) {
  AddTeamWriteRoutes(api, ctx);
  AddProjectWriteRoutes(api, ctx);
  AddIdentityWriteRoutes(api, ctx);
  AddConnectionRoutes(api, ctx);
}

HttpResponse NotFound(const std::string& what) { return ErrorResponse(404, "not_found", what); }

std::string NewOrgId(FieldReader& f, const std::optional<std::string>& slug,
                     const std::optional<std::string>& name, const char* prefix) {
  if (slug) {
    const bool ok =
        !slug->empty() && slug->size() <= 64 &&
        slug->find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-_.") == std::string::npos;
    if (!ok) {
      f.Error("id", "must be 1 to 64 lowercase letters, digits, '-', '_' or '.'");
      return "";
    }
    return prefix + *slug;
  }
  if (!name) return "";
  const std::string made = identity::Slugify(*name);
  if (made.empty()) {
    f.Error("name", "has no letters or digits to make an id from: give an id");
    return "";
  }
  return prefix + made;
}

std::optional<HttpResponse> RefuseConfigOwned(const WriteContext& ctx, const std::string& id,
                                              const char* what) {
  const bool team = id.rfind(identity::kConfigTeamPrefix, 0) == 0;
  const bool project = id.rfind(identity::kConfigProjectPrefix, 0) == 0;
  if (!team && !project) return std::nullopt;
  return ErrorResponse(
      409, "conflict",
      std::string(what) + " " + id + " is defined in the config file" +
          (ctx.config_file.empty() ? "" : " " + ctx.config_file) +
          ", which replaces it on every sync: change it there and run `sei identity resolve`");
}

}  // namespace sei::api
