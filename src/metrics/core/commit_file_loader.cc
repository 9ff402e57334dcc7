#include "metrics/core/commit_file_loader.h"

#include <algorithm>
#include <numeric>
#include <variant>

#include "model/git.h"

namespace sei::metrics {

namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

int32_t Lines(const model::Value& v) {
  return std::holds_alternative<int64_t>(v) ? static_cast<int32_t>(std::get<int64_t>(v)) : 0;
}

// Fills each row's lines_before, replaying every file's history in order.
void TrackLines(Dataset* ds) {
  std::vector<int32_t> lines(ds->file_paths.size(), 0);
  for (DsCommitFile& f : ds->files) {
    int32_t& l = lines[static_cast<size_t>(f.path)];
    f.lines_before = l;
    if (f.binary || f.change == 'D') {
      l = 0;
    } else {
      const int32_t before = f.change == 'A' ? 0 : l;
      l = std::max(0, before - f.deleted) + f.added;
    }
  }
}

}  // namespace

CommitFileLoader::ShaKey CommitFileLoader::ShaKeyOf(std::string_view sha) {
  ShaKey k{};
  bool is_hex = sha.size() >= 40;
  for (size_t i = 0; is_hex && i < 40; ++i) is_hex = HexDigit(sha[i]) >= 0;
  if (is_hex) {
    for (size_t i = 0; i < 20; ++i) {
      k[i] = static_cast<uint8_t>(HexDigit(sha[2 * i]) * 16 + HexDigit(sha[2 * i + 1]));
    }
  } else {
    for (size_t i = 0; i < sha.size() && i < 20; ++i) k[i] = static_cast<uint8_t>(sha[i]);
  }
  return k;
}

void CommitFileLoader::AddCommit(Idx repo, std::string_view sha, Idx position) {
  keys_.push_back({repo, ShaKeyOf(sha), position});
}

void CommitFileLoader::SortCommitsByAuthorTime(std::vector<DsCommit>* commits) {
  const size_t n = commits->size();
  std::vector<Idx> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](Idx a, Idx b) {
    return (*commits)[static_cast<size_t>(a)].author_time <
           (*commits)[static_cast<size_t>(b)].author_time;
  });
  std::vector<DsCommit> sorted;
  sorted.reserve(n);
  std::vector<Idx> new_pos(n);
  for (size_t i = 0; i < n; ++i) {
    sorted.push_back((*commits)[static_cast<size_t>(order[i])]);
    new_pos[static_cast<size_t>(order[i])] = static_cast<Idx>(i);
  }
  *commits = std::move(sorted);
  for (Key& k : keys_) k.commit = new_pos[static_cast<size_t>(k.commit)];
  std::sort(keys_.begin(), keys_.end());
}

Idx CommitFileLoader::CommitOf(Idx repo, std::string_view sha) const {
  const Key probe{repo, ShaKeyOf(sha), kNone};
  auto it = std::lower_bound(keys_.begin(), keys_.end(), probe);
  if (it == keys_.end() || it->repo != repo || it->sha != probe.sha) return kNone;
  return it->commit;
}

// The state of one scan of commit_files: rows arrive by (repo, sha, idx),
// so the repo and commit lookups are cached across a commit's files.
struct CommitFileLoader::Scan {
  const std::unordered_map<std::string, Idx>& repo_index;
  Dataset* ds;
  std::vector<std::unordered_map<std::string, int32_t>> path_ids;  // per repo
  std::vector<DsCommitFile> rows;
  std::string last_repo, last_sha;
  Idx repo = kNone, commit = kNone;
  bool first = true;
};

void CommitFileLoader::Read(const model::Row& row, Scan* scan) const {
  const std::string& repo_id = std::get<std::string>(row[0]);
  const std::string& sha = std::get<std::string>(row[1]);
  if (scan->first || repo_id != scan->last_repo) {
    scan->first = false;
    scan->last_repo = repo_id;
    auto it = scan->repo_index.find(repo_id);
    scan->repo = it == scan->repo_index.end() ? kNone : it->second;
    scan->last_sha.clear();
  }
  if (scan->repo == kNone) return;
  if (scan->last_sha.empty() || sha != scan->last_sha) {
    scan->last_sha = sha;
    scan->commit = CommitOf(scan->repo, sha);
  }
  if (scan->commit == kNone) return;  // a merge, unreachable, or unknown
  Dataset& ds = *scan->ds;
  auto [it, fresh] = scan->path_ids[static_cast<size_t>(scan->repo)].try_emplace(
      std::get<std::string>(row[2]), static_cast<int32_t>(ds.file_paths.size()));
  if (fresh) ds.file_paths.push_back({scan->repo, it->first});
  DsCommitFile f;
  f.commit = scan->commit;
  f.path = it->second;
  const std::string& change = std::get<std::string>(row[3]);
  f.change = change.empty() ? 'M' : change[0];
  f.binary = std::get<int64_t>(row[6]) != 0 || !std::holds_alternative<int64_t>(row[4]);
  if (!f.binary) {
    f.added = Lines(row[4]);
    f.deleted = Lines(row[5]);
  }
  scan->rows.push_back(f);
}

Status CommitFileLoader::Load(Store& store, const std::unordered_map<std::string, Idx>& repo_index,
                              Dataset* ds) {
  model::TableSpec spec = model::SpecOf<model::CommitFile>();
  const std::vector<std::string> wanted = {"repo_id", "sha",     "path",     "change",
                                           "added",   "deleted", "is_binary"};
  std::vector<model::Column> cols;
  for (const std::string& w : wanted) cols.push_back(spec.columns[spec.ColumnIndex(w)]);
  spec.columns = cols;
  Scan scan{
      repo_index, ds,    std::vector<std::unordered_map<std::string, int32_t>>(ds->repos.size()),
      {},         {},    {},
      kNone,      kNone, true};
  SEI_RETURN_IF_ERROR(store.ScanRows(spec, {}, [&](const model::Row& row) {
    Read(row, &scan);
    return Status::Ok();
  }));
  // Group by commit with a counting sort: rows arrive in (repo, sha, idx)
  // order, so each commit's files keep their diff order.
  std::vector<uint32_t> start(ds->commits.size() + 1, 0);
  for (const DsCommitFile& f : scan.rows) ++start[static_cast<size_t>(f.commit) + 1];
  for (size_t i = 1; i < start.size(); ++i) start[i] += start[i - 1];
  ds->files.resize(scan.rows.size());
  for (const DsCommitFile& f : scan.rows) ds->files[start[static_cast<size_t>(f.commit)]++] = f;
  TrackLines(ds);
  keys_.clear();
  keys_.shrink_to_fit();
  ds->has_files = true;
  return Status::Ok();
}

}  // namespace sei::metrics
