#include "metrics/link/linker.h"

#include <algorithm>
#include <chrono>
#include <unordered_map>
#include <unordered_set>

#include "metrics/link/ci_deployment_generator.h"
#include "metrics/link/commit_graph.h"
#include "metrics/link/deployment_order.h"
#include "metrics/link/incident_linker.h"
#include "metrics/link/link_inputs.h"
#include "metrics/link/link_output.h"
#include "metrics/link/link_util.h"
#include "metrics/link/link_writer.h"
#include "metrics/link/pr_matcher.h"
#include "metrics/link/repo_linker.h"

namespace sei::metrics::link {

namespace {

// One run: the inputs, what is derived from them, and the write.
class LinkRun {
 public:
  LinkRun(Store& store, const MetricsSettings& settings) : store_(store), settings_(settings) {}

  Result<LinkSummary> Execute() {
    using Clock = std::chrono::steady_clock;
    const auto since = [](Clock::time_point t) {
      return std::chrono::duration<double>(Clock::now() - t).count();
    };
    const auto start = Clock::now();
    SEI_ASSIGN_OR_RETURN(in_, LoadLinkInputs(store_));
    const double load = since(start);
    const auto linking = Clock::now();
    PrepareDeployments();
    std::unordered_map<std::string, std::string> ci_scope_of;
    for (const model::CiPipeline& p : in_.pipelines) ci_scope_of.emplace(p.id, p.ci_scope);
    order_ = DeploymentOrder::Build(deployments_, ci_scope_of, settings_.mode);
    IndexRepos();
    InitLinks();
    SEI_RETURN_IF_ERROR(LinkRepos());
    IncidentLinker incidents(settings_, deployments_, order_, in_);
    incidents.Link(in_.incidents, &out_.incidents, &incident_tally_);
    const double link = since(linking);
    const auto writing = Clock::now();
    SEI_RETURN_IF_ERROR(Write());
    LinkSummary s = Summarise();
    s.write_seconds = since(writing);
    s.load_seconds = load;
    s.link_seconds = link;
    s.seconds = since(start);
    return s;
  }

 private:
  // Stored deployments, minus the ones an earlier run generated from CI,
  // plus the ones this run generates.
  void PrepareDeployments() {
    std::unordered_set<std::string> claimed, old_generated;
    for (model::Deployment& d : in_.deployments) {
      if (CiDeploymentGenerator::IsGenerated(d)) {
        old_generated.insert(d.id);
        continue;
      }
      if (d.pipeline_id) claimed.insert(*d.pipeline_id);
      deployments_.push_back(std::move(d));
    }
    in_.deployments.clear();
    plan_.generated =
        CiDeploymentGenerator(settings_.mode).Generate(in_.pipelines, in_.jobs, claimed);
    std::unordered_set<std::string> new_ids;
    for (const model::Deployment& d : plan_.generated) {
      new_ids.insert(d.id);
      deployments_.push_back(d);
    }
    for (const std::string& id : old_generated) stale_generated_ += new_ids.count(id) == 0;
  }

  int32_t RepoIndex(const std::string& id) {
    auto [it, added] = repo_index_.emplace(id, static_cast<int32_t>(out_.repo_ids.size()));
    if (added) {
      out_.repo_ids.push_back(id);
      repo_stored_.push_back(0);
    }
    return it->second;
  }

  // Repo indices for every repository referenced; per deployment its repo
  // and explicit rows; per repo its PRs and the deployments to walk.
  void IndexRepos() {
    for (const model::Repo& r : in_.repos) repo_stored_[static_cast<size_t>(RepoIndex(r.id))] = 1;
    deployment_repo_.assign(deployments_.size(), -1);
    for (size_t i = 0; i < deployments_.size(); ++i) {
      if (deployments_[i].repo_id) deployment_repo_[i] = RepoIndex(*deployments_[i].repo_id);
    }
    std::unordered_map<std::string, int32_t> dep_index;
    for (size_t i = 0; i < deployments_.size(); ++i) {
      dep_index.emplace(deployments_[i].id, static_cast<int32_t>(i));
    }
    explicit_rows_.assign(deployments_.size(), {});
    for (model::DeploymentCommit& c : in_.explicit_commits) {
      auto it = dep_index.find(c.deployment_id);
      if (it == dep_index.end()) continue;  // rows of a deployment not stored
      explicit_rows_[static_cast<size_t>(it->second)].push_back(
          {RepoIndex(c.repo_id), std::move(c.commit_sha)});
    }
    for (size_t i = 0; i < in_.prs.size(); ++i) {
      const size_t r = static_cast<size_t>(RepoIndex(in_.prs[i].repo_id));
      if (repo_prs_.size() <= r) repo_prs_.resize(r + 1);
      repo_prs_[r].push_back(static_cast<int32_t>(i));
    }
    repo_prs_.resize(out_.repo_ids.size());
    repo_deps_.assign(out_.repo_ids.size(), {});
    for (int32_t d : order_.by_time) {
      const size_t di = static_cast<size_t>(d);
      if (!order_.ships[di]) continue;
      if (!explicit_rows_[di].empty()) {
        std::vector<int32_t> repos;
        for (const auto& [r, sha] : explicit_rows_[di]) repos.push_back(r);
        std::sort(repos.begin(), repos.end());
        repos.erase(std::unique(repos.begin(), repos.end()), repos.end());
        for (int32_t r : repos) repo_deps_[static_cast<size_t>(r)].push_back(d);
      } else if (deployment_repo_[di] >= 0) {
        repo_deps_[static_cast<size_t>(deployment_repo_[di])].push_back(d);
      }
    }
    out_.repo_shas.resize(out_.repo_ids.size());
  }

