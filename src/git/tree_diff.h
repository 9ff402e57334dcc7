// TreeDiffer: the file-level changes between two git trees, as git's own
// tree diff finds them (`git diff-tree -r --no-renames`): entries are walked
// in git's canonical order, subtrees whose ids are equal are skipped without
// being read, a file replaced by a directory of the same name is a deletion
// plus additions, modes are canonicalised the way git does (100664 is a
// regular 100644 file; only the owner-execute bit matters), and a change of
// type between file, symlink and submodule is one change.
//
// Thread safety: a TreeDiffer owns per-depth buffers and reads through one
// ObjectReader: NOT thread-safe; use one per thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "git/object_db.h"
#include "git/object_id.h"

namespace sei::git {

constexpr uint32_t kModeTree = 0040000;
constexpr uint32_t kModeFile = 0100644;
constexpr uint32_t kModeExecutable = 0100755;
constexpr uint32_t kModeSymlink = 0120000;
constexpr uint32_t kModeGitlink = 0160000;

// git's canon_mode().
uint32_t CanonicalMode(uint32_t mode);
inline bool IsTreeMode(uint32_t mode) { return (mode & 0170000) == kModeTree; }

struct TreeChange {
  std::string path;       // full path, raw bytes
  uint32_t old_mode = 0;  // canonical; 0 when the file was added
  uint32_t new_mode = 0;  // canonical; 0 when the file was deleted
  ObjectId old_id;
  ObjectId new_id;
};

class TreeDiffer {
 public:
  explicit TreeDiffer(ObjectReader* reader);
  ~TreeDiffer();

  // Appends to *out every file-level change from `old_tree` to `new_tree`
  // (nullptr means the empty tree: a root commit). DataLoss when a tree is
  // corrupt; NotFound when one is missing.
  Status Diff(const ObjectId* old_tree, const ObjectId* new_tree, std::vector<TreeChange>* out);

  // Trees read so far (for benchmarks).
  uint64_t trees_read() const { return trees_read_; }

 private:
  struct Level;
  Status DiffLevel(const ObjectId* a, const ObjectId* b, size_t depth,
                   std::vector<TreeChange>* out);
  Status EmitSubtree(const ObjectId& tree, bool added, size_t depth, std::vector<TreeChange>* out);
  Status Load(const ObjectId& id, std::string* buf);
  Level& LevelAt(size_t depth);

  ObjectReader* reader_;
  std::string prefix_;
  std::vector<std::unique_ptr<Level>> levels_;
  uint64_t trees_read_ = 0;
};

}  // namespace sei::git
