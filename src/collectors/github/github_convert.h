// GitHub conversion: REST pages and webhook bodies (JSON text) into domain
// rows (src/model), as pure functions.
//
// Why one converter per entity: a pull request seen by a webhook and by a
// REST sync must become ONE identical row, so the same function converts the
// `pull_request` object whether it comes from a list page, the single-PR
// endpoint or a webhook body; likewise reviews, comments, issues, workflow
// runs and jobs, deployments. Where a shape lacks a field another has (list
// items have no `merged`, `merged_by` or `additions`), the row leaves it
// unset and the batch writer keeps what the store already holds
// (github_batch_writer.h), so a list sync after a webhook loses nothing.
//
// Ids (docs/data-model.md, "GitHub"), with C = ctx.connection_id
// ("github:acme") and R = the repository's full name ("octo/hello"):
//   repo        C:repo:R                account   C:account:<numeric user id>
//   pull req.   C:pr:R/<number>         issue     C:issue:R/<number>
//   review      C:review:<id>           comments  C:review-comment:<id>, C:issue-comment:<id>
//   run         C:run:<run id>          job       C:job:<job id>
//   deployment  C:deployment:<id>       board     C:board:R (the repo's issue list)
//   release     C:release:<release id>
// PRs and issues are keyed by number because reviews, comments and commit
// pages name their PR by URL (".../pulls/41"), never by its numeric id.
// Accounts are keyed by GitHub's numeric user id (stable across login
// renames); login, external_id (the numeric id) and is_bot are set, so the
// identity resolver links them to git authors by login and by
// "<id>+<login>@users.noreply.github.com" emails (src/identity). User
// objects embedded in pages carry no name or email.
//
// Vocabularies: PullRequest.state open|closed|merged; PrReview.state
// approved|changes_requested|commented|dismissed|pending; PrComment.kind
// review|issue; CiPipeline/CiJob.status queued|running|done and result
// success|failure|cancelled|skipped (none while running); Deployment.result
// success|failure|in_progress, or "" when the payload carries no status (the
// writer keeps a stored result then, else writes in_progress); Issue.status
// open|closed with status_category todo|done.
//
// Errors: a body that is not JSON, or whose top level has the wrong type, is
// an InvalidArgument Result. A bad item of a page (a missing key, a wrong
// type, a malformed timestamp) is skipped and reported in
// ConvertedBatch::errors as InvalidArgument naming the payload kind and the
// field path ("pulls[3].created_at: ..."); the other items convert.
//
// Releases: model::Release (name NULL when GitHub's is null or ""; target =
// target_commitish; published_at NULL while a draft); a `release` webhook
// whose action is `deleted` deletes the row (ConvertedBatch::
// deleted_releases). Tags are not converted: model::Ref is the git
// collector's (it replaces a repository's refs whole on each run), and a
// push webhook's ref changes are left to it.
//
// Thread safety: pure functions; each thread parses with its own parser, so
// any number of threads may convert at once.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "collectors/github/github_patterns.h"
#include "common/result.h"
#include "common/status.h"
#include "model/delivery.h"
#include "model/git.h"
#include "model/org.h"
#include "model/review.h"
#include "model/work.h"

namespace sei::collectors::github {

struct ConvertContext {
  std::string connection_id;  // "github:acme"
  // The repo id the rows point at; empty: C:repo:<full name> from the
  // payload (its `repository`, or the owner/repo of its API URLs).
  std::string repo_id;
  std::optional<int64_t> raw_id;  // the archived payload (lineage)
  // nullptr: CompiledPatterns::Defaults().
  const CompiledPatterns* patterns = nullptr;

  // Page-specific hints:
  // /pulls/N/commits items name no PR: this PR's id (PrId) is required,
  // and the page's first ordinal (page 2 of 100 a page starts at 100).
  std::string pr_id;
  int64_t first_ordinal = 0;
  // Repo-wide /issues/comments lists comments on issues and PRs alike: when
  // set, only comments on these numbers are kept (the others are counted in
  // `skipped`); when unset every comment is taken as a PR's (the
  // /issues/N/comments page of a PR).
  std::optional<std::vector<int64_t>> pr_numbers;
  // /runs/N/jobs items before 2022 lack `workflow_name`: the run's name, for
  // the deployment patterns.
  std::string workflow_name;
};

// What one payload converted into. Accounts are de-duplicated by id.
struct ConvertedBatch {
  std::vector<model::Account> accounts;
  std::vector<model::Repo> repos;
  std::vector<model::Board> boards;
  std::vector<model::PullRequest> prs;
  std::vector<model::PrCommit> pr_commits;
  std::vector<model::PrReview> reviews;
  std::vector<model::PrComment> comments;
  std::vector<model::Issue> issues;
  std::vector<model::CiPipeline> pipelines;
  std::vector<model::CiJob> jobs;
  std::vector<model::Deployment> deployments;
  // Commits a source lists explicitly per deployment (link_method
  // "explicit", inputs the linker never rewrites). GitHub lists none: a
  // deployment names one sha (Deployment.commit_sha) and `sei link` walks
  // the commit graph from it, so the converters leave this empty.
  std::vector<model::DeploymentCommit> deployment_commits;
  std::vector<model::Release> releases;
  // Ids of releases to delete (a `release` webhook with action `deleted`):
  // WriteBatch deletes them after the upserts.
  std::vector<std::string> deleted_releases;

