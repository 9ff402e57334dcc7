// Project writes: create, update, delete, and what a project groups (its
// scopes: repos, boards, services, environments, CI scopes), replaced
// whole. Projects of the config file are the config's (409 here). Every
// write commits with its audit entry.
#include <fmt/format.h>

#include "api/write_support.h"
#include "identity/org_sync.h"
#include "model/git.h"
#include "model/org.h"
#include "model/work.h"

namespace sei::api {

namespace {

using model::Project;
using model::ProjectScope;
using nlohmann::json;

constexpr size_t kMaxName = 200;
constexpr size_t kMaxScopes = 1000;

// Body key -> project_scopes.kind.
const std::pair<const char*, const char*> kScopeKinds[] = {{"repos", "repo"},
                                                           {"boards", "board"},
                                                           {"services", "service"},
                                                           {"environments", "environment"},
                                                           {"ci_scopes", "ci_scope"}};

Result<json> ProjectDoc(Store& store, const Project& p) {
  ScanOptions where;
  where.where = {{"project_id", p.id}};
  SEI_ASSIGN_OR_RETURN(auto scopes, store.List<ProjectScope>(where));
  json doc = {{"id", p.id},
              {"name", p.name},
              {"description", p.description ? json(*p.description) : json(nullptr)}};
  for (const auto& [key, kind] : kScopeKinds) {
    json list = json::array();
    for (const ProjectScope& s : scopes) {
      if (s.kind == kind) list.push_back(s.scope_id);
    }
    doc[key] = list;
  }
  return doc;
}

HttpResponse ProjectAnswer(Store& store, const Project& p, int status) {
  auto doc = ProjectDoc(store, p);
  if (!doc.ok()) return ErrorResponse(doc.status());
  return JsonResponse(*doc, status);
}

// The strings of array `key` (each at most 1 KiB, at most kMaxScopes).
std::vector<std::string> StringList(FieldReader& f, const char* key) {
  std::vector<std::string> out;
  const json* v = f.Member(key);
  if (v == nullptr || v->is_null()) return out;
  if (!v->is_array() || v->size() > kMaxScopes) {
    f.Error(key, fmt::format("must be an array of at most {} strings", kMaxScopes));
    return out;
  }
  for (size_t i = 0; i < v->size(); ++i) {
    const json& item = (*v)[i];
    const std::string field = fmt::format("{}[{}]", key, i);
    if (!item.is_string() || item.get_ref<const std::string&>().empty() ||
        item.get_ref<const std::string&>().size() > collectors::push::kMaxString) {
      f.Error(field, "must be a non-empty string of at most 1024 bytes");
      continue;
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

// Reads every scope list of the body; repos and boards are resolved to ids
// (a repo by id, name or location; a board by id or name).
Result<std::vector<ProjectScope>> ReadScopes(Store& store, FieldReader& f,
                                             const std::string& project_id) {
  SEI_ASSIGN_OR_RETURN(auto repos, store.List<model::Repo>());
  SEI_ASSIGN_OR_RETURN(auto boards, store.List<model::Board>());
  std::vector<ProjectScope> out;
  for (const auto& [key, kind] : kScopeKinds) {
    const std::vector<std::string> items = StringList(f, key);
    for (size_t i = 0; i < items.size(); ++i) {
      const bool repo = std::string(kind) == "repo", board = std::string(kind) == "board";
      std::set<std::string> ids = {items[i]};
      if (repo) ids = identity::FindRepos(repos, items[i], "/");
      if (board) ids = identity::FindBoards(boards, items[i]);
      if (ids.size() != 1) {
        f.Error(fmt::format("{}[{}]", key, i),
                ids.empty() ? std::string("no ") + kind + " has this id, name" +
                                  (repo ? " or location" : "")
                            : fmt::format("names {} {}s ({}): give an id", ids.size(), kind,
                                          fmt::join(ids, ", ")));
        continue;
      }
      ProjectScope s{project_id, kind, *ids.begin()};
      bool seen = false;
      for (const ProjectScope& o : out)
        seen = seen || (o.kind == s.kind && o.scope_id == s.scope_id);
      if (!seen) out.push_back(std::move(s));
    }
  }
  return out;
}

std::string ScopeCount(const std::vector<ProjectScope>& scopes) {
  return fmt::format("{} scope{}", scopes.size(), scopes.size() == 1 ? "" : "s");
}

HttpResponse CreateProject(ApiServer& api, WriteContext&, const HttpRequest& r, const Caller& c) {
  WriteRequest w(api, r, false);
  if (!w.ok()) return w.error();
  Store& store = w.store();
  FieldReader& f = w.fields();
  Project p;
  std::optional<std::string> name = f.String("name", true, kMaxName);
  p.id = NewOrgId(f, f.String("id", false), name, kApiProjectPrefix);
  p.name = name.value_or("");
  p.description = f.String("description", false);
  auto scopes = ReadScopes(store, f, p.id);
  if (!scopes.ok()) return ErrorResponse(scopes.status());
  if (auto invalid = w.Invalid()) return *invalid;
  Status s = ApplyAudited(api, store,
                          {InsertNew(store, p, "project " + p.id), TableWrite::Upsert(*scopes)},
                          AuditEntryFor(r, c), "project.create", "project:" + p.id,
                          "name " + p.name + ", " + ScopeCount(*scopes));
  if (!s.ok()) return ErrorResponse(s);
  return ProjectAnswer(store, p, 201);
}

// The project of the path: nullopt with `answer` set to the 404 or 409.
std::optional<Project> PathProject(WriteContext& ctx, Store& store, const HttpRequest& r,
                                   HttpResponse* answer) {
  const std::string& id = r.path_params.at("id");
  auto found = FindOne<Project>(store, "id", id);
  if (!found.ok()) {
    *answer = ErrorResponse(found.status());
    return std::nullopt;
  }
  if (!*found) {
    *answer = NotFound("no project '" + id + "' (GET /api/v1/projects lists them)");
    return std::nullopt;
  }
  if (auto refused = RefuseConfigOwned(ctx, id, "project")) {
    *answer = *refused;
    return std::nullopt;
  }
  return *found;
}

// A change to the project of the path: `edit` reads the body into the
// project and returns the writes (and the audit detail); they commit with
// the audit entry `action`.
template <class Edit>
HttpResponse EditProject(ApiServer& api, WriteContext& ctx, const HttpRequest& r, const Caller& c,
                         const char* action, Edit edit) {
  WriteRequest w(api, r, false);
  if (!w.ok()) return w.error();
  HttpResponse answer;
  std::optional<Project> p = PathProject(ctx, w.store(), r, &answer);
  if (!p) return answer;
  std::string detail;
  Result<std::vector<TableWrite>> writes = edit(w, *p, &detail);
  if (!writes.ok()) return ErrorResponse(writes.status());
  if (auto invalid = w.Invalid()) return *invalid;
  Status s = ApplyAudited(api, w.store(), std::move(*writes), AuditEntryFor(r, c), action,
                          "project:" + p->id, detail);
  if (!s.ok()) return ErrorResponse(s);
  return ProjectAnswer(w.store(), *p, 200);
}

HttpResponse UpdateProject(ApiServer& api, WriteContext& ctx, const HttpRequest& r,
                           const Caller& c) {
  return EditProject(
      api, ctx, r, c, "project.update",
      [](WriteRequest& w, Project& p, std::string* detail) -> Result<std::vector<TableWrite>> {
        FieldReader& f = w.fields();
        if (auto name = f.String("name", false, kMaxName)) {
          if (name->empty()) f.Error("name", "must not be empty");
          p.name = *name;
        }
        if (w.IsNull("description")) p.description.reset();
        if (auto d = f.String("description", false)) p.description = *d;
        *detail = "name " + p.name;
        return std::vector<TableWrite>{TableWrite::Upsert(std::vector<Project>{p})};
      });
}

HttpResponse SetScopes(ApiServer& api, WriteContext& ctx, const HttpRequest& r, const Caller& c) {
  return EditProject(
      api, ctx, r, c, "project.scopes",
      [](WriteRequest& w, Project& p, std::string* detail) -> Result<std::vector<TableWrite>> {
        SEI_ASSIGN_OR_RETURN(std::vector<ProjectScope> scopes,
                             ReadScopes(w.store(), w.fields(), p.id));
        *detail = ScopeCount(scopes);
        return std::vector<TableWrite>{
            TableWrite::DeleteWhere(model::SpecOf<ProjectScope>(), {{"project_id", p.id}}),
            TableWrite::Upsert(scopes)};
      });
}

HttpResponse DeleteProject(ApiServer& api, WriteContext& ctx, const HttpRequest& r,
                           const Caller& c) {
  auto store = api.stores().Acquire();
  if (!store.ok()) return ErrorResponse(store.status());
  HttpResponse answer;
  std::optional<Project> p = PathProject(ctx, **store, r, &answer);
  if (!p) return answer;
  Status s = ApplyAudited(
      api, **store,
      {TableWrite::DeleteWhere(model::SpecOf<ProjectScope>(), {{"project_id", p->id}}),
       TableWrite::DeleteWhere(model::SpecOf<Project>(), {{"id", p->id}})},
      AuditEntryFor(r, c), "project.delete", "project:" + p->id, "deleted with its scopes");
  if (!s.ok()) return ErrorResponse(s);
  HttpResponse out;
  out.status = 204;
  return out;
}

}  // namespace

void AddProjectWriteRoutes(ApiServer& api, WriteContext* ctx) {
  const ParamDoc id = {"id", "path", "string", "The project's id"};
  auto bind = [&api, ctx](WriteHandler fn) { return BindWrite(api, ctx, fn); };
  api.Add({"POST",
           "/api/v1/projects",
           RouteGroup::kOrgWrite,
           "Create a project (id api:project:<id or slug of the name>) with its scopes",
           "repos: repo ids, names or locations; boards: board ids or names; services, "
           "environments, ci_scopes: as written. 409 when the id exists.",
           {},
           "ProjectCreate",
           {201, 400, 401, 403, 409, 415},
           "organisation",
           bind(CreateProject)});
  api.Add({"PATCH",
           "/api/v1/projects/{id}",
           RouteGroup::kOrgWrite,
           "Change a project's name or description (null clears the description)",
           "Projects of the config file are changed there (409).",
           {id},
           "ProjectUpdate",
           {200, 400, 401, 403, 404, 409, 415},
           "organisation",
           bind(UpdateProject)});
  api.Add({"PUT",
           "/api/v1/projects/{id}/scopes",
           RouteGroup::kOrgWrite,
           "Replace what a project groups: repos, boards, services, environments, ci_scopes",
           "A list left out becomes empty.",
           {id},
           "ProjectScopes",
           {200, 400, 401, 403, 404, 409, 415},
           "organisation",
           bind(SetScopes)});
  api.Add({"DELETE",
           "/api/v1/projects/{id}",
           RouteGroup::kOrgWrite,
           "Delete a project and its scopes",
           "",
           {id},
           "",
           {204, 401, 403, 404, 409},
           "organisation",
           bind(DeleteProject)});
}

}  // namespace sei::api
