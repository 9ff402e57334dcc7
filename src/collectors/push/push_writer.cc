#include "collectors/push/push_writer.h"

#include <fmt/format.h>

#include "model/derived.h"
#include "model/ids.h"
#include "model/org.h"

namespace sei::collectors::push {
namespace {

using model::Value;

model::RawPayload RawFor(const PushItem& item) {
  model::RawPayload p;
  p.connection_id = item.connection_id;
  p.source = "push";
  p.scope = std::string(PushKindName(item.kind));
  p.entity = std::string(PushKindName(item.kind));
  p.url = fmt::format("push:{}/{}", PushKindName(item.kind), item.external_id);
  p.fetched_at = item.received_at;
  p.content_type = "application/json";
  p.body = item.body;
  p.converted_at = item.received_at;
  return p;
}

// Deletes the rows of T whose `column` equals `value`.
template <class T>
TableWrite ClearWhere(const std::string& column, const std::string& value) {
  TableWrite w;
  w.spec = &model::SpecOf<T>();
  w.clear = true;
  w.clear_where = {{column, Value{value}}};
  return w;
}

std::string ConnectionName(const std::string& connection_id) {
  const size_t colon = connection_id.find(':');
  return colon == std::string::npos ? connection_id : connection_id.substr(colon + 1);
}

// Per kind, the rows that depend on the row with `id`, to delete with it.
std::vector<TableWrite> DependentClears(PushKind kind, const std::string& id) {
  switch (kind) {
    case PushKind::kDeployment:
      return {ClearWhere<model::DeploymentCommit>("deployment_id", id),
              ClearWhere<model::DeploymentLink>("deployment_id", id),
              ClearWhere<model::DeploymentChange>("deployment_id", id),
              ClearWhere<model::IncidentDeployment>("deployment_id", id)};
    case PushKind::kIncident:
      return {ClearWhere<model::IncidentDeployment>("incident_id", id)};
    case PushKind::kPullRequest:
      return {ClearWhere<model::PrCommit>("pr_id", id), ClearWhere<model::PrReview>("pr_id", id),
              ClearWhere<model::PrComment>("pr_id", id),
              ClearWhere<model::CommitPullRequest>("pr_id", id)};
    case PushKind::kIssue:
      return {ClearWhere<model::IssueStatusChange>("issue_id", id),
              ClearWhere<model::SprintIssue>("issue_id", id)};
  }
  return {};
}

TableWrite ClearById(PushKind kind, const std::string& id) {
  switch (kind) {
    case PushKind::kDeployment:
      return ClearWhere<model::Deployment>("id", id);
    case PushKind::kIncident:
      return ClearWhere<model::Incident>("id", id);
    case PushKind::kPullRequest:
      return ClearWhere<model::PullRequest>("id", id);
    case PushKind::kIssue:
      return ClearWhere<model::Issue>("id", id);
  }
  return {};
}

const model::TableSpec& SpecFor(PushKind kind) {
  switch (kind) {
    case PushKind::kDeployment:
      return model::SpecOf<model::Deployment>();
    case PushKind::kIncident:
      return model::SpecOf<model::Incident>();
    case PushKind::kPullRequest:
      return model::SpecOf<model::PullRequest>();
    case PushKind::kIssue:
      return model::SpecOf<model::Issue>();
  }
  return model::SpecOf<model::Deployment>();
}

}  // namespace

Status PushWriter::LoadRepos() {
  SEI_ASSIGN_OR_RETURN(std::vector<model::Repo> repos, store_.List<model::Repo>());
  repo_ids_.clear();
  repo_by_name_.clear();
  for (const model::Repo& r : repos) {
    repo_ids_.insert(r.id);
    auto [it, added] = repo_by_name_.emplace(r.name, r.id);
    if (!added && it->second != r.id) it->second.clear();  // two repos share the name
  }
  repos_loaded_ = true;
  return Status::Ok();
}

std::string PushWriter::ResolveRepo(const std::string& given) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (repo_ids_.count(given) != 0) return given;
    auto it = repo_by_name_.find(given);
    if (it != repo_by_name_.end() && !it->second.empty()) return it->second;
    // A repo collected since the cache was filled: reload on a miss, once
    // per batch (pushes naming a repo that is not collected would
    // otherwise read every repo once each).
    if (attempt == 0 && (reloaded_in_batch_ || !LoadRepos().ok())) break;
    reloaded_in_batch_ = true;
  }
  return given;
}

Result<std::vector<model::Connection>> PushWriter::NewConnections(
    const std::vector<PushItem>& batch) {
  std::vector<model::Connection> out;
  std::unordered_set<std::string> added;
  for (const PushItem& item : batch) {
    const std::string& id = item.connection_id;
    if (known_connections_.count(id) != 0 || added.count(id) != 0) continue;
    ScanOptions where;
    where.where = {{"id", Value{id}}};
    SEI_ASSIGN_OR_RETURN(int64_t n, store_.CountRows(model::SpecOf<model::Connection>(), where));
    if (n > 0) {
      known_connections_.insert(id);
      continue;
    }
    const int64_t now = clock_.NowUnixSeconds();
    out.push_back({id, "push", ConnectionName(id), std::nullopt, std::nullopt, now, now});
    added.insert(id);
  }
  return out;
}

