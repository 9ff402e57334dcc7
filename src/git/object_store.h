// ObjectStore: the ObjectDb that reads a repository's objects itself (see
// object_db.h for why): the packs and loose objects of its objects
// directory and of every alternate (`objects/info/alternates`, followed
// recursively like git, at most 5 deep). Open() resolves the git directory
// (also a `.git` file pointing elsewhere, and a linked worktree's
// `commondir`), maps every pack with its index and validates their headers,
// so a corrupt or truncated pack is reported once, at Open, naming the file.
//
// Packs are kept in git's search order: the repository's own first, newest
// first, then the alternates'. Readers (object_store_reader.h) look objects
// up in the packs, then as loose files.
//
// Thread safety: immutable after Open(); share it between threads, each
// with its own reader from NewReader().
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "git/object_db.h"
#include "git/pack_file.h"

namespace sei::git::internal {

class ObjectStore final : public ObjectDb {
 public:
  // InvalidArgument, saying what was expected, when `git_dir` is not a git
  // directory; DataLoss naming the file when a pack or index is corrupt.
  static Result<std::unique_ptr<ObjectStore>> Open(const std::string& git_dir,
                                                   const ObjectDbOptions& options);

  std::unique_ptr<ObjectReader> NewReader() const override;

  const std::vector<std::unique_ptr<PackFile>>& packs() const { return packs_; }
  // Objects directories: the repository's own first, then its alternates.
  const std::vector<std::string>& object_dirs() const { return object_dirs_; }
  const ObjectDbOptions& options() const { return options_; }
  const std::string& git_dir() const { return git_dir_; }
  // Alternates that are listed but do not exist (git skips them too); named
  // in NotFound messages, as they are the likely reason. Empty when none.
  const std::string& missing_alternates() const { return missing_alternates_; }

 private:
  ObjectStore() = default;
  Status AddObjectDir(const std::string& dir, int depth);
  Status AddPacks(const std::string& objects_dir);
  Status AddAlternates(const std::string& objects_dir, int depth);

  std::string git_dir_;
  ObjectDbOptions options_;
  std::vector<std::string> object_dirs_;
  std::vector<std::unique_ptr<PackFile>> packs_;
  std::string missing_alternates_;
};

}  // namespace sei::git::internal
