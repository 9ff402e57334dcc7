// Delivery entities: CI pipelines and jobs, deployments and the commits they shipped, releases,
// incidents, and quality findings.
//
// Plain values, no I/O. Instants are Unix seconds (UTC). Ids are namespaced per
// source and connection (ids.h); raw_id points at the archived payload a row
// was converted from (lineage). Field lists are the single source of truth for
// generic SQL, exports and the schema check (entity.h).
//
// Thread safety: value types.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sei::model {

struct CiPipeline {
  std::string id;
  std::string connection_id;
  std::string ci_scope;
  std::string name;
  std::optional<std::string> repo_id;
  std::optional<std::string> ref;
  std::optional<std::string> commit_sha;
  std::string status;
  std::optional<std::string> result;
  std::optional<std::string> trigger;
  int64_t created_at = 0;
  std::optional<int64_t> started_at;
  std::optional<int64_t> finished_at;
  std::optional<std::string> url;
  std::optional<int64_t> raw_id;

  static constexpr const char* kTable = "ci_pipelines";
  static constexpr const char* kView = "ci_pipelines";
  static constexpr const char* kEntity = "ci-pipelines";
  static constexpr const char* kDescription =
      "CI/CD pipeline runs (workflow runs, Jenkins builds, GitLab pipelines)";
  static constexpr bool kWritable = true;
  static std::vector<std::string> Key() { return {"id"}; }
  template <class V>
  static void Describe(V& v) {
    v("id", &CiPipeline::id);
    v("connection_id", &CiPipeline::connection_id);
    v("ci_scope", &CiPipeline::ci_scope);
    v("name", &CiPipeline::name);
    v("repo_id", &CiPipeline::repo_id);
    v("ref", &CiPipeline::ref);
    v("commit_sha", &CiPipeline::commit_sha);
    v("status", &CiPipeline::status);
    v("result", &CiPipeline::result);
    v("trigger", &CiPipeline::trigger);
    v("created_at", &CiPipeline::created_at);
    v("started_at", &CiPipeline::started_at);
    v("finished_at", &CiPipeline::finished_at);
    v("url", &CiPipeline::url);
    v("raw_id", &CiPipeline::raw_id);
  }
};

struct CiJob {
  std::string id;
  std::string pipeline_id;
  std::string name;
  std::optional<std::string> stage;
  std::string status;
  std::optional<std::string> result;
  std::optional<std::string> environment;
  bool is_deployment = false;
  std::optional<int64_t> started_at;
  std::optional<int64_t> finished_at;
  std::optional<std::string> url;
  std::optional<int64_t> raw_id;

  static constexpr const char* kTable = "ci_jobs";
  static constexpr const char* kView = "ci_jobs";
  static constexpr const char* kEntity = "ci-jobs";
  static constexpr const char* kDescription = "jobs (tasks, stages) of a pipeline run";
  static constexpr bool kWritable = true;
  static std::vector<std::string> Key() { return {"id"}; }
  template <class V>
  static void Describe(V& v) {
    v("id", &CiJob::id);
    v("pipeline_id", &CiJob::pipeline_id);
    v("name", &CiJob::name);
    v("stage", &CiJob::stage);
    v("status", &CiJob::status);
    v("result", &CiJob::result);
    v("environment", &CiJob::environment);
    v("is_deployment", &CiJob::is_deployment);
    v("started_at", &CiJob::started_at);
    v("finished_at", &CiJob::finished_at);
    v("url", &CiJob::url);
    v("raw_id", &CiJob::raw_id);
  }
};

struct Deployment {
  std::string id;
  std::string connection_id;
  std::optional<std::string> repo_id;
  std::optional<std::string> service;
  std::string environment;
  std::string environment_type;
  std::optional<std::string> commit_sha;
  std::optional<std::string> ref;
  std::string result;
  std::optional<int64_t> started_at;
  std::optional<int64_t> finished_at;
  std::optional<std::string> pipeline_id;
  std::optional<std::string> url;
  std::optional<int64_t> raw_id;

  static constexpr const char* kTable = "deployments";
  static constexpr const char* kView = "deployments";
  static constexpr const char* kEntity = "deployments";
  static constexpr const char* kDescription =
      "deployments to an environment, from CI, a deployment API or the push API";
  static constexpr bool kWritable = true;
  static std::vector<std::string> Key() { return {"id"}; }
  template <class V>
  static void Describe(V& v) {
    v("id", &Deployment::id);
    v("connection_id", &Deployment::connection_id);
    v("repo_id", &Deployment::repo_id);
    v("service", &Deployment::service);
    v("environment", &Deployment::environment);
    v("environment_type", &Deployment::environment_type);
    v("commit_sha", &Deployment::commit_sha);
    v("ref", &Deployment::ref);
    v("result", &Deployment::result);
    v("started_at", &Deployment::started_at);
    v("finished_at", &Deployment::finished_at);
    v("pipeline_id", &Deployment::pipeline_id);
    v("url", &Deployment::url);
    v("raw_id", &Deployment::raw_id);
  }
};

struct DeploymentCommit {
  std::string deployment_id;
  std::string repo_id;
  std::string commit_sha;
  std::string link_method;

