// Derived entities: what the platform works out from collected data, kept in
// the store so that every metric can say how it was made and the API can
// drill into it.
//
//   identity_links        why each account belongs to its person (reason,
//                         confidence, automatic or manual)
//   identity_overrides    manual merges and splits; they survive every
//                         re-run of identity resolution and can be undone
//   commit_pull_requests  which pull request each commit belongs to, and how
//                         that was matched (merge sha, PR commit, rebase ...)
//   deployment_links      per deployment: the previous successful deployment
//                         of the same repo and environment, how many commits
//                         and changes it shipped, and whether the walk was
//                         bounded (first deployment)
//   deployment_changes    the changes (a pull request, or a commit pushed
//                         without one) a deployment shipped first to its
//                         environment, with the change's first commit time:
//                         the rows behind lead time for changes
//   incident_deployments  which deployment caused each incident, and how the
//                         link was made
//
// Derived rows are recomputed by `sei link` (and before metrics when data
// changed); explicit rows from a source (deployment commits given to the push
// API, an incident's deployment id) are inputs, never overwritten.
//
// Thread safety: value types.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sei::model {

struct IdentityLink {
  std::string account_id;
  std::string person_id;
  std::string reason;  // "same-email", "mailmap", "github-noreply", "manual-merge" ...
  double confidence = 1.0;
  std::string method;  // "auto" or "manual"
  int64_t updated_at = 0;

  static constexpr const char* kTable = "identity_links";
  static constexpr const char* kView = "identity_links";
  static constexpr const char* kEntity = "identity-links";
  static constexpr const char* kDescription =
      "why each account belongs to its person: reason, confidence, automatic or manual";
  static constexpr bool kWritable = true;
  static std::vector<std::string> Key() { return {"account_id"}; }
  template <class V>
  static void Describe(V& v) {
    v("account_id", &IdentityLink::account_id);
    v("person_id", &IdentityLink::person_id);
    v("reason", &IdentityLink::reason);
    v("confidence", &IdentityLink::confidence);
    v("method", &IdentityLink::method);
    v("updated_at", &IdentityLink::updated_at);
  }
};

struct IdentityOverride {
  std::string id;
  std::string action;                         // "merge" or "split"
  std::string account_id;                     // the account it acts on
  std::optional<std::string> other_account_id;  // merge with / split from
  std::optional<std::string> display_name;    // for the person a merge makes
  int64_t created_at = 0;
  std::optional<std::string> created_by;
  std::optional<std::string> note;

  static constexpr const char* kTable = "identity_overrides";
  static constexpr const char* kView = "identity_overrides";
  static constexpr const char* kEntity = "identity-overrides";
  static constexpr const char* kDescription =
      "manual identity merges and splits (kept across re-resolution; delete to undo)";
  static constexpr bool kWritable = true;
  static std::vector<std::string> Key() { return {"id"}; }
  template <class V>
  static void Describe(V& v) {
    v("id", &IdentityOverride::id);
    v("action", &IdentityOverride::action);
    v("account_id", &IdentityOverride::account_id);
    v("other_account_id", &IdentityOverride::other_account_id);
    v("display_name", &IdentityOverride::display_name);
    v("created_at", &IdentityOverride::created_at);
    v("created_by", &IdentityOverride::created_by);
    v("note", &IdentityOverride::note);
  }
};

struct CommitPullRequest {
  std::string repo_id;
  std::string commit_sha;
  std::string pr_id;
  std::string link_method;  // "merge-sha", "pr-commit", "head-sha", "rebase-chain"

  static constexpr const char* kTable = "commit_pull_requests";
  static constexpr const char* kView = "commit_pull_requests";
  static constexpr const char* kEntity = "commit-pull-requests";
  static constexpr const char* kDescription =
      "which pull request each commit belongs to, and how it was matched";
  static constexpr bool kWritable = true;
  static std::vector<std::string> Key() { return {"repo_id", "commit_sha", "pr_id"}; }
  template <class V>
  static void Describe(V& v) {
    v("repo_id", &CommitPullRequest::repo_id);
    v("commit_sha", &CommitPullRequest::commit_sha);
    v("pr_id", &CommitPullRequest::pr_id);
    v("link_method", &CommitPullRequest::link_method);
  }
};

