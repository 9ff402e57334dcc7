// code.hotspots: files ranked by churn x distinct authors inside the range.
#include <algorithm>
#include <string>

#include "metrics/code/code_metrics.h"

namespace sei::metrics::code {

namespace {

constexpr size_t kTopParts = 10;

struct Hotspot {
  int32_t path = -1;
  int64_t churn = 0;
  int64_t changes = 0;
  std::vector<Idx> authors;  // distinct; few per file, so a linear search
  double score() const { return static_cast<double>(churn) * static_cast<double>(authors.size()); }
};

std::vector<Hotspot> Gather(const CodeInputs& in, int64_t* total_churn) {
  const Dataset& ds = in.ds;
  std::vector<int32_t> slot(ds.file_paths.size(), -1);
  std::vector<Hotspot> spots;
  const CodeInputs::Block files = in.Files(in.range_commits());
  for (uint32_t i = files.begin; i < files.end; ++i) {
    const DsCommitFile& f = ds.files[i];
    if (f.binary || !in.InScope(static_cast<uint32_t>(f.commit))) continue;
    int32_t& s = slot[static_cast<size_t>(f.path)];
    if (s < 0) {
      s = static_cast<int32_t>(spots.size());
      spots.push_back({f.path, 0, 0, {}});
    }
    Hotspot& h = spots[static_cast<size_t>(s)];
    const int64_t lines = int64_t{f.added} + f.deleted;
    h.churn += lines;
    *total_churn += lines;
    ++h.changes;
    const Idx author = ds.commits[static_cast<size_t>(f.commit)].author;
    if (std::find(h.authors.begin(), h.authors.end(), author) == h.authors.end()) {
      h.authors.push_back(author);
    }
  }
  std::sort(spots.begin(), spots.end(), [&](const Hotspot& a, const Hotspot& b) {
    if (a.score() != b.score()) return a.score() > b.score();
    if (a.churn != b.churn) return a.churn > b.churn;
    return in.FileId(a.path) < in.FileId(b.path);
  });
  return spots;
}

}  // namespace

void AddHotspots(const CodeInputs& in, Report* report) {
  if (!in.query.Wants("code.hotspots")) return;
  Metric m = NewMetric("code.hotspots", "Hotspots", "files", "count");
  int64_t total_churn = 0;
  const std::vector<Hotspot> spots = Gather(in, &total_churn);
  if (in.has_commits) m.value = static_cast<double>(spots.size());
  m.distribution.n = static_cast<int64_t>(spots.size());
  m.completeness.total = m.completeness.measured = static_cast<int64_t>(spots.size());
  for (size_t i = 0; i < spots.size() && i < kTopParts; ++i) {
    MetricPart p;
    p.key = in.FileId(spots[i].path);
    p.value = spots[i].score();
    p.share = Ratio(static_cast<double>(spots[i].churn), static_cast<double>(total_churn));
    m.parts.push_back(std::move(p));
  }
  if (in.query.drill) {
    for (const Hotspot& h : spots) {
      DrillRow row = FileRow(in, h.path, h.score());
      row.fields.emplace_back("churn", std::to_string(h.churn));
      row.fields.emplace_back("authors", std::to_string(h.authors.size()));
      row.fields.emplace_back("changes", std::to_string(h.changes));
      m.rows.push_back(std::move(row));
    }
  }
  report->metrics.push_back(std::move(m));
}

}  // namespace sei::metrics::code
