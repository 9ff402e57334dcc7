// GitCollector behaviour on small scripted repositories: completeness,
// incremental runs, force-pushes, resumption after an interruption, mirrors
// of URLs, collection under another connection's repository, and clear
// errors. Clones over http(s) with tokens and CA bundles:
// git_collector_remote_test.cc. Parity of the numbers with git's own numstat on
// the edge-case repository is in tests/integration/git_parity_test.cc.
// Every case runs on SQLite and on PostgreSQL; the edge-case repository
// collected into both: git_collector_parity_test.cc.
#include "collectors/git/git_collector.h"

#include <git2.h>
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <set>

#include "model/org.h"
#include "model/registry.h"
#include "testing/repo_builder.h"
#include "testing/store_backends.h"
#include "testing/test_util.h"

namespace sei::collectors {
namespace {

using sei::testing::RunShell;
using sei::testing::TempDir;

class LibGit2 : public ::testing::Environment {
 public:
  void SetUp() override { git_libgit2_init(); }
  void TearDown() override { git_libgit2_shutdown(); }
};
const auto* const kLibGit2 = ::testing::AddGlobalTestEnvironment(new LibGit2);

// Runs a shell script in `dir` with fixed identities and dates; fails the test on error.
void Sh(const std::string& dir, const std::string& script) {
  std::string env =
      "export GIT_AUTHOR_NAME='Ann Dev' GIT_AUTHOR_EMAIL=ann@example.com "
      "GIT_COMMITTER_NAME='Ann Dev' GIT_COMMITTER_EMAIL=ann@example.com "
      "GIT_AUTHOR_DATE='2024-01-01T10:00:00+0200' GIT_COMMITTER_DATE='2024-01-01T10:00:00+0200' "
      "GIT_CONFIG_NOSYSTEM=1 HOME=" +
      dir + "; set -e; ";
  auto r = RunShell(env + script, dir);
  ASSERT_EQ(r.exit_code, 0) << script << "\n" << r.err;
}

// A repository with `n` linear commits on main, each editing two files.
std::string MakeRepo(const TempDir& t, int n) {
  std::string repo = t.Sub("repo");
  std::filesystem::create_directories(repo);
  Sh(repo, "git init -q -b main . && git config commit.gpgsign false");
  for (int i = 0; i < n; ++i) {
    Sh(repo, "for f in a b; do seq 1 $((" + std::to_string(i) + " % 7 + 3)) > $f.txt; echo " +
                 std::to_string(i) + " >> $f.txt; done; git add -A; git commit -qm c" +
                 std::to_string(i));
  }
  return repo;
}

Result<GitCollectResult> CollectInto(Store* store, const TempDir& dir, const std::string& location,
                                     GitCollectOptions o = {}) {
  o.data_dir = dir.Sub("data");
  if (o.jobs == 0) o.jobs = 2;
  GitCollector collector(store, o);
  return collector.Collect(location);
}

class GitCollectorTest : public sei::testing::StoreBackendTest {
 protected:
  Result<GitCollectResult> Collect(const std::string& location, GitCollectOptions o = {}) {
    return CollectInto(store(), dir_, location, o);
  }

  int64_t Count(const char* entity, const std::string& where_col = "", int64_t v = 0) {
    ScanOptions o;
    if (!where_col.empty()) o.where = {{where_col, v}};
    auto n = store()->CountRows(*model::FindSpec(entity), o);
    EXPECT_TRUE(n.ok());
    return n.ok() ? *n : -1;
  }

