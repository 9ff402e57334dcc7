#include "metrics/link/link_writer.h"

#include "model/derived.h"

namespace sei::metrics::link {

namespace {

using model::Row;
using model::Value;

Value Text(const std::string& s) { return Value{s}; }

const std::string& ShaOf(const LinkOutput& out, int32_t repo, CommitIdx c) {
  return out.repo_shas[static_cast<size_t>(repo)][static_cast<size_t>(c)];
}

TableWrite CommitPullRequests(const WritePlan& plan) {
  TableWrite w;
  w.spec = &model::SpecOf<model::CommitPullRequest>();
  w.clear = true;
  w.produce = [&plan](const RowCallback& upsert) -> Status {
    const LinkOutput& out = *plan.out;
    for (const MatchedCommit& m : out.matches) {
      SEI_RETURN_IF_ERROR(upsert(Row{Text(out.repo_ids[static_cast<size_t>(m.repo)]),
                                     Text(ShaOf(out, m.repo, m.commit)),
                                     Text((*plan.prs)[static_cast<size_t>(m.pr)].id),
                                     Value{std::string(PrMethodName(m.method))}}));
    }
    return Status::Ok();
  };
  return w;
}

model::DeploymentChange ChangeRow(const WritePlan& plan, const ShippedChange& c) {
  const LinkOutput& out = *plan.out;
  model::DeploymentChange row;
  row.deployment_id = (*plan.deployments)[static_cast<size_t>(c.deployment)].id;
  row.repo_id = out.repo_ids[static_cast<size_t>(c.repo)];
  const std::string commit_sha = c.commit != kNoCommit ? ShaOf(out, c.repo, c.commit) : c.sha;
  if (c.pr >= 0) {
    const LinkPr& pr = (*plan.prs)[static_cast<size_t>(c.pr)];
    row.change_id = pr.id;
    row.pr_id = pr.id;
    row.head_sha = pr.merge_sha ? *pr.merge_sha : pr.head_sha ? *pr.head_sha : commit_sha;
    row.author_account_id = pr.author_account_id;
  } else {
    row.change_id = row.repo_id + ":commit:" + commit_sha;
    row.head_sha = commit_sha;
    if (c.author >= 0 && !out.authors[static_cast<size_t>(c.author)].empty()) {
      row.author_account_id = out.authors[static_cast<size_t>(c.author)];
    }
  }
  row.first_commit_at = c.first_commit_at;
  row.commits = c.commits;
  row.link_method = ShipMethodName(c.method);
  return row;
}

TableWrite DeploymentChanges(const WritePlan& plan) {
  TableWrite w;
  w.spec = &model::SpecOf<model::DeploymentChange>();
  w.clear = true;
  w.produce = [&plan](const RowCallback& upsert) -> Status {
    for (const ShippedChange& c : plan.out->changes) {
      SEI_RETURN_IF_ERROR(upsert(model::ToRow(ChangeRow(plan, c))));
    }
    return Status::Ok();
  };
  return w;
}

void DeploymentCommits(const WritePlan& plan, std::vector<TableWrite>* writes) {
  const model::TableSpec* spec = &model::SpecOf<model::DeploymentCommit>();
  for (const std::string& m : plan.derived_commit_methods) {
    TableWrite clear;
    clear.spec = spec;
    clear.clear = true;
    clear.clear_where.push_back({"link_method", Value{m}});
    writes->push_back(std::move(clear));
  }
  TableWrite w;
  w.spec = spec;
  w.produce = [&plan](const RowCallback& upsert) -> Status {
    const LinkOutput& out = *plan.out;
    for (const ShippedCommit& c : out.commits) {
      SEI_RETURN_IF_ERROR(upsert(
          Row{Text((*plan.deployments)[static_cast<size_t>(c.deployment)].id),
              Text(out.repo_ids[static_cast<size_t>(c.repo)]), Text(ShaOf(out, c.repo, c.commit)),
              Value{std::string(ShipMethodName(c.method))}}));
    }
    return Status::Ok();
  };
  writes->push_back(std::move(w));
}

void Deployments(const WritePlan& plan, std::vector<TableWrite>* writes) {
  const model::TableSpec* spec = &model::SpecOf<model::Deployment>();
  for (const std::string& id : plan.stale_generated) {
    TableWrite gone;
    gone.spec = spec;
    gone.clear = true;
    gone.clear_where.push_back({"id", Value{id}});
    writes->push_back(std::move(gone));
  }
  writes->push_back(TableWrite::Upsert(plan.generated));
}

}  // namespace

std::vector<TableWrite> BuildLinkWrites(const WritePlan& plan) {
  std::vector<TableWrite> writes;
  Deployments(plan, &writes);
  DeploymentCommits(plan, &writes);
  writes.push_back(CommitPullRequests(plan));
  writes.push_back(TableWrite::Replace(plan.out->links));
  writes.push_back(DeploymentChanges(plan));
  writes.push_back(TableWrite::Replace(plan.out->incidents));
  return writes;
}

}  // namespace sei::metrics::link
