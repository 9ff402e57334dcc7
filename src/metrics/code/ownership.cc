// code.ownership (share of the lines changed by the top author) and
// code.bus_factor (fewest authors covering half the lines changed), per repo
// and per top-level directory, over the ownership window (code_inputs.h).
#include <algorithm>
#include <string>
#include <unordered_map>

#include <fmt/format.h>

#include "common/time.h"
#include "metrics/code/code_metrics.h"

namespace sei::metrics::code {

namespace {

std::string FormatDay(int64_t t) { return FormatRfc3339Utc(t).substr(0, 10); }

struct Group {
  Idx repo = kNone;
  std::string key;  // "api" or "api:src/"
  bool directory = false;
  std::vector<int64_t> by_author;  // lines changed, by compact author number
  int64_t lines = 0;

  void Add(int32_t author, int64_t n) {
    if (by_author.size() <= static_cast<size_t>(author)) by_author.resize(author + 1, 0);
    by_author[static_cast<size_t>(author)] += n;
    lines += n;
  }
};

// The authors of the window, numbered densely in order of appearance, so a
// group's lines per author is a plain array (authors x groups stays small:
// top-level directories are few).
class AuthorNumbers {
 public:
  explicit AuthorNumbers(size_t people) : number_(people + 1, -1) {}
  int32_t Of(Idx person) {
    int32_t& n = number_[static_cast<size_t>(person + 1)];
    if (n < 0) {
      n = static_cast<int32_t>(people_.size());
      people_.push_back(person);
    }
    return n;
  }
  Idx Person(size_t number) const { return people_[number]; }

 private:
  std::vector<int32_t> number_;  // person + 1 -> number
  std::vector<Idx> people_;
};

struct Owner {
  Idx top = kNone;
  double top_share = 0;
  int64_t authors = 0;
  int64_t bus_factor = 0;
};

Owner OwnerOf(const Group& g, const AuthorNumbers& numbers) {
  std::vector<std::pair<Idx, int64_t>> authors;
  for (size_t a = 0; a < g.by_author.size(); ++a) {
    if (g.by_author[a] > 0) authors.emplace_back(numbers.Person(a), g.by_author[a]);
  }
  std::sort(authors.begin(), authors.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  Owner o;
  o.top = authors.front().first;
  o.top_share = static_cast<double>(authors.front().second) / static_cast<double>(g.lines);
  o.authors = static_cast<int64_t>(authors.size());
  int64_t covered = 0;
  for (const auto& [author, lines] : authors) {
    ++o.bus_factor;
    covered += lines;
    if (2 * covered >= g.lines) break;
  }
  return o;
}

std::string TopDirectory(const std::string& path) {
  const size_t slash = path.find('/');
  return slash == std::string::npos ? "(root)" : path.substr(0, slash + 1);
}

// Groups the window's changed lines by repo and by top-level directory.
std::vector<Group> Gather(const CodeInputs& in, AuthorNumbers* numbers, int64_t* changes,
                          int64_t* binary) {
  const Dataset& ds = in.ds;
  std::vector<Group> groups;
  std::vector<int32_t> repo_slot(ds.repos.size() + 1, -1), dir_slot(ds.file_paths.size(), -1);
  std::unordered_map<std::string, int32_t> dir_index;  // once per distinct path, not per row
  const CodeInputs::Block files = in.Files(in.Commits(in.ownership_window));
  for (uint32_t i = files.begin; i < files.end; ++i) {
    const DsCommitFile& f = ds.files[i];
    if (!in.InScope(static_cast<uint32_t>(f.commit))) continue;
    ++*changes;
    if (f.binary) ++*binary;
    const int64_t lines = int64_t{f.added} + f.deleted;
    if (f.binary || lines == 0) continue;
    const DsCommit& c = ds.commits[static_cast<size_t>(f.commit)];
    int32_t& rs = repo_slot[static_cast<size_t>(c.repo + 1)];
    if (rs < 0) {
      rs = static_cast<int32_t>(groups.size());
      groups.push_back({c.repo, in.RepoName(c.repo), false, {}, 0});
    }
    const int32_t author = numbers->Of(c.author);
    groups[static_cast<size_t>(rs)].Add(author, lines);
    int32_t& ds_slot = dir_slot[static_cast<size_t>(f.path)];
    if (ds_slot < 0) {
      const std::string key =
          in.RepoName(c.repo) + ":" + TopDirectory(ds.file_paths[static_cast<size_t>(f.path)].path);
      auto [it, fresh] = dir_index.try_emplace(key, static_cast<int32_t>(groups.size()));
      if (fresh) groups.push_back({c.repo, key, true, {}, 0});
      ds_slot = it->second;
    }
    groups[static_cast<size_t>(ds_slot)].Add(author, lines);
  }
  std::sort(groups.begin(), groups.end(), [](const Group& a, const Group& b) {
    return a.directory != b.directory ? !a.directory : a.key < b.key;
  });
  return groups;
}

DrillRow GroupRow(const CodeInputs& in, const Group& g, const Owner& o, double value) {
  DrillRow r;
  r.entity = g.directory ? "directory" : "repo";
  r.id = g.key;
  r.value = value;
  r.fields.emplace_back("top_author", in.AuthorName(o.top));
  r.fields.emplace_back("top_share", FieldNumber(o.top_share));
  r.fields.emplace_back("authors", std::to_string(o.authors));
  r.fields.emplace_back("lines", std::to_string(g.lines));
  r.fields.emplace_back("bus_factor", std::to_string(o.bus_factor));
  return r;
}

void Build(const CodeInputs& in, const std::vector<Group>& groups, const AuthorNumbers& numbers,
           int64_t changes, int64_t binary, bool bus_factor, Report* report) {
  Metric m = bus_factor ? NewMetric("code.bus_factor", "Bus factor", "authors", "median")
                        : NewMetric("code.ownership", "Ownership", "ratio", "median");
  std::vector<double> repo_values;
  for (const Group& g : groups) {
    const Owner o = OwnerOf(g, numbers);
    const double v = bus_factor ? static_cast<double>(o.bus_factor) : o.top_share;
    if (!g.directory) repo_values.push_back(v);
    MetricPart p;
    p.key = g.key;
    p.value = v;
    m.parts.push_back(std::move(p));
    if (in.query.drill) m.rows.push_back(GroupRow(in, g, o, v));
  }
  m.distribution = Summarize(&repo_values);
  m.value = m.distribution.p50;
  m.completeness.total = changes;
  m.completeness.measured = changes - binary;
  m.completeness.NoteMissing(binary, changes, "file changes are binary (no line counts)");
  m.notes.push_back(
      fmt::format("lines changed from {} to {} (a year, or the range when longer); "
                  "the value is the median over repositories",
                  FormatDay(in.ownership_window.since), FormatDay(in.ownership_window.until)));
  report->metrics.push_back(std::move(m));
}

}  // namespace

void AddOwnership(const CodeInputs& in, Report* report) {
  const bool ownership = in.query.Wants("code.ownership");
  const bool bus = in.query.Wants("code.bus_factor");
  if (!ownership && !bus) return;
  int64_t changes = 0, binary = 0;
  AuthorNumbers numbers(in.ds.people.size());
  const std::vector<Group> groups = Gather(in, &numbers, &changes, &binary);
  if (ownership) Build(in, groups, numbers, changes, binary, false, report);
  if (bus) Build(in, groups, numbers, changes, binary, true, report);
}

}  // namespace sei::metrics::code
