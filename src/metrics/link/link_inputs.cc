#include "metrics/link/link_inputs.h"

#include <algorithm>
#include <unordered_map>

#include "model/review.h"

namespace sei::metrics::link {

namespace {

using model::Row;
using model::Value;

model::TableSpec Reduced(const model::TableSpec& full, const std::vector<const char*>& names) {
  model::TableSpec spec = full;
  spec.columns.clear();
  for (const char* n : names) {
    spec.columns.push_back(full.columns[static_cast<size_t>(full.ColumnIndex(n))]);
  }
  return spec;
}

std::optional<std::string> OptText(const Value& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  return std::nullopt;
}
std::optional<int64_t> OptInt(const Value& v) {
  if (const auto* i = std::get_if<int64_t>(&v)) return *i;
  return std::nullopt;
}

Status LoadPullRequests(Store& store, LinkInputs* in,
                        std::unordered_map<std::string, size_t>* index) {
  static const model::TableSpec kPrSpec = Reduced(
      model::SpecOf<model::PullRequest>(),
      {"id", "repo_id", "state", "author_account_id", "head_sha", "merge_sha", "merged_at"});
  return store.ScanRows(kPrSpec, {}, [&](const Row& row) {
    LinkPr pr;
    pr.id = std::get<std::string>(row[0]);
    pr.repo_id = std::get<std::string>(row[1]);
    const std::string& state = std::get<std::string>(row[2]);
    pr.author_account_id = OptText(row[3]);
    pr.head_sha = OptText(row[4]);
    pr.merge_sha = OptText(row[5]);
    pr.merged_at = OptInt(row[6]);
    pr.merged = pr.merged_at.has_value() || state == "merged";
    index->emplace(pr.id, in->prs.size());
    in->prs.push_back(std::move(pr));
    return Status::Ok();
  });
}

// Attaches each PR commit to its PR as the rows stream in (ordered by PR).
Status LoadPrCommits(Store& store, LinkInputs* in,
                     const std::unordered_map<std::string, size_t>& index) {
  bool have_last = false;
  LinkPr* last = nullptr;
  std::string last_key;
  SEI_RETURN_IF_ERROR(store.ScanRows(model::SpecOf<model::PrCommit>(), {}, [&](const Row& row) {
    const std::string& pr_id = std::get<std::string>(row[0]);
    if (!have_last || pr_id != last_key) {
      last_key = pr_id;
      have_last = true;
      auto it = index.find(pr_id);
      last = it == index.end() ? nullptr : &in->prs[it->second];
    }
    if (last == nullptr) return Status::Ok();  // a PR not stored (yet)
    last->commits.push_back(
        {std::get<std::string>(row[1]), OptInt(row[3]), std::get<int64_t>(row[2])});
    return Status::Ok();
  }));
  for (LinkPr& pr : in->prs) {
    std::stable_sort(
        pr.commits.begin(), pr.commits.end(),
        [](const LinkPrCommit& a, const LinkPrCommit& b) { return a.ordinal < b.ordinal; });
  }
  return Status::Ok();
}

// Input rows only ("explicit" and "pushed", IsInputShipMethod): the derived
// ones are this run's to replace.
Status LoadExplicitCommits(Store& store, LinkInputs* in) {
  for (const char* method : {"explicit", "pushed"}) {
    ScanOptions options;
    options.where.push_back({"link_method", Value{std::string(method)}});
    SEI_ASSIGN_OR_RETURN(std::vector<model::DeploymentCommit> rows,
                         store.List<model::DeploymentCommit>(options));
    for (model::DeploymentCommit& r : rows) in->explicit_commits.push_back(std::move(r));
  }
  return Status::Ok();
}

}  // namespace

Result<LinkInputs> LoadLinkInputs(Store& store) {
  LinkInputs in;
  SEI_ASSIGN_OR_RETURN(in.repos, store.List<model::Repo>());
  SEI_ASSIGN_OR_RETURN(in.deployments, store.List<model::Deployment>());
  SEI_RETURN_IF_ERROR(LoadExplicitCommits(store, &in));
  SEI_ASSIGN_OR_RETURN(in.pipelines, store.List<model::CiPipeline>());
  SEI_ASSIGN_OR_RETURN(in.jobs, store.List<model::CiJob>());
  std::unordered_map<std::string, size_t> pr_index;
  SEI_RETURN_IF_ERROR(LoadPullRequests(store, &in, &pr_index));
  SEI_RETURN_IF_ERROR(LoadPrCommits(store, &in, pr_index));
  SEI_ASSIGN_OR_RETURN(in.incidents, store.List<model::Incident>());
  SEI_ASSIGN_OR_RETURN(in.projects, store.List<model::Project>());
  SEI_ASSIGN_OR_RETURN(in.project_scopes, store.List<model::ProjectScope>());
  return in;
}

}  // namespace sei::metrics::link
