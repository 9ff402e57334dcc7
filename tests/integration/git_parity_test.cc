// End to end: the real `sei` binary collects the edge-case repository (every
// case that breaks naive tools, tests/testing/repo_builder.h) and what it
// stores equals what git itself reports: the same commits, parents,
// identities, messages, refs, and per-file numstat rows in git's order.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "common/strings.h"
#include "testing/git_numstat.h"
#include "testing/repo_builder.h"
#include "testing/test_util.h"

namespace sei {
namespace {

using nlohmann::json;
using testing::RunCommand;
using testing::TempDir;

std::string Sei() { return testing::BinaryDir() + "/bin/sei"; }

// Runs sei with a database in `dir`; fails the test when it exits non-zero.
std::string RunSei(const TempDir& dir, std::vector<std::string> args) {
  std::vector<std::string> argv = {
      Sei(), "--db", dir.Sub("sei.db"), "--data-dir", dir.Sub("data"), "--progress", "never"};
  argv.insert(argv.end(), args.begin(), args.end());
  auto r = RunCommand(argv);
  EXPECT_EQ(r.exit_code, 0) << "sei failed: " << r.err;
  return r.out;
}

std::vector<json> ExportJsonl(const TempDir& dir, const std::string& entity) {
  std::istringstream in(RunSei(dir, {"export", entity, "--format", "jsonl", "--columns", "all"}));
  std::vector<json> rows;
  for (std::string line; std::getline(in, line);) rows.push_back(json::parse(line));
  return rows;
}

std::string Base64Decode(const std::string& s) {
  static const std::string kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  uint32_t buf = 0;
  int bits = 0;
  for (char c : s) {
    if (c == '=') break;
    buf = buf << 6 | static_cast<uint32_t>(kAlphabet.find(c));
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buf >> bits) & 0xFF);
    }
  }
  return out;
}

struct StoredFile {
  std::string path;  // exact bytes
  std::string old_path;
  int64_t added = 0, deleted = 0;
  bool binary = false;
  int64_t idx = 0;
};

// commit sha -> its file rows in stored order.
std::map<std::string, std::vector<StoredFile>> StoredFiles(const TempDir& dir) {
  std::map<std::string, std::vector<StoredFile>> out;
  for (const json& row : ExportJsonl(dir, "commit-files")) {
    StoredFile f;
    f.path = row["path_bytes"].is_null() ? row["path"].get<std::string>()
                                         : Base64Decode(row["path_bytes"].get<std::string>());
    if (!row["old_path"].is_null()) f.old_path = row["old_path"].get<std::string>();
    f.binary = row["is_binary"].get<bool>();
    if (!f.binary) {
      f.added = row["added"].get<int64_t>();
      f.deleted = row["deleted"].get<int64_t>();
    }
    out[row["sha"].get<std::string>()].push_back(f);
  }
  return out;
}

void ExpectFilesEqualGit(const std::map<std::string, std::vector<testing::NumstatRow>>& git,
                         const std::map<std::string, std::vector<StoredFile>>& stored,
                         bool renames) {
  size_t rows = 0;
  for (const auto& [sha, git_rows] : git) {
    auto it = stored.find(sha);
    const std::vector<StoredFile> empty;
    const std::vector<StoredFile>& ours = it == stored.end() ? empty : it->second;
    ASSERT_EQ(ours.size(), git_rows.size()) << "commit " << sha << " file count";
    for (size_t i = 0; i < ours.size(); ++i) {
      const testing::NumstatRow& g = git_rows[i];
      EXPECT_EQ(ours[i].path, g.path) << "commit " << sha << " row " << i;
      EXPECT_EQ(ours[i].binary, g.binary) << sha << " " << g.path;
      EXPECT_EQ(ours[i].added, g.added) << sha << " " << g.path;
      EXPECT_EQ(ours[i].deleted, g.deleted) << sha << " " << g.path;
      if (renames) {
        EXPECT_EQ(ours[i].old_path, DecodeText(g.old_path, "")) << sha << " " << g.path;
      }
      ++rows;
    }
  }
  EXPECT_GT(rows, 100u);
}

class GitParityTest : public ::testing::TestWithParam<bool> {};

