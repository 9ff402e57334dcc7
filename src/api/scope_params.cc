#include "api/scope_params.h"

namespace sei::api {

void ReadScopeParams(const HttpRequest& r, metrics::QueryText* t) {
  t->scope = r.Param("scope").value_or("");
  t->team = r.Param("team").value_or("");
  t->project = r.Param("project").value_or("");
  t->repo = r.Param("repo").value_or("");
  t->person = r.Param("person").value_or("");
}

Target TargetOf(const metrics::Dataset& ds, const metrics::ResolvedScope& rs) {
  Target t;
  t.scope_kind = std::string(metrics::ScopeKindName(rs.scope.kind));
  const auto i = static_cast<size_t>(rs.index);
  switch (rs.scope.kind) {
    case metrics::ScopeKind::kTeam:
      t.scope_id = ds.teams[i].id;
      break;
    case metrics::ScopeKind::kProject:
      t.scope_id = ds.projects[i].id;
      break;
    case metrics::ScopeKind::kRepo:
      t.scope_id = ds.repos[i].id;
      break;
    case metrics::ScopeKind::kPerson:
      t.scope_id = ds.people[i].id;
      break;
    default:
      break;
  }
  return t;
}

}  // namespace sei::api
