// code.rework and code.rework_ratio: lines deleted (changed) within the
// rework window of being written, by the cohort estimate of file_cohorts.h.
#include <cmath>
#include <string>

#include "metrics/code/code_metrics.h"
#include "metrics/code/file_cohorts.h"

namespace sei::metrics::code {

namespace {

struct Tally {
  DeletedLines lines;
  double deleted = 0;
  int64_t changes = 0, binary = 0;
  void Add(const DeletedLines& d) {
    lines.recent += d.recent;
    lines.older += d.older;
    lines.unknown += d.unknown;
    deleted += d.recent + d.older + d.unknown;
  }
};

struct ReworkTally {
  Tally total;
  std::vector<Tally> per_bucket;
  std::vector<Tally> per_file;  // only when drilling
  std::vector<int32_t> touched;
};

// Replays the files' changes from one window before the range and tallies the
// deletions of the range's in-scope commits.
ReworkTally Replay(const CodeInputs& in) {
  const Dataset& ds = in.ds;
  const int64_t window = int64_t{ds.settings.rework_window_days} * 86400;
  const CodeInputs::Block counted = in.range_commits();
  const int64_t detail_from = in.query.range.since - window;
  // Replaying starts one window before the range: older lines are old for
  // every counted change, and lines_before carries how many there were.
  const CodeInputs::Block files =
      in.Files({in.Commits({detail_from, in.query.range.since}).begin, counted.end});
  ReworkTally t;
  t.per_bucket.resize(in.buckets.size());
  if (in.query.drill) t.per_file.resize(ds.file_paths.size());
  FileCohorts cohorts(ds.file_paths.size(), window);
  for (uint32_t i = files.begin; i < files.end; ++i) {
    const DsCommitFile& f = ds.files[i];
    const DsCommit& c = ds.commits[static_cast<size_t>(f.commit)];
    if (!in.RepoMayCount(c.repo)) continue;  // no row of another repo is ever counted
    const DeletedLines d = cohorts.Apply(f.path, c.author_time, f.change, f.binary, f.added,
                                         f.deleted, f.lines_before);
    const uint32_t commit = static_cast<uint32_t>(f.commit);
    if (commit < counted.begin || !in.InScope(commit)) continue;
    ++t.total.changes;
    if (f.binary) {
      ++t.total.binary;
      continue;
    }
    t.total.Add(d);
    Tally& b = t.per_bucket[static_cast<size_t>(in.buckets.Of(c.author_time))];
    b.Add(d);
    ++b.changes;
    if (!t.per_file.empty() && f.deleted > 0) {
      Tally& pf = t.per_file[static_cast<size_t>(f.path)];
      if (pf.changes == 0) t.touched.push_back(f.path);
      pf.Add(d);
      ++pf.changes;
    }
  }
  return t;
}

MetricPart LinesPart(const char* key, double lines, double of) {
  MetricPart p;
  p.key = key;
  p.value = lines;
  p.share = Ratio(lines, of);
  return p;
}

void Complete(const ReworkTally& t, Metric* m) {
  const Tally& all = t.total;
  m->completeness.total = all.changes;
  m->completeness.measured = all.changes - all.binary;
  m->completeness.NoteMissing(all.binary, all.changes, "file changes are binary (no line counts)");
  m->completeness.NoteMissing(std::llround(all.lines.unknown), std::llround(all.deleted),
                              "deleted lines are of unknown age (written before the collected "
                              "history, or after a binary version)");
  m->notes.push_back(
      "an estimate: numstat rows carry no line positions, so deletions are "
      "spread over a file's line cohorts in proportion to their sizes");
}

void Rework(const CodeInputs& in, const ReworkTally& t, Report* report) {
  Metric m = NewMetric("code.rework", "Rework (estimate)", "lines", "sum");
  const Tally& all = t.total;
  if (in.has_commits) m.value = all.lines.recent;
  m.distribution.n = all.changes - all.binary;
  Complete(t, &m);
  if (all.deleted > 0) {
    m.parts.push_back(LinesPart("recent", all.lines.recent, all.deleted));
    m.parts.push_back(LinesPart("older", all.lines.older, all.deleted));
    m.parts.push_back(LinesPart("unknown_age", all.lines.unknown, all.deleted));
  }
  if (in.query.series) {
    std::vector<std::optional<double>> values(t.per_bucket.size());
    std::vector<int64_t> n(t.per_bucket.size());
    for (size_t b = 0; b < values.size(); ++b) {
      if (in.has_commits) values[b] = t.per_bucket[b].lines.recent;
      n[b] = t.per_bucket[b].changes;
    }
    m.series = in.buckets.Series(values, n);
  }
  for (int32_t p : t.touched) {
    const Tally& f = t.per_file[static_cast<size_t>(p)];
    DrillRow row = FileRow(in, p, f.lines.recent);
    row.fields.emplace_back("deleted", FieldNumber(f.deleted));
    row.fields.emplace_back("older", FieldNumber(f.lines.older));
    row.fields.emplace_back("unknown_age", FieldNumber(f.lines.unknown));
    m.rows.push_back(std::move(row));
  }
  report->metrics.push_back(std::move(m));
}

void ReworkRatio(const CodeInputs& in, const ReworkTally& t, Report* report) {
  Metric m = NewMetric("code.rework_ratio", "Rework ratio (estimate)", "ratio", "ratio");
  m.value = Ratio(t.total.lines.recent, t.total.deleted);
  m.distribution.n = t.total.changes - t.total.binary;
  Complete(t, &m);
  if (in.query.series) {
    std::vector<std::optional<double>> values(t.per_bucket.size());
    std::vector<int64_t> n(t.per_bucket.size());
    for (size_t b = 0; b < values.size(); ++b) {
      values[b] = Ratio(t.per_bucket[b].lines.recent, t.per_bucket[b].deleted);
      n[b] = t.per_bucket[b].changes;
    }
    m.series = in.buckets.Series(values, n);
  }
  report->metrics.push_back(std::move(m));
}

}  // namespace

void AddRework(const CodeInputs& in, Report* report) {
  const bool lines = in.query.Wants("code.rework");
  const bool ratio = in.query.Wants("code.rework_ratio");
  if (!lines && !ratio) return;
  const ReworkTally t = Replay(in);
  if (lines) Rework(in, t, report);
  if (ratio) ReworkRatio(in, t, report);
}

}  // namespace sei::metrics::code
