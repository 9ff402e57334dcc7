#include "testing/repo_builder.h"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <set>

#include "testing/git_numstat.h"
#include "testing/test_util.h"

namespace sei::testing {
namespace {

// main's tip in the edge-case repository. The builder is deterministic, so
// this only changes when the builder's script does: update it then.
constexpr char kEdgeCaseMain[] = "2522a2bf8f372c8e790e125841ad685dd36a5900";

class EdgeCaseRepoTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new TempDir();
    auto start = std::chrono::steady_clock::now();
    Status s = BuildEdgeCaseRepo(tmp_->Sub("repo"));
    build_seconds_ =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
  static void TearDownTestSuite() {
    delete tmp_;
    tmp_ = nullptr;
  }

  static std::string Repo() { return tmp_->Sub("repo"); }
  static std::string Git(const std::vector<std::string>& args) { return GitOutput(Repo(), args); }
  static std::string Commit(const std::string& subject_prefix) {
    std::string sha = CommitBySubject(Repo(), subject_prefix);
    EXPECT_EQ(sha.size(), 40u) << "no single commit with subject " << subject_prefix;
    return sha;
  }
  // The raw bytes of `sha`'s tree (not the pretty-printed, normalised one).
  static std::string RawTree(const std::string& commit) {
    Result<std::string> raw = RunGit(Repo(), {"cat-file", "tree", commit + "^{tree}"});
    return raw.ok() ? *raw : "";
  }
  static size_t Count(const std::string& text, const std::string& needle) {
    size_t n = 0;
    for (size_t pos = text.find(needle); pos != std::string::npos;
         pos = text.find(needle, pos + 1)) {
      ++n;
    }
    return n;
  }

  static TempDir* tmp_;
  static double build_seconds_;
};

TempDir* EdgeCaseRepoTest::tmp_ = nullptr;
double EdgeCaseRepoTest::build_seconds_ = 0;

TEST_F(EdgeCaseRepoTest, IsDeterministicAcrossRunsAndBareness) {
  EXPECT_EQ(Git({"rev-parse", "refs/heads/main"}), kEdgeCaseMain);
  TempDir other;
  ASSERT_TRUE(BuildEdgeCaseRepo(other.Sub("bare"), /*bare=*/true).ok());
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"for-each-ref"},
        std::vector<std::string>{"cat-file", "--batch-all-objects", "--batch-check"}}) {
    EXPECT_EQ(GitOutput(other.Sub("bare"), args), Git(args));
  }
  EXPECT_EQ(GitOutput(other.Sub("bare"), {"rev-parse", "--is-bare-repository"}), "true");
}

TEST_F(EdgeCaseRepoTest, BuildsQuicklyWithACleanWorkTree) {
  EXPECT_LT(build_seconds_, 10.0);  // about 1 s on a 2-core machine
  EXPECT_EQ(Git({"status", "--porcelain"}), "");
  EXPECT_EQ(Git({"symbolic-ref", "HEAD"}), "refs/heads/main");
}

TEST_F(EdgeCaseRepoTest, RefusesANonEmptyDirectory) {
  Status s = BuildEdgeCaseRepo(Repo());
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition) << s.ToString();
}

TEST_F(EdgeCaseRepoTest, HasMergesOctopusAndRoots) {
  EXPECT_EQ(Git({"rev-list", "--parents", "-n1", Commit("octopus:")}).size(), 40u * 5 + 4);
  EXPECT_EQ(Git({"rev-list", "--count", "--min-parents=3", "--branches"}), "1");
  EXPECT_GE(std::stoi(Git({"rev-list", "--count", "--merges", "--branches"})), 6);
  // Three roots: the initial import, an unrelated history, an empty tree.
  EXPECT_EQ(Git({"rev-list", "--count", "--max-parents=0", "--branches", "--tags"}), "3");
  EXPECT_EQ(Git({"rev-parse", Commit("orphan-empty-root:") + "^{tree}"}),
            "4b825dc642cb6eb9a060e54bf8d69288fbee4904");
  // The back-merge's first parent is the topic, not main.
  EXPECT_EQ(Git({"rev-parse", Commit("back-merge:") + "^1"}), Commit("long-1:"));
}

TEST_F(EdgeCaseRepoTest, HasEveryKindOfTag) {
  EXPECT_EQ(Git({"cat-file", "-t", "refs/tags/v0.1"}), "commit");
  EXPECT_EQ(Git({"cat-file", "-t", "refs/tags/v1.0"}), "tag");
  EXPECT_EQ(Git({"cat-file", "-t", "refs/tags/v1.0-nested^{}"}), "commit");
  EXPECT_EQ(Git({"for-each-ref", "--format=%(*objecttype)", "refs/tags/v1.0-nested"}), "tag");
  EXPECT_EQ(Git({"cat-file", "-t", "refs/tags/tree-tag^{}"}), "tree");
  EXPECT_EQ(Git({"cat-file", "-t", "refs/tags/blob-tag^{}"}), "blob");
  // experiment-1 is the only ref that reaches its commit.
  std::string only = Git({"rev-parse", "refs/tags/experiment-1^{commit}"});
  EXPECT_EQ(Git({"for-each-ref", "--contains", only, "--format=%(refname)"}),
            "refs/tags/experiment-1");
}

