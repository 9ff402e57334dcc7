// CommitFileLoader: attaches commit_files rows to a Dataset's commits, for
// the code metrics (LoadOptions::files). The dataset loader hands it each
// reachable non-merge commit's (repo, sha) while it reads commits, tells it
// how the commits were reordered, then asks it to read the per-file rows
// (only the columns the metrics use) and intern their paths per repository.
//
// Files of merge commits are left out: a merge's first-parent diff repeats
// the changes of the commits it merges, so counting them would count those
// lines twice (the same rule as `sei stats`). Files of unreachable commits
// are left out with their commits.
//
// Thread safety: one loader per Dataset load, used by one thread.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "metrics/core/dataset.h"
#include "store/store.h"

namespace sei::metrics {

class CommitFileLoader {
 public:
  // Records that commits[position] of repo `repo` has this sha.
  void AddCommit(Idx repo, std::string_view sha, Idx position);

  // Sorts commits by author_time (stable, like the loader's own sort) and
  // follows the recorded positions to their new places.
  void SortCommitsByAuthorTime(std::vector<DsCommit>* commits);

  // Reads commit_files into ds->files (grouped by commit, diff order kept)
  // and ds->file_paths; `repo_index` maps repo ids to ds->repos.
  Status Load(Store& store, const std::unordered_map<std::string, Idx>& repo_index, Dataset* ds);

 private:
  // A sha in 20 bytes: the binary form of a hex sha (the first 160 bits of
  // a SHA-256 one), else the text's first 20 bytes (test fixtures).
  using ShaKey = std::array<uint8_t, 20>;
  struct Key {
    Idx repo = kNone;
    ShaKey sha{};
    Idx commit = kNone;
    bool operator<(const Key& o) const { return repo != o.repo ? repo < o.repo : sha < o.sha; }
  };

  struct Scan;
  void Read(const model::Row& row, Scan* scan) const;
  static ShaKey ShaKeyOf(std::string_view sha);
  Idx CommitOf(Idx repo, std::string_view sha) const;

  std::vector<Key> keys_;  // sorted once the commits are
};

}  // namespace sei::metrics
