// UnitData: every row of one division of the demo organisation, ready to be
// written (demo_writer.h), with the counts the summary reports.
//
// Thread safety: value types.
#pragma once

#include <cstdint>
#include <vector>

#include "demo/delivery_sim.h"
#include "demo/planning_sim.h"
#include "model/org.h"
#include "model/review.h"
#include "store/store.h"

namespace sei::demo {

struct DemoCounts {
  int64_t units = 0;
  int64_t people = 0;
  int64_t teams = 0;
  int64_t repos = 0;
  int64_t accounts = 0;  // GitHub and Jira (git accounts come from the commits)
  int64_t commits = 0;
  int64_t commit_files = 0;
  int64_t direct_commits = 0;
  int64_t prs = 0;
  int64_t merged[3] = {0, 0, 0};  // merge commit, squash, rebase
  int64_t closed = 0;
  int64_t open = 0;
  int64_t pr_commits = 0;
  int64_t reviews = 0;
  int64_t comments = 0;
  int64_t issues = 0;
  int64_t status_changes = 0;
  int64_t sprints = 0;
  int64_t sprint_issues = 0;
  int64_t pipelines = 0;
  int64_t jobs = 0;
  int64_t deployments = 0;
  int64_t production = 0;
  int64_t production_failed = 0;
  int64_t staging = 0;
  int64_t incidents = 0;
  int64_t incidents_open = 0;
  int64_t findings = 0;

  void Add(const DemoCounts& o);
};

struct RepoGit {
  model::Repo repo;
  std::vector<CommitRecord> commits;
  GitSyncUpdate sync;
};

struct UnitData {
  int unit = 0;
  std::vector<model::Person> people;
  std::vector<model::Team> teams;
  std::vector<model::TeamMember> members;
  std::vector<model::Account> accounts;
  std::vector<model::Project> projects;
  std::vector<model::ProjectScope> scopes;
  PlanningRows planning;
  std::vector<RepoGit> git;
  std::vector<model::PullRequest> prs;
  std::vector<model::PrCommit> pr_commits;
  std::vector<model::PrReview> reviews;
  std::vector<model::PrComment> comments;
  DeliveryRows delivery;
  DemoCounts counts;
};

}  // namespace sei::demo