  static constexpr const char* kTable = "deployment_commits";
  static constexpr const char* kView = "deployment_commits";
  static constexpr const char* kEntity = "deployment-commits";
  static constexpr const char* kDescription =
      "the commits each deployment shipped, and how each link was made";
  static constexpr bool kWritable = true;
  static std::vector<std::string> Key() { return {"deployment_id", "repo_id", "commit_sha"}; }
  template <class V>
  static void Describe(V& v) {
    v("deployment_id", &DeploymentCommit::deployment_id);
    v("repo_id", &DeploymentCommit::repo_id);
    v("commit_sha", &DeploymentCommit::commit_sha);
    v("link_method", &DeploymentCommit::link_method);
  }
};

// A release a source publishes for a repository (GitHub releases): a tag,
// the branch or commit it was cut from, and when it was published. Tags
// themselves are git refs (model::Ref, the git collector's).
struct Release {
  std::string id;
  std::string connection_id;
  std::string repo_id;
  std::string tag_name;
  std::optional<std::string> name;    // NULL when the source gives none (or "")
  std::optional<std::string> target;  // target_commitish: a branch name or a sha
  bool draft = false;
  bool prerelease = false;
  std::optional<std::string> author_account_id;
  int64_t created_at = 0;
  std::optional<int64_t> published_at;  // NULL while a draft
  std::optional<std::string> url;
  std::optional<int64_t> raw_id;

  static constexpr const char* kTable = "releases";
  static constexpr const char* kView = "releases";
  static constexpr const char* kEntity = "releases";
  static constexpr const char* kDescription =
      "releases of a repository (GitHub releases): tag, target, draft, prerelease, published_at";
  static constexpr bool kWritable = true;
  static std::vector<std::string> Key() { return {"id"}; }
  template <class V>
  static void Describe(V& v) {
    v("id", &Release::id);
    v("connection_id", &Release::connection_id);
    v("repo_id", &Release::repo_id);
    v("tag_name", &Release::tag_name);
    v("name", &Release::name);
    v("target", &Release::target);
    v("draft", &Release::draft);
    v("prerelease", &Release::prerelease);
    v("author_account_id", &Release::author_account_id);
    v("created_at", &Release::created_at);
    v("published_at", &Release::published_at);
    v("url", &Release::url);
    v("raw_id", &Release::raw_id);
  }
};

struct Incident {
  std::string id;
  std::string connection_id;
  std::optional<std::string> service;
  std::optional<std::string> environment;
  std::string title;
  std::optional<std::string> severity;
  std::string status;
  int64_t created_at = 0;
  std::optional<int64_t> acknowledged_at;
  std::optional<int64_t> resolved_at;
  std::optional<std::string> deployment_id;
  std::optional<std::string> url;
  std::optional<int64_t> raw_id;

  static constexpr const char* kTable = "incidents";
  static constexpr const char* kView = "incidents";
  static constexpr const char* kEntity = "incidents";
  static constexpr const char* kDescription =
      "production incidents (PagerDuty, Opsgenie, issues typed incident, pushed)";
  static constexpr bool kWritable = true;
  static std::vector<std::string> Key() { return {"id"}; }
  template <class V>
  static void Describe(V& v) {
    v("id", &Incident::id);
    v("connection_id", &Incident::connection_id);
    v("service", &Incident::service);
    v("environment", &Incident::environment);
    v("title", &Incident::title);
    v("severity", &Incident::severity);
    v("status", &Incident::status);
    v("created_at", &Incident::created_at);
    v("acknowledged_at", &Incident::acknowledged_at);
    v("resolved_at", &Incident::resolved_at);
    v("deployment_id", &Incident::deployment_id);
    v("url", &Incident::url);
    v("raw_id", &Incident::raw_id);
  }
};

struct QualityFinding {
  std::string id;
  std::string connection_id;
  std::optional<std::string> repo_id;
  std::string tool;
  std::string kind;
  std::optional<std::string> severity;
  std::optional<std::string> rule;
  std::optional<std::string> path;
  std::optional<int64_t> line;
  std::string status;
  std::optional<std::string> message;
  int64_t created_at = 0;
  std::optional<int64_t> resolved_at;
  std::optional<std::string> url;
  std::optional<int64_t> raw_id;

  static constexpr const char* kTable = "quality_findings";
  static constexpr const char* kView = "quality_findings";
  static constexpr const char* kEntity = "quality-findings";
  static constexpr const char* kDescription =
      "code quality and security findings (SonarQube, Snyk)";
  static constexpr bool kWritable = true;
  static std::vector<std::string> Key() { return {"id"}; }
  template <class V>
  static void Describe(V& v) {
    v("id", &QualityFinding::id);
    v("connection_id", &QualityFinding::connection_id);
    v("repo_id", &QualityFinding::repo_id);
    v("tool", &QualityFinding::tool);
    v("kind", &QualityFinding::kind);
    v("severity", &QualityFinding::severity);
    v("rule", &QualityFinding::rule);
    v("path", &QualityFinding::path);
    v("line", &QualityFinding::line);
    v("status", &QualityFinding::status);
    v("message", &QualityFinding::message);
    v("created_at", &QualityFinding::created_at);
    v("resolved_at", &QualityFinding::resolved_at);
    v("url", &QualityFinding::url);
    v("raw_id", &QualityFinding::raw_id);
  }
};

}  // namespace sei::model
