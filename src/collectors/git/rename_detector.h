// RenameDetector: optional rename detection (`sei collect git --renames`).
// Pairs a commit's deleted and added files into renames with libgit2's
// similarity detection (git's -M default: 50% similar), then recounts each
// pair's lines from the two blobs, so a pure rename counts 0/0 like
// `git log --numstat -M`.
//
// libgit2's similarity estimate is close to git's but not identical: exact
// renames (100%) always pair the same way; borderline pairs near the 50%
// threshold can differ (docs/adr/0003-git-collection.md).
//
// Thread safety: owns a libgit2 repository handle: one per thread.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "git/line_diff.h"
#include "git/object_db.h"
#include "model/git.h"

struct git_repository;

namespace sei::collectors {

class RenameDetector {
 public:
  explicit RenameDetector(const std::string& git_dir);
  ~RenameDetector();

  // Rewrites `files` (the no-rename changes of one commit): each detected
  // rename replaces its deletion and addition with one "R" row.
  Status Apply(const git::ObjectId* old_tree, const git::ObjectId& new_tree,
               git::ObjectReader* reader, git::LineDiffer* differ,
               std::vector<model::CommitFile>* files);

 private:
  struct Pair {
    std::string old_path;
    std::string new_path;
    git::ObjectId old_id;
    git::ObjectId new_id;
  };
  Status FindPairs(const git::ObjectId* old_tree, const git::ObjectId& new_tree,
                   std::vector<Pair>* pairs);

  std::string git_dir_;
  git_repository* repo_ = nullptr;
  std::string old_buf_;
  std::string new_buf_;
};

}  // namespace sei::collectors
