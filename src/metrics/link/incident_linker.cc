#include "metrics/link/incident_linker.h"

#include <algorithm>
#include <set>
#include <unordered_set>

#include "metrics/link/link_util.h"

namespace sei::metrics::link {

namespace {

std::string LastPart(const std::string& name) {
  const size_t slash = name.find_last_of('/');
  return slash == std::string::npos ? name : name.substr(slash + 1);
}

}  // namespace

IncidentLinker::IncidentLinker(const MetricsSettings& settings,
                               const std::vector<model::Deployment>& deps,
                               const DeploymentOrder& order, const LinkInputs& inputs)
    : settings_(settings), deps_(deps), order_(order) {
  for (size_t i = 0; i < deps.size(); ++i) by_id_.emplace(deps[i].id, static_cast<int32_t>(i));
  for (int32_t d : order.by_time) {
    const model::Deployment& dep = deps[static_cast<size_t>(d)];
    // Every deployment that reached production may have caused it: a
    // success, one rolled back after it ran, or one that failed part way.
    if (!ReachedProduction(dep.result) || !Production(dep)) continue;
    if (dep.service) by_service_[*dep.service].push_back(d);
    if (dep.repo_id) by_repo_[*dep.repo_id].push_back(d);
  }
  for (const model::Repo& r : inputs.repos) {
    for (const std::string& name : {r.id, r.name, LastPart(r.name)}) {
      std::vector<std::string>& ids = repos_named_[name];
      if (std::find(ids.begin(), ids.end(), r.id) == ids.end()) ids.push_back(r.id);
    }
  }
  for (const auto& [repo_id, timeline] : by_repo_) {
    std::vector<std::string>& ids = repos_named_[repo_id];
    if (std::find(ids.begin(), ids.end(), repo_id) == ids.end()) ids.push_back(repo_id);
  }
  if (settings.mode == Mode::kDevLake) BuildDevLakeProjects(inputs);
}

bool IncidentLinker::Production(const model::Deployment& d) const {
  const std::string type = Lower(d.environment_type);
  for (const std::string& p : settings_.production_types) {
    if (Lower(p) == type) return true;
  }
  return false;
}

// The last deployment of `t` that counts at most incident_window_seconds
// before the incident, in the incident's environment when it names one.
int32_t IncidentLinker::LatestInWindow(const Timeline& t, const model::Incident& inc) const {
  const auto at = [&](int32_t d) { return order_.at[static_cast<size_t>(d)]; };
  auto end = std::upper_bound(t.begin(), t.end(), inc.created_at,
                              [&](int64_t v, int32_t d) { return v < at(d); });
  const std::string env = Lower(inc.environment.value_or(""));
  for (auto it = end; it != t.begin();) {
    --it;
    if (at(*it) < inc.created_at - settings_.incident_window_seconds) break;
    const model::Deployment& d = deps_[static_cast<size_t>(*it)];
    if (env.empty() || Lower(d.environment) == env || Lower(d.environment_type) == env) {
      return *it;
    }
  }
  return -1;
}

void IncidentLinker::Link(const std::vector<model::Incident>& incidents,
                          std::vector<model::IncidentDeployment>* out, IncidentTally* tally) const {
  for (const model::Incident& inc : incidents) {
    if (settings_.mode == Mode::kDevLake) {
      LinkDevLake(inc, out, tally);
    } else {
      LinkDefault(inc, out, tally);
    }
  }
}

void IncidentLinker::LinkDefault(const model::Incident& inc,
                                 std::vector<model::IncidentDeployment>* out,
                                 IncidentTally* tally) const {
  const auto link = [&](int32_t d, const char* method) {
    out->push_back({inc.id, deps_[static_cast<size_t>(d)].id, method});
    ++tally->by_method[method];
  };
  if (inc.deployment_id) {
    auto it = by_id_.find(*inc.deployment_id);
    if (it == by_id_.end()) {
      ++tally->unlinked["its deployment_id is not a stored deployment"];
    } else {
      link(it->second, "explicit");
    }
    return;
  }
  if (!inc.service || inc.service->empty()) {
    ++tally->unlinked["no service named"];
    return;
  }
  if (auto s = by_service_.find(*inc.service); s != by_service_.end()) {
    const int32_t d = LatestInWindow(s->second, inc);
    if (d >= 0) return link(d, "service-window");
  }
  int32_t best = -1;
  if (auto names = repos_named_.find(*inc.service); names != repos_named_.end()) {
    for (const std::string& repo : names->second) {
      auto r = by_repo_.find(repo);
      if (r == by_repo_.end()) continue;
      const int32_t d = LatestInWindow(r->second, inc);
      if (d >= 0 &&
          (best < 0 || order_.at[static_cast<size_t>(d)] > order_.at[static_cast<size_t>(best)])) {
        best = d;
      }
    }
  }
  if (best >= 0) return link(best, "repo-window");
  ++tally->unlinked["no production deployment of its service within the window"];
}

void IncidentLinker::BuildDevLakeProjects(const LinkInputs& inputs) {
  std::unordered_map<std::string, std::string> ci_scope_of;
  for (const model::CiPipeline& p : inputs.pipelines) ci_scope_of.emplace(p.id, p.ci_scope);
  implicit_project_ = inputs.projects.empty();
  const std::vector<ProjectScopes> scopes = ScopesOf(inputs);
  project_deps_.assign(scopes.size(), {});
  for (size_t i = 0; i < deps_.size(); ++i) {
    const model::Deployment& d = deps_[i];
    if (!IsSuccess(d.result) || !Production(d) || !d.finished_at) continue;
    const std::string* ci_scope = nullptr;
    if (d.pipeline_id) {
      if (auto it = ci_scope_of.find(*d.pipeline_id); it != ci_scope_of.end()) {
        ci_scope = &it->second;
      }
    }
    for (size_t p = 0; p < scopes.size(); ++p) {
      if (implicit_project_ || scopes[p].Has(d, ci_scope)) {
        project_deps_[p].push_back({*d.finished_at, static_cast<int32_t>(i)});
      }
    }
  }
  for (auto& list : project_deps_) {
    std::sort(list.begin(), list.end(), [&](const auto& a, const auto& b) {
      if (a.first != b.first) return a.first < b.first;
      return deps_[static_cast<size_t>(a.second)].id < deps_[static_cast<size_t>(b.second)].id;
    });
  }
}

// A deployment belongs to a project through its pipeline's CI scope (as in
// DevLake); one that no pipeline made, through its repo or service.
bool IncidentLinker::ProjectScopes::Has(const model::Deployment& d,
                                        const std::string* ci_scope) const {
  if (ci_scope != nullptr) return ci_scopes.count(*ci_scope) != 0;
  return (d.repo_id && repos.count(*d.repo_id) != 0) ||
         (d.service && services.count(*d.service) != 0);
}

std::vector<IncidentLinker::ProjectScopes> IncidentLinker::ScopesOf(const LinkInputs& inputs) {
  std::vector<ProjectScopes> scopes(implicit_project_ ? 1 : inputs.projects.size());
  std::unordered_map<std::string, size_t> index;
  for (size_t i = 0; i < inputs.projects.size(); ++i) index.emplace(inputs.projects[i].id, i);
  for (const model::ProjectScope& s : inputs.project_scopes) {
    auto p = index.find(s.project_id);
    if (p == index.end()) continue;
    ProjectScopes& ps = scopes[p->second];
    if (s.kind == "ci_scope") ps.ci_scopes.insert(s.scope_id);
    if (s.kind == "repo") ps.repos.insert(s.scope_id);
    if (s.kind == "service") ps.services.insert(s.scope_id);
    if (s.kind == "repo" || s.kind == "board" || s.kind == "service") {
      projects_of_scope_[s.scope_id].push_back(static_cast<int32_t>(p->second));
    }
  }
  return scopes;
}

void IncidentLinker::LinkDevLake(const model::Incident& inc,
                                 std::vector<model::IncidentDeployment>* out,
                                 IncidentTally* tally) const {
  std::vector<int32_t> projects;
  if (implicit_project_) {
    projects.push_back(0);
  } else if (inc.service) {
    if (auto it = projects_of_scope_.find(*inc.service); it != projects_of_scope_.end()) {
      projects = it->second;
    }
  }
  if (projects.empty()) {
    ++tally->unlinked["not in any project"];
    return;
  }
  std::set<int32_t> linked;
  for (int32_t p : projects) {
    const auto& list = project_deps_[static_cast<size_t>(p)];
    auto it = std::lower_bound(list.begin(), list.end(), inc.created_at,
                               [](const auto& e, int64_t v) { return e.first < v; });
    if (it != list.begin()) linked.insert(std::prev(it)->second);
  }
  if (linked.empty()) {
    ++tally->unlinked["no production deployment before it in its project"];
    return;
  }
  for (int32_t d : linked) {
    out->push_back({inc.id, deps_[static_cast<size_t>(d)].id, "devlake-latest"});
  }
  ++tally->by_method["devlake-latest"];
}

}  // namespace sei::metrics::link
