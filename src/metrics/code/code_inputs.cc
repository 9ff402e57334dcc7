#include "metrics/code/code_inputs.h"

#include <algorithm>

#include <fmt/format.h>

namespace sei::metrics::code {

namespace {

TimeRange OwnershipWindow(const TimeRange& r) {
  return {std::min(r.since, r.until - kOwnershipWindowSeconds), r.until};
}

}  // namespace

CodeInputs::CodeInputs(const Dataset& d, const ResolvedScope& s, const Query& q)
    : ds(d),
      scope(s),
      query(q),
      buckets(q.range, q.granularity),
      ownership_window(OwnershipWindow(q.range)) {
  if (s.scope.kind == ScopeKind::kRepo || s.scope.kind == ScopeKind::kProject) {
    repo_may_count_.assign(ds.repos.size(), 0);
    if (s.scope.kind == ScopeKind::kRepo) repo_may_count_[static_cast<size_t>(s.index)] = 1;
    if (s.scope.kind == ScopeKind::kProject) {
      for (Idx r : ds.projects[static_cast<size_t>(s.index)].repos) {
        repo_may_count_[static_cast<size_t>(r)] = 1;
      }
    }
  }
  const Block all = Commits({std::min(ownership_window.since, q.range.since), q.range.until});
  scope_begin_ = all.begin;
  in_scope_.resize(all.end - all.begin);
  for (uint32_t c = all.begin; c < all.end; ++c) {
    const DsCommit& commit = ds.commits[c];
    const bool in = !commit.merge && ds.CommitInScope(scope, commit);
    in_scope_[c - all.begin] = in;
    has_commits |= in;
  }
  // No commit in the window: look further back for any (nothing collected
  // at all makes the sums missing rather than zero).
  for (uint32_t c = all.begin; !has_commits && c > 0; --c) {
    const DsCommit& commit = ds.commits[c - 1];
    has_commits = !commit.merge && ds.CommitInScope(scope, commit);
  }
}

CodeInputs::Block CodeInputs::Commits(const TimeRange& r) const {
  auto by_time = [](const DsCommit& c, int64_t t) { return c.author_time < t; };
  const auto b = std::lower_bound(ds.commits.begin(), ds.commits.end(), r.since, by_time);
  const auto e = std::lower_bound(b, ds.commits.end(), r.until, by_time);
  return {static_cast<uint32_t>(b - ds.commits.begin()),
          static_cast<uint32_t>(e - ds.commits.begin())};
}

bool CodeInputs::InScope(uint32_t commit) const {
  if (commit < scope_begin_ || commit - scope_begin_ >= in_scope_.size()) return false;
  return in_scope_[commit - scope_begin_] != 0;
}

CodeInputs::Block CodeInputs::Files(Block commits) const {
  auto before = [](const DsCommitFile& f, uint32_t c) {
    return static_cast<uint32_t>(f.commit) < c;
  };
  const auto b = std::lower_bound(ds.files.begin(), ds.files.end(), commits.begin, before);
  const auto e = std::lower_bound(b, ds.files.end(), commits.end, before);
  return {static_cast<uint32_t>(b - ds.files.begin()), static_cast<uint32_t>(e - ds.files.begin())};
}

const std::string& CodeInputs::RepoName(Idx repo) const {
  static const std::string kUnknown = "(unknown repo)";
  return repo == kNone ? kUnknown : ds.repos[static_cast<size_t>(repo)].name;
}

std::string CodeInputs::FileId(int32_t path) const {
  const DsFilePath& p = ds.file_paths[static_cast<size_t>(path)];
  return RepoName(p.repo) + ":" + p.path;
}

std::string CodeInputs::AuthorName(Idx person) const {
  return person == kNone ? "(unknown author)" : ds.people[static_cast<size_t>(person)].name;
}

Metric NewMetric(const char* key, const char* name, const char* unit, const char* statistic) {
  Metric m;
  m.key = key;
  m.name = name;
  m.version = 1;
  m.unit = unit;
  m.statistic = statistic;
  return m;
}

DrillRow FileRow(const CodeInputs& in, int32_t path, std::optional<double> value) {
  const DsFilePath& p = in.ds.file_paths[static_cast<size_t>(path)];
  DrillRow r;
  r.entity = "file";
  r.id = in.FileId(path);
  r.title = p.path;
  r.value = value;
  r.fields.emplace_back("repo", in.RepoName(p.repo));
  return r;
}

std::string FieldNumber(double v) { return fmt::format("{}", v); }

}  // namespace sei::metrics::code
