// code.churn: lines added plus lines deleted, per bucket and per repo.
#include <algorithm>
#include <string>

#include "metrics/code/code_metrics.h"

namespace sei::metrics::code {

namespace {

struct FileChurn {
  int64_t added = 0, deleted = 0;
  int64_t changes = 0;
};

void AddFileRows(const CodeInputs& in, const std::vector<FileChurn>& per_file,
                 const std::vector<int32_t>& touched, Metric* m) {
  std::vector<int32_t> order = touched;
  std::sort(order.begin(), order.end(), [&](int32_t a, int32_t b) {
    const FileChurn &fa = per_file[static_cast<size_t>(a)], &fb = per_file[static_cast<size_t>(b)];
    const int64_t la = fa.added + fa.deleted, lb = fb.added + fb.deleted;
    return la != lb ? la > lb : in.FileId(a) < in.FileId(b);
  });
  for (int32_t p : order) {
    const FileChurn& f = per_file[static_cast<size_t>(p)];
    DrillRow row = FileRow(in, p, static_cast<double>(f.added + f.deleted));
    row.fields.emplace_back("added", std::to_string(f.added));
    row.fields.emplace_back("deleted", std::to_string(f.deleted));
    row.fields.emplace_back("changes", std::to_string(f.changes));
    m->rows.push_back(std::move(row));
  }
}

struct ChurnTally {
  int64_t total = 0, changes = 0, binary = 0;
  std::vector<int64_t> per_bucket, per_bucket_n, per_repo;  // per_repo[repo + 1]
  std::vector<FileChurn> per_file;                          // only when drilling
  std::vector<int32_t> touched;
};

ChurnTally Tally(const CodeInputs& in) {
  const Dataset& ds = in.ds;
  ChurnTally t;
  t.per_bucket.assign(in.buckets.size(), 0);
  t.per_bucket_n.assign(in.buckets.size(), 0);
  t.per_repo.assign(ds.repos.size() + 1, 0);
  if (in.query.drill) t.per_file.resize(ds.file_paths.size());
  const CodeInputs::Block files = in.Files(in.range_commits());
  for (uint32_t i = files.begin; i < files.end; ++i) {
    const DsCommitFile& f = ds.files[i];
    if (!in.InScope(static_cast<uint32_t>(f.commit))) continue;
    ++t.changes;
    if (f.binary) {
      ++t.binary;
      continue;
    }
    const DsCommit& c = ds.commits[static_cast<size_t>(f.commit)];
    const int64_t lines = int64_t{f.added} + f.deleted;
    t.total += lines;
    const size_t b = static_cast<size_t>(in.buckets.Of(c.author_time));
    t.per_bucket[b] += lines;
    ++t.per_bucket_n[b];
    t.per_repo[static_cast<size_t>(c.repo + 1)] += lines;
    if (!t.per_file.empty()) {
      FileChurn& fc = t.per_file[static_cast<size_t>(f.path)];
      if (fc.changes == 0) t.touched.push_back(f.path);
      fc.added += f.added;
      fc.deleted += f.deleted;
      ++fc.changes;
    }
  }
  return t;
}

// One part per repo with churn, largest first.
void AddRepoParts(const CodeInputs& in, const ChurnTally& t, Metric* m) {
  for (size_t r = 0; r < t.per_repo.size(); ++r) {
    if (t.per_repo[r] == 0) continue;
    MetricPart p;
    p.key = in.RepoName(static_cast<Idx>(r) - 1);
    p.value = static_cast<double>(t.per_repo[r]);
    p.share = Ratio(*p.value, static_cast<double>(t.total));
    m->parts.push_back(std::move(p));
  }
  std::sort(m->parts.begin(), m->parts.end(), [](const MetricPart& a, const MetricPart& b) {
    return *a.value != *b.value ? *a.value > *b.value : a.key < b.key;
  });
}

}  // namespace

void AddChurn(const CodeInputs& in, Report* report) {
  if (!in.query.Wants("code.churn")) return;
  Metric m = NewMetric("code.churn", "Code churn", "lines", "sum");
  const ChurnTally t = Tally(in);
  if (in.has_commits) m.value = static_cast<double>(t.total);
  m.distribution.n = t.changes - t.binary;
  m.completeness.total = t.changes;
  m.completeness.measured = t.changes - t.binary;
  m.completeness.NoteMissing(t.binary, t.changes, "file changes are binary (no line counts)");
  AddRepoParts(in, t, &m);
  if (in.query.series) {
    std::vector<std::optional<double>> values(t.per_bucket.size());
    for (size_t b = 0; b < values.size(); ++b) {
      if (in.has_commits) values[b] = static_cast<double>(t.per_bucket[b]);
    }
    m.series = in.buckets.Series(values, t.per_bucket_n);
  }
  if (!t.per_file.empty()) AddFileRows(in, t.per_file, t.touched, &m);
  report->metrics.push_back(std::move(m));
}

}  // namespace sei::metrics::code