  // Every deployment's link row, as far as it is known before the walks
  // (which set graph, first-bounded and first-unbounded).
  void InitLinks() {
    out_.links.resize(deployments_.size());
    for (size_t i = 0; i < deployments_.size(); ++i) {
      const model::Deployment& d = deployments_[i];
      model::DeploymentLink& l = out_.links[i];
      l.deployment_id = d.id;
      if (order_.prev[i] >= 0)
        l.prev_deployment_id = deployments_[static_cast<size_t>(order_.prev[i])].id;
      if (!order_.ships[i]) {
        l.link_method = !IsSuccess(d.result)      ? "not-successful"
                        : order_.at[i] == kNoTime ? "no-time"
                                                  : "devlake-excluded";
      } else if (!explicit_rows_[i].empty()) {
        l.link_method = "explicit";
      } else if (!d.commit_sha || d.commit_sha->empty()) {
        l.link_method = "no-commit";
      } else {
        l.link_method = "no-graph";  // until a walk finds its commit
      }
    }
  }

  Status LinkRepos() {
    LinkContext ctx;
    ctx.settings = &settings_;
    ctx.deployments = &deployments_;
    ctx.order = &order_;
    ctx.explicit_rows = &explicit_rows_;
    ctx.deployment_repo = &deployment_repo_;
    ctx.prs = &in_.prs;
    for (size_t r = 0; r < out_.repo_ids.size(); ++r) {
      if (repo_prs_[r].empty() && repo_deps_[r].empty()) continue;
      CommitGraph graph;
      if (repo_stored_[r]) {
        SEI_ASSIGN_OR_RETURN(graph, CommitGraph::Load(store_, out_.repo_ids[r]));
      }
      PrMatcher matcher(graph, in_.prs, std::move(repo_prs_[r]));
      matcher.Run();
      for (const PrMatch& m : matcher.matches()) {
        out_.matches.push_back({static_cast<int32_t>(r), m.commit, m.pr, m.method});
      }
      RepoLinker linker(ctx, static_cast<int32_t>(r), graph, &matcher, &out_);
      linker.Run(repo_deps_[r]);
      out_.repo_shas[r] = graph.TakeShas();
    }
    return Status::Ok();
  }

  Status Write() {
    plan_.out = &out_;
    plan_.deployments = &deployments_;
    plan_.prs = &in_.prs;
    SortForWrite(deployments_, in_.prs, &out_, &plan_.generated);
    return store_.ApplyWrites(BuildLinkWrites(store_, plan_));
  }

  LinkSummary Summarise() const {
    LinkSummary s;
    s.mode = settings_.mode == Mode::kDevLake ? "devlake" : "default";
    s.deployments = static_cast<int64_t>(deployments_.size());
    s.generated_deployments = static_cast<int64_t>(plan_.generated.size());
    s.removed_deployments = stale_generated_;
    for (size_t i = 0; i < deployments_.size(); ++i) {
      s.successful_deployments += order_.ships[i];
      ++s.deployments_by_method[out_.links[i].link_method];
      s.bounded_deployments += out_.links[i].bounded ? 1 : 0;
      s.commits_shipped += out_.links[i].commits_shipped;
    }
    s.explicit_commits_unknown = out_.explicit_commits_unknown;
    for (const ShippedChange& c : out_.changes) {
      ++s.changes_by_method[ShipMethodName(c.method)];
      (c.pr >= 0 ? s.pr_changes : s.direct_changes) += 1;
    }
    for (const MatchedCommit& m : out_.matches) ++s.pr_matches_by_method[PrMethodName(m.method)];
    s.prs = static_cast<int64_t>(in_.prs.size());
    s.incidents = static_cast<int64_t>(in_.incidents.size());
    s.incidents_by_method = incident_tally_.by_method;
    s.incidents_unlinked = incident_tally_.unlinked;
    return s;
  }

  Store& store_;
  const MetricsSettings& settings_;
  LinkInputs in_;
  std::vector<model::Deployment> deployments_;
  DeploymentOrder order_;
  std::unordered_map<std::string, int32_t> repo_index_;
  std::vector<uint8_t> repo_stored_;
  std::vector<int32_t> deployment_repo_;
  std::vector<std::vector<std::pair<int32_t, std::string>>> explicit_rows_;
  std::vector<std::vector<int32_t>> repo_prs_, repo_deps_;
  LinkOutput out_;
  WritePlan plan_;
  IncidentTally incident_tally_;
  int64_t stale_generated_ = 0;
};

}  // namespace

Result<LinkSummary> Linker::Run() {
  LinkRun run(store_, settings_);
  return run.Execute();
}

}  // namespace sei::metrics::link