struct DeploymentLink {
  std::string deployment_id;
  std::optional<std::string> prev_deployment_id;  // previous successful, same repo and env
  int64_t commits_shipped = 0;
  int64_t changes_shipped = 0;
  bool bounded = false;     // first deployment: walk cut by the history bound
  std::string link_method;  // "graph", "explicit", "first-bounded", "no-commit", "no-graph"

  static constexpr const char* kTable = "deployment_links";
  static constexpr const char* kView = "deployment_links";
  static constexpr const char* kEntity = "deployment-links";
  static constexpr const char* kDescription =
      "per deployment: previous successful deployment, commits and changes shipped, how linked";
  static constexpr bool kWritable = true;
  static std::vector<std::string> Key() { return {"deployment_id"}; }
  template <class V>
  static void Describe(V& v) {
    v("deployment_id", &DeploymentLink::deployment_id);
    v("prev_deployment_id", &DeploymentLink::prev_deployment_id);
    v("commits_shipped", &DeploymentLink::commits_shipped);
    v("changes_shipped", &DeploymentLink::changes_shipped);
    v("bounded", &DeploymentLink::bounded);
    v("link_method", &DeploymentLink::link_method);
  }
};

struct DeploymentChange {
  std::string deployment_id;
  std::string change_id;  // the pr id, or "<repo_id>:commit:<sha>" for a direct commit
  std::string repo_id;
  std::optional<std::string> pr_id;
  std::string head_sha;             // the PR's merge sha, or the commit
  int64_t first_commit_at = 0;      // earliest author time of the change's commits
  int64_t commits = 0;              // commits of the change this deployment shipped
  std::optional<std::string> author_account_id;
  std::string link_method;  // how the change met the deployment ("graph", "explicit" ...)

  static constexpr const char* kTable = "deployment_changes";
  static constexpr const char* kView = "deployment_changes";
  static constexpr const char* kEntity = "deployment-changes";
  static constexpr const char* kDescription =
      "changes (PRs or direct commits) each deployment shipped first to its environment";
  static constexpr bool kWritable = true;
  static std::vector<std::string> Key() { return {"deployment_id", "change_id"}; }
  template <class V>
  static void Describe(V& v) {
    v("deployment_id", &DeploymentChange::deployment_id);
    v("change_id", &DeploymentChange::change_id);
    v("repo_id", &DeploymentChange::repo_id);
    v("pr_id", &DeploymentChange::pr_id);
    v("head_sha", &DeploymentChange::head_sha);
    v("first_commit_at", &DeploymentChange::first_commit_at);
    v("commits", &DeploymentChange::commits);
    v("author_account_id", &DeploymentChange::author_account_id);
    v("link_method", &DeploymentChange::link_method);
  }
};

struct IncidentDeployment {
  std::string incident_id;
  std::string deployment_id;
  std::string link_method;  // "explicit", "service-window", "repo-window", "devlake-latest"

  static constexpr const char* kTable = "incident_deployments";
  static constexpr const char* kView = "incident_deployments";
  static constexpr const char* kEntity = "incident-deployments";
  static constexpr const char* kDescription =
      "which deployment caused each incident, and how the link was made";
  static constexpr bool kWritable = true;
  static std::vector<std::string> Key() { return {"incident_id", "deployment_id"}; }
  template <class V>
  static void Describe(V& v) {
    v("incident_id", &IncidentDeployment::incident_id);
    v("deployment_id", &IncidentDeployment::deployment_id);
    v("link_method", &IncidentDeployment::link_method);
  }
};

}  // namespace sei::model
