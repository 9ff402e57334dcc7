// Mailmap parsing and lookup against git itself (`git check-mailmap` on a
// repository holding the same .mailmap), and reading a repository's
// .mailmap from a working tree and from HEAD's tree of a bare repository.
#include "identity/mailmap.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "identity/repo_mailmap.h"
#include "testing/repo_builder.h"
#include "testing/test_util.h"

namespace sei::identity {
namespace {

using sei::testing::GitOutput;
using sei::testing::RunGit;
using sei::testing::TempDir;
using sei::testing::WriteFile;

// Every form, comments, case, whitespace, overrides and malformed lines.
constexpr const char* kMailmap =
    "# a comment line\n"
    "\n"
    "Proper One <one@example.com>\n"
    "<proper2@example.com> <two@example.com>\n"
    "Proper Three <proper3@example.com> <three@example.com>\n"
    "Proper Four <proper4@example.com> Commit Four <four@example.com>\n"
    "Simple Four <four@example.com>\n"
    "   Indented   Name    <indent@example.com>   \n"
    "<MiXeD@Example.com> <CaseKey@Example.COM>\n"
    "Later Name <one@example.com>\n"
    "<one-new@example.com> <one@example.com>\n"
    "Named Only <named@example.com> Someone <only-named@example.com>\n"
    "Empty Target <> Weird <weird@example.com>\n"
    "Trailing <t@example.com> <tt@example.com> # trailing comment\n"
    "Alpha <a@example.com> Beta <b@example.com> extra words\n"
    "Carriage Return <cr@example.com>\r\n"
    "a line without angle brackets\n"
    "<lonely@example.com>\n"
    " # Indented Comment <indented-comment@example.com>\n"
    "Two Names A <twonames-a@example.com> First <twonames@example.com>\n"
    "Two Names B <twonames-b@example.com> Second <twonames@example.com>\n"
    "Replaced <replaced-1@example.com> Dup <dup@example.com>\n"
    "Replacer <replaced-2@example.com> dup <dup@example.com>\n"
    "Name Only Replaced <noemail@example.com>\n"
    "<noemail-new@example.com> <noemail@example.com>\n"
    "#a-comment-despite-brackets <hash@example.com>";  // no final newline

// (name, email) pairs to look up, covering hits, misses and case.
const std::vector<std::pair<std::string, std::string>> kQueries = {
    {"Someone", "one@example.com"},
    {"Anyone", "ONE@EXAMPLE.COM"},
    {"Two", "two@example.com"},
    {"Three", "three@example.com"},
    {"Commit Four", "four@example.com"},
    {"commit four", "Four@Example.com"},
    {"Other Four", "four@example.com"},
    {"X", "indent@example.com"},
    {"Case", "casekey@example.com"},
    {"Someone", "only-named@example.com"},
    {"SOMEONE", "only-named@example.com"},
    {"Nobody", "only-named@example.com"},
    {"Weird", "weird@example.com"},
    {"T", "tt@example.com"},
    {"Beta", "b@example.com"},
    {"Gamma", "b@example.com"},
    {"C", "cr@example.com"},
    {"L", "lonely@example.com"},
    {"I", "indented-comment@example.com"},
    {"First", "twonames@example.com"},
    {"Second", "twonames@example.com"},
    {"Third", "twonames@example.com"},
    {"Dup", "dup@example.com"},
    {"N", "noemail@example.com"},
    {"H", "hash@example.com"},
    {"Unknown Person", "unknown@example.com"},
};

TEST(MailmapTest, LookupAgreesWithGitCheckMailmap) {
  TempDir dir;
  ASSERT_TRUE(RunGit(dir.path(), {"init", "-q"}).ok());
  ASSERT_TRUE(WriteFile(dir.Sub(".mailmap"), kMailmap));
  std::vector<std::string> args = {"check-mailmap"};
  for (const auto& [name, email] : kQueries) args.push_back(name + " <" + email + ">");
  auto out = RunGit(dir.path(), args);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  std::vector<std::string> lines;
  for (size_t start = 0; start < out->size();) {
    size_t nl = out->find('\n', start);
    lines.push_back(out->substr(start, nl - start));
    start = nl == std::string::npos ? out->size() : nl + 1;
  }
  ASSERT_EQ(lines.size(), kQueries.size()) << *out;
  const Mailmap m = Mailmap::Parse(kMailmap);
  for (size_t i = 0; i < kQueries.size(); ++i) {
    const auto& [name, email] = kQueries[i];
    std::optional<Mailmap::Mapped> got = m.Lookup(name, email);
    const std::string ours = got ? got->name + " <" + got->email + ">" : name + " <" + email + ">";
    EXPECT_EQ(ours, lines[i]) << "query " << name << " <" << email << ">";
  }
}

TEST(MailmapTest, FormsAndPrecedence) {
  const Mailmap m = Mailmap::Parse(kMailmap);
  // Name only: the email stays.
  auto three = m.Lookup("x", "three@example.com");
  ASSERT_TRUE(three);
  EXPECT_EQ(three->name, "Proper Three");
  EXPECT_EQ(three->email, "proper3@example.com");
  // Email only: the name stays.
  auto two = m.Lookup("Two Words", "two@example.com");
  ASSERT_TRUE(two);
  EXPECT_EQ(two->name, "Two Words");
  EXPECT_EQ(two->email, "proper2@example.com");
  // The name-specific entry wins over the email-only one for its name only.
  EXPECT_EQ(m.Lookup("Commit Four", "four@example.com")->email, "proper4@example.com");
  EXPECT_EQ(m.Lookup("Someone Else", "four@example.com")->name, "Simple Four");
  EXPECT_EQ(m.Lookup("Someone Else", "four@example.com")->email, "four@example.com");
  // Later simple lines replace only what they give.
  auto one = m.Lookup("x", "one@example.com");
  EXPECT_EQ(one->name, "Later Name");
  EXPECT_EQ(one->email, "one-new@example.com");
  // An entry with only a name-specific mapping does not apply to other names.
  EXPECT_FALSE(m.Lookup("Nobody", "only-named@example.com"));
  // An entry that maps nothing (a lone <email>) is no mapping.
  EXPECT_FALSE(m.Lookup("L", "lonely@example.com"));
  EXPECT_FALSE(m.Lookup("W", "weird@example.com"));
  EXPECT_TRUE(Mailmap::Parse("").empty());
  EXPECT_TRUE(Mailmap::Parse("# only\n\n   \n").empty());
}

TEST(RepoMailmapTest, ReadsWorkingTreeFileAndBareHeadBlob) {
  TempDir dir;
  const std::string work = dir.Sub("work");
  std::filesystem::create_directories(work);
  ASSERT_TRUE(RunGit(work, {"init", "-q", "-b", "main"}).ok());
  ASSERT_TRUE(WriteFile(work + "/.mailmap", "Ann Lee <ann@example.com> <ann@old.example.com>\n"));
  ASSERT_TRUE(WriteFile(work + "/a.txt", "a\n"));
  ASSERT_TRUE(RunGit(work, {"add", "."}).ok());
  const std::vector<std::string> env = {"GIT_AUTHOR_NAME=T", "GIT_AUTHOR_EMAIL=t@example.com",
                                        "GIT_COMMITTER_NAME=T",
                                        "GIT_COMMITTER_EMAIL=t@example.com"};
  ASSERT_TRUE(RunGit(work, {"commit", "-q", "-m", "init"}, "", env).ok());
  // The working tree's file counts, even uncommitted.
  ASSERT_TRUE(WriteFile(work + "/.mailmap", "Bob Roe <bob@example.com> <bob@old.example.com>\n"));
  auto wt = ReadRepoMailmap(work);
  ASSERT_TRUE(wt.ok()) << wt.status().ToString();
  EXPECT_TRUE(wt->Lookup("b", "bob@old.example.com"));
  EXPECT_FALSE(wt->Lookup("a", "ann@old.example.com"));

  // A bare clone reads HEAD:.mailmap, with loose and with packed refs.
  const std::string bare = dir.Sub("bare.git");
  ASSERT_TRUE(RunGit(dir.path(), {"clone", "-q", "--bare", work, bare}).ok());
  for (bool packed : {false, true}) {
    if (packed) {
      ASSERT_TRUE(RunGit(bare, {"pack-refs", "--all", "--prune"}).ok());
    }
    auto b = ReadRepoMailmap(bare);
    ASSERT_TRUE(b.ok()) << b.status().ToString();
    auto ann = b->Lookup("a", "ANN@old.example.com");
    ASSERT_TRUE(ann) << "packed " << packed;
    EXPECT_EQ(ann->email, "ann@example.com");
  }

  // Missing is empty: no file, a symlink (git refuses those), an unborn
  // bare repository, a path that is gone, a URL.
  std::filesystem::remove(work + "/.mailmap");
  EXPECT_TRUE(ReadRepoMailmap(work)->empty());
  ASSERT_TRUE(WriteFile(dir.Sub("target"), "X <x@example.com> <y@example.com>\n"));
  std::filesystem::create_symlink(dir.Sub("target"), work + "/.mailmap");
  EXPECT_TRUE(ReadRepoMailmap(work)->empty());
  ASSERT_TRUE(RunGit(dir.path(), {"init", "-q", "--bare", dir.Sub("empty.git")}).ok());
  EXPECT_TRUE(ReadRepoMailmap(dir.Sub("empty.git"))->empty());
  EXPECT_TRUE(ReadRepoMailmap(dir.Sub("nowhere"))->empty());
  EXPECT_TRUE(ReadRepoMailmap("https://example.com/org/repo.git")->empty());
  EXPECT_EQ(GitOutput(bare, {"rev-parse", "--is-bare-repository"}), "true");
}

}  // namespace
}  // namespace sei::identity
