#include "demo/demo_writer.h"

#include <fmt/format.h>

namespace sei::demo {

namespace {

// Commits per WriteCommits transaction.
constexpr size_t kCommitBatch = 20000;

template <class T>
Status UpsertAndFree(Store* store, std::vector<T>* rows) {
  if (rows->empty()) return Status::Ok();
  Status s = store->Upsert(*rows);
  if (!s.ok()) return s.WithContext(fmt::format("writing demo {}", model::SpecOf<T>().entity));
  std::vector<T>().swap(*rows);
  return Status::Ok();
}

}  // namespace

Status DemoWriter::CheckCancel() const {
  if (cancel_ != nullptr && cancel_->load()) {
    return CancelledError(
        "interrupted: the demo organisation is only partly written; run the same `sei demo` "
        "command again to finish it");
  }
  return Status::Ok();
}

Status DemoWriter::Write(UnitData* data) {
  SEI_RETURN_IF_ERROR(CheckCancel());
  SEI_RETURN_IF_ERROR(WriteOrg(data));
  SEI_RETURN_IF_ERROR(WriteGit(data));
  SEI_RETURN_IF_ERROR(CheckCancel());
  return WriteRest(data);
}

Status DemoWriter::WriteOrg(UnitData* data) {
  std::vector<TableWrite> writes;
  writes.push_back(TableWrite::Upsert(data->people));
  writes.push_back(TableWrite::Upsert(data->teams));
  writes.push_back(TableWrite::Upsert(data->members));
  writes.push_back(TableWrite::Upsert(data->accounts));
  writes.push_back(TableWrite::Upsert(data->projects));
  writes.push_back(TableWrite::Upsert(data->scopes));
  writes.push_back(TableWrite::Upsert(data->planning.boards));
  Status s = store_->ApplyWrites(writes);
  if (!s.ok()) return s.WithContext("writing the demo's people, teams and projects");
  return Status::Ok();
}

Status DemoWriter::WriteGit(UnitData* data) {
  for (RepoGit& git : data->git) {
    SEI_RETURN_IF_ERROR(CheckCancel());
    const std::string& id = git.repo.id;
    SEI_RETURN_IF_ERROR(store_->UpsertRepo(git.repo));
    const int64_t n = static_cast<int64_t>(git.commits.size());
    for (size_t from = 0; from < git.commits.size(); from += kCommitBatch) {
      const size_t to = std::min(git.commits.size(), from + kCommitBatch);
      std::vector<CommitRecord> batch(std::make_move_iterator(git.commits.begin() + from),
                                      std::make_move_iterator(git.commits.begin() + to));
      Status s = store_->WriteCommits(id, batch);
      if (!s.ok()) return s.WithContext("writing the demo commits of " + id);
    }
    std::vector<CommitRecord>().swap(git.commits);
    Status s = store_->FinishGitSync(git.sync);
    if (!s.ok()) return s.WithContext("finishing the demo history of " + id);
    if (on_commits_) on_commits_(n);
  }
  return Status::Ok();
}

Status DemoWriter::WriteRest(UnitData* data) {
  SEI_RETURN_IF_ERROR(UpsertAndFree(store_, &data->prs));
  SEI_RETURN_IF_ERROR(UpsertAndFree(store_, &data->pr_commits));
  SEI_RETURN_IF_ERROR(UpsertAndFree(store_, &data->reviews));
  SEI_RETURN_IF_ERROR(UpsertAndFree(store_, &data->comments));
  SEI_RETURN_IF_ERROR(UpsertAndFree(store_, &data->planning.sprints));
  SEI_RETURN_IF_ERROR(UpsertAndFree(store_, &data->planning.issues));
  SEI_RETURN_IF_ERROR(UpsertAndFree(store_, &data->planning.changes));
  SEI_RETURN_IF_ERROR(UpsertAndFree(store_, &data->planning.sprint_issues));
  SEI_RETURN_IF_ERROR(CheckCancel());
  SEI_RETURN_IF_ERROR(UpsertAndFree(store_, &data->delivery.pipelines));
  SEI_RETURN_IF_ERROR(UpsertAndFree(store_, &data->delivery.jobs));
  SEI_RETURN_IF_ERROR(UpsertAndFree(store_, &data->delivery.deployments));
  SEI_RETURN_IF_ERROR(UpsertAndFree(store_, &data->delivery.incidents));
  return UpsertAndFree(store_, &data->delivery.findings);
}

}  // namespace sei::demo
