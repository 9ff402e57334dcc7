#include "metrics/link/ci_deployment_generator.h"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "metrics/link/link_util.h"
#include "model/environment.h"

namespace sei::metrics::link {

namespace {

constexpr std::string_view kInfix = ":deploy:";

// A job's latest attempt per name (retries share the name), skipped ones
// dropped.
std::vector<const model::CiJob*> LatestAttempts(const std::vector<const model::CiJob*>& jobs) {
  std::map<std::string, const model::CiJob*> latest;
  for (const model::CiJob* j : jobs) {
    const model::CiJob*& slot = latest[j->name];
    if (slot == nullptr) {
      slot = j;
      continue;
    }
    const int64_t a = j->started_at.value_or(0), b = slot->started_at.value_or(0);
    if (a > b || (a == b && j->id > slot->id)) slot = j;
  }
  std::vector<const model::CiJob*> out;
  for (const auto& [name, j] : latest) {
    if (OutcomeOf(j->result, j->status) != Outcome::kSkipped) out.push_back(j);
  }
  return out;
}

model::Deployment FromPipeline(const model::CiPipeline& p, const std::string& environment) {
  model::Deployment d;
  d.id = CiDeploymentGenerator::IdFor(p.id, environment);
  d.connection_id = p.connection_id;
  d.repo_id = p.repo_id;
  d.environment = environment;
  d.environment_type = CiDeploymentGenerator::EnvironmentType(environment);
  d.commit_sha = p.commit_sha;
  d.ref = p.ref;
  d.pipeline_id = p.id;
  d.url = p.url;
  return d;
}

}  // namespace

std::string CiDeploymentGenerator::IdFor(const std::string& pipeline_id,
                                         const std::string& environment) {
  return pipeline_id + std::string(kInfix) + environment;
}

bool CiDeploymentGenerator::IsGenerated(const model::Deployment& d) {
  if (!d.pipeline_id) return false;
  const std::string prefix = *d.pipeline_id + std::string(kInfix);
  return d.id.compare(0, prefix.size(), prefix) == 0;
}

std::string CiDeploymentGenerator::EnvironmentType(std::string_view name) {
  return model::EnvironmentTypeOf(name);
}

std::vector<model::Deployment> CiDeploymentGenerator::Generate(
    const std::vector<model::CiPipeline>& pipelines, const std::vector<model::CiJob>& jobs,
    const std::unordered_set<std::string>& claimed) const {
  std::unordered_map<std::string, std::vector<const model::CiJob*>> by_pipeline;
  for (const model::CiJob& j : jobs) by_pipeline[j.pipeline_id].push_back(&j);
  std::vector<const model::CiPipeline*> order;
  for (const model::CiPipeline& p : pipelines) order.push_back(&p);
  std::sort(order.begin(), order.end(), [](auto* a, auto* b) { return a->id < b->id; });
  std::vector<model::Deployment> out;
  static const std::vector<const model::CiJob*> kNoJobs;
  for (const model::CiPipeline* p : order) {
    if (claimed.count(p->id) != 0) continue;
    auto it = by_pipeline.find(p->id);
    const auto& pj = it == by_pipeline.end() ? kNoJobs : it->second;
    if (mode_ == Mode::kDevLake) {
      GenerateDevLake(*p, pj, &out);
    } else {
      GenerateDefault(*p, pj, &out);
    }
  }
  return out;
}

void CiDeploymentGenerator::GenerateDefault(const model::CiPipeline& p,
                                            const std::vector<const model::CiJob*>& jobs,
                                            std::vector<model::Deployment>* out) const {
  std::map<std::string, std::vector<const model::CiJob*>> by_env;
  for (const model::CiJob* j : jobs) {
    if (j->is_deployment) by_env[j->environment.value_or("")].push_back(j);
  }
  for (const auto& [env, env_jobs] : by_env) {
    const std::vector<const model::CiJob*> kept = LatestAttempts(env_jobs);
    if (kept.empty()) continue;
    bool failed = false, cancelled = false, running = false;
    std::optional<int64_t> started, finished;
    for (const model::CiJob* j : kept) {
      const Outcome o = OutcomeOf(j->result, j->status);
      failed |= o == Outcome::kFailure;
      cancelled |= o == Outcome::kCancelled;
      running |= o == Outcome::kRunning;
      if (j->started_at && (!started || *j->started_at < *started)) started = j->started_at;
      const std::optional<int64_t> f = j->finished_at ? j->finished_at : p.finished_at;
      if (f && (!finished || *f > *finished)) finished = f;
    }
    model::Deployment d = FromPipeline(p, env);
    d.result = failed ? "failure" : cancelled ? "cancelled" : running ? "in_progress" : "success";
    d.started_at = started ? *started : p.started_at.value_or(p.created_at);
    if (!running || failed || cancelled) d.finished_at = finished;
    out->push_back(std::move(d));
  }
}

void CiDeploymentGenerator::GenerateDevLake(const model::CiPipeline& p,
                                            const std::vector<const model::CiJob*>& jobs,
                                            std::vector<model::Deployment>* out) const {
  const Outcome po = OutcomeOf(p.result, p.status);
  if (po != Outcome::kSuccess && po != Outcome::kFailure) return;
  const auto finished = [](const model::CiJob* j) {
    const Outcome o = OutcomeOf(j->result, j->status);
    return o == Outcome::kSuccess || o == Outcome::kFailure;
  };
  bool deploys = false;
  for (const model::CiJob* j : jobs) deploys |= j->is_deployment && finished(j);
  if (!deploys) return;
  std::string environment;
  for (const char* type : {"production", "staging", "testing"}) {
    for (const model::CiJob* j : jobs) {
      if (environment.empty() && finished(j) && j->environment &&
          EnvironmentType(*j->environment) == type) {
        environment = *j->environment;
      }
    }
  }
  model::Deployment d = FromPipeline(p, environment);
  d.result = po == Outcome::kSuccess ? "success" : "failure";
  d.started_at = p.started_at;
  d.finished_at = p.finished_at;
  out->push_back(std::move(d));
}

}  // namespace sei::metrics::link