  TempDir dir_;
};

SEI_INSTANTIATE_STORE_BACKENDS(GitCollectorTest);

TEST_P(GitCollectorTest, CollectsEveryCommitThenIsANoOp) {
  std::string repo = MakeRepo(dir_, 12);
  Sh(repo,
     "git checkout -q -b side HEAD~3 && echo x > side.txt && git add -A && "
     "git commit -qm side && git checkout -q main && git merge -q --no-ff side -m merge && "
     "git tag -a v1 -m release HEAD~1");
  auto first = Collect(repo);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_FALSE(first->up_to_date);
  EXPECT_EQ(first->commits_added, 14);
  EXPECT_EQ(Count("commits"), 14);
  EXPECT_EQ(Count("commits", "is_merge", 1), 1);
  EXPECT_EQ(Count("refs"), 3);             // main, side, v1
  EXPECT_EQ(Count("commit-parents"), 14);  // 12 linear - 1 root + side + 2 for the merge
  auto runs_before = Count("collection-runs");
  auto second = Collect(repo);
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(second->up_to_date);
  EXPECT_EQ(second->commits_added, 0);
  EXPECT_EQ(Count("collection-runs"), runs_before);  // a no-op writes nothing
}

TEST_P(GitCollectorTest, IncrementalRunReadsOnlyNewCommits) {
  std::string repo = MakeRepo(dir_, 5);
  ASSERT_TRUE(Collect(repo).ok());
  Sh(repo, "for i in 1 2 3; do echo $i >> a.txt; git commit -qam more$i; done");
  auto r = Collect(repo);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->commits_added, 3);
  EXPECT_EQ(r->files_added, 3);
  EXPECT_EQ(Count("commits"), 8);
}

TEST_P(GitCollectorTest, ForcePushMarksDroppedCommitsUnreachableAndBack) {
  std::string repo = MakeRepo(dir_, 6);
  ASSERT_TRUE(Collect(repo).ok());
  auto old_tip = RunShell("git rev-parse HEAD", repo);
  ASSERT_EQ(old_tip.exit_code, 0);
  Sh(repo,
     "git reset -q --hard HEAD~2 && echo new > n.txt && git add -A && "
     "git commit -qm rewritten");
  auto r = Collect(repo);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->commits_added, 1);
  EXPECT_EQ(r->newly_unreachable, 2);
  EXPECT_EQ(Count("commits"), 7);
  EXPECT_EQ(Count("commits", "reachable", 0), 2);
  // Pointing a branch at the old tip again makes them reachable, without duplicates.
  Sh(repo, "git branch back " + old_tip.out.substr(0, 40));
  r = Collect(repo);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->commits_added, 0);
  EXPECT_EQ(r->reachable_again, 2);
  EXPECT_EQ(Count("commits", "reachable", 0), 0);
  EXPECT_EQ(Count("commits"), 7);
}

// Cancels the collection once `after` commits are reported done.
class CancellingProgress : public Progress {
 public:
  CancellingProgress(std::atomic<bool>* flag, int64_t after) : flag_(flag), after_(after) {}
  void Begin(std::string_view, int64_t) override {}
  void Update(int64_t done) override {
    if (done >= after_) flag_->store(true);
  }
  void End() override {}

 private:
  std::atomic<bool>* flag_;
  int64_t after_;
};

TEST_P(GitCollectorTest, InterruptedRunResumesToTheSameResult) {
  std::string repo = MakeRepo(dir_, 40);
  std::atomic<bool> cancel{false};
  CancellingProgress progress(&cancel, 10);
  GitCollectOptions o;
  o.cancel = &cancel;
  o.progress = &progress;
  o.chunk_commits = 4;
  o.batch_commits = 4;
  auto r = Collect(repo, o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kCancelled);
  EXPECT_NE(r.status().message().find("run the same command again"), std::string::npos);
  int64_t partial = Count("commits");
  EXPECT_GT(partial, 0);
  EXPECT_LT(partial, 40);
  // Every stored commit has its parents stored (parents-first order).
  auto commits = store()->List<model::Commit>();
  auto parents = store()->List<model::CommitParent>();
  ASSERT_TRUE(commits.ok() && parents.ok());
  std::set<std::string> stored;
  for (const model::Commit& c : *commits) stored.insert(c.sha);
  for (const model::CommitParent& p : *parents) EXPECT_EQ(stored.count(p.parent_sha), 1u) << p.sha;
  auto resumed = Collect(repo);
  ASSERT_TRUE(resumed.ok()) << resumed.status().ToString();
  EXPECT_EQ(resumed->commits_added, 40 - partial);
  EXPECT_EQ(Count("commits"), 40);
  EXPECT_EQ(Count("commit-files"), 80);
}

TEST_P(GitCollectorTest, MirrorsFileUrlsAndFetchesUpdates) {
  std::string repo = MakeRepo(dir_, 3);
  auto r = Collect("file://" + repo);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->commits_added, 3);
  EXPECT_TRUE(std::filesystem::exists(dir_.Sub("data/mirrors")));
  EXPECT_NE(r->git_dir.find(dir_.Sub("data/mirrors")), std::string::npos);
  Sh(repo, "echo z >> a.txt && git commit -qam after");
  r = Collect("file://" + repo);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->commits_added, 1);
  auto repos = store()->List<model::Repo>();
  ASSERT_EQ(repos->size(), 1u);
  EXPECT_EQ((*repos)[0].location, "file://" + repo);
  EXPECT_TRUE((*repos)[0].mirror_path.has_value());
  EXPECT_EQ((*repos)[0].default_branch, std::optional<std::string>("main"));
  // The origin's default branch changes: the mirror follows.
  Sh(repo, "git checkout -q -b trunk && echo t >> a.txt && git commit -qam on-trunk");
  r = Collect("file://" + repo);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(store()->List<model::Repo>()->front().default_branch,
            std::optional<std::string>("trunk"));
}

