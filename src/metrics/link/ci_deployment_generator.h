// CiDeploymentGenerator: deployments made from CI runs, so that a source
// which only reports pipelines and jobs (Jenkins, GitLab CI, GitHub
// Actions) still has deployments to link and count. It follows DevLake's
// deployment generator (a pipeline is a deployment when one of its jobs is
// a deployment job) with our own result mapping in the default mode:
//
//   default  one deployment per pipeline and environment its deployment
//            jobs (CiJob.is_deployment) ran in. A retried job counts by its
//            latest attempt; skipped jobs are ignored (all skipped: no
//            deployment). Result: "failure" when a deployment job failed,
//            else "cancelled" when one was cancelled, else "in_progress"
//            while one has not finished, else "success". The times are the
//            deployment jobs' (first start, last finish), else the
//            pipeline's. A pipeline failing in a job after a successful
//            deployment job still deployed.
//   devlake  one deployment per pipeline whose result is success or failure
//            and that has a deployment job whose result is success or
//            failure; its environment is the first of production, staging,
//            testing that any of its finished jobs ran in (else empty); its
//            result and times are the pipeline's.
//
// A generated deployment's id is "<pipeline id>:deploy:<environment>"; it
// carries the pipeline's repo, commit, ref, url and connection. Pipelines a
// stored deployment already refers to (a deployment API or the push API
// reported it) generate nothing.
//
// Thread safety: immutable after construction; Generate is a pure function.
#pragma once

#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "metrics/core/settings.h"
#include "model/delivery.h"

namespace sei::metrics::link {

class CiDeploymentGenerator {
 public:
  explicit CiDeploymentGenerator(Mode mode) : mode_(mode) {}

  // Deployments for `pipelines`, ordered by id. `claimed` holds the ids of
  // pipelines a stored deployment already refers to.
  std::vector<model::Deployment> Generate(const std::vector<model::CiPipeline>& pipelines,
                                          const std::vector<model::CiJob>& jobs,
                                          const std::unordered_set<std::string>& claimed) const;

  // Whether a stored deployment was made by a previous run of Generate.
  static bool IsGenerated(const model::Deployment& d);
  // "production", "staging", "testing", "development" or "" for an
  // environment name ("prod-eu" -> production, "pre-prod" -> staging).
  static std::string EnvironmentType(std::string_view name);
  static std::string IdFor(const std::string& pipeline_id, const std::string& environment);

 private:
  void GenerateDefault(const model::CiPipeline& p, const std::vector<const model::CiJob*>& jobs,
                       std::vector<model::Deployment>* out) const;
  void GenerateDevLake(const model::CiPipeline& p, const std::vector<const model::CiJob*>& jobs,
                       std::vector<model::Deployment>* out) const;

  Mode mode_;
};

}  // namespace sei::metrics::link