TEST_F(EdgeCaseRepoTest, HasUnreachableAndRemoteOnlyCommits) {
  std::string remote = Git({"rev-parse", "refs/remotes/origin/wip"});
  EXPECT_EQ(Git({"branch", "-a", "--contains", remote, "--format=%(refname)"}),
            "refs/remotes/origin/wip");
  std::string objects = Git({"cat-file", "--batch-all-objects", "--batch-check=%(objecttype)"});
  int all = std::stoi(Git({"rev-list", "--count", "--all"}));
  EXPECT_EQ(static_cast<int>(Count(objects + "\n", "commit\n")), all + 1);  // + abandoned
  EXPECT_EQ(CommitBySubject(Repo(), "abandoned:", {"--all"}), "");
  EXPECT_FALSE(RunGit(Repo(), {"show-ref", "--verify", "-q", "refs/heads/topic/deleted"}).ok());
  EXPECT_EQ(Commit("deleted-2:").size(), 40u);  // still reachable through its merge
}

TEST_F(EdgeCaseRepoTest, PackedRefsAreShadowedByNewerLooseRefs) {
  std::string packed =
      ReadFile(Git({"rev-parse", "--git-dir"}) == ".git" ? Repo() + "/.git/packed-refs"
                                                         : Repo() + "/packed-refs");
  EXPECT_NE(packed.find(" refs/heads/release/1.x\n"), std::string::npos);
  size_t main = packed.find(" refs/heads/main\n");
  ASSERT_NE(main, std::string::npos);
  EXPECT_NE(packed.substr(main - 40, 40), kEdgeCaseMain);  // stale packed value
  EXPECT_EQ(Git({"symbolic-ref", "refs/remotes/origin/HEAD"}), "refs/remotes/origin/main");
}

TEST_F(EdgeCaseRepoTest, HasTheHistoricalMode100664) {
  std::string legacy = Commit("legacy-mode:");
  EXPECT_NE(RawTree(legacy).find(std::string("100664 legacy-mode-a.txt\0", 25)), std::string::npos);
  EXPECT_NE(RawTree(legacy).find(std::string("100664 legacy-mode-b.txt\0", 25)), std::string::npos);
  // Kept by the next commit (fast-import leaves untouched entries alone) ...
  EXPECT_EQ(Count(RawTree(Commit("legacy-mode-keep:")), "100664 "), 2u);
  // ... normalised one by one later; git's pretty printer hides it anyway.
  EXPECT_EQ(Count(RawTree(Commit("legacy-mode-normalise:")), "100664 "), 1u);
  EXPECT_EQ(Count(RawTree(kEdgeCaseMain), "100664 "), 0u);
  EXPECT_EQ(Git({"ls-tree", legacy, "legacy-mode-a.txt"}).substr(0, 6), "100644");
}

TEST_F(EdgeCaseRepoTest, HasUnusualPaths) {
  std::string paths = Git({"ls-tree", "-r", "-z", "--name-only", "refs/heads/main", "paths/"});
  for (const char* p :
       {"paths/new\nline.txt", "paths/tab\there.txt", "paths/back\\slash.txt",
        "paths/\xff\xfe-invalid-utf8.txt", "paths/café-renamed.txt", "paths/cafe\xcc\x81-nfd.txt",
        "paths/emoji-😀.txt", "paths/trailing-space.txt ", "paths/日本語/ファイル.txt"}) {
    EXPECT_NE(paths.find(std::string(p) + '\0'), std::string::npos) << p;
  }
  std::string added = Git({"ls-tree", "-r", "-z", "--name-only", Commit("paths:")});
  EXPECT_NE(added.find(std::string("paths/caf\xe9-latin1.txt") + '\0'), std::string::npos);
}

TEST_F(EdgeCaseRepoTest, HasGitlinksSymlinksAndModes) {
  EXPECT_EQ(Git({"ls-tree", Commit("gitlink-add:"), "vendor/lib"}).substr(0, 14), "160000 commit ");
  EXPECT_EQ(Git({"ls-tree", Commit("typechange-file-to-gitlink:"), "ext/tool"}).substr(0, 6),
            "160000");
  EXPECT_EQ(Git({"ls-tree", Commit("typechange-gitlink-to-file:"), "ext/tool"}).substr(0, 6),
            "100644");
  EXPECT_EQ(Git({"ls-tree", Commit("typechange-file-to-symlink:"), "mode/tool.py"}).substr(0, 6),
            "120000");
  EXPECT_EQ(Git({"ls-tree", Commit("mode-only:"), "mode/script.sh"}).substr(0, 6), "100755");
  EXPECT_EQ(Git({"ls-tree", Commit("mode-edit:"), "mode/run.sh"}).substr(0, 6), "100644");
}

