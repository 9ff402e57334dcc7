// FileModel: the files of one demo repository and how commits change them.
//
// Each repository gets a catalog of paths shaped by its language (Go
// services with cmd/ and internal/, TypeScript apps with src/components/,
// Java with src/main/java/...), a few binary files (images, fonts, jars) and
// its dependency manifests. Files are hot or cold by a Zipf law over a random
// ranking, so a handful of files take most of the churn (hotspots). Line
// counts per file change are log-normal. Commits also add fresh files (tests,
// migrations) that only the PR adding them touches again.
//
// Thread safety: one thread at a time (AddFresh mutates the catalog).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "demo/org.h"
#include "demo/rng.h"
#include "model/git.h"

namespace sei::demo {

// A file of the repository: >= 0 indexes the catalog, < 0 is fresh file -(i+1).
using FileRef = int32_t;

struct FileChange {
  FileRef file = 0;
  char change = 'M';   // 'A' or 'M'
  int32_t added = -1;  // -1 for binary files
  int32_t deleted = -1;
};

class FileModel {
 public:
  FileModel(const DemoRepo& repo, uint64_t seed);

  // `k` distinct catalog files, hot ones more likely.
  std::vector<FileRef> PickFocus(Rng& rng, size_t k) const;
  // A new path (a test, a migration, a component) added by some commit.
  FileRef AddFresh(Rng& rng);
  // The dependency manifest and its lock file (dependabot's files).
  FileRef manifest() const { return manifest_; }
  FileRef lockfile() const { return lockfile_; }
  FileRef changelog() const { return changelog_; }
  size_t catalog_size() const { return paths_.size(); }

  const std::string& Path(FileRef f) const;
  bool IsBinary(FileRef f) const { return f >= 0 && binary_[static_cast<size_t>(f)]; }
  int64_t Mode(FileRef f) const;

  // Line counts for one change of `f` in a commit, scaled by `scale`.
  FileChange Change(Rng& rng, FileRef f, char change, double scale) const;
  // Every catalog file as added by the repository's first commit.
  std::vector<FileChange> InitialTree(Rng& rng) const;
  // Rows for a commit's changes, in git's path order, with idx set.
  std::vector<model::CommitFile> ToRows(const std::string& repo_id, const std::string& sha,
                                        const std::vector<FileChange>& changes) const;

 private:
  void BuildCatalog(const DemoRepo& repo, Rng& rng);
  void Add(std::string path, double weight, bool binary = false);

  std::vector<std::string> paths_;
  std::vector<double> weights_;
  std::vector<bool> binary_;
  std::vector<std::string> fresh_;
  std::string fresh_dir_;
  FileRef manifest_ = 0;
  FileRef lockfile_ = 0;
  FileRef changelog_ = 0;
};

// Sums changes per file (a merge or squash diff against the first parent).
std::vector<FileChange> Aggregate(const std::vector<const std::vector<FileChange>*>& parts);

}  // namespace sei::demo