TEST_P(GitCollectorTest, NotARepositoryIsAClearError) {
  std::filesystem::create_directories(dir_.Sub("plain"));
  auto r = Collect(dir_.Sub("plain"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("is not a git repository"), std::string::npos);
  auto missing = Collect(dir_.Sub("nope"));
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("does not exist"), std::string::npos);
  auto bad_url = Collect("file://" + dir_.Sub("nope"));
  ASSERT_FALSE(bad_url.ok());
  EXPECT_NE(bad_url.status().message().find("cannot clone"), std::string::npos);
}

TEST_P(GitCollectorTest, CorruptObjectFailsClearlyAndStoresNothingHalfWritten) {
  std::string repo = MakeRepo(dir_, 4);
  // Corrupt the loose blob of the newest a.txt.
  auto blob = RunShell("git rev-parse HEAD:a.txt", repo);
  ASSERT_EQ(blob.exit_code, 0);
  std::string sha = blob.out.substr(0, 40);
  std::string path = repo + "/.git/objects/" + sha.substr(0, 2) + "/" + sha.substr(2);
  std::filesystem::permissions(path, std::filesystem::perms::owner_all);
  ASSERT_TRUE(sei::testing::WriteFile(path, "this is not zlib"));
  auto r = Collect(repo);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kDataLoss);
  EXPECT_NE(r.status().message().find(sha), std::string::npos) << r.status().message();
  // The commits before the corrupt one may be stored; the one that reads it is not.
  EXPECT_LT(Count("commits"), 4);
  EXPECT_EQ(Count("refs"), 0);  // refs are written only by a complete run
}

TEST_P(GitCollectorTest, TagsOnTreesAndBlobsAreRefsWithoutCommits) {
  std::string repo = MakeRepo(dir_, 2);
  Sh(repo, "git tag -a treetag -m 'a tree' HEAD^{tree} && git tag blobtag HEAD:a.txt");
  auto r = Collect(repo);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto refs = store()->LoadRefs(r->repo_id);
  ASSERT_TRUE(refs.ok());
  std::map<std::string, model::Ref> by_name;
  for (const auto& ref : *refs) by_name[ref.name] = ref;
  ASSERT_EQ(by_name.count("refs/tags/treetag"), 1u);
  EXPECT_EQ(by_name["refs/tags/treetag"].target_type, "tag");
  EXPECT_FALSE(by_name["refs/tags/treetag"].commit_sha.has_value());
  EXPECT_EQ(by_name["refs/tags/treetag"].tag_message, std::optional<std::string>("a tree\n"));
  EXPECT_EQ(by_name["refs/tags/blobtag"].target_type, "blob");
  EXPECT_EQ(by_name["refs/heads/main"].commit_sha, by_name["refs/heads/main"].target_sha);
  EXPECT_EQ(Count("commits"), 2);
}

