// RepoSimulator: open branches, pull-request rows and refs (the graph is
// built in repo_sim.cc).
#include <fmt/format.h>

#include <set>

#include "demo/demo_ids.h"
#include "demo/repo_sim.h"

namespace sei::demo {

namespace {

// The PR's size as GitHub reports it: its combined diff.
void SetSize(const PrPlan& plan, model::PullRequest* pr) {
  std::vector<const std::vector<FileChange>*> parts;
  for (const PlannedCommit& c : plan.commits) parts.push_back(&c.changes);
  int64_t additions = 0, deletions = 0, files = 0;
  for (const FileChange& c : Aggregate(parts)) {
    additions += std::max(0, c.added);
    deletions += std::max(0, c.deleted);
    ++files;
  }
  pr->additions = additions;
  pr->deletions = deletions;
  pr->changed_files = files;
}

}  // namespace

void RepoSimulator::Branches() {
  for (PrPlan& pr : plans_) {
    if (pr.outcome == PrOutcome::kMerged || pr.commits.empty()) continue;
    if (pr.outcome == PrOutcome::kClosed) {
      for (PlannedCommit& c : pr.commits) c.sha = shas_.Next();  // the branch was deleted
      pr.base_sha = TipAt(pr.commits.front().at);
      continue;
    }
    pr.base_sha = TipAt(pr.commits.front().at);
    std::string parent = pr.base_sha;
    for (PlannedCommit& c : pr.commits) {
      const GitIdentity& who = Identity(c.author, c.alt);
      const int32_t tz = org_.people[static_cast<size_t>(c.author)].tz;
      c.sha = Record(who, c.at, tz, who, c.at, tz, c.message, {parent}, c.changes);
      parent = c.sha;
    }
  }
}

void RepoSimulator::EmitPrs() {
  for (const PrPlan& plan : plans_) {
    EmitPr(plan);
    if (plan.outcome == PrOutcome::kMerged) ++out_.counts.merged[static_cast<int>(plan.kind)];
    if (plan.outcome == PrOutcome::kClosed) ++out_.counts.closed;
    if (plan.outcome == PrOutcome::kOpen) ++out_.counts.open;
  }
}

void RepoSimulator::EmitPr(const PrPlan& plan) {
  const std::string pr_id = PrId(repo_.name, plan.number);
  model::PullRequest pr;
  pr.id = pr_id;
  pr.connection_id = kGitHubConnection;
  pr.repo_id = repo_.id;
  pr.number = plan.number;
  pr.title = plan.title;
  pr.state = plan.outcome == PrOutcome::kMerged   ? "merged"
             : plan.outcome == PrOutcome::kClosed ? "closed"
                                                  : "open";
  pr.is_draft = plan.draft && plan.ready_at == 0 && plan.outcome == PrOutcome::kOpen;
  pr.author_account_id = org_.people[static_cast<size_t>(plan.author)].github_account;
  pr.base_ref = "main";
  pr.head_ref = plan.head_ref;
  pr.base_sha = plan.base_sha;
  pr.head_sha = plan.commits.back().sha;
  if (plan.outcome == PrOutcome::kMerged) {
    pr.merge_sha = plan.merge_sha;  // the merge, squash or last rebased commit
    pr.merged_at = plan.merged_at;
    pr.merged_by_account_id = org_.people[static_cast<size_t>(plan.merged_by)].github_account;
  }
  pr.created_at = plan.created_at;
  pr.updated_at = plan.updated_at;
  if (plan.ready_at != 0) pr.ready_at = plan.ready_at;
  if (plan.closed_at != 0) pr.closed_at = plan.closed_at;
  SetSize(plan, &pr);
  pr.url = fmt::format("{}/pull/{}", repo_.url, plan.number);
  if (!plan.labels.empty()) pr.labels = plan.labels;
  out_.prs.push_back(std::move(pr));
  for (size_t i = 0; i < plan.commits.size(); ++i) {
    out_.pr_commits.push_back(
        {pr_id, plan.commits[i].sha, static_cast<int64_t>(i), plan.commits[i].at});
  }
  EmitComments(plan, pr_id, EmitReviews(plan, pr_id));
}

std::vector<std::string> RepoSimulator::EmitReviews(const PrPlan& plan, const std::string& pr_id) {
  std::vector<std::string> ids;
  for (size_t i = 0; i < plan.reviews.size(); ++i) {
    const PlannedReview& r = plan.reviews[i];
    model::PrReview review;
    review.id = model::MakeId(kGitHubConnection, "review",
                              fmt::format("{}/{}/{}", repo_.name, plan.number, i + 1));
    review.pr_id = pr_id;
    review.reviewer_account_id = org_.people[static_cast<size_t>(r.reviewer)].github_account;
    review.state = r.state;
    review.submitted_at = r.at;
    for (const PlannedCommit& c : plan.commits) {
      if (c.at <= r.at) review.commit_sha = c.sha;  // the head it reviewed
    }
    if (!r.body.empty()) review.body = r.body;
    ids.push_back(review.id);
    out_.reviews.push_back(std::move(review));
  }
  return ids;
}

void RepoSimulator::EmitComments(const PrPlan& plan, const std::string& pr_id,
                                 const std::vector<std::string>& review_ids) {
  for (size_t i = 0; i < plan.comments.size(); ++i) {
    const PlannedComment& c = plan.comments[i];
    model::PrComment comment;
    comment.id = model::MakeId(kGitHubConnection, "comment",
                               fmt::format("{}/{}/{}", repo_.name, plan.number, i + 1));
    comment.pr_id = pr_id;
    comment.author_account_id = org_.people[static_cast<size_t>(c.author)].github_account;
    comment.kind = c.on_diff ? "review" : "issue";
    if (c.on_diff) {
      comment.review_id = review_ids[static_cast<size_t>(c.review)];
      comment.path = files_->Path(c.file);
      comment.line = c.line;
    }
    comment.body = c.body;
    comment.created_at = c.at;
    out_.comments.push_back(std::move(comment));
  }
}

void RepoSimulator::EmitRefs() {
  std::vector<model::Ref> refs;
  model::Ref main;
  main.repo_id = repo_.id;
  main.name = "refs/heads/main";
  main.kind = "branch";
  main.target_sha = out_.main.back().sha;
  main.target_type = "commit";
  main.commit_sha = main.target_sha;
  main.updated_at = org_.window.end;
  refs.push_back(main);
  std::set<std::string> names = {main.name};
  for (model::Ref& tag : tags_) {
    if (names.insert(tag.name).second) refs.push_back(std::move(tag));
  }
  for (const PrPlan& pr : plans_) {
    if (pr.outcome != PrOutcome::kOpen || pr.commits.empty()) continue;
    model::Ref branch = main;
    branch.name = "refs/heads/" + pr.head_ref;
    if (!names.insert(branch.name).second) {
      branch.name += fmt::format("-{}", pr.number);
      names.insert(branch.name);
    }
    branch.target_sha = pr.commits.back().sha;
    branch.commit_sha = branch.target_sha;
    refs.push_back(std::move(branch));
  }
  out_.sync.repo_id = repo_.id;
  out_.sync.refs = std::move(refs);
  out_.sync.collected_at = org_.window.end;
  out_.sync.sync_state.connection_id = kGitConnection;
  out_.sync.sync_state.scope = repo_.id;
  out_.sync.sync_state.entity = "commits";
  out_.sync.sync_state.cursor = "refs/heads/main=" + out_.main.back().sha;
  out_.sync.sync_state.status = "complete";
  out_.sync.sync_state.updated_at = org_.window.end;
}

}  // namespace sei::demo
