// Team writes: create, update, delete, and memberships with their dates
// (adding a member, ending a membership; the history is kept). Teams of the
// config file are the config's (409 here). Every write commits with its
// audit entry.
#include <fmt/format.h>

#include "api/entity_json.h"
#include "api/write_support.h"
#include "common/clock.h"
#include "common/time.h"
#include "identity/text.h"
#include "model/org.h"

namespace sei::api {

namespace {

using model::Team;
using model::TeamMember;
using nlohmann::json;

constexpr size_t kMaxName = 200;

Result<json> TeamDoc(Store& store, const Team& t) {
  ScanOptions where;
  where.where = {{"team_id", t.id}};
  SEI_ASSIGN_OR_RETURN(auto members, store.List<TeamMember>(where));
  json m = json::array();
  for (const TeamMember& x : members) {
    m.push_back({{"person_id", x.person_id},
                 {"role", OptOrNull(x.role)},
                 {"joined_at", FormatRfc3339Utc(x.joined_at)},
                 {"left_at", TimeOrNull(x.left_at)}});
  }
  return json{{"id", t.id},
              {"name", t.name},
              {"parent_id", OptOrNull(t.parent_team_id)},
              {"description", OptOrNull(t.description)},
              {"members", m}};
}

HttpResponse TeamAnswer(Store& store, const Team& t, int status) {
  auto doc = TeamDoc(store, t);
  if (!doc.ok()) return ErrorResponse(doc.status());
  return JsonResponse(*doc, status);
}

// The team `ref` names: its id, or its name (any case) when only one has it.
Result<std::optional<Team>> FindTeam(Store& store, const std::string& ref) {
  SEI_ASSIGN_OR_RETURN(std::optional<Team> by_id, FindOne<Team>(store, "id", ref));
  if (by_id) return by_id;
  SEI_ASSIGN_OR_RETURN(std::vector<Team> all, store.List<Team>());
  std::optional<Team> found;
  for (Team& t : all) {
    if (identity::AsciiLower(t.name) != identity::AsciiLower(ref)) continue;
    if (found) return std::optional<Team>();  // ambiguous: ids only
    found = std::move(t);
  }
  return found;
}

// Checks "parent" (a team id or name; not `self` nor below it) into `out`.
Status ReadParent(Store& store, FieldReader& f, const std::string& self,
                  std::optional<std::string>* out) {
  std::optional<std::string> ref = f.String("parent", false);
  if (!ref) return Status::Ok();
  SEI_ASSIGN_OR_RETURN(std::optional<Team> parent, FindTeam(store, *ref));
  if (!parent) {
    f.Error("parent", "no team has this id (or, alone, this name)");
    return Status::Ok();
  }
  // Walking up from the parent must not reach the team itself.
  std::optional<Team> at = parent;
  for (int steps = 0; at && steps < 1000; ++steps) {
    if (at->id == self) {
      f.Error("parent", "is " + self + " or a team below it: teams cannot form a cycle");
      return Status::Ok();
    }
    if (!at->parent_team_id) break;
    SEI_ASSIGN_OR_RETURN(at, FindOne<Team>(store, "id", *at->parent_team_id));
  }
  *out = parent->id;
  return Status::Ok();
}

HttpResponse CreateTeam(ApiServer& api, WriteContext&, const HttpRequest& r, const Caller& c) {
  WriteRequest w(api, r, false);
  if (!w.ok()) return w.error();
  Store& store = w.store();
  FieldReader& f = w.fields();
  Team t;
  std::optional<std::string> name = f.String("name", true, kMaxName);
  t.id = NewOrgId(f, f.String("id", false), name, kApiTeamPrefix);
  t.name = name.value_or("");
  t.description = f.String("description", false);
  if (Status s = ReadParent(store, f, t.id, &t.parent_team_id); !s.ok()) return ErrorResponse(s);
  if (auto invalid = w.Invalid()) return *invalid;
  Status s = ApplyAudited(api, store, {InsertNew(store, t, "team " + t.id)}, AuditEntryFor(r, c),
                          "team.create", "team:" + t.id, "name " + t.name);
  if (!s.ok()) return ErrorResponse(s);
  return TeamAnswer(store, t, 201);
}

HttpResponse UpdateTeam(ApiServer& api, WriteContext& ctx, const HttpRequest& r, const Caller& c) {
  const std::string& id = r.path_params.at("id");
  WriteRequest w(api, r, false);
  if (!w.ok()) return w.error();
  Store& store = w.store();
  auto found = FindOne<Team>(store, "id", id);
  if (!found.ok()) return ErrorResponse(found.status());
  if (!*found) return NotFound("no team '" + id + "' (GET /api/v1/teams lists them)");
  if (auto refused = RefuseConfigOwned(ctx, id, "team")) return *refused;
  Team t = **found;
  FieldReader& f = w.fields();
  std::vector<std::string> changed;
  if (auto name = f.String("name", false, kMaxName)) {
    if (name->empty()) f.Error("name", "must not be empty");
    t.name = *name;
    changed.push_back("name");
  }
  // Present and null: cleared.
  for (const char* key : {"parent", "description"}) {
    if (auto it = w.body().find(key); it != w.body().end() && it->is_null()) {
      (std::string(key) == "parent" ? t.parent_team_id : t.description).reset();
      changed.push_back(std::string(key) + " cleared");
    }
  }
  if (auto d = f.String("description", false)) {
    t.description = *d;
    changed.push_back("description");
  }
  if (w.body().contains("parent") && !w.body()["parent"].is_null()) changed.push_back("parent");
  if (Status s = ReadParent(store, f, t.id, &t.parent_team_id); !s.ok()) return ErrorResponse(s);
  if (auto invalid = w.Invalid()) return *invalid;
  Status s = ApplyAudited(
      api, store, {TableWrite::Upsert(std::vector<Team>{t})}, AuditEntryFor(r, c), "team.update",
      "team:" + id, changed.empty() ? "no change" : fmt::format("{}", fmt::join(changed, ", ")));
  if (!s.ok()) return ErrorResponse(s);
  return TeamAnswer(store, t, 200);
}

HttpResponse DeleteTeam(ApiServer& api, WriteContext& ctx, const HttpRequest& r, const Caller& c) {
  const std::string& id = r.path_params.at("id");
  auto store = api.stores().Acquire();
  if (!store.ok()) return ErrorResponse(store.status());
  auto found = FindOne<Team>(**store, "id", id);
  if (!found.ok()) return ErrorResponse(found.status());
  if (!*found) return NotFound("no team '" + id + "'");
  if (auto refused = RefuseConfigOwned(ctx, id, "team")) return *refused;
  auto children = FindOne<Team>(**store, "parent_team_id", id);
  if (!children.ok()) return ErrorResponse(children.status());
  if (*children) {
    return ErrorResponse(
        409, "conflict",
        "team " + id + " has teams below it (" + (*children)->id + "): move or delete them first");
  }
  Status s = ApplyAudited(api, **store,
                          {TableWrite::DeleteWhere(model::SpecOf<TeamMember>(), {{"team_id", id}}),
                           TableWrite::DeleteWhere(model::SpecOf<Team>(), {{"id", id}})},
                          AuditEntryFor(r, c), "team.delete", "team:" + id,
                          "deleted with its memberships");
  if (!s.ok()) return ErrorResponse(s);
  HttpResponse out;
  out.status = 204;
  return out;
}

// The person `ref` names: a person id, or the primary email of one person.
Result<std::optional<std::string>> FindPerson(Store& store, const std::string& ref) {
  SEI_ASSIGN_OR_RETURN(auto by_id, FindOne<model::Person>(store, "id", ref));
  if (by_id) return std::optional<std::string>(by_id->id);
  SEI_ASSIGN_OR_RETURN(std::vector<model::Person> people, store.List<model::Person>());
  std::optional<std::string> found;
  for (const auto& p : people) {
    if (!p.primary_email || identity::AsciiLower(*p.primary_email) != identity::AsciiLower(ref)) {
      continue;
    }
    if (found) return std::optional<std::string>();
    found = p.id;
  }
  return found;
}

// The membership of `person` in `team` that is open at `at` (no left_at, or
// one after it).
Result<std::optional<TeamMember>> OpenMembership(Store& store, const std::string& team,
                                                 const std::string& person, int64_t at) {
  ScanOptions where;
  where.where = {{"team_id", team}, {"person_id", person}};
  SEI_ASSIGN_OR_RETURN(auto rows, store.List<TeamMember>(where));
  for (const TeamMember& m : rows) {
    if (!m.left_at || *m.left_at > at) return std::optional<TeamMember>(m);
  }
  return std::optional<TeamMember>();
}

// Finds the team of the path, answering 404 or 409 (config-owned) itself.
std::optional<HttpResponse> CheckTeam(WriteContext& ctx, Store& store, const std::string& id) {
  auto found = FindOne<Team>(store, "id", id);
  if (!found.ok()) return ErrorResponse(found.status());
  if (!*found) return NotFound("no team '" + id + "'");
  return RefuseConfigOwned(ctx, id, "team");
}

HttpResponse AddMember(ApiServer& api, WriteContext& ctx, const HttpRequest& r, const Caller& c) {
  const std::string& id = r.path_params.at("id");
  WriteRequest w(api, r, false);
  if (!w.ok()) return w.error();
  Store& store = w.store();
  if (auto refused = CheckTeam(ctx, store, id)) return *refused;
  FieldReader& f = w.fields();
  TeamMember m;
  m.team_id = id;
  if (auto who = f.String("person", true)) {
    auto person = FindPerson(store, *who);
    if (!person.ok()) return ErrorResponse(person.status());
    if (!*person) f.Error("person", "no person has this id (or, alone, this primary email)");
    m.person_id = person->value_or("");
  }
  m.role = f.String("role", false, kMaxName);
  m.joined_at = f.Time("joined_at", false).value_or(SystemClock::Get().NowUnixSeconds());
  if (auto invalid = w.Invalid()) return *invalid;
  auto open = OpenMembership(store, id, m.person_id, m.joined_at);
  if (!open.ok()) return ErrorResponse(open.status());
  if (*open) {
    return ErrorResponse(409, "conflict",
                         m.person_id + " is a member of " + id + " since " +
                             FormatRfc3339Utc((*open)->joined_at) + ": end that membership first");
  }
  Status s = ApplyAudited(api, store, {InsertNew(store, m, "that membership")}, AuditEntryFor(r, c),
                          "team.member.add", "team:" + id,
                          "person " + m.person_id + " from " + FormatRfc3339Utc(m.joined_at));
  if (!s.ok()) return ErrorResponse(s);
  return TeamAnswer(store, **FindOne<Team>(store, "id", id), 201);
}

HttpResponse EndMember(ApiServer& api, WriteContext& ctx, const HttpRequest& r, const Caller& c) {
  const std::string& id = r.path_params.at("id");
  const std::string& person = r.path_params.at("person");
  WriteRequest w(api, r, true);
  if (!w.ok()) return w.error();
  Store& store = w.store();
  if (auto refused = CheckTeam(ctx, store, id)) return *refused;
  FieldReader& f = w.fields();
  const int64_t left = f.Time("left_at", false).value_or(SystemClock::Get().NowUnixSeconds());
  if (auto invalid = w.Invalid()) return *invalid;
  auto open = OpenMembership(store, id, person, left);
  if (!open.ok()) return ErrorResponse(open.status());
  if (!*open) return NotFound(person + " has no membership of " + id + " open at that time");
  TeamMember m = **open;
  if (left <= m.joined_at) {
    return InvalidFields({{"left_at", "must be after the membership began (" +
                                          FormatRfc3339Utc(m.joined_at) + ")"}});
  }
  m.left_at = left;
  Status s = ApplyAudited(api, store, {TableWrite::Upsert(std::vector<TeamMember>{m})},
                          AuditEntryFor(r, c), "team.member.end", "team:" + id,
                          "person " + person + " left " + FormatRfc3339Utc(left));
  if (!s.ok()) return ErrorResponse(s);
  return TeamAnswer(store, **FindOne<Team>(store, "id", id), 200);
}

}  // namespace

void AddTeamWriteRoutes(ApiServer& api, WriteContext* ctx) {
  const ParamDoc id = {"id", "path", "string", "The team's id"};
  const std::vector<int> write = {200, 400, 401, 403, 404, 409, 415};
  auto bind = [&api, ctx](WriteHandler fn) { return BindWrite(api, ctx, fn); };
  api.Add({"POST",
           "/api/v1/teams",
           RouteGroup::kOrgWrite,
           "Create a team (id api:team:<id or slug of the name>)",
           "parent: a team id or name. 409 when the id exists.",
           {},
           "TeamCreate",
           {201, 400, 401, 403, 409, 415},
           "organisation",
           bind(CreateTeam)});
  api.Add({"PATCH",
           "/api/v1/teams/{id}",
           RouteGroup::kOrgWrite,
           "Change a team's name, parent or description (null clears parent or description)",
           "Teams of the config file are changed there (409).",
           {id},
           "TeamUpdate",
           write,
           "organisation",
           bind(UpdateTeam)});
  api.Add({"DELETE",
           "/api/v1/teams/{id}",
           RouteGroup::kOrgWrite,
           "Delete a team and its memberships (409 while teams are below it)",
           "",
           {id},
           "",
           {204, 401, 403, 404, 409},
           "organisation",
           bind(DeleteTeam)});
  api.Add({"POST",
           "/api/v1/teams/{id}/members",
           RouteGroup::kOrgWrite,
           "Add a member (person id or primary email) from joined_at (default now)",
           "409 while the person has a membership open at joined_at.",
           {id},
           "TeamMemberAdd",
           {201, 400, 401, 403, 404, 409, 415},
           "organisation",
           bind(AddMember)});
  api.Add({"POST",
           "/api/v1/teams/{id}/members/{person}/end",
           RouteGroup::kOrgWrite,
           "End a membership at left_at (default now); the membership stays in the history",
           "",
           {id, {"person", "path", "string", "The member's person id"}},
           "TeamMemberEnd",
           write,
           "organisation",
           bind(EndMember)});
}

}  // namespace sei::api
