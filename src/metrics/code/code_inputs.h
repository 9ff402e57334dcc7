// CodeInputs: what every code metric of one query reads: the commits of the
// range (and of the ownership window, which may reach further back) with
// their scope membership worked out once, and the per-file rows behind them.
// Commits are by author_time and files by commit, so both are contiguous
// blocks found by binary search; no per-row map is built.
//
// Only non-merge commits count (a merge's first-parent diff repeats the
// changes it merges); their files are the only ones loaded.
//
// Thread safety: built and read by one thread; the Dataset is only read.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "metrics/core/bucket_index.h"
#include "metrics/core/dataset.h"
#include "metrics/core/result.h"

namespace sei::metrics::code {

// Ownership and bus factor look at a year of changes ending at the range's
// end, or at the whole range when it is longer (docs/metrics.md).
inline constexpr int64_t kOwnershipWindowSeconds = 365 * 86400;

class CodeInputs {
 public:
  CodeInputs(const Dataset& ds, const ResolvedScope& scope, const Query& query);

  const Dataset& ds;
  const ResolvedScope& scope;
  const Query& query;
  const BucketIndex buckets;
  const TimeRange ownership_window;

  // Some in-scope commit exists before the range's end: sums are real zeros;
  // without one they are missing.
  bool has_commits = false;

  // Commits [begin, end) of ds.commits authored inside `range` and in scope.
  struct Block {
    uint32_t begin = 0, end = 0;
  };
  Block range_commits() const { return Commits(query.range); }
  Block Commits(const TimeRange& r) const;
  bool InScope(uint32_t commit) const;  // for commits inside the ownership window or the range
  // Whether commits of `repo` can be in scope at all (false: another repo
  // than a repo or project scope's).
  bool RepoMayCount(Idx repo) const {
    return repo_may_count_.empty() || (repo != kNone && repo_may_count_[static_cast<size_t>(repo)]);
  }
  // ds.files rows [begin, end) of the commits [commits.begin, commits.end).
  Block Files(Block commits) const;

  // "api:src/main.cc": a file's display id.
  std::string FileId(int32_t path) const;
  const std::string& RepoName(Idx repo) const;
  std::string AuthorName(Idx person) const;

 private:
  uint32_t scope_begin_ = 0;             // first commit with a scope flag
  std::vector<uint8_t> in_scope_;        // from scope_begin_, up to the last in-range commit
  std::vector<uint8_t> repo_may_count_;  // per repo; empty: every repo may
};

Metric NewMetric(const char* key, const char* name, const char* unit, const char* statistic);
// A file as a drill-down row.
DrillRow FileRow(const CodeInputs& in, int32_t path, std::optional<double> value);
std::string FieldNumber(double v);

}  // namespace sei::metrics::code
