// Dataset: an in-memory, read-only snapshot of everything the metrics need,
// loaded from the Store once (dataset_loader.h) and queried many times. The
// API server keeps one warm and reloads it when data changes; the command
// line loads one per run.
//
// Rows refer to each other by index (Idx) instead of id strings, children
// are contiguous ranges sorted by parent then time, and accounts are already
// resolved to people (identity_links / accounts.person_id; an account no one
// resolved yet stands for a person of its own), so metric functions are
// plain loops over vectors.
//
// Scope membership (docs/metrics.md, "Scopes"):
//   org      everything, bots excluded from people-based metrics
//   team     PRs, commits and issues of people who were members at the time
//            (membership dates); deployments that shipped a change authored
//            by a member; incidents caused by those deployments
//   project  its repos, boards, services and environments
//   repo     one repository (PRs, commits, deployments of it; incidents
//            caused by its deployments)
//   person   that person's PRs, commits and issues; deployments that shipped
//            their changes
//
// Thread safety: immutable after loading; any number of threads may query
// one Dataset concurrently.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/result.h"
#include "metrics/core/scope.h"
#include "metrics/core/settings.h"

namespace sei::metrics {

using Idx = int32_t;
inline constexpr Idx kNone = -1;
inline constexpr int64_t kForever = std::numeric_limits<int64_t>::max();

// A half-open range of child rows [begin, end).
struct Span {
  uint32_t begin = 0, end = 0;
  uint32_t size() const { return end - begin; }
  bool empty() const { return begin == end; }
};

struct DsPerson {
  std::string id;
  std::string name;
  std::optional<std::string> email;
  bool bot = false;
};

struct DsMembership {
  Idx person = kNone;
  int64_t joined_at = 0;
  int64_t left_at = kForever;
  std::optional<std::string> role;
};

struct DsTeam {
  std::string id;
  std::string name;
  std::optional<std::string> parent_id;
  std::vector<DsMembership> members;
};

struct DsRepo {
  std::string id;
  std::string name;
  std::string location;
};

struct DsBoard {
  std::string id;
  std::string name;
};

struct DsProject {
  std::string id;
  std::string name;
  std::vector<Idx> repos;
  std::vector<Idx> boards;
  std::vector<std::string> services;
  std::vector<std::string> environments;
  std::vector<std::string> ci_scopes;
};

struct DsPr {
  std::string id;
  Idx repo = kNone;
  int64_t number = 0;
  std::string title;
  std::optional<std::string> url;
  std::string state;  // "open", "closed", "merged"
  bool draft = false;
  Idx author = kNone;
  int64_t created_at = 0;
  std::optional<int64_t> ready_at;  // left draft
  std::optional<int64_t> merged_at;
  std::optional<int64_t> closed_at;
  std::optional<int64_t> updated_at;
  std::optional<int64_t> additions, deletions, changed_files;
  std::optional<std::string> merge_sha, head_sha, base_ref;
  std::optional<std::string> labels;
  Span commits;   // into Dataset::pr_commits, by authored_at
  Span reviews;   // into Dataset::reviews, by submitted_at
  Span comments;  // into Dataset::comments, by created_at
  // First production deployment that shipped it (deployment_changes).
  Idx deployment = kNone;
  std::optional<int64_t> deployed_at;
};

struct DsPrCommit {
  Idx pr = kNone;
  std::optional<int64_t> authored_at;
};

struct DsReview {
  Idx pr = kNone;
  Idx reviewer = kNone;
  std::string state;     // "approved", "changes_requested", "commented", "dismissed", "pending"
  bool pending = false;  // state == "pending" (not submitted)
  std::optional<int64_t> submitted_at;
};

struct DsComment {
  Idx pr = kNone;
  Idx author = kNone;
  std::string kind;  // "review" (on the diff) or "issue" (conversation)
  int64_t created_at = 0;
};

// A deployment's result, as the metrics read it.
enum class Outcome : uint8_t { kSuccess, kFailure, kRolledBack, kOther };

struct DsDeployment {
  std::string id;
  Idx repo = kNone;
  std::optional<std::string> service;
  std::string environment;
  std::string environment_type;
  bool production = false;  // environment_type is one of settings.production_types
  std::optional<std::string> commit_sha;
  std::string result;  // "success", "failure", "rolled_back", "cancelled", "in_progress" ...
  Outcome outcome = Outcome::kOther;  // of `result`
  std::optional<int64_t> started_at, finished_at;
  int64_t at = 0;  // finished_at, else started_at: when it counts
  std::optional<std::string> url;
  // From deployment_links (has_link false when `sei link` has not seen it).
  bool has_link = false;
  Idx prev = kNone;
  int64_t commits_shipped = 0;
  int64_t changes_shipped = 0;
  bool bounded = false;
  std::string link_method;
  Span changes;                // into Dataset::changes
  std::vector<Idx> incidents;  // incidents it caused (incident_deployments)
  // The next successful deployment of the same repo (or service) and
  // environment after this one: where a failed deployment recovers.
  Idx next_success = kNone;
};

// A release of a repository (GitHub releases).
struct DsRelease {
  std::string id;
  Idx repo = kNone;
  std::string tag_name;
  std::optional<std::string> name;
  std::optional<std::string> target;
  bool draft = false;
  bool prerelease = false;
  Idx author = kNone;
  int64_t created_at = 0;
  std::optional<int64_t> published_at;
  int64_t at = 0;  // published_at, else created_at: when it counts
  std::optional<std::string> url;
};

struct DsChange {
  Idx deployment = kNone;
  std::string change_id;
  Idx repo = kNone;
  Idx pr = kNone;  // kNone for a commit pushed without a PR
  Idx author = kNone;
  std::string head_sha;
  int64_t first_commit_at = 0;
  int64_t commits = 0;
  std::string link_method;
  bool first_bounded = false;  // link_method == "first-bounded"
  // The PR's coding, pickup, review and deploy seconds (kNoStage when
  // missing or not a PR), copied from its PrFacts at load so lead time reads
  // changes in order instead of jumping between PRs.
  static constexpr int32_t kNoStage = INT32_MIN;
  int32_t stages[4] = {kNoStage, kNoStage, kNoStage, kNoStage};
};

struct DsIncident {
  std::string id;
  std::string title;
  std::optional<std::string> url;
  std::optional<std::string> service, environment, severity;
  std::string status;
  int64_t created_at = 0;
  std::optional<int64_t> acknowledged_at, resolved_at;
  std::vector<Idx> deployments;  // the deployments linked as its cause
  std::string link_method;       // of the first link; empty when unlinked
};

struct DsIssue {
  std::string id;
  std::string key;
  std::string title;
  std::string type;  // normalised: "bug", "feature", "story", "task", "epic", "incident" ...
  std::string status;
  std::string status_category;  // "todo", "in_progress", "done"
  std::optional<std::string> priority;
  std::optional<double> points;
  Idx assignee = kNone;
  Idx reporter = kNone;
  Idx board = kNone;
  std::optional<std::string> epic_id, parent_id;
  int64_t created_at = 0;
  std::optional<int64_t> resolved_at;
  std::optional<std::string> url, labels;
  Span changes;  // into Dataset::status_changes, by changed_at
};

struct DsStatusChange {
  Idx issue = kNone;
  std::optional<std::string> from_status, from_category;
  std::string to_status;
  std::string to_category;
  int64_t at = 0;
};

struct DsSprint {
  std::string id;
  Idx board = kNone;
  std::string name;
  std::string state;  // "future", "active", "closed"
  std::optional<int64_t> started_at, ended_at, completed_at;
  Span issues;  // into Dataset::sprint_issues
};

struct DsSprintIssue {
  Idx sprint = kNone;
  Idx issue = kNone;
  std::optional<int64_t> added_at, removed_at;
  bool committed = false;
  std::optional<double> points_at_start;
};

struct DsCommit {
  Idx repo = kNone;
  Idx author = kNone;
  int64_t author_time = 0;
  int64_t committer_time = 0;
  int32_t additions = 0;
  int32_t deletions = 0;
  int32_t files = 0;
  bool merge = false;
};

// One file of one commit (commit_files), for the code metrics. Loaded only
// when LoadOptions::files asks; files of merge commits are left out (their
// first-parent diff repeats the changes of the commits they merge) and so
// are files of unreachable commits. Paths are interned per repository.
struct DsFilePath {
  Idx repo = kNone;
  std::string path;
};

struct DsCommitFile {
  Idx commit = kNone;  // into Dataset::commits
  int32_t path = -1;   // into Dataset::file_paths
  int32_t added = 0;   // 0 for a binary file (no line counts)
  int32_t deleted = 0;
  bool binary = false;
  char change = 'M';  // 'A', 'M', 'D', 'T', 'R' (model::FileChange)
  // Lines the file held before this change, by numstat arithmetic over the
  // loaded history: max(0, lines - deleted) + added per change, from 0 at an
  // add, a delete or a binary change. Lets a metric start a file's history
  // anywhere without replaying all of it.
  int32_t lines_before = 0;
};

// What one PR's timeline says (computed by pr_facts.h's ComputePrFacts;
// the stage definitions are there).
struct PrFacts {
  // The stages first: the hot loops read only these.
  std::optional<int64_t> coding, pickup, review, deploy, cycle;  // seconds
  std::optional<int64_t> first_commit_at;
  int64_t ready_at = 0;
  std::optional<int64_t> first_review_at;
  Idx first_reviewer = kNone;
  std::optional<int64_t> first_approval_at;
  int reviews = 0;          // reviews by others (not pending)
  int reviewers = 0;        // distinct people among them
  int review_comments = 0;  // comments by others (diff and conversation)
  int commits = 0;
  int commits_after_first_review = 0;
  bool reviewed_before_merge = false;
  std::optional<int64_t> last_activity_at;  // latest of updated, commits, reviews, comments
};

// A scope with its names resolved to rows.
struct ResolvedScope {
  Scope scope;
  std::string name;   // display name
  Idx index = kNone;  // team, project, repo or person row
};

class Dataset {
 public:
  MetricsSettings settings;
  int64_t loaded_at = 0;

