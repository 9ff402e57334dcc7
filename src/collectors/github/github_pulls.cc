// Pull requests, their commits, reviews and comments.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "collectors/github/github_internal.h"
#include "model/ids.h"

namespace sei::collectors::github {
namespace {

// The repository's full name of a PR object: base.repo (every shape has it),
// else the owner/repo of its API URL.
std::string PrRepo(const ObjectReader& r, const std::optional<ObjectReader>& base) {
  if (base) {
    if (std::optional<ObjectReader> repo = base->Obj("repo", false)) {
      if (std::optional<std::string> name = repo->Str("full_name", false)) return *name;
    }
  }
  std::string from_url = RepoFromApiUrl(r.Str("url", false).value_or(""));
  if (from_url.empty()) r.Error("base.repo.full_name", "is required (or an API url naming it)");
  return from_url;
}

// The ref and sha of a PR's head or base.
void ReadBranch(const std::optional<ObjectReader>& b, std::optional<std::string>* ref,
                std::optional<std::string>* sha) {
  if (!b) return;
  *ref = b->Str("ref", true);
  *sha = b->Str("sha", true);
}

// "owner/repo" and number of the PR or issue an API URL names
// (".../repos/o/r/pulls/41", ".../repos/o/r/issues/41"); false when it names none.
bool ParseItemUrl(std::string_view url, std::string* repo, int64_t* number) {
  *repo = RepoFromApiUrl(url);
  const std::string_view last = LastSegment(url);
  if (repo->empty() || last.empty()) return false;
  int64_t n = 0;
  for (char c : last) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    n = n * 10 + (c - '0');
  }
  *number = n;
  return true;
}

// The PR a review or review comment belongs to: its pull_request_url, else ctx.pr_id.
std::optional<std::string> PrOfUrl(const ObjectReader& r, const ConvertContext& ctx) {
  std::string repo;
  int64_t number = 0;
  if (ParseItemUrl(r.Str("pull_request_url", false).value_or(""), &repo, &number)) {
    return PrId(ctx.connection_id, repo, number);
  }
  if (!ctx.pr_id.empty()) return ctx.pr_id;
  r.Error("pull_request_url", "is required (an API url ending in /pulls/<number>)");
  return std::nullopt;
}

std::optional<std::string> NormalisedReviewState(const ObjectReader& r) {
  std::optional<std::string> state = r.Str("state", true);
  if (!state) return std::nullopt;
  std::string s = AsciiLower(*state);
  static constexpr std::string_view kStates[] = {"approved", "changes_requested", "commented",
                                                 "dismissed", "pending"};
  if (std::find(std::begin(kStates), std::end(kStates), s) == std::end(kStates)) {
    r.Error("state", fmt::format("must be APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED or "
                                 "PENDING, in any case (got \"{}\")",
                                 *state));
    return std::nullopt;
  }
  return s;
}

// Lists have no `merged`: merged_at says it. A closed or open PR still
// carries a merge_commit_sha (GitHub's test merge): not a merge.
void ReadMerge(const ObjectReader& r, const ConvertContext& ctx, model::PullRequest* pr,
               ConvertedBatch* out) {
  const std::optional<int64_t> merged_at = r.Time("merged_at", false);
  const bool merged = r.Bool("merged").value_or(merged_at.has_value()) && merged_at.has_value();
  if (!merged) return;
  pr->state = "merged";
  pr->merged_at = merged_at;
  pr->merge_sha = r.Str("merge_commit_sha", false);
  pr->merged_by_account_id = ReadAccount(r, "merged_by", ctx, out);
}

}  // namespace

void ConvertPullRequest(const ObjectReader& r, const ConvertContext& ctx, std::string_view action,
                        ConvertedBatch* out) {
  model::PullRequest pr;
  std::optional<ObjectReader> base = r.Obj("base", true), head = r.Obj("head", true);
  const std::string repo = PrRepo(r, base);
  pr.number = r.Int("number", true).value_or(0);
  pr.id = PrId(ctx.connection_id, repo, pr.number);
  pr.connection_id = ctx.connection_id;
  pr.repo_id = RepoRef(ctx, repo);
  pr.title = r.Str("title", true).value_or("");
  const std::string state = r.Str("state", true).value_or("");
  if (!state.empty() && state != "open" && state != "closed") {
    r.Error("state", fmt::format("must be open or closed (got \"{}\")", state));
  }
  pr.is_draft = r.Bool("draft").value_or(false);
  pr.author_account_id = ReadAccount(r, "user", ctx, out);
  ReadBranch(base, &pr.base_ref, &pr.base_sha);
  ReadBranch(head, &pr.head_ref, &pr.head_sha);
  pr.created_at = r.Time("created_at", true).value_or(0);
  pr.updated_at = r.Time("updated_at", false);
  pr.closed_at = r.Time("closed_at", false);
  pr.state = state;
  ReadMerge(r, ctx, &pr, out);
  if (action == "ready_for_review") pr.ready_at = pr.updated_at;
  pr.additions = r.Int("additions", false);
  pr.deletions = r.Int("deletions", false);
  pr.changed_files = r.Int("changed_files", false);
  pr.url = r.Str("html_url", false);
  std::string labels;
  LabelNames(r, &labels);
  if (!labels.empty()) pr.labels = std::move(labels);
  pr.raw_id = ctx.raw_id;
  out->prs.push_back(std::move(pr));
}

