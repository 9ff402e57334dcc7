// code.hotspots: files ranked by churn x distinct authors inside the range.
#include <algorithm>
#include <string>

#include "metrics/code/code_metrics.h"
#include "metrics/code/radix_sort.h"

namespace sei::metrics::code {

namespace {

constexpr size_t kTopParts = 10;

struct Hotspot {
  int32_t path = -1;
  int64_t churn = 0;
  int64_t changes = 0;
  int64_t authors = 0;  // distinct
  double score() const { return static_cast<double>(churn) * static_cast<double>(authors); }
};

// Churn and changes per file in dense arrays; distinct authors from the
// sorted (file, author) pairs.
std::vector<Hotspot> Gather(const CodeInputs& in, int64_t* total_churn) {
  const Dataset& ds = in.ds;
  std::vector<int64_t> churn(ds.file_paths.size(), 0), changes(ds.file_paths.size(), 0);
  std::vector<uint64_t> pairs;
  const CodeInputs::Block files = in.Files(in.range_commits());
  pairs.reserve(files.end - files.begin);
  for (uint32_t i = files.begin; i < files.end; ++i) {
    const DsCommitFile& f = ds.files[i];
    if (f.binary || !in.InScope(static_cast<uint32_t>(f.commit))) continue;
    const int64_t lines = int64_t{f.added} + f.deleted;
    churn[static_cast<size_t>(f.path)] += lines;
    ++changes[static_cast<size_t>(f.path)];
    *total_churn += lines;
    const Idx author = ds.commits[static_cast<size_t>(f.commit)].author;
    pairs.push_back(uint64_t{static_cast<uint32_t>(f.path)} << 32 |
                    static_cast<uint32_t>(author + 1));
  }
  RadixSort(&pairs);
  std::vector<Hotspot> spots;
  for (size_t i = 0; i < pairs.size(); ++i) {
    if (i > 0 && pairs[i] == pairs[i - 1]) continue;
    const int32_t path = static_cast<int32_t>(pairs[i] >> 32);
    if (spots.empty() || spots.back().path != path) {
      spots.push_back(
          {path, churn[static_cast<size_t>(path)], changes[static_cast<size_t>(path)], 0});
    }
    ++spots.back().authors;
  }
  return spots;
}

// Score, then churn, both descending; then repo name and path.
bool Hotter(const CodeInputs& in, const Hotspot& a, const Hotspot& b) {
  if (a.score() != b.score()) return a.score() > b.score();
  if (a.churn != b.churn) return a.churn > b.churn;
  const DsFilePath& pa = in.ds.file_paths[static_cast<size_t>(a.path)];
  const DsFilePath& pb = in.ds.file_paths[static_cast<size_t>(b.path)];
  if (const int c = in.RepoName(pa.repo).compare(in.RepoName(pb.repo)); c != 0) return c < 0;
  return pa.path < pb.path;
}

}  // namespace

void AddHotspots(const CodeInputs& in, Report* report) {
  if (!in.query.Wants("code.hotspots")) return;
  Metric m = NewMetric("code.hotspots", "Hotspots", "files", "count");
  int64_t total_churn = 0;
  std::vector<Hotspot> spots = Gather(in, &total_churn);
  auto hotter = [&](const Hotspot& a, const Hotspot& b) { return Hotter(in, a, b); };
  const size_t ranked = in.query.drill ? spots.size() : std::min(spots.size(), kTopParts);
  std::partial_sort(spots.begin(), spots.begin() + static_cast<std::ptrdiff_t>(ranked), spots.end(),
                    hotter);
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
      row.fields.emplace_back("authors", std::to_string(h.authors));
      row.fields.emplace_back("changes", std::to_string(h.changes));
      m.rows.push_back(std::move(row));
    }
  }
  report->metrics.push_back(std::move(m));
}

}  // namespace sei::metrics::code