  std::vector<DsPerson> people;
  std::vector<DsTeam> teams;
  std::vector<DsRepo> repos;
  std::vector<DsBoard> boards;
  std::vector<DsProject> projects;
  std::vector<DsPr> prs;  // by created_at
  std::vector<DsPrCommit> pr_commits;
  std::vector<DsReview> reviews;
  std::vector<DsComment> comments;
  std::vector<DsDeployment> deployments;  // by at
  std::vector<DsChange> changes;          // by deployment
  std::vector<DsIncident> incidents;      // by created_at
  std::vector<DsRelease> releases;        // by at
  std::vector<DsIssue> issues;            // by created_at
  std::vector<DsStatusChange> status_changes;
  std::vector<DsSprint> sprints;  // by started_at
  std::vector<DsSprintIssue> sprint_issues;
  std::vector<DsCommit> commits;  // by author_time; loaded only when asked for
  // Per PR (same index as prs): its timeline's facts (pr_facts.h), worked
  // out once at load so every family reads them for free.
  std::vector<PrFacts> pr_facts;
  bool has_commits = false;
  // Per-file rows, by commit (so by author_time) then by their order in the
  // commit's diff; loaded only with LoadOptions::files (which implies commits).
  std::vector<DsFilePath> file_paths;
  std::vector<DsCommitFile> files;
  bool has_files = false;