void ConvertPrCommit(const ObjectReader& r, const ConvertContext& ctx, int64_t ordinal,
                     ConvertedBatch* out) {
  if (ctx.pr_id.empty()) {
    r.Error("", "a PR commits page needs the PR it belongs to (ConvertContext::pr_id)");
    return;
  }
  model::PrCommit c;
  c.pr_id = ctx.pr_id;
  c.commit_sha = r.Str("sha", true).value_or("");
  c.ordinal = ctx.first_ordinal + ordinal;
  if (std::optional<ObjectReader> commit = r.Obj("commit", true)) {
    if (std::optional<ObjectReader> author = commit->Obj("author", false)) {
      c.authored_at = author->Time("date", false);
    }
  }
  ReadAccount(r, "author", ctx, out);  // the GitHub user of the author's email, when linked
  out->pr_commits.push_back(std::move(c));
}

void ConvertReview(const ObjectReader& r, const ConvertContext& ctx, ConvertedBatch* out) {
  model::PrReview review;
  review.id =
      model::MakeId(ctx.connection_id, "review", std::to_string(r.Int("id", true).value_or(0)));
  review.pr_id = PrOfUrl(r, ctx).value_or("");
  review.reviewer_account_id = ReadAccount(r, "user", ctx, out);
  review.state = NormalisedReviewState(r).value_or("");
  review.submitted_at = r.Time("submitted_at", false);  // none while PENDING
  review.commit_sha = r.Str("commit_id", false);
  review.body = r.Str("body", false);
  review.raw_id = ctx.raw_id;
  out->reviews.push_back(std::move(review));
}

void ConvertReviewComment(const ObjectReader& r, const ConvertContext& ctx, ConvertedBatch* out) {
  model::PrComment c;
  c.id = model::MakeId(ctx.connection_id, "review-comment",
                       std::to_string(r.Int("id", true).value_or(0)));
  c.pr_id = PrOfUrl(r, ctx).value_or("");
  c.author_account_id = ReadAccount(r, "user", ctx, out);
  c.kind = "review";
  if (std::optional<int64_t> review = r.Int("pull_request_review_id", false)) {
    c.review_id = model::MakeId(ctx.connection_id, "review", std::to_string(*review));
  }
  c.path = r.Str("path", false);
  c.line = r.Int("line", false);  // null once the diff moved on: then the original line
  if (!c.line) c.line = r.Int("original_line", false);
  c.body = r.Str("body", false);
  c.created_at = r.Time("created_at", true).value_or(0);
  c.updated_at = r.Time("updated_at", false);
  c.raw_id = ctx.raw_id;
  out->comments.push_back(std::move(c));
}

void ConvertIssueComment(const ObjectReader& r, const ConvertContext& ctx, ConvertedBatch* out) {
  std::string repo;
  int64_t number = 0;
  if (!ParseItemUrl(r.Str("issue_url", true).value_or(""), &repo, &number)) {
    r.Error("issue_url", "must be an API url ending in /issues/<number>");
    return;
  }
  if (ctx.pr_numbers &&
      std::find(ctx.pr_numbers->begin(), ctx.pr_numbers->end(), number) == ctx.pr_numbers->end()) {
    ++out->skipped;  // a comment on an issue, not a PR
    return;
  }
  model::PrComment c;
  c.id = model::MakeId(ctx.connection_id, "issue-comment",
                       std::to_string(r.Int("id", true).value_or(0)));
  c.pr_id = PrId(ctx.connection_id, repo, number);
  c.author_account_id = ReadAccount(r, "user", ctx, out);
  c.kind = "issue";
  c.body = r.Str("body", false);
  c.created_at = r.Time("created_at", true).value_or(0);
  c.updated_at = r.Time("updated_at", false);
  c.raw_id = ctx.raw_id;
  out->comments.push_back(std::move(c));
}

}  // namespace sei::collectors::github
