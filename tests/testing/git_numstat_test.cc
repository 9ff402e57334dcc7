#include "testing/git_numstat.h"

#include <gtest/gtest.h>

#include <sstream>

#include "testing/repo_builder.h"
#include "testing/test_util.h"

namespace sei::testing {
namespace {

const std::string kA(40, 'a'), kB(40, 'b'), kC(40, 'c'), kD(40, 'd');

// Joins pieces with NUL terminators, as `git log -z` writes them.
std::string Z(std::initializer_list<std::string> pieces) {
  std::string out;
  for (const std::string& p : pieces) out += p + '\0';
  return out;
}

NumstatRow Row(std::string path, int64_t added, int64_t deleted, bool binary = false,
               std::string old_path = "") {
  return {std::move(path), std::move(old_path), added, deleted, binary};
}

TEST(ParseNumstatLogTest, ParsesTrickyPathsBinaryMergesAndEmptyCommits) {
  std::string out = Z({"@" + kA + " " + kB, "\n1\t2\tnew\nline.txt", "-\t-\tlogo.png",
                       "0\t0\t@" + kD + " looks like a header", "@" + kB + " " + kC,
                       "@" + kC + " " + kD + " " + kA, "\n3\t0\ttab\there \"q\" \\.txt", "@" + kD});
  Result<std::vector<LogEntry>> log = ParseNumstatLog(out);
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  ASSERT_EQ(log->size(), 4u);
  EXPECT_EQ((*log)[0].sha, kA);
  EXPECT_EQ((*log)[0].parents, std::vector<std::string>{kB});
  EXPECT_EQ((*log)[0].files,
            (std::vector<NumstatRow>{Row("new\nline.txt", 1, 2), Row("logo.png", 0, 0, true),
                                     Row("@" + kD + " looks like a header", 0, 0)}));
  EXPECT_TRUE((*log)[1].files.empty());  // an empty commit
  EXPECT_EQ((*log)[2].parents, (std::vector<std::string>{kD, kA}));
  EXPECT_EQ((*log)[2].files, std::vector<NumstatRow>{Row("tab\there \"q\" \\.txt", 3, 0)});
  EXPECT_TRUE((*log)[3].parents.empty());  // a root commit with no rows
  EXPECT_TRUE((*log)[3].files.empty());
}

TEST(ParseNumstatLogTest, ParsesRenameRows) {
  std::string out = Z({"@" + kA + " " + kB, "\n0\t0\t", "old name.txt", "new\nname.txt", "-\t-\t",
                       "a.bin", "b.bin", "2\t1\tplain.txt"});
  Result<std::vector<LogEntry>> log = ParseNumstatLog(out);
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  ASSERT_EQ(log->size(), 1u);
  EXPECT_EQ((*log)[0].files,
            (std::vector<NumstatRow>{Row("new\nname.txt", 0, 0, false, "old name.txt"),
                                     Row("b.bin", 0, 0, true, "a.bin"), Row("plain.txt", 2, 1)}));
}

TEST(ParseNumstatLogTest, RejectsMalformedOutput) {
  EXPECT_FALSE(ParseNumstatLog(Z({"1\t2\tx"})).ok());  // a row before any commit
  EXPECT_FALSE(ParseNumstatLog(Z({"@" + kA, "x\t2\tpath"})).ok());
  EXPECT_FALSE(ParseNumstatLog(Z({"@" + kA, "12 path"})).ok());
  EXPECT_FALSE(ParseNumstatLog(Z({"@" + kA, "1\t1\t", "only-old"})).ok());
  EXPECT_FALSE(ParseNumstatLog(Z({"@abc"})).ok());
  EXPECT_TRUE(ParseNumstatLog("").ok());
}

TEST(ParseIdentTest, SplitsLikeGit) {
  Result<GitIdent> id = ParseIdent("Philip H. <philip@example.org> 1234567890 +0545");
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->name, "Philip H.");
  EXPECT_EQ(id->email, "philip@example.org");
  EXPECT_EQ(id->time, 1234567890);
  EXPECT_EQ(id->offset, "+0545");
  EXPECT_EQ(id->offset_minutes, 345);
  id = ParseIdent(" Two  Spaces   <> -86400 -0330");
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->name, " Two  Spaces");
  EXPECT_EQ(id->email, "");
  EXPECT_EQ(id->time, -86400);
  EXPECT_EQ(id->offset_minutes, -210);
  id = ParseIdent("Nobody <n@x> 0 -0000");
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->offset, "-0000");
  EXPECT_EQ(id->offset_minutes, 0);
  EXPECT_FALSE(ParseIdent("no email 123 +0000").ok());
  EXPECT_FALSE(ParseIdent("Bad <b@x> 12 +5").ok());
}

