// PrPlan: one pull request as the simulators plan it before any sha exists:
// who opened it and when, its commits (with authored times and file
// changes), its reviews and comments, and how it ended (merged one of three
// ways, closed, or still open). PrPlanner (pr_planner.h) makes plans; the
// RepoSimulator (repo_sim.h) turns them into a commit graph and rows.
//
// Thread safety: value types.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "demo/file_model.h"
#include "demo/org_template.h"

namespace sei::demo {

struct PlannedCommit {
  int author = 0;
  bool alt = false;  // made with the author's second git identity
  int64_t at = 0;    // authored (and committed, on the author's machine)
  bool after_review = false;
  std::string message;
  std::vector<FileChange> changes;
  std::string sha;  // the PR's own commit, set by the RepoSimulator
};

struct PlannedReview {
  int reviewer = 0;
  int64_t at = 0;
  std::string state;  // approved, changes_requested, commented
  std::string body;
};

struct PlannedComment {
  int author = 0;
  int64_t at = 0;
  bool on_diff = false;  // a review comment on a file (else conversation)
  int review = -1;       // index into reviews, for comments on the diff
  FileRef file = 0;
  int64_t line = 0;
  std::string body;
};

enum class PrOutcome : uint8_t { kMerged, kClosed, kOpen };

struct PrPlan {
  int64_t number = 0;
  int author = 0;
  MergeKind kind = MergeKind::kMergeCommit;
  PrOutcome outcome = PrOutcome::kMerged;
  std::string title;
  std::string head_ref;
  std::string labels;  // JSON array, or empty
  int64_t created_at = 0;
  int64_t ready_at = 0;   // 0: never a draft, or still one
  bool draft = false;     // opened as a draft
  int64_t merged_at = 0;  // 0 unless merged
  int64_t closed_at = 0;  // 0 unless closed (merged PRs close when they merge)
  int64_t updated_at = 0;
  int merged_by = -1;
  std::vector<PlannedCommit> commits;
  std::vector<PlannedReview> reviews;
  std::vector<PlannedComment> comments;
  std::string base_sha;   // set by the RepoSimulator: main when the branch was cut
  std::string merge_sha;  // set by the RepoSimulator for merged PRs
};

}  // namespace sei::demo
