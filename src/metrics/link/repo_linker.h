// RepoLinker: links the deployments of one repository to the commits and
// changes they shipped, in time order, over that repository's graph.
//
// For each shipping deployment D (DeploymentOrder):
//  - explicit: D has deployment_commits rows with link_method "explicit"
//    (listed by a source) or "pushed" (the push API): those are its
//    commits, no walk;
//  - graph: else the commits reachable from D.commit_sha and not from the
//    base — the previous successful deployment's commit (or its explicit
//    commits), or, when that is not stored, the nearest earlier one's;
//  - first-bounded: no base at all (the first deployment of its repo and
//    environment): the commits reachable from D.commit_sha authored at most
//    first_deployment_window_days before D; first-unbounded in DevLake mode
//    (every ancestor, as DevLake's refdiff does).
// In the default mode no commit authored before settings.history_start is
// ever shipped. The commits are grouped into changes: one per merged pull
// request (PrMatcher) and one per commit pushed without one (merge commits
// without a PR are not changes of their own). A change counts only for the
// first deployment that shipped it to its environment, so a redeploy after a
// rollback ships nothing old again.
//
// Thread safety: one thread; writes only `out`.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "metrics/core/settings.h"
#include "metrics/link/commit_graph.h"
#include "metrics/link/deployment_order.h"
#include "metrics/link/link_output.h"
#include "metrics/link/pr_matcher.h"
#include "metrics/link/range_walker.h"
#include "model/delivery.h"

namespace sei::metrics::link {

// What every RepoLinker shares.
struct LinkContext {
  const MetricsSettings* settings = nullptr;
  const std::vector<model::Deployment>* deployments = nullptr;
  const DeploymentOrder* order = nullptr;
  // Per deployment: its explicit deployment_commits rows as (repo index, sha).
  const std::vector<std::vector<std::pair<int32_t, std::string>>>* explicit_rows = nullptr;
  const std::vector<int32_t>* deployment_repo = nullptr;  // repo index of repo_id, or -1
  const std::vector<LinkPr>* prs = nullptr;
};

class RepoLinker {
 public:
  RepoLinker(const LinkContext& ctx, int32_t repo, const CommitGraph& graph, PrMatcher* matcher,
             LinkOutput* out);

  // `deployments`: the shipping deployments whose repo is this one or that
  // have explicit rows in it, in time order.
  void Run(const std::vector<int32_t>& deployments);

 private:
  struct EnvShipped {
    std::vector<uint8_t> commits;  // per commit: a change already shipped here
    std::unordered_set<int32_t> prs;
  };
  struct Shipment {
    std::vector<CommitIdx> commits;
    std::vector<std::string> unstored;  // explicit shas not in the graph
    ShipMethod method = ShipMethod::kGraph;
  };

  bool Collect(int32_t d, Shipment* s);
  void Walk(int32_t d, CommitIdx tip, Shipment* s);
  std::vector<CommitIdx> BaseFor(int32_t d) const;
  void AddChanges(int32_t d, const Shipment& s);
  void AddToPr(int32_t d, ShipMethod method, int32_t pr, CommitIdx c, const std::string& sha,
               const EnvShipped& env, std::unordered_map<int32_t, size_t>* pr_change);
  void AddUnstored(int32_t d, const Shipment& s, EnvShipped* env,
                   std::unordered_map<int32_t, size_t>* pr_change);
  const model::Deployment& Dep(int32_t d) const {
    return (*ctx_.deployments)[static_cast<size_t>(d)];
  }
  const std::vector<std::pair<int32_t, std::string>>& Explicit(int32_t d) const {
    return (*ctx_.explicit_rows)[static_cast<size_t>(d)];
  }

  const LinkContext& ctx_;
  int32_t repo_;
  const CommitGraph& graph_;
  PrMatcher* matcher_;
  LinkOutput* out_;
  RangeWalker walker_;
  std::unordered_map<std::string, EnvShipped> envs_;
};

}  // namespace sei::metrics::link