TEST(ParseCommitObjectTest, ReadsHeadersAndRawMessage) {
  std::string raw = "tree " + kA + "\nparent " + kB + "\nparent " + kC +
                    "\nauthor Jos\xe9 <j@x> 100 +0100\ncommitter C <c@x> 200 -0800\n"
                    "encoding ISO-8859-1\ngpgsig -----BEGIN PGP SIGNATURE-----\n \n "
                    "abc\n -----END PGP SIGNATURE-----\n\ncaf\xe9\n\nbody";
  Result<GitCommit> c = ParseCommitObject(kD, raw);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->sha, kD);
  EXPECT_EQ(c->tree, kA);
  EXPECT_EQ(c->parents, (std::vector<std::string>{kB, kC}));
  EXPECT_EQ(c->author.name, "Jos\xe9");
  EXPECT_EQ(c->committer.time, 200);
  EXPECT_EQ(c->committer.offset_minutes, -480);
  EXPECT_EQ(c->encoding, "ISO-8859-1");
  EXPECT_EQ(c->message, "caf\xe9\n\nbody");
  EXPECT_FALSE(ParseCommitObject(kD, "author A <a@x> 1 +0000\n\nmsg").ok());  // no tree
}

class EdgeCaseOracleTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new TempDir();
    ASSERT_TRUE(BuildEdgeCaseRepo(tmp_->Sub("repo"), /*bare=*/true).ok());
    Result<GitHistory> h = ReadGitHistory(tmp_->Sub("repo"));
    ASSERT_TRUE(h.ok()) << h.status().ToString();
    history_ = new GitHistory(std::move(h).value());
  }
  static void TearDownTestSuite() {
    delete history_;
    delete tmp_;
  }
  static const GitCommit& C(const std::string& subject_prefix) {
    static const GitCommit kNone;
    std::string sha = CommitBySubject(tmp_->Sub("repo"), subject_prefix);
    auto it = history_->commits.find(sha);
    EXPECT_NE(it, history_->commits.end()) << subject_prefix;
    return it == history_->commits.end() ? kNone : it->second;
  }
  static const NumstatRow* Find(const GitCommit& c, const std::string& path) {
    for (const NumstatRow& r : c.files) {
      if (r.path == path) return &r;
    }
    ADD_FAILURE() << "no row for " << path << " in " << c.sha;
    return nullptr;
  }
  static const GitRef& Ref(const std::string& name) {
    for (const GitRef& r : history_->refs) {
      if (r.name == name) return r;
    }
    static const GitRef kNone;
    ADD_FAILURE() << "no ref " << name;
    return kNone;
  }

  static TempDir* tmp_;
  static GitHistory* history_;
};

TempDir* EdgeCaseOracleTest::tmp_ = nullptr;
GitHistory* EdgeCaseOracleTest::history_ = nullptr;

TEST_F(EdgeCaseOracleTest, ListsEveryReachableCommitOnce) {
  EXPECT_EQ(history_->order.size(), history_->commits.size());
  EXPECT_EQ(history_->reachable.size(), history_->commits.size());
  for (const std::string& sha : history_->order) EXPECT_EQ(history_->reachable.count(sha), 1u);
  EXPECT_GT(history_->commits.size(), 80u);
}

TEST_F(EdgeCaseOracleTest, EmptyCommitsHaveNoRowsAndRootsAreDiffedAgainstNothing) {
  EXPECT_TRUE(C("empty:").files.empty());
  EXPECT_TRUE(C("orphan-empty-root:").files.empty());
  EXPECT_TRUE(C("legacy-mode-normalise:").files.empty());  // 100664 -> 100644: no change
  const GitCommit& root = C("init:");
  EXPECT_TRUE(root.parents.empty());
  ASSERT_EQ(root.files.size(), 11u);
  EXPECT_EQ(*Find(root, "src/main.c"), Row("src/main.c", 40, 0));
  EXPECT_EQ(*Find(root, "empty.txt"), Row("empty.txt", 0, 0));
}