TEST_P(GitParityTest, EdgeCaseRepositoryMatchesGitExactly) {
  TempDir dir;
  std::string repo = dir.Sub("repo");
  ASSERT_TRUE(testing::BuildEdgeCaseRepo(repo, /*bare=*/GetParam()).ok());
  auto history = testing::ReadGitHistory(repo);
  ASSERT_TRUE(history.ok()) << history.status().ToString();
  RunSei(dir, {"collect", "git", repo});

  // Commits: exactly git's reachable set, with byte-exact metadata.
  std::map<std::string, json> commits;
  for (const json& c : ExportJsonl(dir, "commits")) commits[c["sha"].get<std::string>()] = c;
  std::set<std::string> stored;
  for (const auto& [sha, c] : commits) stored.insert(sha);
  EXPECT_EQ(stored, history->reachable);
  for (const auto& [sha, g] : history->commits) {
    if (history->reachable.count(sha) == 0) continue;
    const json& c = commits[sha];
    EXPECT_EQ(c["author_name"], DecodeText(g.author.name, g.encoding)) << sha;
    EXPECT_EQ(c["author_email"], DecodeText(g.author.email, g.encoding)) << sha;
    EXPECT_EQ(c["author_time"], g.author.time) << sha;
    EXPECT_EQ(c["author_tz"], g.author.offset_minutes) << sha;
    EXPECT_EQ(c["committer_name"], DecodeText(g.committer.name, g.encoding)) << sha;
    EXPECT_EQ(c["committer_time"], g.committer.time) << sha;
    EXPECT_EQ(c["committer_tz"], g.committer.offset_minutes) << sha;
    EXPECT_EQ(c["message"], DecodeText(g.message, g.encoding)) << sha;
    EXPECT_EQ(c["tree_sha"], g.tree) << sha;
    EXPECT_EQ(c["parent_count"], g.parents.size()) << sha;
    EXPECT_EQ(c["is_merge"], g.parents.size() > 1) << sha;
  }
  // Parents, in order.
  std::map<std::string, std::vector<std::string>> parents;
  for (const json& p : ExportJsonl(dir, "commit-parents")) {
    auto& list = parents[p["sha"].get<std::string>()];
    list.resize(std::max<size_t>(list.size(), p["ordinal"].get<size_t>() + 1));
    list[p["ordinal"].get<size_t>()] = p["parent_sha"].get<std::string>();
  }
  for (const std::string& sha : history->reachable) {
    EXPECT_EQ(parents[sha], history->commits.at(sha).parents) << sha;
  }
  // Per-file numstat rows, in git's order.
  std::map<std::string, std::vector<testing::NumstatRow>> git_files;
  for (const auto& [sha, g] : history->commits) git_files[sha] = g.files;
  ExpectFilesEqualGit(git_files, StoredFiles(dir), false);
  // Refs: every branch and tag, peeled like git peels them.
  std::map<std::string, json> refs;
  for (const json& r : ExportJsonl(dir, "refs")) refs[r["name"].get<std::string>()] = r;
  size_t expected_refs = 0;
  for (const testing::GitRef& g : history->refs) {
    if (g.name.rfind("refs/heads/", 0) != 0 && g.name.rfind("refs/tags/", 0) != 0) continue;
    if (!g.symref.empty()) continue;
    ++expected_refs;
    ASSERT_EQ(refs.count(g.name), 1u) << g.name;
    EXPECT_EQ(refs[g.name]["target_sha"], g.object) << g.name;
    EXPECT_EQ(refs[g.name]["target_type"], g.type) << g.name;
    if (g.target_type == "commit") {
      EXPECT_EQ(refs[g.name]["commit_sha"], g.target) << g.name;
    } else {
      EXPECT_TRUE(refs[g.name]["commit_sha"].is_null()) << g.name;
    }
  }
  EXPECT_EQ(refs.size(), expected_refs);
}

INSTANTIATE_TEST_SUITE_P(WorkTreeAndBare, GitParityTest, ::testing::Values(false, true),
                         [](const auto& p) { return p.param ? "Bare" : "WorkTree"; });