TEST_F(EdgeCaseRepoTest, HasLargeAndHeavyFiles) {
  EXPECT_GT(std::stoll(Git({"cat-file", "-s", "refs/heads/main:big/large.txt"})), 4000000);
  EXPECT_EQ(Git({"cat-file", "-s", "refs/heads/main:big/large.bin"}), "2098176");
  std::string braces = Git({"cat-file", "blob", "refs/heads/main:heavy/braces.c"});
  EXPECT_GT(Count(braces, "\n}\n"), 1100u);  // more than xdiff's 1024 limit
  EXPECT_GT(Count(Git({"cat-file", "blob", "refs/heads/main:heavy/rewrite.c"}), "\n"), 4900u);
}

TEST_F(EdgeCaseRepoTest, HasUnusualIdentitiesAndDates) {
  auto raw = [](const std::string& prefix) { return Git({"cat-file", "commit", Commit(prefix)}); };
  EXPECT_NE(raw("ident-dot:").find("\nauthor Philip H. <philip@example.org> "), std::string::npos);
  EXPECT_NE(raw("ident-latin1:").find("\nauthor Jos\xe9 M\xfcller <"), std::string::npos);
  EXPECT_NE(raw("ident-latin1:").find("\nencoding ISO-8859-1\n"), std::string::npos);
  EXPECT_NE(raw("ident-empty-email:").find("\nauthor Nobody <> "), std::string::npos);
  EXPECT_NE(raw("date-pre-1970:").find("> -86400 -0330\n"), std::string::npos);
  EXPECT_NE(raw("date-2100:").find("> 4102444800 +1400\n"), std::string::npos);
  std::string zones = Git({"log", "--branches", "--tags", "--format=%ad", "--date=format:%z"});
  for (const char* tz : {"+1400", "-1200", "+0545", "-0330", "+1245", "-0930", "+0000"}) {
    EXPECT_NE(zones.find(tz), std::string::npos) << tz;
  }
  EXPECT_NE(Git({"log", "--branches", "--format=%ae %ce"}).find("jose@example.es philip@"),
            std::string::npos);
}

// Repositories for the incremental helpers, built fresh per test.
class IncrementalTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(BuildEdgeCaseRepo(repo_, /*bare=*/true).ok()); }
  std::string Git(const std::vector<std::string>& args) { return GitOutput(repo_, args); }

  TempDir tmp_;
  std::string repo_ = tmp_.Sub("repo.git");
};

TEST_F(IncrementalTest, AppendLinearCommitsIsDeterministic) {
  std::string before = Git({"rev-parse", "main"});
  ASSERT_TRUE(AppendLinearCommits(repo_, "main", 12, 3).ok());
  EXPECT_EQ(Git({"rev-list", "--count", before + "..main"}), "12");
  EXPECT_EQ(Git({"rev-list", "--count", "--merges", before + "..main"}), "0");
  Result<std::map<std::string, std::vector<NumstatRow>>> rows =
      ReadNumstat(repo_, false, {before + "..main"});
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  for (const auto& [sha, files] : *rows) EXPECT_EQ(files.size(), 1u) << sha;
  TempDir again;
  ASSERT_TRUE(BuildEdgeCaseRepo(again.Sub("r"), false).ok());
  ASSERT_TRUE(AppendLinearCommits(again.Sub("r"), "main", 12, 3).ok());
  EXPECT_EQ(GitOutput(again.Sub("r"), {"rev-parse", "main"}), Git({"rev-parse", "main"}));
  EXPECT_EQ(GitOutput(again.Sub("r"), {"status", "--porcelain"}), "");  // work tree follows
  EXPECT_EQ(AppendLinearCommits(repo_, "no-such-branch", 1, 1).code(), StatusCode::kNotFound);
}

TEST_F(IncrementalTest, RewriteBranchDropsAndReplacesCommits) {
  ASSERT_TRUE(AppendLinearCommits(repo_, "main", 10, 1).ok());
  std::string old_tip = Git({"rev-parse", "main"});
  std::string base = Git({"rev-parse", "main~4"});
  ASSERT_TRUE(RewriteBranch(repo_, "main", 4, 2, 1).ok());
  EXPECT_EQ(Git({"rev-parse", "main~2"}), base);
  EXPECT_FALSE(RunGit(repo_, {"merge-base", "--is-ancestor", old_tip, "main"}).ok());
  EXPECT_EQ(Git({"branch", "--contains", old_tip}), "");
  Result<GitHistory> history = ReadGitHistory(repo_);
  ASSERT_TRUE(history.ok()) << history.status().ToString();
  EXPECT_EQ(history->reachable.count(old_tip), 0u);
  EXPECT_EQ(history->reachable.count(Git({"rev-parse", "main"})), 1u);
  // Dropping without adding just moves the branch back.
  ASSERT_TRUE(RewriteBranch(repo_, "main", 1, 0, 1).ok());
  EXPECT_EQ(Git({"rev-parse", "main~1"}), base);
  EXPECT_EQ(RewriteBranch(repo_, "main", 100000, 1, 1).code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace sei::testing