  // ---- Lookups ----
  Idx PersonOfAccount(std::string_view account_id) const;
  Idx RepoById(std::string_view id) const;
  Idx PrById(std::string_view id) const;
  Idx DeploymentById(std::string_view id) const;
  Idx IssueById(std::string_view id) const;
  bool IsBot(Idx person) const {
    return person != kNone && people[static_cast<size_t>(person)].bot;
  }

  // Resolves a scope's name (id, name, email ...) to its row.
  Result<ResolvedScope> Resolve(const Scope& scope) const;

  // ---- Scope membership ----
  bool PersonInTeam(Idx team, Idx person, int64_t at) const;
  // Whether a person's work at `at` belongs to the scope (org: any non-bot).
  bool PersonInScope(const ResolvedScope& s, Idx person, int64_t at) const;
  bool PrInScope(const ResolvedScope& s, const DsPr& pr) const;
  // Whether a review counts toward the scope's review load (`pr.review_load`
  // and GET /api/v1/review-pairs): submitted in `range`, not pending, by a
  // known person other than the PR's author, not a bot; for organisation,
  // team and person scopes given by someone in the scope at the time (on any
  // PR), for repository and project scopes given on one of the scope's PRs.
  bool ReviewInScope(const ResolvedScope& s, const DsReview& r, const TimeRange& range) const;
  bool CommitInScope(const ResolvedScope& s, const DsCommit& c) const;
  bool DeploymentInScope(const ResolvedScope& s, const DsDeployment& d) const;
  bool IncidentInScope(const ResolvedScope& s, const DsIncident& i) const;
  bool IssueInScope(const ResolvedScope& s, const DsIssue& issue) const;
  // Releases of the scope's repositories; for team and person scopes, those
  // its people published.
  bool ReleaseInScope(const ResolvedScope& s, const DsRelease& r) const;
  bool ChangeInScope(const ResolvedScope& s, const DsChange& c) const;

  // Called by the loader once every row is in place: builds the id indexes.
  void BuildIndexes();
  // Accounts to people, filled by the loader.
  std::unordered_map<std::string, Idx> account_person;

 private:
  bool ProjectHasRepo(const DsProject& p, Idx repo) const;
  bool ProjectHasService(const DsProject& p, const std::optional<std::string>& service,
                         const std::optional<std::string>& environment) const;

  std::unordered_map<std::string, Idx> repo_index_, pr_index_, deployment_index_, issue_index_;
};

}  // namespace sei::metrics
