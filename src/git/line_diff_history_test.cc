// LineDiffer over whole repository histories, against git's own
// `git log --numstat --no-renames --diff-merges=first-parent`: for every
// file a commit modifies (regular files and symlinks on both sides), the
// counts from the two blobs must equal git's row; added and deleted files
// must count as CountLines; binary files as IsBinary.
//
// One repository is generated here (a fast-import history whose commits
// carry the random pairs of line_diff_fuzz.h). A real one can be checked by
// hand, which is how the parity numbers in
// docs/adr/0002-numstat-line-counting.md were obtained:
//   SEI_LINE_DIFF_REPO=/path/to/repo git_test --gtest_filter='*History*'
// (SEI_LINE_DIFF_REPO_REV picks the revision, default HEAD).
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "git/line_diff.h"
#include "git/line_diff_fuzz.h"
#include "testing/fast_import_stream.h"
#include "testing/repo_builder.h"
#include "testing/test_util.h"

namespace sei::git {
namespace {

using sei::testing::RunGit;

// One file of one commit: git's raw and numstat lines together.
struct Row {
  std::string commit;
  std::string path;
  std::string old_mode, new_mode, old_id, new_id;
  char status = 0;
  bool binary = false;
  LineCounts git;
};

struct Tally {
  int64_t modified = 0;  // rows compared with LineDiffer
  int64_t counted = 0;   // added or deleted files compared with CountLines
  int64_t binary = 0;
  int64_t mismatches = 0;
};

// Splits one commit's raw and numstat lines into rows (they list the same
// files in the same order).
bool AddCommitRows(const std::string& commit, const std::vector<std::string>& raw,
                   const std::vector<std::string>& numstat, std::vector<Row>* rows) {
  if (raw.size() != numstat.size()) return false;
  for (size_t i = 0; i < raw.size(); ++i) {
    Row r;
    r.commit = commit;
    const std::string& a = raw[i];  // ":100644 100644 <id> <id> M\tpath"
    const size_t tab = a.find('\t');
    if (tab == std::string::npos || tab < 97) return false;
    r.old_mode = a.substr(1, 6);
    r.new_mode = a.substr(8, 6);
    r.old_id = a.substr(15, 40);
    r.new_id = a.substr(56, 40);
    r.status = a[97];
    r.path = a.substr(tab + 1);
    const std::string& n = numstat[i];  // "added\tdeleted\tpath"
    const size_t t1 = n.find('\t');
    if (t1 == std::string::npos) return false;
    r.binary = n[0] == '-';
    if (!r.binary) r.git = {std::atoll(n.c_str()), std::atoll(n.c_str() + t1 + 1)};
    rows->push_back(std::move(r));
  }
  return true;
}

// Every row of `git log --raw --numstat` from `rev`.
std::vector<Row> LogRows(const std::string& repo, const std::string& rev) {
  auto log = RunGit(repo, {"log", "--no-renames", "--diff-merges=first-parent", "--raw",
                           "--numstat", "--no-abbrev", "--format=commit %H", rev});
  EXPECT_TRUE(log.ok()) << log.status().ToString();
  std::vector<Row> rows;
  if (!log.ok()) return rows;
  std::string commit;
  std::vector<std::string> raw, numstat;
  auto flush = [&] {
    EXPECT_TRUE(AddCommitRows(commit, raw, numstat, &rows)) << commit;
    raw.clear();
    numstat.clear();
  };
  size_t pos = 0;
  const std::string& out = *log;
  while (pos < out.size()) {
    size_t end = out.find('\n', pos);
    if (end == std::string::npos) end = out.size();
    std::string line = out.substr(pos, end - pos);
    pos = end + 1;
    if (line.rfind("commit ", 0) == 0) {
      flush();
      commit = line.substr(7);
    } else if (!line.empty() && line[0] == ':') {
      raw.push_back(std::move(line));
    } else if (!line.empty()) {
      numstat.push_back(std::move(line));
    }
  }
  flush();
  return rows;
}

// The contents of `ids`, in order, from one `git cat-file --batch`.
std::vector<std::string> ReadBlobs(const std::string& repo, const std::vector<std::string>& ids) {
  std::string input;
  for (const std::string& id : ids) input += id + "\n";
  auto out = RunGit(repo, {"cat-file", "--batch"}, input);
  EXPECT_TRUE(out.ok()) << out.status().ToString();
  std::vector<std::string> blobs;
  size_t pos = 0;
  while (out.ok() && pos < out->size() && blobs.size() < ids.size()) {
    const size_t header_end = out->find('\n', pos);
    const size_t space = out->rfind(' ', header_end);
    const size_t size = std::strtoull(out->c_str() + space + 1, nullptr, 10);
    blobs.push_back(out->substr(header_end + 1, size));
    pos = header_end + 1 + size + 1;
  }
  EXPECT_EQ(blobs.size(), ids.size());
  blobs.resize(ids.size());
  return blobs;
}

std::string Describe(bool binary, const LineCounts& c) {
  if (binary) return "binary";
  std::string s = "+";
  s += std::to_string(c.added);
  s += " -";
  s += std::to_string(c.deleted);
  return s;
}

bool IsFileMode(const std::string& mode) { return mode != "000000" && mode != "160000"; }

// Checks one row given its blobs ("" for a missing side).
void CheckRow(const Row& r, const std::string& old_blob, const std::string& new_blob,
              LineDiffer* differ, Tally* tally) {
  const bool binary = IsBinary(old_blob) || IsBinary(new_blob);
  LineCounts ours;
  if (binary) {
    ++tally->binary;
  } else if (r.status == 'M') {
    ++tally->modified;
    ours = differ->Count(old_blob, new_blob);
  } else {
    ++tally->counted;
    ours = {CountLines(new_blob), CountLines(old_blob)};
  }
  if (binary == r.binary && (binary || ours == r.git)) return;
  if (++tally->mismatches <= 20) {
    ADD_FAILURE() << r.commit << " " << r.path << " " << r.old_id << ".." << r.new_id << ": ours "
                  << Describe(binary, ours) << ", git " << Describe(r.binary, r.git);
  }
}

// Compares every modified, added and deleted file of the history.
Tally CompareHistory(const std::string& repo, const std::string& rev) {
  std::vector<Row> rows;
  for (Row& r : LogRows(repo, rev)) {
    // Type changes ('T') and submodules are the collector's business.
    const bool wanted = (r.status == 'M' && IsFileMode(r.old_mode) && IsFileMode(r.new_mode)) ||
                        (r.status == 'A' && IsFileMode(r.new_mode)) ||
                        (r.status == 'D' && IsFileMode(r.old_mode));
    if (wanted) rows.push_back(std::move(r));
  }
  Tally tally;
  LineDiffer differ;
  constexpr size_t kBatch = 200;
  for (size_t first = 0; first < rows.size(); first += kBatch) {
    const size_t last = std::min(rows.size(), first + kBatch);
    std::vector<std::string> ids;
    for (size_t i = first; i < last; ++i) {
      if (rows[i].status != 'A') ids.push_back(rows[i].old_id);
      if (rows[i].status != 'D') ids.push_back(rows[i].new_id);
    }
    const std::vector<std::string> blobs = ReadBlobs(repo, ids);
    size_t next = 0;
    for (size_t i = first; i < last; ++i) {
      const std::string empty;
      const std::string& old_blob = rows[i].status != 'A' ? blobs[next++] : empty;
      const std::string& new_blob = rows[i].status != 'D' ? blobs[next++] : empty;
      CheckRow(rows[i], old_blob, new_blob, &differ, &tally);
    }
  }
  std::printf("[ compared  ] %s: %lld modified, %lld added/deleted, %lld binary, %lld mismatches\n",
              repo.c_str(), static_cast<long long>(tally.modified),
              static_cast<long long>(tally.counted), static_cast<long long>(tally.binary),
              static_cast<long long>(tally.mismatches));
  return tally;
}

TEST(LineDiffHistoryTest, GeneratedHistoryEqualsGitLog) {
  sei::testing::TempDir dir;
  ASSERT_TRUE(RunGit(dir.path(), {"init", "-q", "-b", "main"}).ok());
  testing_fuzz::PairGenerator gen(77);
  sei::testing::FastImportStream s;
  const std::string who = sei::testing::Ident({"Fuzz", "fuzz@example.com"}, 1700000000, "+0000");
  constexpr int kFiles = 10;
  for (int c = 0; c < 15; ++c) {
    std::vector<testing_fuzz::Pair> pairs;
    for (int f = 0; f < kFiles; ++f) pairs.push_back(gen.Next());
    for (int side = 0; side < 2; ++side) {
      s.Commit("refs/heads/main", s.NextMark(), who, who, "step\n", "", {});
      for (int f = 0; f < kFiles; ++f) {
        const std::string& text = side == 0 ? pairs[f].old_text : pairs[f].new_text;
        const std::string path = std::to_string(f) + ".txt";
        // Some files come and go, so adds and deletes are compared too.
        if (text.empty() && f % 3 == 0) {
          s.Delete(path);
        } else {
          s.Modify("100644", path, text);
        }
      }
    }
  }
  ASSERT_TRUE(RunGit(dir.path(), {"fast-import", "--quiet"}, s.Take()).ok());
  const Tally tally = CompareHistory(dir.path(), "main");
  EXPECT_EQ(tally.mismatches, 0);
  EXPECT_GT(tally.modified, 200);
}

TEST(LineDiffHistoryTest, RepositoryFromEnvironmentEqualsGitLog) {
  const char* repo = std::getenv("SEI_LINE_DIFF_REPO");
  if (repo == nullptr || *repo == '\0') GTEST_SKIP() << "set SEI_LINE_DIFF_REPO to a repository";
  const char* rev = std::getenv("SEI_LINE_DIFF_REPO_REV");
  const Tally tally = CompareHistory(repo, rev != nullptr && *rev != '\0' ? rev : "HEAD");
  EXPECT_EQ(tally.mismatches, 0);
  EXPECT_GT(tally.modified, 0);
}

}  // namespace
}  // namespace sei::git
