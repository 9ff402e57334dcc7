// CommitDiffer: turns one walked commit into the CommitRecord the store
// keeps: metadata decoded from the raw commit (names and emails exactly as
// written, text as UTF-8), and per-file line counts against the first parent
// equal to `git log --numstat --no-renames --diff-merges=first-parent`.
//
// Rules (each mirrors git): binary when either side has a NUL in its first
// 8000 bytes (counts are NULL); a submodule (gitlink) reads as the text
// "Subproject commit <sha>\n"; a mode-only change counts 0/0; added and
// deleted files count their lines; a change of type (file, symlink,
// submodule) is one row diffing the two contents.
//
// Thread safety: one CommitDiffer per thread (it owns a reader, a tree
// differ and line-diff scratch space); the ObjectDb is shared.
#pragma once

#include <memory>
#include <string>

#include "collectors/git/commit_walker.h"
#include "common/status.h"
#include "git/line_diff.h"
#include "git/object_db.h"
#include "git/tree_diff.h"
#include "store/store.h"

namespace sei::collectors {

class RenameDetector;

struct DifferOptions {
  std::string repo_id;
  std::string connection_id = "git:local";
  bool detect_renames = false;
  std::string git_dir;  // for rename detection (libgit2)
};

class CommitDiffer {
 public:
  CommitDiffer(const git::ObjectDb& db, DifferOptions options);
  ~CommitDiffer();

  Status Process(const WalkedCommit& walked, CommitRecord* out);

 private:
  Status FillMetadata(const WalkedCommit& walked, model::Commit* c);
  Status CountChange(const git::TreeChange& change, model::CommitFile* file);
  Status ReadSide(const git::ObjectId& id, uint32_t mode, std::string* buf);

  DifferOptions options_;
  std::unique_ptr<git::ObjectReader> reader_;
  git::TreeDiffer tree_differ_;
  git::LineDiffer line_differ_;
  std::unique_ptr<RenameDetector> renames_;
  std::vector<git::TreeChange> changes_;
  std::string raw_;
  std::string old_buf_;
  std::string new_buf_;
};

}  // namespace sei::collectors