TEST_F(EdgeCaseOracleTest, MergesAreDiffedAgainstTheirFirstParent) {
  const GitCommit& octopus = C("octopus:");
  EXPECT_EQ(octopus.parents.size(), 4u);
  EXPECT_EQ(octopus.files,
            (std::vector<NumstatRow>{Row("octopus/1.txt", 1, 0), Row("octopus/2.txt", 2, 0),
                                     Row("octopus/3.txt", 3, 0)}));
  EXPECT_EQ(C("evil-merge:").files.size(), 2u);
  EXPECT_EQ(C("back-merge:").files, C("main-while-long:").files);
}

TEST_F(EdgeCaseOracleTest, BinaryRowsFollowGitsFirst8000BytesRule) {
  const GitCommit& added = C("binary:");
  EXPECT_TRUE(Find(added, "bin/logo.png")->binary);
  EXPECT_TRUE(Find(added, "bin/nul-at-7999.dat")->binary);
  EXPECT_EQ(*Find(added, "bin/nul-at-8000.txt"), Row("bin/nul-at-8000.txt", 102, 0));
  EXPECT_TRUE(Find(added, "bin/utf16.txt")->binary);
  const GitCommit& edited = C("binary-edit:");
  EXPECT_TRUE(Find(edited, "bin/becomes-binary.dat")->binary);  // either side binary
  EXPECT_TRUE(Find(edited, "bin/becomes-text.dat")->binary);
  EXPECT_TRUE(Find(C("mode-binary:"), "mode/data.bin")->binary);  // mode change only
  EXPECT_TRUE(Find(C("large-edit:"), "big/large.bin")->binary);
}

TEST_F(EdgeCaseOracleTest, TypeModeAndGitlinkChangesGiveOneRow) {
  EXPECT_EQ(C("typechange-file-to-symlink:").files,
            std::vector<NumstatRow>{Row("mode/tool.py", 1, 5)});
  EXPECT_EQ(C("typechange-symlink-to-file:").files,
            std::vector<NumstatRow>{Row("links/dangling", 2, 1)});
  EXPECT_EQ(C("typechange-file-to-gitlink:").files, std::vector<NumstatRow>{Row("ext/tool", 1, 3)});
  EXPECT_EQ(C("typechange-gitlink-to-file:").files, std::vector<NumstatRow>{Row("ext/tool", 4, 1)});
  EXPECT_EQ(*Find(C("gitlink-add:"), "vendor/lib"), Row("vendor/lib", 1, 0));
  EXPECT_EQ(C("gitlink-change:").files, std::vector<NumstatRow>{Row("vendor/lib", 1, 1)});
  EXPECT_EQ(*Find(C("gitlink-remove:"), "vendor/lib"), Row("vendor/lib", 0, 1));
  EXPECT_EQ(C("mode-only:").files, std::vector<NumstatRow>{Row("mode/script.sh", 0, 0)});
  EXPECT_EQ(C("mode-edit:").files, std::vector<NumstatRow>{Row("mode/run.sh", 1, 1)});
  // 100644 -> 100664 is no change to git; only the edited file shows.
  EXPECT_EQ(C("legacy-mode:").files, std::vector<NumstatRow>{Row("legacy-mode-b.txt", 1, 1)});
  EXPECT_EQ(C("legacy-mode-exec:").files, std::vector<NumstatRow>{Row("legacy-mode-b.txt", 0, 0)});
}

TEST_F(EdgeCaseOracleTest, PathsAreRawBytesAndLineEndingsCount) {
  const GitCommit& paths = C("paths:");
  EXPECT_EQ(paths.files.size(), 17u);
  EXPECT_EQ(*Find(paths, "paths/new\nline.txt"), Row("paths/new\nline.txt", 3, 0));
  Find(paths, "paths/caf\xe9-latin1.txt");
  Find(paths, "paths/carriage\rreturn.txt");
  Find(paths, "paths/\xff\xfe-invalid-utf8.txt");
  EXPECT_EQ(*Find(C("eol-convert:"), "eol/crlf.txt"), Row("eol/crlf.txt", 10, 10));
  EXPECT_EQ(*Find(C("eol-edit:"), "eol/cr-only.txt"), Row("eol/cr-only.txt", 1, 1));
  EXPECT_EQ(*Find(C("nonl-toggle:"), "nonl/a.txt"), Row("nonl/a.txt", 1, 1));
  EXPECT_EQ(*Find(C("nonl-append:"), "nonl/single.txt"), Row("nonl/single.txt", 2, 1));
  EXPECT_EQ(C("file-to-dir:").files.size(), 3u);
  EXPECT_EQ(C("delete-dir:").files.size(), 3u);
}

