// RepoSimulator: one repository's commit graph and pull-request rows, built
// from the PR plans of its team (pr_planner.h) plus commits pushed without a
// PR, in time order, so every sha a row names exists and every ordering holds.
//
// main starts with an initial commit when the repository was created and a
// little history before the window. Then, event by event:
//   - a PR merged with a merge commit: its commits branch off main as it was
//     at the PR's first commit and stay reachable; the merge commit (parents:
//     main, the PR head) is merge_sha;
//   - a squash merge: one new commit on main, authored by the PR author
//     (their GitHub noreply address when they keep email private), is
//     merge_sha; the PR's own commits appear only in pr_commits;
//   - a rebase merge: copies of the PR's commits on main keep the author's
//     name, email and time (GitHub becomes the committer); merge_sha is the
//     last copy;
//   - a direct push (about 10% of main's commits) and, in libraries, the CI
//     bot's release commits with annotated tags.
// Open PRs keep their branches (refs/heads/<head_ref>) and commits; closed
// ones leave only pr_commits. `main` in the output is main's first-parent
// history (tip after each event), which the delivery simulator deploys from.
//
// Thread safety: one simulator per thread; reads the Org only.
#pragma once

#include <string>
#include <vector>

#include "demo/file_model.h"
#include "demo/org.h"
#include "demo/pr_plan.h"
#include "demo/sha_maker.h"
#include "model/review.h"
#include "store/store.h"

namespace sei::demo {

struct MainTip {
  int64_t at = 0;
  std::string sha;
};

struct RepoCounts {
  int64_t commits = 0;
  int64_t commit_files = 0;
  int64_t direct_commits = 0;
  int64_t merged[3] = {0, 0, 0};  // by MergeKind
  int64_t closed = 0;
  int64_t open = 0;
};

struct RepoOutput {
  model::Repo repo;
  std::vector<CommitRecord> commits;  // parents before children
  GitSyncUpdate sync;
  std::vector<model::PullRequest> prs;
  std::vector<model::PrCommit> pr_commits;
  std::vector<model::PrReview> reviews;
  std::vector<model::PrComment> comments;
  std::vector<MainTip> main;
  RepoCounts counts;
};

class RepoSimulator {
 public:
  RepoSimulator(const Org& org, int repo, FileModel* files, std::vector<PrPlan> plans);
  RepoOutput Run();

 private:
  struct Push {
    int author = 0;
    int64_t at = 0;
    int commits = 1;
  };
  struct Event {
    int64_t at = 0;
    int kind = 0;  // 0 push, 1 merged PR, 2 release
    size_t index = 0;
  };

  void Prehistory();
  std::vector<Event> PlanEvents();
  void PlanPushes(std::vector<Event>* events);
  void PlanReleases(std::vector<Event>* events);
  void ApplyPush(const Push& push);
  void ApplyMerge(PrPlan* pr);
  void ApplyRelease(int64_t at);
  void Branches();
  void EmitPrs();
  void EmitPr(const PrPlan& plan);
  std::vector<std::string> EmitReviews(const PrPlan& plan, const std::string& pr_id);
  void EmitComments(const PrPlan& plan, const std::string& pr_id,
                    const std::vector<std::string>& review_ids);
  void EmitRefs();
  const std::string& TipAt(int64_t t) const;
  const GitIdentity& Identity(int person, bool alt) const;
  GitIdentity WebIdentity(int person) const;
  std::string Record(const GitIdentity& author, int64_t at, int32_t tz,
                     const GitIdentity& committer, int64_t committed, int32_t committer_tz,
                     const std::string& message, std::vector<std::string> parents,
                     const std::vector<FileChange>& changes);
  void Advance(int64_t at, const std::string& sha);
  int PickAuthor(int64_t t, bool include_managers);

  const Org& org_;
  const DemoRepo& repo_;
  FileModel* files_;
  std::vector<PrPlan> plans_;
  Rng rng_;
  ShaMaker shas_;
  std::vector<Push> pushes_;
  std::vector<int64_t> releases_;
  std::vector<model::Ref> tags_;
  RepoOutput out_;
};

}  // namespace sei::demo