std::vector<TableWrite> PushWriter::BuildWrites(const std::vector<PushItem>& batch,
                                                const std::vector<int64_t>& raw_ids,
                                                const std::vector<model::Connection>& connections) {
  std::vector<TableWrite> writes;
  writes.push_back(TableWrite::Upsert(connections));
  TableWrite rows[4];
  for (int k = 0; k < 4; ++k) rows[k].spec = &SpecFor(static_cast<PushKind>(k));
  std::vector<TableWrite> commit_writes;
  for (size_t i = 0; i < batch.size(); ++i) {
    const PushItem& item = batch[i];
    TableWrite& w = rows[static_cast<int>(item.kind)];
    if (const auto* d = std::get_if<PushedDeployment>(&item.row)) {
      model::Deployment row = d->deployment;
      row.raw_id = raw_ids[i];
      if (row.repo_id) row.repo_id = ResolveRepo(*row.repo_id);
      // Its pushed commits are replaced whole; derived rows stay for the linker.
      TableWrite c = ClearWhere<model::DeploymentCommit>("deployment_id", row.id);
      c.clear_where.push_back({"link_method", Value{std::string(kPushedLinkMethod)}});
      for (const std::string& sha : d->commits) {
        c.rows.push_back(model::ToRow(
            model::DeploymentCommit{row.id, row.repo_id.value_or(""), sha, kPushedLinkMethod}));
      }
      commit_writes.push_back(std::move(c));
      w.rows.push_back(model::ToRow(row));
    } else if (const auto* inc = std::get_if<model::Incident>(&item.row)) {
      model::Incident row = *inc;
      row.raw_id = raw_ids[i];
      w.rows.push_back(model::ToRow(row));
    } else if (const auto* pr = std::get_if<model::PullRequest>(&item.row)) {
      model::PullRequest row = *pr;
      row.raw_id = raw_ids[i];
      row.repo_id = ResolveRepo(row.repo_id);
      w.rows.push_back(model::ToRow(row));
    } else if (const auto* issue = std::get_if<model::Issue>(&item.row)) {
      model::Issue row = *issue;
      row.raw_id = raw_ids[i];
      w.rows.push_back(model::ToRow(row));
    }
  }
  for (TableWrite& w : rows) {
    if (!w.rows.empty()) writes.push_back(std::move(w));
  }
  for (TableWrite& c : commit_writes) writes.push_back(std::move(c));
  std::vector<model::AuditEntry> audit;
  for (const PushItem& item : batch) {
    if (item.audit) audit.push_back(*item.audit);
  }
  if (!audit.empty()) writes.push_back(TableWrite::Append(audit));  // in the same transaction
  return writes;
}

Status PushWriter::Apply(const std::vector<PushItem>& batch) {
  if (batch.empty()) return Status::Ok();
  reloaded_in_batch_ = false;
  if (!repos_loaded_) SEI_RETURN_IF_ERROR(LoadRepos());
  SEI_ASSIGN_OR_RETURN(std::vector<model::Connection> connections, NewConnections(batch));
  std::vector<model::RawPayload> payloads;
  payloads.reserve(batch.size());
  for (const PushItem& item : batch) {
    if (!item.archived_raw_id) payloads.push_back(RawFor(item));
  }
  Status s = store_.ArchiveAndApply(
      payloads, [&](const std::vector<int64_t>& new_ids) -> Result<std::vector<TableWrite>> {
        std::vector<int64_t> raw_ids;
        raw_ids.reserve(batch.size());
        size_t next = 0;
        for (const PushItem& item : batch) {
          raw_ids.push_back(item.archived_raw_id ? *item.archived_raw_id : new_ids[next++]);
        }
        return BuildWrites(batch, raw_ids, connections);
      });
  if (!s.ok()) return s.WithContext(fmt::format("storing a batch of {} pushes", batch.size()));
  for (const model::Connection& c : connections) known_connections_.insert(c.id);
  return Status::Ok();
}

Status PushWriter::Delete(PushKind kind, const std::string& connection_id,
                          const std::string& external_id,
                          const std::optional<model::AuditEntry>& audit) {
  const std::string id = model::MakeId(connection_id, PushKindIdSegment(kind), external_id);
  ScanOptions where;
  where.where = {{"id", Value{id}}};
  SEI_ASSIGN_OR_RETURN(int64_t n, store_.CountRows(SpecFor(kind), where));
  if (n == 0) {
    return NotFoundError(fmt::format("connection {} has no pushed {} with id \"{}\"", connection_id,
                                     PushKindName(kind), external_id));
  }
  std::vector<TableWrite> writes = DependentClears(kind, id);
  writes.push_back(ClearById(kind, id));
  if (audit) writes.push_back(TableWrite::Append(std::vector<model::AuditEntry>{*audit}));
  return store_.ApplyWrites(writes);
}

Status PushWriter::ResolveIncident(const std::string& connection_id, const std::string& external_id,
                                   int64_t resolved_at,
                                   const std::optional<model::AuditEntry>& audit) {
  const std::string id = model::MakeId(connection_id, "incident", external_id);
  ScanOptions where;
  where.where = {{"id", Value{id}}};
  SEI_ASSIGN_OR_RETURN(std::vector<model::Incident> found, store_.List<model::Incident>(where));
  if (found.empty()) {
    return NotFoundError(fmt::format("connection {} has no pushed incident with id \"{}\"",
                                     connection_id, external_id));
  }
  model::Incident incident = found.front();
  if (resolved_at < incident.created_at) {
    return InvalidArgumentError(
        fmt::format("resolved_at must not be earlier than the incident's created_at ({})",
                    incident.created_at));
  }
  incident.resolved_at = resolved_at;
  incident.status = "resolved";
  std::vector<TableWrite> writes = {TableWrite::Upsert(std::vector<model::Incident>{incident})};
  if (audit) writes.push_back(TableWrite::Append(std::vector<model::AuditEntry>{*audit}));
  return store_.ApplyWrites(writes);
}

}  // namespace sei::collectors::push
