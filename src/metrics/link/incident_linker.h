// IncidentLinker: which deployment caused each incident.
//
//   default  explicit        the incident's own deployment_id (when that
//                            deployment is stored);
//            service-window  else the last production deployment that ran
//                            (success, failure or rolled back;
//                            environment_type in settings.production_types)
//                            of the incident's service — and of its
//                            environment, when it names one (matched against
//                            the deployment's environment or its type) —
//                            that finished within incident_window_seconds
//                            before the incident was created;
//            repo-window     else the same for the repository the service
//                            names (a repo id, name, or the last part of it);
//            otherwise unlinked: never "the latest deployment anywhere".
//   devlake  devlake-latest  as DevLake's ConnectIncidentToDeployment: for
//                            each project the incident belongs to (a project
//                            scope whose id is the incident's service), the
//                            project's latest successful production
//                            deployment that finished before the incident,
//                            however long before; with no projects stored,
//                            the whole organisation is one project. An
//                            incident's own deployment_id is not consulted.
//
// Thread safety: immutable after construction; Link is const.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "metrics/core/settings.h"
#include "metrics/link/deployment_order.h"
#include "metrics/link/link_inputs.h"
#include "model/derived.h"

namespace sei::metrics::link {

struct IncidentTally {
  std::map<std::string, int64_t> by_method;
  std::map<std::string, int64_t> unlinked;  // by reason
};

class IncidentLinker {
 public:
  IncidentLinker(const MetricsSettings& settings, const std::vector<model::Deployment>& deps,
                 const DeploymentOrder& order, const LinkInputs& inputs);

  void Link(const std::vector<model::Incident>& incidents,
            std::vector<model::IncidentDeployment>* out, IncidentTally* tally) const;

 private:
  using Timeline = std::vector<int32_t>;  // deployment indices by (at, started, id)
  struct ProjectScopes {
    std::unordered_set<std::string> ci_scopes, repos, services;
    bool Has(const model::Deployment& d, const std::string* ci_scope) const;
  };
  std::vector<ProjectScopes> ScopesOf(const LinkInputs& inputs);
  bool Production(const model::Deployment& d) const;
  int32_t LatestInWindow(const Timeline& t, const model::Incident& inc) const;
  void LinkDefault(const model::Incident& inc, std::vector<model::IncidentDeployment>* out,
                   IncidentTally* tally) const;
  void LinkDevLake(const model::Incident& inc, std::vector<model::IncidentDeployment>* out,
                   IncidentTally* tally) const;
  void BuildDevLakeProjects(const LinkInputs& inputs);

  const MetricsSettings& settings_;
  const std::vector<model::Deployment>& deps_;
  const DeploymentOrder& order_;
  std::unordered_map<std::string, int32_t> by_id_;
  std::unordered_map<std::string, Timeline> by_service_;
  std::unordered_map<std::string, Timeline> by_repo_;
  std::unordered_map<std::string, std::vector<std::string>> repos_named_;
  // DevLake mode: per project, its deployments by finish time; and which
  // projects each scope id belongs to.
  std::vector<std::vector<std::pair<int64_t, int32_t>>> project_deps_;
  std::unordered_map<std::string, std::vector<int32_t>> projects_of_scope_;
  bool implicit_project_ = false;
};

}  // namespace sei::metrics::link
