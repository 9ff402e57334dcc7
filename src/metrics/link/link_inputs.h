// LinkInputs: every stored row the linker reads, loaded once per run. Wide
// tables are read through reduced column lists (a pull request's title and
// labels are not needed here), and pull request commits are attached to
// their pull request as they stream in, so 200,000 pull requests and a
// million PR commits stay small.
//
// Thread safety: value type; LoadLinkInputs uses `store` from the calling
// thread only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"
#include "model/delivery.h"
#include "model/git.h"
#include "model/org.h"
#include "store/store.h"

namespace sei::metrics::link {

struct LinkPrCommit {
  std::string sha;
  std::optional<int64_t> authored_at;
  int64_t ordinal = 0;
};

struct LinkPr {
  std::string id;
  std::string repo_id;
  std::optional<std::string> author_account_id;
  std::optional<std::string> head_sha;
  std::optional<std::string> merge_sha;
  std::optional<int64_t> merged_at;
  bool merged = false;                // merged_at set, or state "merged"
  std::vector<LinkPrCommit> commits;  // by ordinal
};

struct LinkInputs {
  std::vector<model::Repo> repos;
  std::vector<model::Deployment> deployments;
  std::vector<model::DeploymentCommit> explicit_commits;  // link_method "explicit", "pushed"
  std::vector<model::CiPipeline> pipelines;
  std::vector<model::CiJob> jobs;
  std::vector<LinkPr> prs;
  std::vector<model::Incident> incidents;
  std::vector<model::Project> projects;
  std::vector<model::ProjectScope> project_scopes;
};

Result<LinkInputs> LoadLinkInputs(Store& store);

}  // namespace sei::metrics::link
