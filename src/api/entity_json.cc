#include "api/entity_json.h"

#include "common/time.h"

namespace sei::api {

using metrics::Dataset;
using metrics::Idx;
using metrics::kNone;
using nlohmann::json;

json TimeOrNull(const std::optional<int64_t>& t) {
  return t ? json(FormatRfc3339Utc(*t)) : json(nullptr);
}
json OptOrNull(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }

json PersonRef(const Dataset& ds, Idx p) {
  if (p == kNone) return nullptr;
  const auto& x = ds.people[static_cast<size_t>(p)];
  return {{"id", x.id}, {"name", x.name}};
}

namespace {

template <class T>
json OptNum(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

json RepoRef(const Dataset& ds, Idx r) {
  if (r == kNone) return nullptr;
  const auto& x = ds.repos[static_cast<size_t>(r)];
  return {{"id", x.id}, {"name", x.name}};
}

}  // namespace

json PrJson(const Dataset& ds, size_t i) {
  const auto& p = ds.prs[i];
  const auto& f = ds.pr_facts[i];
  return {{"id", p.id},
          {"repo", RepoRef(ds, p.repo)},
          {"number", p.number},
          {"title", p.title},
          {"url", OptOrNull(p.url)},
          {"state", p.state},
          {"draft", p.draft},
          {"author", PersonRef(ds, p.author)},
          {"created_at", TimeOrNull(p.created_at)},
          {"ready_at", TimeOrNull(p.ready_at)},
          {"merged_at", TimeOrNull(p.merged_at)},
          {"closed_at", TimeOrNull(p.closed_at)},
          {"deployed_at", TimeOrNull(p.deployed_at)},
          {"additions", OptNum(p.additions)},
          {"deletions", OptNum(p.deletions)},
          {"changed_files", OptNum(p.changed_files)},
          {"reviews", f.reviews},
          {"reviewers", f.reviewers},
          {"first_review_at", TimeOrNull(f.first_review_at)},
          {"stages_seconds",
           {{"coding", OptNum(f.coding)},
            {"pickup", OptNum(f.pickup)},
            {"review", OptNum(f.review)},
            {"deploy", OptNum(f.deploy)},
            {"cycle", OptNum(f.cycle)}}}};
}

json DeploymentJson(const Dataset& ds, size_t i) {
  const auto& d = ds.deployments[i];
  json incidents = json::array();
  for (Idx x : d.incidents) incidents.push_back(ds.incidents[static_cast<size_t>(x)].id);
  return {{"id", d.id},
          {"repo", RepoRef(ds, d.repo)},
          {"service", OptOrNull(d.service)},
          {"environment", d.environment},
          {"environment_type", d.environment_type},
          {"production", d.production},
          {"commit_sha", OptOrNull(d.commit_sha)},
          {"result", d.result},
          {"started_at", TimeOrNull(d.started_at)},
          {"finished_at", TimeOrNull(d.finished_at)},
          {"url", OptOrNull(d.url)},
          {"linked", d.has_link},
          {"link_method", d.link_method},
          {"commits_shipped", d.commits_shipped},
          {"changes_shipped", d.changes_shipped},
          {"incidents", incidents}};
}

json ReleaseJson(const Dataset& ds, size_t i) {
  const auto& r = ds.releases[i];
  return {{"id", r.id},
          {"repo", RepoRef(ds, r.repo)},
          {"tag_name", r.tag_name},
          {"name", OptOrNull(r.name)},
          {"target", OptOrNull(r.target)},
          {"draft", r.draft},
          {"prerelease", r.prerelease},
          {"author", PersonRef(ds, r.author)},
          {"created_at", TimeOrNull(r.created_at)},
          {"published_at", TimeOrNull(r.published_at)},
          {"url", OptOrNull(r.url)}};
}

json IncidentJson(const Dataset& ds, size_t i) {
  const auto& x = ds.incidents[i];
  json deps = json::array();
  for (Idx d : x.deployments) deps.push_back(ds.deployments[static_cast<size_t>(d)].id);
  return {{"id", x.id},
          {"title", x.title},
          {"url", OptOrNull(x.url)},
          {"service", OptOrNull(x.service)},
          {"environment", OptOrNull(x.environment)},
          {"severity", OptOrNull(x.severity)},
          {"status", x.status},
          {"created_at", TimeOrNull(x.created_at)},
          {"acknowledged_at", TimeOrNull(x.acknowledged_at)},
          {"resolved_at", TimeOrNull(x.resolved_at)},
          {"deployments", deps},
          {"link_method", x.link_method}};
}

json IssueJson(const Dataset& ds, size_t i) {
  const auto& x = ds.issues[i];
  return {{"id", x.id},
          {"key", x.key},
          {"title", x.title},
          {"type", x.type},
          {"status", x.status},
          {"status_category", x.status_category},
          {"priority", OptOrNull(x.priority)},
          {"points", OptNum(x.points)},
          {"assignee", PersonRef(ds, x.assignee)},
          {"board",
           x.board == kNone ? json(nullptr) : json(ds.boards[static_cast<size_t>(x.board)].name)},
          {"epic_id", OptOrNull(x.epic_id)},
          {"created_at", TimeOrNull(x.created_at)},
          {"resolved_at", TimeOrNull(x.resolved_at)},
          {"url", OptOrNull(x.url)}};
}

json TeamJson(const Dataset& ds, size_t i, int64_t now) {
  const auto& t = ds.teams[i];
  json members = json::array();
  for (const auto& m : t.members) {
    json row = PersonRef(ds, m.person);
    if (row.is_null()) continue;
    row["joined_at"] = TimeOrNull(m.joined_at);
    row["left_at"] = m.left_at == metrics::kForever ? json(nullptr) : TimeOrNull(m.left_at);
    row["role"] = OptOrNull(m.role);
    row["current"] = m.joined_at <= now && now < m.left_at;
    members.push_back(std::move(row));
  }
  return {
      {"id", t.id}, {"name", t.name}, {"parent_id", OptOrNull(t.parent_id)}, {"members", members}};
}

json PersonJson(const Dataset& ds, size_t i) {
  const auto& p = ds.people[i];
  return {{"id", p.id}, {"name", p.name}, {"email", OptOrNull(p.email)}, {"bot", p.bot}};
}

json RepoJson(const Dataset& ds, size_t i) {
  const auto& r = ds.repos[i];
  return {{"id", r.id}, {"name", r.name}, {"location", r.location}};
}

json ProjectJson(const Dataset& ds, size_t i) {
  const auto& p = ds.projects[i];
  json repos = json::array(), boards = json::array();
  for (Idx r : p.repos) repos.push_back(RepoRef(ds, r));
  for (Idx b : p.boards) boards.push_back(ds.boards[static_cast<size_t>(b)].name);
  return {{"id", p.id},
          {"name", p.name},
          {"repos", repos},
          {"boards", boards},
          {"services", p.services},
          {"environments", p.environments},
          {"ci_scopes", p.ci_scopes}};
}

}  // namespace sei::api