  std::vector<Status> errors;  // items skipped because they were invalid
  int64_t skipped = 0;         // items deliberately not converted (PRs in /issues ...)
  bool handled = true;         // false: a webhook event no converter handles
  std::string note;            // why not handled, or what was ignored

  // Rows of every kind (accounts included; deletions are not rows).
  size_t RowCount() const;
  // Moves `other`'s rows and errors in, de-duplicating accounts.
  void Append(ConvertedBatch&& other);
  // Adds an account, or fills the fields a stored copy of it lacks.
  void AddAccount(model::Account account);

 private:
  std::unordered_map<std::string, size_t> account_index_;  // id -> position in accounts
};

// Every REST page (or single object) the converters understand.
enum class RestKind {
  kRepository,          // GET /repos/{o}/{r}
  kPulls,               // GET /pulls (list) or /pulls/{n} (single)
  kPrCommits,           // GET /pulls/{n}/commits (needs ctx.pr_id)
  kReviews,             // GET /pulls/{n}/reviews
  kReviewComments,      // GET /pulls/{n}/comments or /pulls/comments
  kIssueComments,       // GET /issues/{n}/comments or /issues/comments
  kIssues,              // GET /issues (PRs in it are skipped) or /issues/{n}
  kWorkflowRuns,        // GET /actions/runs ({total_count, workflow_runs}) or /runs/{id}
  kJobs,                // GET /actions/runs/{id}/jobs ({total_count, jobs})
  kDeployments,         // GET /deployments or /deployments/{id}
  kDeploymentStatuses,  // GET /deployments/{id}/statuses: see ConvertDeploymentWithStatuses
  kReleases,            // GET /releases (list, newest first) or /releases/{id}
};

std::string_view RestKindName(RestKind kind);

// A list page (JSON array, or the Actions envelope) or a single object.
Result<ConvertedBatch> ConvertRest(RestKind kind, std::string_view body, const ConvertContext& ctx);

// One deployment (GET /deployments/{id}) and its statuses page: the result
// is the latest status's (by created_at, then id).
Result<ConvertedBatch> ConvertDeploymentWithStatuses(std::string_view deployment_body,
                                                     std::string_view statuses_body,
                                                     const ConvertContext& ctx);

// The status pages (JSON arrays, in order) of deployment `id`: the sync
// fetches them, `sei reconvert` reads them from the archive. An error stops
// the conversion.
using StatusPagesOf = std::function<Result<std::vector<std::string>>(int64_t deployment_id)>;

// A deployments list page (GET /deployments), each deployment converted
// with all its status pages (ConvertDeploymentWithStatuses); a deployment
// that does not convert is an entry of `errors`, a status page that is not a
// JSON array an InvalidArgument.
Result<ConvertedBatch> ConvertDeploymentsPage(std::string_view body,
                                              const StatusPagesOf& statuses_of,
                                              const ConvertContext& ctx);

// A webhook delivery by its X-GitHub-Event name: push (the repository only;
// refs are the git collector's), pull_request, pull_request_review,
// pull_request_review_comment, issue_comment (comments on PRs; others are
// skipped), issues, deployment, deployment_status, workflow_run,
// workflow_job, release (action `deleted`: a deletion), ping (no rows). Any other event is not an
// error: handled is false and note says so.
Result<ConvertedBatch> ConvertWebhook(std::string_view event_name, std::string_view body,
                                      const ConvertContext& ctx);

// Whether ConvertWebhook handles the event `name`.
bool IsHandledWebhookEvent(std::string_view name);

// Id helpers (the formats above).
std::string RepoId(std::string_view connection_id, std::string_view full_name);
std::string AccountId(std::string_view connection_id, int64_t user_id);
std::string PrId(std::string_view connection_id, std::string_view full_name, int64_t number);
std::string IssueId(std::string_view connection_id, std::string_view full_name, int64_t number);
std::string RunId(std::string_view connection_id, int64_t run_id);
std::string ReleaseId(std::string_view connection_id, int64_t release_id);

}  // namespace sei::collectors::github
