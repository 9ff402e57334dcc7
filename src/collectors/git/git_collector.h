// GitCollector: collects a git repository's history into the Store
// (`sei collect git PATH_OR_URL`).
//
// What it stores: every commit reachable from any branch or tag (author and
// committer name, email, time and offset exactly as written; parents;
// message), each commit's per-file added and deleted lines against its first
// parent exactly as `git log --numstat --no-renames --diff-merges=first-parent`
// reports them (binary files flagged and not counted; merges included and
// flagged), and the refs and tags.
//
// How: local repositories are read in place; URLs are cloned into (then
// fetched into) a bare mirror in the data directory. Refs are read with
// libgit2; commits, trees and blobs with git::ObjectDb. New commits are found
// by walking from the refs until stored commits, put in parents-first order,
// and diffed on `jobs` threads in chunks of consecutive commits; one writer
// stores them in order, in transactions of `batch_commits`. Because a commit is
// stored only after all its ancestors, a run killed at any moment leaves a
// consistent database and the next run continues where it stopped. Refs and
// the sync cursor are written last: a run whose refs did not change since
// the last complete run does nothing. Commits that no branch or tag reaches
// any more (force-push) are marked unreachable, never deleted.
//
// Thread safety: one Collect() at a time per GitCollector; it starts and
// joins its own worker threads.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "collectors/git/remote_access.h"
#include "common/progress.h"
#include "common/result.h"
#include "store/store.h"

namespace sei::collectors {

struct GitCollectOptions {
  int jobs = 0;                               // diff threads; 0 = all cores
  bool detect_renames = false;                // pair deletions and additions into renames
  bool include_remotes = false;               // also walk refs/remotes/*
  std::string data_dir = ".sei";              // where mirrors of URLs live
  std::string name;                           // display name; default from the path/URL
  int64_t batch_commits = 2000;               // commits per write transaction
  size_t delta_cache_bytes = 96u << 20;       // per thread
  size_t object_cache_bytes = 32u << 20;      // libgit2 object cache, process-wide
  size_t mapped_pack_bytes = 256u << 20;      // pack data kept mapped, process-wide
  int chunk_commits = 64;                     // consecutive commits per work item
  const std::atomic<bool>* cancel = nullptr;  // set to stop early (SIGINT)
  Progress* progress = nullptr;
  int64_t now = 0;  // collection time (Unix seconds); 0 = the system clock
  // Whose repository this is. Empty: the git collector's own connection
  // "git:local" and an id from the location ("git:local:repo:<location>").
  // Set to collect a repository another connection owns (a GitHub
  // repository's mirror, app/github_mirror.h): commits, files, refs, git
  // accounts, the sync cursor and the run rows are stored under that id and
  // connection, and the Repo row keeps the name, location, default branch
  // and creation time its owner wrote (only mirror_path and collected_at are
  // the collector's).
  std::string repo_id;
  std::string connection_id;
  // Credentials and CA bundle for cloning and fetching URLs (never stored).
  RemoteAccess access;
  // What a new mirror of a URL fetches (empty: every ref, +refs/*:refs/*).
  // Only branches and tags are collected; GitHub's refs/pull/* are many.
  std::vector<std::string> mirror_refspecs;
  // false: no collection_runs row (the caller's own run covers this one,
  // as a GitHub sync's run covers its mirrors); run_id must be 0.
  bool record_run = true;
  // A collection_runs row the caller began (status "running"; the server
  // answers a trigger with its id before collecting): this run finishes it
  // whatever happens (complete, also when up to date; failed; interrupted)
  // instead of beginning one. 0: begin one when there is work.
  int64_t run_id = 0;
};

struct GitCollectResult {
  std::string repo_id;
  std::string git_dir;
  bool up_to_date = false;  // refs unchanged: nothing was read
  int64_t commits_added = 0;
  int64_t files_added = 0;
  int64_t refs = 0;
  int64_t newly_unreachable = 0;
  int64_t reachable_again = 0;
  double seconds = 0;
};

struct ResolvedRepo;

class GitCollector {
 public:
  GitCollector(Store* store, GitCollectOptions options);

  Result<GitCollectResult> Collect(const std::string& path_or_url);

 private:
  Result<GitCollectResult> CollectRepo(const std::string& path_or_url);
  Status FinishRun(int64_t run_id, const std::string& status, int64_t items,
                   const std::optional<std::string>& error);
  // The Repo row to write: the stored one with the collector's fields.
  Result<model::Repo> RepoRow(const ResolvedRepo& repo, const std::string& connection,
                              const std::string& default_branch);

  Store* store_;
  GitCollectOptions options_;
  bool run_finished_ = false;  // CollectRepo finished its run row
};

}  // namespace sei::collectors
