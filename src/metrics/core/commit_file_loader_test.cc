// LoadOptions::files: per-file rows attached to the right commits, through a
// real SQLite store.
#include <gtest/gtest.h>

#include "metrics/core/dataset_loader.h"
#include "store/sqlite/sqlite_store.h"
#include "testing/test_util.h"

namespace sei::metrics {
namespace {

model::CommitFile File(const std::string& path, const char* change, std::optional<int64_t> added,
                       std::optional<int64_t> deleted) {
  model::CommitFile f;
  f.path = path;
  f.change = change;
  f.added = added;
  f.deleted = deleted;
  f.is_binary = !added.has_value();
  f.new_mode = 0100644;
  return f;
}

CommitRecord Commit(const std::string& repo, const std::string& sha, int64_t at,
                    std::vector<std::string> parents, std::vector<model::CommitFile> files) {
  CommitRecord r;
  r.commit.repo_id = repo;
  r.commit.sha = sha;
  r.commit.tree_sha = std::string(40, 'f');
  r.commit.author_name = r.commit.committer_name = "Ann";
  r.commit.author_email = r.commit.committer_email = "ann@example.com";
  r.commit.author_time = r.commit.committer_time = at;
  r.commit.message = "m";
  r.commit.parent_count = static_cast<int64_t>(parents.size());
  r.commit.is_merge = parents.size() > 1;
  r.commit.author_account_id = r.commit.committer_account_id = "git:local:account:ann@example.com";
  r.parents = std::move(parents);
  int64_t idx = 0;
  for (model::CommitFile& f : files) {
    f.repo_id = repo;
    f.sha = sha;
    f.idx = idx++;
  }
  r.files = std::move(files);
  r.commit.files_changed = static_cast<int64_t>(r.files.size());
  return r;
}

std::string Sha(char c) { return std::string(40, c); }

class CommitFileLoaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = sqlite::SqliteStore::Open(dir_.Sub("sei.db"));
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(*opened);
    for (const char* id : {"r1", "r2"}) {
      model::Repo repo;
      repo.id = id;
      repo.connection_id = "git:local";
      repo.name = id;
      repo.location = id;
      ASSERT_TRUE(store_->UpsertRepo(repo).ok());
    }
    // r1: three commits stored in sha order b, a, c but authored a, c, b...
    std::vector<CommitRecord> r1 = {
        Commit("r1", Sha('b'), 300, {Sha('c')},
               {File("x.cc", "M", 1, 1), File("y.png", "A", {}, {})}),
        Commit("r1", Sha('a'), 100, {}, {File("x.cc", "A", 10, 0), File("z.cc", "A", 5, 0)}),
        Commit("r1", Sha('c'), 200, {Sha('a')}, {File("x.cc", "M", 2, 0)}),
        // ...a merge, whose files are left out, and a commit about to become unreachable.
        Commit("r1", Sha('d'), 400, {Sha('b'), Sha('c')}, {File("x.cc", "M", 50, 50)}),
        Commit("r1", Sha('e'), 500, {Sha('d')}, {File("gone.cc", "A", 7, 0)}),
    };
    ASSERT_TRUE(store_->WriteCommits("r1", r1).ok());
    GitSyncUpdate u;
    u.repo_id = "r1";
    u.now_unreachable = {Sha('e')};
    u.collected_at = 1;
    u.sync_state.connection_id = "git:local";
    u.sync_state.scope = "r1";
    u.sync_state.entity = "commits";
    u.sync_state.status = "complete";
    ASSERT_TRUE(store_->FinishGitSync(u).ok());
    // r2 has a file with the same path as r1's: a path of its own.
    std::vector<CommitRecord> r2 = {Commit("r2", "short-sha", 150, {}, {File("x.cc", "A", 3, 0)})};
    ASSERT_TRUE(store_->WriteCommits("r2", r2).ok());
  }

  testing::TempDir dir_;
  std::unique_ptr<sqlite::SqliteStore> store_;
};

TEST_F(CommitFileLoaderTest, AttachesFilesToTheirCommitsInAuthorTimeOrder) {
  LoadOptions options;
  options.files = true;
  auto ds = LoadDataset(*store_, MetricsSettings{}, options);
  ASSERT_TRUE(ds.ok()) << ds.status().ToString();
  const Dataset& d = **ds;
  ASSERT_TRUE(d.has_files);
  ASSERT_TRUE(d.has_commits);  // files imply commits
  // Commits by author time: a 100, r2 150, c 200, b 300, merge d 400 (e unreachable).
  ASSERT_EQ(d.commits.size(), 5u);
  std::vector<std::string> seen;
  for (const DsCommitFile& f : d.files) {
    const DsCommit& c = d.commits[static_cast<size_t>(f.commit)];
    const DsFilePath& p = d.file_paths[static_cast<size_t>(f.path)];
    EXPECT_EQ(p.repo, c.repo);
    seen.push_back(std::to_string(c.author_time) + " " + d.repos[static_cast<size_t>(p.repo)].id +
                   ":" + p.path + " " + f.change + " +" + std::to_string(f.added) + " -" +
                   std::to_string(f.deleted) + (f.binary ? " binary" : "") + " before " +
                   std::to_string(f.lines_before));
  }
  // lines_before: r1 x.cc 0, then 10, then 10 + 2 = 12; r2's x.cc is another file.
  const std::vector<std::string> want = {
      "100 r1:x.cc A +10 -0 before 0", "100 r1:z.cc A +5 -0 before 0",
      "150 r2:x.cc A +3 -0 before 0",  "200 r1:x.cc M +2 -0 before 10",
      "300 r1:x.cc M +1 -1 before 12", "300 r1:y.png A +0 -0 binary before 0"};
  EXPECT_EQ(seen, want);               // no merge (d) or unreachable (e) files
  EXPECT_EQ(d.file_paths.size(), 4u);  // r1 x.cc, z.cc, y.png; r2 x.cc
}

TEST_F(CommitFileLoaderTest, CommitsKeepTheSameOrderWithOrWithoutFiles) {
  LoadOptions commits_only;
  commits_only.commits = true;
  LoadOptions with_files;
  with_files.files = true;
  auto a = LoadDataset(*store_, MetricsSettings{}, commits_only);
  auto b = LoadDataset(*store_, MetricsSettings{}, with_files);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_EQ((*a)->commits.size(), (*b)->commits.size());
  for (size_t i = 0; i < (*a)->commits.size(); ++i) {
    EXPECT_EQ((*a)->commits[i].author_time, (*b)->commits[i].author_time);
    EXPECT_EQ((*a)->commits[i].repo, (*b)->commits[i].repo);
  }
  EXPECT_FALSE((*a)->has_files);
  EXPECT_TRUE((*a)->files.empty());
}

}  // namespace
}  // namespace sei::metrics
