// Pull requests (merge requests) and their commits, reviews and comments.
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

struct PullRequest {
  std::string id;
  std::string connection_id;
  std::string repo_id;
  int64_t number = 0;
  std::string title;
  std::string state;
  bool is_draft = false;
  std::optional<std::string> author_account_id;
  std::optional<std::string> base_ref;
  std::optional<std::string> head_ref;
  std::optional<std::string> base_sha;
  std::optional<std::string> head_sha;
  std::optional<std::string> merge_sha;
  int64_t created_at = 0;
  std::optional<int64_t> updated_at;
  std::optional<int64_t> ready_at;
  std::optional<int64_t> closed_at;
  std::optional<int64_t> merged_at;
  std::optional<std::string> merged_by_account_id;
  std::optional<int64_t> additions;
  std::optional<int64_t> deletions;
  std::optional<int64_t> changed_files;
  std::optional<std::string> url;
  std::optional<std::string> labels;
  std::optional<int64_t> raw_id;

  static constexpr const char* kTable = "pull_requests";
  static constexpr const char* kView = "pull_requests";
  static constexpr const char* kEntity = "pull-requests";
  static constexpr const char* kDescription =
      "pull requests (GitHub), merge requests (GitLab), and pushed ones";
  static constexpr bool kWritable = true;
  static std::vector<std::string> Key() { return {"id"}; }
  template <class V>
  static void Describe(V& v) {
    v("id", &PullRequest::id);
    v("connection_id", &PullRequest::connection_id);
    v("repo_id", &PullRequest::repo_id);
    v("number", &PullRequest::number);
    v("title", &PullRequest::title);
    v("state", &PullRequest::state);
    v("is_draft", &PullRequest::is_draft);
    v("author_account_id", &PullRequest::author_account_id);
    v("base_ref", &PullRequest::base_ref);
    v("head_ref", &PullRequest::head_ref);
    v("base_sha", &PullRequest::base_sha);
    v("head_sha", &PullRequest::head_sha);
    v("merge_sha", &PullRequest::merge_sha);
    v("created_at", &PullRequest::created_at);
    v("updated_at", &PullRequest::updated_at);
    v("ready_at", &PullRequest::ready_at);
    v("closed_at", &PullRequest::closed_at);
    v("merged_at", &PullRequest::merged_at);
    v("merged_by_account_id", &PullRequest::merged_by_account_id);
    v("additions", &PullRequest::additions);
    v("deletions", &PullRequest::deletions);
    v("changed_files", &PullRequest::changed_files);
    v("url", &PullRequest::url);
    v("labels", &PullRequest::labels);
    v("raw_id", &PullRequest::raw_id);
  }
};

struct PrCommit {
  std::string pr_id;
  std::string commit_sha;
  int64_t ordinal = 0;
  std::optional<int64_t> authored_at;

  static constexpr const char* kTable = "pr_commits";
  static constexpr const char* kView = "pr_commits";
  static constexpr const char* kEntity = "pr-commits";
  static constexpr const char* kDescription = "the commits of each pull request, in order";
  static constexpr bool kWritable = true;
  static std::vector<std::string> Key() { return {"pr_id", "commit_sha"}; }
  template <class V>
  static void Describe(V& v) {
    v("pr_id", &PrCommit::pr_id);
    v("commit_sha", &PrCommit::commit_sha);
    v("ordinal", &PrCommit::ordinal);
    v("authored_at", &PrCommit::authored_at);
  }
};

struct PrReview {
  std::string id;
  std::string pr_id;
  std::optional<std::string> reviewer_account_id;
  std::string state;
  std::optional<int64_t> submitted_at;
  std::optional<std::string> commit_sha;
  std::optional<std::string> body;
  std::optional<int64_t> raw_id;

  static constexpr const char* kTable = "pr_reviews";
  static constexpr const char* kView = "pr_reviews";
  static constexpr const char* kEntity = "pr-reviews";
  static constexpr const char* kDescription =
      "pull request reviews (approved, changes_requested, commented, dismissed)";
  static constexpr bool kWritable = true;
  static std::vector<std::string> Key() { return {"id"}; }
  template <class V>
  static void Describe(V& v) {
    v("id", &PrReview::id);
    v("pr_id", &PrReview::pr_id);
    v("reviewer_account_id", &PrReview::reviewer_account_id);
    v("state", &PrReview::state);
    v("submitted_at", &PrReview::submitted_at);
    v("commit_sha", &PrReview::commit_sha);
    v("body", &PrReview::body);
    v("raw_id", &PrReview::raw_id);
  }
};

struct PrComment {
  std::string id;
  std::string pr_id;
  std::optional<std::string> author_account_id;
  std::string kind;
  std::optional<std::string> review_id;
  std::optional<std::string> path;
  std::optional<int64_t> line;
  std::optional<std::string> body;
  int64_t created_at = 0;
  std::optional<int64_t> updated_at;
  std::optional<int64_t> raw_id;

  static constexpr const char* kTable = "pr_comments";
  static constexpr const char* kView = "pr_comments";
  static constexpr const char* kEntity = "pr-comments";
  static constexpr const char* kDescription =
      "pull request comments: on the diff (review) and on the conversation (issue)";
  static constexpr bool kWritable = true;
  static std::vector<std::string> Key() { return {"id"}; }
  template <class V>
  static void Describe(V& v) {
    v("id", &PrComment::id);
    v("pr_id", &PrComment::pr_id);
    v("author_account_id", &PrComment::author_account_id);
    v("kind", &PrComment::kind);
    v("review_id", &PrComment::review_id);
    v("path", &PrComment::path);
    v("line", &PrComment::line);
    v("body", &PrComment::body);
    v("created_at", &PrComment::created_at);
    v("updated_at", &PrComment::updated_at);
    v("raw_id", &PrComment::raw_id);
  }
};

}  // namespace sei::model
