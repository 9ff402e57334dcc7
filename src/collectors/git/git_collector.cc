#include "collectors/git/git_collector.h"

#include <fmt/format.h>
#include <git2.h>

#include <chrono>
#include <ctime>
#include <deque>
#include <thread>
#include <unordered_set>

#include "collectors/git/commit_walker.h"
#include "collectors/git/diff_pipeline.h"
#include "collectors/git/ref_reader.h"
#include "collectors/git/repo_source.h"
#include "git/object_db.h"
#include "model/ids.h"

namespace sei::collectors {

namespace {

constexpr char kGitLocal[] = "git:local";
constexpr char kEntity[] = "commits";

struct Reachability {
  std::vector<std::string> now_unreachable;
  std::vector<std::string> reachable_again;
};

// Which stored commits changed reachability, given the current tips.
Reachability ComputeReachability(StoredGraph* graph, const std::vector<WalkedCommit>& added,
                                 const std::vector<git::ObjectId>& tips) {
  std::unordered_set<std::string> new_commits;
  for (const WalkedCommit& c : added) {
    StoredCommit& node = (*graph)[c.id.Hex()];
    node.reachable = true;
    for (const git::ObjectId& p : c.parents) node.parents.push_back(p.Hex());
    new_commits.insert(c.id.Hex());
  }
  std::unordered_set<std::string> reached;
  std::deque<std::string> queue;
  for (const git::ObjectId& t : tips) {
    if (reached.insert(t.Hex()).second) queue.push_back(t.Hex());
  }
  while (!queue.empty()) {
    auto it = graph->find(queue.front());
    queue.pop_front();
    if (it == graph->end()) continue;  // shallow boundary
    for (const std::string& p : it->second.parents) {
      if (reached.insert(p).second) queue.push_back(p);
    }
  }
  Reachability r;
  for (const auto& [sha, node] : *graph) {
    if (new_commits.count(sha) != 0) continue;
    bool now = reached.count(sha) != 0;
    if (node.reachable && !now) r.now_unreachable.push_back(sha);
    if (!node.reachable && now) r.reachable_again.push_back(sha);
  }
  return r;
}

int64_t NowSeconds(const GitCollectOptions& o) {
  return o.now != 0 ? o.now : static_cast<int64_t>(std::time(nullptr));
}

}  // namespace

GitCollector::GitCollector(Store* store, GitCollectOptions options)
    : store_(store), options_(std::move(options)) {}

Result<GitCollectResult> GitCollector::Collect(const std::string& path_or_url) {
  run_finished_ = false;
  Result<GitCollectResult> r = CollectRepo(path_or_url);
  if (options_.run_id != 0 && !run_finished_) {
    // The caller's run: up to date, or stopped before the diff began.
    const bool cancelled = !r.ok() && r.status().code() == StatusCode::kCancelled;
    FinishRun(options_.run_id, r.ok() ? "complete" : (cancelled ? "interrupted" : "failed"), 0,
              r.ok() ? std::nullopt : std::optional<std::string>(r.status().message()))
        .IgnoreError();
  }
  return r;
}

Status GitCollector::FinishRun(int64_t run_id, const std::string& status, int64_t items,
                               const std::optional<std::string>& error) {
  run_finished_ = true;
  if (run_id == 0) return Status::Ok();  // no run row (record_run false)
  return store_->FinishRun(run_id, status, items, error, NowSeconds(options_));
}

Result<model::Repo> GitCollector::RepoRow(const ResolvedRepo& repo, const std::string& connection,
                                          const std::string& default_branch) {
  SEI_ASSIGN_OR_RETURN(std::optional<model::Repo> stored, store_->FindRepo(repo.repo_id));
  if (stored && stored->connection_id != connection) {
    return FailedPreconditionError(fmt::format(
        "repository {} belongs to connection {}, not {}; collect it under its own connection",
        repo.repo_id, stored->connection_id, connection));
  }
  model::Repo r = stored.value_or(model::Repo{});
  r.id = repo.repo_id;
  r.connection_id = connection;
  if (!repo.mirror_path.empty()) r.mirror_path = repo.mirror_path;
  // A repository of another connection (its mirror): the owner's row says
  // what it is called, where it lives and its default branch (a mirror's
  // HEAD is the default branch of the day it was cloned).
  const bool owned = !options_.connection_id.empty() && stored.has_value();
  if (!options_.name.empty()) {
    r.name = options_.name;
  } else if (!stored || r.name.empty()) {
    r.name = repo.name;
  }
  if (!owned || r.location.empty()) r.location = repo.location;
  if (!default_branch.empty() && (!owned || !r.default_branch)) r.default_branch = default_branch;
  return r;
}

Result<GitCollectResult> GitCollector::CollectRepo(const std::string& path_or_url) {
  auto started = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  };
  // Read-only ingestion of repositories git maintains: skip re-hashing.
  git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
  // libgit2 caches every object read, up to 256 MiB by default; blobs are read
  // once per change, so a small cache saves memory at no cost in speed.
  git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, static_cast<ssize_t>(options_.object_cache_bytes));
  // Pack files are mapped in windows; touched pages count as resident memory,
  // so bound what stays mapped (least recently used windows are unmapped).
  git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, size_t{64} << 20);
  git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, options_.mapped_pack_bytes);
  int64_t now = NowSeconds(options_);
  if (!options_.repo_id.empty() && options_.connection_id.empty()) {
    return InvalidArgumentError("a repository id (" + options_.repo_id +
                                ") to collect under needs its connection id too");
  }
  const std::string connection =
      options_.connection_id.empty() ? std::string(kGitLocal) : options_.connection_id;
  SEI_ASSIGN_OR_RETURN(ResolvedRepo repo, ResolveRepo(path_or_url, options_.data_dir,
                                                      options_.access, options_.mirror_refspecs));
  if (!options_.repo_id.empty()) {
    repo.repo_id = options_.repo_id;
  } else if (!options_.connection_id.empty()) {
    repo.repo_id = model::MakeId(connection, "repo", repo.location);
  }
  GitCollectResult result;
  result.repo_id = repo.repo_id;
  result.git_dir = repo.git_dir;

  git::ObjectDbOptions db_options;
  db_options.delta_base_cache_bytes = options_.delta_cache_bytes;
  SEI_ASSIGN_OR_RETURN(std::unique_ptr<git::ObjectDb> db,
                       git::ObjectDb::Open(repo.git_dir, db_options));
  std::unique_ptr<git::ObjectReader> reader = db->NewReader();
  RefSet refs;
  SEI_RETURN_IF_ERROR(
      ReadRefs(repo.git_dir, reader.get(), options_.include_remotes, repo.repo_id, now, &refs));
  result.refs = static_cast<int64_t>(refs.refs.size());

  // Nothing changed since the last complete run: done, without writing.
  SEI_ASSIGN_OR_RETURN(std::optional<model::SyncState> state,
                       store_->GetSyncState(connection, repo.repo_id, kEntity));
  if (state && state->status == "complete" && state->cursor == refs.digest) {
    result.up_to_date = true;
    result.seconds = elapsed();
    return result;
  }

  SEI_ASSIGN_OR_RETURN(model::Repo r, RepoRow(repo, connection, refs.default_branch));
  SEI_RETURN_IF_ERROR(store_->UpsertRepo(r));

  SEI_ASSIGN_OR_RETURN(StoredGraph graph, store_->LoadCommitGraph(repo.repo_id));
  std::vector<WalkedCommit> commits;
  std::string hex;
  auto known = [&](const git::ObjectId& id) {
    hex.clear();
    id.AppendHex(&hex);
    return graph.count(hex) != 0;
  };
  SEI_RETURN_IF_ERROR(WalkNewCommits(reader.get(), refs.tips, known, {repo.is_shallow}, &commits));

  int64_t run_id = options_.run_id;
  if (run_id == 0 && options_.record_run) {
    SEI_ASSIGN_OR_RETURN(
        run_id, store_->BeginRun({0, connection, repo.repo_id, now, {}, "running", 0, {}}));
  }
  PipelineOptions po;
  po.jobs = options_.jobs > 0 ? options_.jobs
                              : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  po.chunk_commits = options_.chunk_commits;
  po.batch_commits = options_.batch_commits;
  po.cancel = options_.cancel;
  po.progress = options_.progress;
  DifferOptions dopt{repo.repo_id, connection, options_.detect_renames, repo.git_dir};
  DiffPipeline pipeline(*db, dopt, po);
  PipelineStats stats;
  Status s = pipeline.Run(
      commits,
      [&](const std::vector<CommitRecord>& batch) {
        return store_->WriteCommits(repo.repo_id, batch);
      },
      &stats);
  result.commits_added = stats.commits_written;
  result.files_added = stats.files_written;
  if (!s.ok()) {
    std::string why = s.code() == StatusCode::kCancelled ? "interrupted" : "failed";
    FinishRun(run_id, why, stats.commits_written, s.message()).IgnoreError();
    if (s.code() == StatusCode::kCancelled) {
      return CancelledError(fmt::format(
          "interrupted after storing {} of {} new commits of {}; run the same command again to "
          "continue",
          stats.commits_written, commits.size(), repo.location));
    }
    return s.WithContext(repo.location);
  }

  Reachability reach = ComputeReachability(&graph, commits, refs.tips);
  result.newly_unreachable = static_cast<int64_t>(reach.now_unreachable.size());
  result.reachable_again = static_cast<int64_t>(reach.reachable_again.size());
  GitSyncUpdate update;
  update.repo_id = repo.repo_id;
  update.refs = std::move(refs.refs);
  update.now_unreachable = std::move(reach.now_unreachable);
  update.reachable_again = std::move(reach.reachable_again);
  update.collected_at = NowSeconds(options_);
  update.sync_state = {connection, repo.repo_id, kEntity, refs.digest,
                       {},         "complete",   {},      update.collected_at};
  SEI_RETURN_IF_ERROR(store_->FinishGitSync(update));
  SEI_RETURN_IF_ERROR(FinishRun(run_id, "complete", stats.commits_written, {}));
  result.seconds = elapsed();
  return result;
}

}  // namespace sei::collectors
