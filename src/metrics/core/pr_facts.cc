#include "metrics/core/pr_facts.h"

#include <algorithm>
#include <vector>

namespace sei::metrics {

namespace {

std::optional<int64_t> Diff(const std::optional<int64_t>& end,
                            const std::optional<int64_t>& start) {
  if (!end || !start) return std::nullopt;
  return *end - *start;
}

void MaxInto(std::optional<int64_t>* acc, const std::optional<int64_t>& v) {
  if (v && (!*acc || *v > **acc)) *acc = v;
}

bool IsOther(const Dataset& ds, const DsPr& pr, Idx person) {
  return person != pr.author && !ds.IsBot(person);
}

// Reviews (and, in DevLake mode, comments) by others: the first one, counts,
// distinct reviewers, first approval.
void ScanReviews(const Dataset& ds, const DsPr& pr, bool devlake, PrFacts* f) {
  // Distinct reviewers: PRs have few reviews, so a small inline set.
  Idx seen[16];
  int seen_n = 0, extra = 0;
  for (uint32_t i = pr.reviews.begin; i < pr.reviews.end; ++i) {
    const DsReview& r = ds.reviews[i];
    MaxInto(&f->last_activity_at, r.submitted_at);
    if (!IsOther(ds, pr, r.reviewer) || !r.submitted_at || r.pending) continue;
    ++f->reviews;
    if (std::find(seen, seen + seen_n, r.reviewer) == seen + seen_n) {
      if (seen_n < 16) {
        seen[seen_n++] = r.reviewer;
      } else {
        ++extra;  // more than 16 reviewers: counted, not deduplicated
      }
    }
    if (!devlake && (!f->first_review_at || *r.submitted_at < *f->first_review_at)) {
      f->first_review_at = r.submitted_at;
      f->first_reviewer = r.reviewer;
    }
    if (r.state == "approved" &&
        (!f->first_approval_at || *r.submitted_at < *f->first_approval_at)) {
      f->first_approval_at = r.submitted_at;
    }
  }
  for (uint32_t i = pr.comments.begin; i < pr.comments.end; ++i) {
    const DsComment& c = ds.comments[i];
    MaxInto(&f->last_activity_at, c.created_at);
    if (!IsOther(ds, pr, c.author)) continue;
    ++f->review_comments;
    const bool counts = devlake || c.kind == "review";
    if (counts && (!f->first_review_at || c.created_at < *f->first_review_at)) {
      f->first_review_at = c.created_at;
      f->first_reviewer = c.author;
    }
  }
  f->reviewers = seen_n + extra;
}

}  // namespace

PrFacts ComputePrFacts(const Dataset& ds, const DsPr& pr) {
  const bool devlake = ds.settings.mode == Mode::kDevLake;
  PrFacts f;
  f.last_activity_at = pr.updated_at;
  MaxInto(&f.last_activity_at, pr.created_at);
  for (uint32_t i = pr.commits.begin; i < pr.commits.end; ++i) {
    const DsPrCommit& c = ds.pr_commits[i];
    ++f.commits;
    if (c.authored_at && (!f.first_commit_at || *c.authored_at < *f.first_commit_at)) {
      f.first_commit_at = c.authored_at;
    }
    MaxInto(&f.last_activity_at, c.authored_at);
  }
  f.ready_at = devlake ? pr.created_at : pr.ready_at.value_or(pr.created_at);
  ScanReviews(ds, pr, devlake, &f);
  if (f.first_review_at) {
    for (uint32_t i = pr.commits.begin; i < pr.commits.end; ++i) {
      const auto& at = ds.pr_commits[i].authored_at;
      if (at && *at > *f.first_review_at) ++f.commits_after_first_review;
    }
  }
  f.reviewed_before_merge =
      f.first_review_at && pr.merged_at && *f.first_review_at <= *pr.merged_at;
  if (pr.merged_at) MaxInto(&f.last_activity_at, pr.merged_at);

  f.coding = Diff(f.ready_at, f.first_commit_at);
  f.pickup = Diff(f.first_review_at, f.ready_at);
  if (f.reviewed_before_merge) f.review = Diff(pr.merged_at, f.first_review_at);
  f.deploy = Diff(pr.deployed_at, pr.merged_at);
  if (f.deploy && *f.deploy < 0) f.deploy.reset();  // shipped before it was merged: bad data
  // Work starts at the first commit, or at the PR's creation when that came
  // first (a PR opened before any commit was pushed).
  const int64_t start =
      f.first_commit_at ? std::min(*f.first_commit_at, pr.created_at) : pr.created_at;
  if (f.deploy) f.cycle = *pr.deployed_at - start;
  if (devlake) {
    // DevLake drops negative stages, and its cycle time ends at the merge
    // when there is no (valid) deployment.
    if (f.coding && *f.coding < 0) f.coding.reset();
    if (f.pickup && *f.pickup < 0) f.pickup.reset();
    if (!f.cycle && pr.merged_at) f.cycle = *pr.merged_at - start;
  } else {
    if (f.coding && *f.coding < 0) f.coding = 0;
    if (f.pickup && *f.pickup < 0) f.pickup = 0;
    // A review after the merge did not pick the PR up for merging.
    if (pr.merged_at && !f.reviewed_before_merge) f.pickup.reset();
  }
  return f;
}

}  // namespace sei::metrics