TEST(GitParityTsvTest, ExportTsvEqualsGitNumstatLines) {
  TempDir dir;
  std::string repo = dir.Sub("repo");
  ASSERT_TRUE(testing::BuildEdgeCaseRepo(repo).ok());
  RunSei(dir, {"collect", "git", repo});
  auto git = testing::RunGit(
      repo, {"-c", "core.quotePath=false", "log", "--branches", "--tags", "--numstat",
             "--no-renames", "--diff-merges=first-parent", "--format=@%H"});
  ASSERT_TRUE(git.ok());
  std::multiset<std::string> expected, actual;
  std::istringstream in(*git);
  std::string sha;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("@", 0) == 0) {
      sha = line.substr(1);
    } else if (!line.empty()) {
      size_t t1 = line.find('\t'), t2 = line.find('\t', t1 + 1);
      expected.insert(sha + "\t" + line.substr(t2 + 1) + "\t" + line.substr(0, t1) + "\t" +
                      line.substr(t1 + 1, t2 - t1 - 1));
    }
  }
  std::istringstream ours(RunSei(dir, {"export", "commit-files", "--format", "tsv"}));
  for (std::string line; std::getline(ours, line);) actual.insert(line);
  EXPECT_EQ(actual.size(), expected.size());
  EXPECT_EQ(actual, expected);
}

TEST(GitParityRenamesTest, RenameDetectionMatchesGitDashM) {
  TempDir dir;
  std::string repo = dir.Sub("repo");
  ASSERT_TRUE(testing::BuildEdgeCaseRepo(repo).ok());
  RunSei(dir, {"collect", "git", "--renames", repo});
  auto git = testing::ReadNumstat(repo, /*detect_renames=*/true);
  ASSERT_TRUE(git.ok()) << git.status().ToString();
  // Compare as sets per commit: git orders renamed rows by new path too, but
  // libgit2 and git may break ties differently.
  auto stored = StoredFiles(dir);
  int renames = 0;
  for (const auto& [sha, rows] : *git) {
    std::multiset<std::tuple<std::string, std::string, int64_t, int64_t, bool>> a, b;
    for (const auto& g : rows) {
      // old_path is stored as text: UTF-8, Latin-1 decoded when not valid UTF-8.
      a.insert({g.path, DecodeText(g.old_path, ""), g.added, g.deleted, g.binary});
      renames += !g.old_path.empty();
    }
    for (const auto& s : stored[sha]) b.insert({s.path, s.old_path, s.added, s.deleted, s.binary});
    EXPECT_EQ(b, a) << "commit " << sha;
  }
  EXPECT_GE(renames, 2);
}

TEST(GitParityIncrementalTest, AppendsAndForcePushesStayEqualToGit) {
  TempDir dir;
  std::string repo = dir.Sub("repo");
  ASSERT_TRUE(testing::BuildEdgeCaseRepo(repo, true).ok());
  RunSei(dir, {"collect", "git", repo});
  ASSERT_TRUE(testing::AppendLinearCommits(repo, "main", 25, 7).ok());
  std::string out = RunSei(dir, {"collect", "git", repo});
  EXPECT_NE(out.find(": 25 new commits"), std::string::npos) << out;
  ASSERT_TRUE(testing::RewriteBranch(repo, "main", 10, 4, 9).ok());
  out = RunSei(dir, {"collect", "git", repo});
  EXPECT_NE(out.find(": 4 new commits"), std::string::npos) << out;
  EXPECT_NE(out.find("10 no longer reachable"), std::string::npos) << out;
  auto history = testing::ReadGitHistory(repo);
  ASSERT_TRUE(history.ok());
  std::set<std::string> reachable, unreachable;
  for (const json& c : ExportJsonl(dir, "commits")) {
    (c["reachable"].get<bool>() ? reachable : unreachable).insert(c["sha"].get<std::string>());
  }
  EXPECT_EQ(reachable, history->reachable);
  EXPECT_EQ(unreachable.size(), 10u);
  std::map<std::string, std::vector<testing::NumstatRow>> git_files;
  for (const auto& [sha, g] : history->commits) git_files[sha] = g.files;
  ExpectFilesEqualGit(git_files, StoredFiles(dir), false);
  out = RunSei(dir, {"collect", "git", repo});
  EXPECT_NE(out.find("up to date"), std::string::npos) << out;
}

}  // namespace
}  // namespace sei