// A repository another connection owns (a GitHub repository's mirror):
// everything is stored under its id and connection, and its row keeps what
// the owner wrote.
TEST_P(GitCollectorTest, CollectsUnderAnotherConnectionKeepingItsRepoRow) {
  std::string repo = MakeRepo(dir_, 3);
  Sh(repo, "git tag v1 HEAD~1");
  model::Repo owner;
  owner.id = "github:acme:repo:acme/api";
  owner.connection_id = "github:acme";
  owner.name = "acme/api";
  owner.location = "file://" + repo;
  owner.default_branch = "trunk";  // the mirror's HEAD says main
  owner.created_at = 1500000000;
  ASSERT_TRUE(store()->UpsertRepo(owner).ok());
  GitCollectOptions o;
  o.repo_id = owner.id;
  o.connection_id = owner.connection_id;
  auto r = Collect("file://" + repo, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->repo_id, owner.id);
  EXPECT_EQ(r->commits_added, 3);

  const auto repos = *store()->List<model::Repo>();
  ASSERT_EQ(repos.size(), 1u);  // no git:local row beside it
  EXPECT_EQ(repos[0].connection_id, "github:acme");
  EXPECT_EQ(repos[0].name, "acme/api");
  EXPECT_EQ(repos[0].location, owner.location);
  EXPECT_EQ(repos[0].default_branch, std::optional<std::string>("trunk"));
  EXPECT_EQ(repos[0].created_at, std::optional<int64_t>(1500000000));
  ASSERT_TRUE(repos[0].mirror_path.has_value());
  EXPECT_EQ(repos[0].mirror_path->rfind(dir_.Sub("data/mirrors/"), 0), 0u) << *repos[0].mirror_path;
  EXPECT_TRUE(repos[0].collected_at.has_value());

  auto commits = *store()->List<model::Commit>();
  ASSERT_EQ(commits.size(), 3u);
  for (const auto& c : commits) {
    EXPECT_EQ(c.repo_id, owner.id);
    EXPECT_EQ(c.author_account_id.rfind("github:acme:account:", 0), 0u) << c.author_account_id;
  }
  std::set<std::string> ref_names;
  auto refs = store()->LoadRefs(owner.id);
  ASSERT_TRUE(refs.ok());
  for (const auto& ref : *refs) ref_names.insert(ref.name);
  EXPECT_EQ(ref_names, (std::set<std::string>{"refs/heads/main", "refs/tags/v1"}));
  auto accounts = *store()->List<model::Account>();
  ASSERT_FALSE(accounts.empty());
  for (const auto& a : accounts) EXPECT_EQ(a.connection_id, "github:acme") << a.id;
  auto state = store()->GetSyncState("github:acme", owner.id, "commits");
  ASSERT_TRUE(state.ok() && state->has_value());
  EXPECT_EQ((*state)->status, "complete");
  EXPECT_FALSE(store()->GetSyncState("git:local", owner.id, "commits")->has_value());
  auto runs = *store()->List<model::CollectionRun>();
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].connection_id, "github:acme");
  EXPECT_EQ(runs[0].scope, owner.id);

  // A new commit in the origin: fetched and added once.
  Sh(repo, "echo z >> a.txt && git commit -qam after");
  r = Collect("file://" + repo, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->commits_added, 1);
  EXPECT_EQ(Count("commits"), 4);
  EXPECT_EQ(store()->List<model::Repo>()->front().default_branch,
            std::optional<std::string>("trunk"));
}

TEST_P(GitCollectorTest, WithoutAStoredRowTheOverrideMakesOne) {
  std::string repo = MakeRepo(dir_, 2);
  GitCollectOptions o;
  o.repo_id = "github:acme:repo:acme/api";
  o.connection_id = "github:acme";
  auto r = Collect("file://" + repo, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto repos = *store()->List<model::Repo>();
  ASSERT_EQ(repos.size(), 1u);
  EXPECT_EQ(repos[0].id, o.repo_id);
  EXPECT_EQ(repos[0].connection_id, "github:acme");
  EXPECT_EQ(repos[0].name, "repo");  // from the URL until the owner writes its own
  EXPECT_EQ(repos[0].location, "file://" + repo);
  EXPECT_EQ(repos[0].default_branch, std::optional<std::string>("main"));
}

TEST_P(GitCollectorTest, AMirrorFetchesTheGivenRefspecsAndMayRecordNoRun) {
  std::string repo = MakeRepo(dir_, 3);
  Sh(repo, "git update-ref refs/pull/1/head HEAD~1 && git tag v1");
  GitCollectOptions o;
  o.mirror_refspecs = {"+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"};
  o.record_run = false;
  auto r = Collect("file://" + repo, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->commits_added, 3);
  const std::string refs = sei::testing::GitOutput(r->git_dir, {"show-ref"});
  EXPECT_NE(refs.find("refs/heads/main"), std::string::npos) << refs;
  EXPECT_NE(refs.find("refs/tags/v1"), std::string::npos) << refs;
  EXPECT_EQ(refs.find("refs/pull/"), std::string::npos) << refs;
  EXPECT_EQ(Count("collection-runs"), 0);
  Sh(repo, "echo z >> a.txt && git commit -qam after");
  r = Collect("file://" + repo, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->commits_added, 1);
  EXPECT_EQ(Count("collection-runs"), 0);
}

TEST_P(GitCollectorTest, AnOverrideMustNameItsConnectionAndMatchTheStoredOne) {
  std::string repo = MakeRepo(dir_, 1);
  GitCollectOptions o;
  o.repo_id = "github:acme:repo:acme/api";
  auto r = Collect(repo, o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("connection"), std::string::npos);
  model::Repo other;
  other.id = o.repo_id;
  other.connection_id = "github:other";
  other.name = "acme/api";
  other.location = repo;
  ASSERT_TRUE(store()->UpsertRepo(other).ok());
  o.connection_id = "github:acme";
  r = Collect(repo, o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("github:other"), std::string::npos);
  EXPECT_EQ(Count("commits"), 0);
}

}  // namespace
}  // namespace sei::collectors
