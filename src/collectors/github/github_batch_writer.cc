#include "collectors/github/github_batch_writer.h"

#include <optional>
#include <vector>

namespace sei::collectors::github {
namespace {

template <class T>
void KeepIfUnset(std::optional<T>* fresh, const std::optional<T>& stored) {
  if (!fresh->has_value()) *fresh = stored;
}

// Upserts `rows` inside the transaction; for each row `needs` says lacks
// something, `merge(&fresh, stored)` first takes it from the stored row.
template <class T, class Needs, class Merge>
TableWrite MergedUpsert(Store& store, const std::vector<T>& rows, Needs needs, Merge merge) {
  TableWrite w;
  w.spec = &model::SpecOf<T>();
  w.produce = [&store, &rows, needs, merge](const RowCallback& upsert,
                                            const RowCallback&) -> Status {
    for (const T& row : rows) {
      T fresh = row;
      std::optional<T> stored;
      if (needs(fresh)) {
        SEI_ASSIGN_OR_RETURN(stored, FindOne<T>(store, "id", model::Value{fresh.id}));
      }
      merge(&fresh, stored ? &*stored : nullptr);
      SEI_RETURN_IF_ERROR(upsert(model::ToRow(fresh)));
    }
    return Status::Ok();
  };
  return w;
}

TableWrite PullRequests(Store& store, const std::vector<model::PullRequest>& rows) {
  return MergedUpsert(
      store, rows,
      [](const model::PullRequest& p) {
        return !p.ready_at || !p.additions || !p.deletions || !p.changed_files ||
               (p.state == "merged" && !p.merged_by_account_id);
      },
      [](model::PullRequest* p, const model::PullRequest* stored) {
        if (stored == nullptr) return;
        KeepIfUnset(&p->ready_at, stored->ready_at);
        KeepIfUnset(&p->additions, stored->additions);
        KeepIfUnset(&p->deletions, stored->deletions);
        KeepIfUnset(&p->changed_files, stored->changed_files);
        if (p->state == "merged")
          KeepIfUnset(&p->merged_by_account_id, stored->merged_by_account_id);
      });
}

TableWrite Deployments(Store& store, const std::vector<model::Deployment>& rows) {
  return MergedUpsert(
      store, rows, [](const model::Deployment& d) { return d.result.empty(); },
      [](model::Deployment* d, const model::Deployment* stored) {
        if (!d->result.empty()) return;
        if (stored != nullptr && !stored->result.empty()) {
          d->result = stored->result;
          KeepIfUnset(&d->finished_at, stored->finished_at);
          KeepIfUnset(&d->url, stored->url);
        } else {
          d->result = "in_progress";
        }
      });
}

TableWrite Accounts(Store& store, const std::vector<model::Account>& rows) {
  return MergedUpsert(
      store, rows, [](const model::Account&) { return true; },
      [](model::Account* a, const model::Account* stored) {
        if (stored == nullptr) return;
        KeepIfUnset(&a->person_id, stored->person_id);
        KeepIfUnset(&a->name, stored->name);
        KeepIfUnset(&a->email, stored->email);
        KeepIfUnset(&a->first_seen_at, stored->first_seen_at);
        KeepIfUnset(&a->last_seen_at, stored->last_seen_at);
      });
}

TableWrite Repos(Store& store, const std::vector<model::Repo>& rows) {
  return MergedUpsert(
      store, rows, [](const model::Repo&) { return true; },
      [](model::Repo* r, const model::Repo* stored) {
        if (stored == nullptr) return;
        KeepIfUnset(&r->mirror_path, stored->mirror_path);
        KeepIfUnset(&r->collected_at, stored->collected_at);
        KeepIfUnset(&r->default_branch, stored->default_branch);
        KeepIfUnset(&r->created_at, stored->created_at);
      });
}

template <class T>
void AddUpsert(std::vector<TableWrite>* writes, const std::vector<T>& rows) {
  if (!rows.empty()) writes->push_back(TableWrite::Upsert(rows));
}

void AddMerged(std::vector<TableWrite>* writes, bool any, TableWrite w) {
  if (any) writes->push_back(std::move(w));
}

}  // namespace

Status WriteBatch(Store& store, const ConvertedBatch& batch, std::vector<TableWrite> also) {
  std::vector<TableWrite> writes;
  AddMerged(&writes, !batch.accounts.empty(), Accounts(store, batch.accounts));
  AddMerged(&writes, !batch.repos.empty(), Repos(store, batch.repos));
  AddUpsert(&writes, batch.boards);
  AddMerged(&writes, !batch.prs.empty(), PullRequests(store, batch.prs));
  AddUpsert(&writes, batch.pr_commits);
  AddUpsert(&writes, batch.reviews);
  AddUpsert(&writes, batch.comments);
  AddUpsert(&writes, batch.issues);
  AddUpsert(&writes, batch.pipelines);
  AddUpsert(&writes, batch.jobs);
  AddMerged(&writes, !batch.deployments.empty(), Deployments(store, batch.deployments));
  AddUpsert(&writes, batch.deployment_commits);
  AddUpsert(&writes, batch.releases);
  for (const std::string& id : batch.deleted_releases) {
    writes.push_back(TableWrite::DeleteWhere(model::SpecOf<model::Release>(), {{"id", id}}));
  }
  for (TableWrite& w : also) writes.push_back(std::move(w));
  if (writes.empty()) return Status::Ok();
  return store.ApplyWrites(writes);
}

}  // namespace sei::collectors::github