TEST_F(EdgeCaseOracleTest, IdentitiesAndMessagesAreByteExact) {
  EXPECT_EQ(C("ident-dot:").author.name, "Philip H.");
  const GitCommit& latin1 = C("ident-latin1:");
  EXPECT_EQ(latin1.author.name, "Jos\xe9 M\xfcller");
  EXPECT_EQ(latin1.encoding, "ISO-8859-1");
  EXPECT_EQ(latin1.message, "ident-latin1: caf\xe9 na\xefve Jos\xe9\n");
  EXPECT_EQ(C("ident-empty-email:").author.email, "");
  EXPECT_EQ(C("ident-emoji:").author.name, "Zoë 🚀 Ünïcödé");
  const GitCommit& pre1970 = C("date-pre-1970:");
  EXPECT_EQ(pre1970.author.time, -86400);
  EXPECT_EQ(pre1970.author.offset_minutes, -210);
  EXPECT_EQ(C("date-2100:").committer.time, 4102444800);
  EXPECT_EQ(C("date-2100:").committer.offset_minutes, 14 * 60);
  EXPECT_EQ(C("no-final-newline:").message, "no-final-newline: message without a trailing newline");
  const GitCommit& differ = C("ident-committer:");
  EXPECT_NE(differ.author.name, differ.committer.name);
  EXPECT_GT(differ.committer.time, differ.author.time);
}

TEST_F(EdgeCaseOracleTest, RefsArePeeledOneLevelAndFully) {
  const GitRef& nested = Ref("refs/tags/v1.0-nested");
  EXPECT_EQ(nested.type, "tag");
  EXPECT_EQ(nested.peeled, Ref("refs/tags/v1.0").object);
  EXPECT_EQ(nested.target, Ref("refs/tags/v1.0").target);
  EXPECT_EQ(nested.target_type, "commit");
  EXPECT_EQ(Ref("refs/tags/tree-tag").target_type, "tree");
  EXPECT_EQ(Ref("refs/tags/blob-tag").target_type, "blob");
  EXPECT_EQ(Ref("refs/tags/v0.1").type, "commit");
  EXPECT_EQ(Ref("refs/tags/v0.1").peeled, "");
  EXPECT_EQ(Ref("refs/tags/v0.1").target, Ref("refs/tags/v0.1").object);
  EXPECT_EQ(Ref("refs/remotes/origin/HEAD").symref, "refs/remotes/origin/main");
}

TEST_F(EdgeCaseOracleTest, TotalsEqualPlainGitLog) {
  Result<std::string> text =
      RunGit(tmp_->Sub("repo"), {"log", "--branches", "--tags", "--numstat", "--no-renames",
                                 "--diff-merges=first-parent", "--format=@%H"});
  ASSERT_TRUE(text.ok());
  NumstatTotals expected;
  std::istringstream in(*text);
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    if (line[0] == '@') {
      ++expected.commits;
      continue;
    }
    ++expected.rows;
    if (line.rfind("-\t-\t", 0) == 0) {
      ++expected.binary_rows;
    } else {
      expected.added += std::stoll(line);
      expected.deleted += std::stoll(line.substr(line.find('\t') + 1));
    }
  }
  EXPECT_EQ(Totals(*history_), expected);
  EXPECT_GT(expected.binary_rows, 10);
}

TEST_F(EdgeCaseOracleTest, RenameDetectionGivesOldAndNewPaths) {
  auto rows = ReadNumstat(tmp_->Sub("repo"), /*detect_renames=*/true);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  auto of = [&](const std::string& prefix) {
    return (*rows)[CommitBySubject(tmp_->Sub("repo"), prefix)];
  };
  EXPECT_EQ(of("rename:"),
            std::vector<NumstatRow>{Row("src/common/util.c", 0, 0, false, "src/util.c")});
  EXPECT_EQ(of("rename-case:"),
            std::vector<NumstatRow>{Row("Readme.md", 0, 0, false, "README.md")});
  EXPECT_EQ(of("rename-edit:"),
            std::vector<NumstatRow>{Row("docs/manual.md", 4, 4, false, "docs/guide.md")});
  GitCommit paths_edit;
  paths_edit.files = of("paths-edit:");
  EXPECT_EQ(*Find(paths_edit, "paths/café-renamed.txt"),
            Row("paths/café-renamed.txt", 0, 0, false, "paths/caf\xe9-latin1.txt"));
}

}  // namespace
}  // namespace sei::testing
