#include "metrics/link/repo_linker.h"

#include <algorithm>
#include <limits>

namespace sei::metrics::link {

const char* ShipMethodName(ShipMethod m) {
  switch (m) {
    case ShipMethod::kGraph:
      return "graph";
    case ShipMethod::kFirstBounded:
      return "first-bounded";
    case ShipMethod::kFirstUnbounded:
      return "first-unbounded";
    case ShipMethod::kExplicit:
      return "explicit";
  }
  return "?";
}

RepoLinker::RepoLinker(const LinkContext& ctx, int32_t repo, const CommitGraph& graph,
                       PrMatcher* matcher, LinkOutput* out)
    : ctx_(ctx), repo_(repo), graph_(graph), matcher_(matcher), out_(out), walker_(graph) {}

void RepoLinker::Run(const std::vector<int32_t>& deployments) {
  for (int32_t d : deployments) {
    Shipment s;
    if (!Collect(d, &s)) continue;
    model::DeploymentLink& link = out_->links[static_cast<size_t>(d)];
    if (s.method != ShipMethod::kExplicit) {
      for (CommitIdx c : s.commits) out_->commits.push_back({d, repo_, c, s.method});
      link.link_method = ShipMethodName(s.method);
      link.bounded = s.method == ShipMethod::kFirstBounded;
    } else {
      out_->explicit_commits += static_cast<int64_t>(s.commits.size() + s.unstored.size());
    }
    link.commits_shipped += static_cast<int64_t>(s.commits.size() + s.unstored.size());
    // DevLake's change lead time only counts deployments that have a
    // previous successful deployment (prev_success_deployment_commit_id
    // set): a first deployment's commits are listed but ship no change.
    if (ctx_.settings->mode == Mode::kDevLake && ctx_.order->prev[static_cast<size_t>(d)] == -1) {
      continue;
    }
    AddChanges(d, s);
  }
}

// The commits `d` shipped in this repository; false when it shipped none
// here that can be known (its commit is not stored: link_method stays
// "no-graph").
bool RepoLinker::Collect(int32_t d, Shipment* s) {
  const auto& rows = Explicit(d);
  if (!rows.empty()) {
    bool here = false;
    for (const auto& [r, sha] : rows) {
      if (r != repo_) continue;
      here = true;
      const CommitIdx c = graph_.Find(sha);
      if (c != kNoCommit) {
        s->commits.push_back(c);
      } else {
        s->unstored.push_back(sha);
      }
    }
    s->method = ShipMethod::kExplicit;
    return here;
  }
  if ((*ctx_.deployment_repo)[static_cast<size_t>(d)] != repo_) return false;
  const model::Deployment& dep = Dep(d);
  if (!dep.commit_sha) return false;
  const CommitIdx tip = graph_.Find(*dep.commit_sha);
  if (tip == kNoCommit) return false;
  Walk(d, tip, s);
  return true;
}

void RepoLinker::Walk(int32_t d, CommitIdx tip, Shipment* s) {
  const std::vector<CommitIdx> bases = BaseFor(d);
  walker_.Walk(std::span<const CommitIdx>(&tip, 1), bases, &s->commits);
  const bool devlake = ctx_.settings->mode == Mode::kDevLake;
  if (!bases.empty()) {
    s->method = ShipMethod::kGraph;
  } else {
    s->method = devlake ? ShipMethod::kFirstUnbounded : ShipMethod::kFirstBounded;
  }
  if (devlake) return;
  int64_t bound = std::numeric_limits<int64_t>::min();
  if (ctx_.settings->history_start) bound = *ctx_.settings->history_start;
  if (s->method == ShipMethod::kFirstBounded) {
    const int64_t at = ctx_.order->at[static_cast<size_t>(d)];
    bound = std::max(
        bound, at - static_cast<int64_t>(ctx_.settings->first_deployment_window_days) * 86400);
  }
  if (bound == std::numeric_limits<int64_t>::min()) return;
  std::erase_if(s->commits, [&](CommitIdx c) { return graph_.AuthorTime(c) < bound; });
}

// The uninteresting side of d's walk: the commits of its previous successful
// deployment, or of the nearest earlier one whose commits are stored.
std::vector<CommitIdx> RepoLinker::BaseFor(int32_t d) const {
  std::vector<CommitIdx> tips;
  for (int32_t p = ctx_.order->prev[static_cast<size_t>(d)]; p != -1;
       p = ctx_.order->prev[static_cast<size_t>(p)]) {
    const auto& rows = Explicit(p);
    if (!rows.empty()) {
      for (const auto& [r, sha] : rows) {
        if (r == repo_) tips.push_back(graph_.Find(sha));
      }
    } else if ((*ctx_.deployment_repo)[static_cast<size_t>(p)] == repo_ && Dep(p).commit_sha) {
      tips.push_back(graph_.Find(*Dep(p).commit_sha));
    }
    std::erase(tips, kNoCommit);
    if (!tips.empty()) return tips;
  }
  return tips;
}

void RepoLinker::AddChanges(int32_t d, const Shipment& s) {
  EnvShipped& env = envs_[Dep(d).environment];
  if (env.commits.size() != graph_.size()) env.commits.assign(graph_.size(), 0);
  std::unordered_map<int32_t, size_t> pr_change;  // PR -> its change in out_->changes
  std::vector<CommitIdx> direct;
  const size_t first_new = out_->changes.size();
  for (CommitIdx c : s.commits) {
    const int32_t pr = matcher_->ChangePr(c);
    if (pr >= 0) {
      AddToPr(d, s.method, pr, c, "", env, &pr_change);
    } else if (!graph_.IsMerge(c) && env.commits[static_cast<size_t>(c)] == 0) {
      ShippedChange ch;
      ch.deployment = d;
      ch.repo = repo_;
      ch.commit = c;
      ch.author = out_->InternAuthor(graph_.AuthorAccount(c));
      ch.first_commit_at = graph_.AuthorTime(c);
      ch.commits = 1;
      ch.method = s.method;
      out_->changes.push_back(std::move(ch));
      direct.push_back(c);
    }
  }
  AddUnstored(d, s, &env, &pr_change);
  for (const auto& [pr, idx] : pr_change) env.prs.insert(pr);
  for (CommitIdx c : direct) env.commits[static_cast<size_t>(c)] = 1;
  out_->links[static_cast<size_t>(d)].changes_shipped +=
      static_cast<int64_t>(out_->changes.size() - first_new);
}

// Counts commit `c` (or, when it is not stored, `sha`) toward PR `pr`'s
// change in deployment `d`, unless the PR already shipped to this
// environment.
void RepoLinker::AddToPr(int32_t d, ShipMethod method, int32_t pr, CommitIdx c,
                         const std::string& sha, const EnvShipped& env,
                         std::unordered_map<int32_t, size_t>* pr_change) {
  if (env.prs.count(pr) != 0) return;  // shipped here before
  auto it = pr_change->find(pr);
  if (it != pr_change->end()) {
    ++out_->changes[it->second].commits;
    return;
  }
  ShippedChange ch;
  ch.deployment = d;
  ch.repo = repo_;
  ch.pr = pr;
  ch.commit = c;
  ch.sha = sha;
  const std::optional<int64_t> first = matcher_->FirstCommitAt(pr);
  ch.first_commit_at = first ? *first : graph_.AuthorTime(c);
  ch.commits = 1;
  ch.method = method;
  pr_change->emplace(pr, out_->changes.size());
  out_->changes.push_back(std::move(ch));
}

// Explicit commits that are not stored count toward a merged PR found by
// their sha; without one their author time is unknown, so they are no
// change (counted in explicit_commits_unknown).
void RepoLinker::AddUnstored(int32_t d, const Shipment& s, EnvShipped* env,
                             std::unordered_map<int32_t, size_t>* pr_change) {
  for (const std::string& sha : s.unstored) {
    const int32_t pr = matcher_->ChangePrOfSha(sha);
    if (pr < 0 || !matcher_->FirstCommitAt(pr)) {
      ++out_->explicit_commits_unknown;
      continue;
    }
    AddToPr(d, s.method, pr, kNoCommit, sha, *env, pr_change);
  }
}

}  // namespace sei::metrics::link
