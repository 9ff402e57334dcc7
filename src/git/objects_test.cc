// The commit, tag and tree parsers: hand-written objects covering what git
// writes and what it tolerates (octopus merges, gpgsig and mergetag headers,
// ISO-8859-1 names, names ending in ".", odd and broken zones, idents
// without brackets, old tree modes, tags without tagger), malformed trees,
// and every commit, tag and tree of a generated repository compared with
// what `git log` and `git ls-tree` print for it.
#include "git/objects.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <sstream>

#include "git/object_db_test_util.h"
#include "testing/test_util.h"

namespace sei::git {
namespace {

using sei::testing::RunCommand;
using sei::testing::TempDir;

const std::string kTree = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";
const std::string kP1 = "1111111111111111111111111111111111111111";
const std::string kP2 = "2222222222222222222222222222222222222222";
const std::string kP3 = "3333333333333333333333333333333333333333";

TEST(ObjectsTest, ParsesOctopusMergeWithSignatureHeaders) {
  const std::string raw = "tree " + kTree + "\nparent " + kP1 + "\nparent " + kP2 + "\nparent " +
                          kP3 +
                          "\nauthor Philip H. <ph@example.com> 1700000000 +0545\n"
                          "committer C O Mitter <c@example.com> 1700000100 -1200\n"
                          "mergetag object " +
                          kP2 +
                          "\n type commit\n tag v1\n tagger T <t@x> 1 +0000\n \n msg\n"
                          "gpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEz\n"
                          " -----END PGP SIGNATURE-----\n"
                          "\nMerge three branches\n\nBody line.\n";
  auto c = ParseCommit(raw);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->tree.Hex(), kTree);
  ASSERT_EQ(c->parents.size(), 3u);
  EXPECT_EQ(c->parents[0].Hex(), kP1);
  EXPECT_EQ(c->parents[2].Hex(), kP3);
  EXPECT_EQ(c->author.name, "Philip H.");  // the trailing "." stays
  EXPECT_EQ(c->author.email, "ph@example.com");
  EXPECT_EQ(c->author.time, 1700000000);
  EXPECT_EQ(c->author.offset_minutes, 5 * 60 + 45);
  EXPECT_EQ(c->committer.name, "C O Mitter");
  EXPECT_EQ(c->committer.time, 1700000100);
  EXPECT_EQ(c->committer.offset_minutes, -12 * 60);
  EXPECT_EQ(c->encoding, "");
  EXPECT_EQ(c->message, "Merge three branches\n\nBody line.\n");
}

TEST(ObjectsTest, KeepsLatin1NamesAndTheEncodingHeader) {
  const std::string raw = "tree " + kTree +
                          "\nauthor Jos\xe9 M\xfcller <j@x> 1 +1400\n"
                          "committer Jos\xe9 <j@x> 2 -0000\nencoding ISO-8859-1\n\nCaf\xe9\n";
  auto c = ParseCommit(raw);
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->parents.empty());
  EXPECT_EQ(c->author.name, "Jos\xe9 M\xfcller");
  EXPECT_EQ(c->author.offset_minutes, 14 * 60);
  EXPECT_EQ(c->committer.offset_minutes, 0);
  EXPECT_EQ(c->encoding, "ISO-8859-1");
  EXPECT_EQ(c->message, "Caf\xe9\n");
}

TEST(ObjectsTest, ToleratesOddIdentsLikeGit) {
  struct Case {
    std::string ident, name, email;
    int64_t time;
    int32_t offset;
  };
  const Case cases[] = {
      {"A U Thor <a@x> 1700000000 +0200", "A U Thor", "a@x", 1700000000, 120},
      {"Name  <a@x>   1700000000   -0330", "Name", "a@x", 1700000000, -210},
      {" <a@x> 5 +0100", "", "a@x", 5, 60},                            // empty name
      {"<a@x> 5 +0100", "", "a@x", 5, 60},                             // no name at all
      {"Name <> 5 +0100", "Name", "", 5, 60},                          // empty email
      {"Name<a@x>5 +0100", "Name", "a@x", 5, 60},                      // no spaces
      {"Name <a@x> 1700000000", "Name", "a@x", 1700000000, 0},         // no zone
      {"Name <a@x> 1700000000 CEST", "Name", "a@x", 1700000000, 0},    // garbage zone
      {"Name <a@x> 1700000000 +05", "Name", "a@x", 1700000000, 5},     // git reads hhmm = 5
      {"Name <a@x>", "Name", "a@x", 0, 0},                             // no date
      {"Name <a@x> garbage +0100", "Name", "a@x", 0, 0},               // garbage date
      {"Name <a@x> 99999999999999999999 +0100", "Name", "a@x", 0, 0},  // overflow
      {"Name <a@x> -86400 -0330", "Name", "a@x", -86400, -210},        // before 1970: kept
      {"Name <e>x> 5 +0100", "Name", "e", 5, 60},     // stray '>': date after the last
      {"NoBrackets 1700000000 +0100", "", "", 0, 0},  // git shows nothing either
      {"Name <unclosed 1700000000 +0100", "", "", 0, 0},
      {"Trailing Dot. <d@x> 1 +0000", "Trailing Dot.", "d@x", 1, 0},
      {"Tab\tName\t <t@x> 1 +0000", "Tab\tName", "t@x", 1, 0},
  };
  for (const Case& c : cases) {
    Signature s = ParseSignature(c.ident);
    EXPECT_EQ(s.name, c.name) << c.ident;
    EXPECT_EQ(s.email, c.email) << c.ident;
    EXPECT_EQ(s.time, c.time) << c.ident;
    EXPECT_EQ(s.offset_minutes, c.offset) << c.ident;
  }
}

TEST(ObjectsTest, CommitEdgeCases) {
  // No message, no trailing newline.
  auto c = ParseCommit("tree " + kTree + "\nauthor A <a@x> 1 +0000\ncommitter A <a@x> 1 +0000");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->message, "");
  EXPECT_EQ(c->committer.name, "A");
  // Only the parents right after the tree are parents (as in git); the
  // first author counts.
  c = ParseCommit("tree " + kTree + "\nparent " + kP1 + "\nauthor A <a@x> 1 +0000\nparent " + kP2 +
                  "\nauthor B <b@x> 2 +0000\n\n\nstarts with a blank line\n");
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(c->parents.size(), 1u);
  EXPECT_EQ(c->author.name, "A");
  EXPECT_EQ(c->message, "\nstarts with a blank line\n");
  // Malformed commits.
  for (const std::string& raw :
       {std::string(), "parent " + kP1 + "\ntree " + kTree + "\n", "tree " + kTree.substr(1) + "\n",
        "tree " + kTree + "\nparent xyz\n",
        "tree " + kTree + "\nparent " + kP1.substr(0, 39) + "g\n"}) {
    auto bad = ParseCommit(raw);
    ASSERT_FALSE(bad.ok()) << raw;
    EXPECT_EQ(bad.status().code(), StatusCode::kDataLoss);
  }
  // Reuse: the second parse leaves nothing of the first.
  Commit reused;
  ASSERT_TRUE(ParseCommit("tree " + kTree + "\nparent " + kP1 + "\nencoding X\n\nm", &reused).ok());
  ASSERT_TRUE(ParseCommit("tree " + kTree + "\n\nn", &reused).ok());
  EXPECT_TRUE(reused.parents.empty());
  EXPECT_EQ(reused.encoding, "");
  EXPECT_EQ(reused.message, "n");
}

TEST(ObjectsTest, ParsesTags) {
  auto t = ParseTag("object " + kTree +
                    "\ntype tree\ntag tree-tag\n"
                    "tagger T Agger. <t@x> 1700000000 +0530\n\na tree\n");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->object.Hex(), kTree);
  EXPECT_EQ(t->type, ObjectType::kTree);
  EXPECT_EQ(t->name, "tree-tag");
  ASSERT_TRUE(t->tagger.has_value());
  EXPECT_EQ(t->tagger->name, "T Agger.");
  EXPECT_EQ(t->tagger->offset_minutes, 330);
  EXPECT_EQ(t->message, "a tree\n");
  // Old tags have no tagger; signed ones keep the signature in the message.
  t = ParseTag("object " + kP1 + "\ntype blob\ntag v0.99\n\nold\n-----BEGIN PGP SIGNATURE-----\n");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->type, ObjectType::kBlob);
  EXPECT_FALSE(t->tagger.has_value());
  EXPECT_EQ(t->message, "old\n-----BEGIN PGP SIGNATURE-----\n");
  t = ParseTag("object " + kP1 + "\ntype tag\ntag nested\n\n");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->type, ObjectType::kTag);
  for (const std::string& raw :
       {std::string("type commit\ntag x\n\n"), "object " + kP1 + "\ntype bogus\ntag x\n\n",
        "object " + kP1 + "\ntag x\n\n", std::string("object 12\ntype commit\n\n")}) {
    auto bad = ParseTag(raw);
    ASSERT_FALSE(bad.ok()) << raw;
    EXPECT_EQ(bad.status().code(), StatusCode::kDataLoss);
  }
}

std::string TreeEntryBytes(const std::string& mode, const std::string& name, uint8_t fill) {
  return mode + " " + name + std::string(1, '\0') + std::string(20, static_cast<char>(fill));
}

TEST(ObjectsTest, IteratesTreesWithEveryMode) {
  const std::string raw =
      TreeEntryBytes("100644", "a.txt", 1) + TreeEntryBytes("100664", "old", 2) +
      TreeEntryBytes("100755", "run.sh", 3) + TreeEntryBytes("120000", "link", 4) +
      TreeEntryBytes("160000", "sub", 5) + TreeEntryBytes("40000", "dir", 6) +
      TreeEntryBytes("040000", "padded", 7) + TreeEntryBytes("100644", "caf\xc3\xa9 \x01.txt", 8);
  const std::vector<std::pair<uint32_t, std::string>> want = {
      {0100644, "a.txt"}, {0100664, "old"}, {0100755, "run.sh"}, {0120000, "link"},
      {0160000, "sub"},   {040000, "dir"},  {040000, "padded"},  {0100644, "caf\xc3\xa9 \x01.txt"}};
  TreeIterator it(raw);
  TreeEntry e;
  size_t n = 0;
  while (it.Next(&e)) {
    ASSERT_LT(n, want.size());
    EXPECT_EQ(e.mode, want[n].first);
    EXPECT_EQ(e.name, want[n].second);
    EXPECT_EQ(e.id.bytes[0], n + 1);
    ++n;
  }
  EXPECT_TRUE(it.status().ok()) << it.status().ToString();
  EXPECT_EQ(n, want.size());
  TreeIterator empty("");
  EXPECT_FALSE(empty.Next(&e));
  EXPECT_TRUE(empty.status().ok());
}

TEST(ObjectsTest, MalformedTreesAreDataLoss) {
  const std::string good = TreeEntryBytes("100644", "ok", 1);
  const std::string cases[] = {
      "10a644 x" + std::string(1, '\0') + std::string(20, 'i'),    // not octal
      " x" + std::string(1, '\0') + std::string(20, 'i'),          // empty mode
      "100644" + std::string(1, '\0') + std::string(20, 'i'),      // no space
      "100644 no-nul-after-name",                                  // missing NUL
      "100644 x" + std::string(1, '\0') + std::string(19, 'i'),    // truncated id
      "100644 " + std::string(1, '\0') + std::string(20, 'i'),     // empty name
      "12345670 x" + std::string(1, '\0') + std::string(20, 'i'),  // 8-digit mode
  };
  for (const std::string& bad : cases) {
    const std::string raw = good + bad;  // the iterator points into it
    TreeIterator it(raw);
    TreeEntry e;
    ASSERT_TRUE(it.Next(&e));  // the good entry first
    EXPECT_FALSE(it.Next(&e));
    EXPECT_EQ(it.status().code(), StatusCode::kDataLoss) << bad;
    EXPECT_NE(it.status().message().find("byte " + std::to_string(good.size())), std::string::npos)
        << it.status().message();
    EXPECT_FALSE(it.Next(&e));  // stays failed
  }
}

TEST(ObjectsTest, ParseObjectType) {
  EXPECT_EQ(ParseObjectType("commit"), ObjectType::kCommit);
  EXPECT_EQ(ParseObjectType("tree"), ObjectType::kTree);
  EXPECT_EQ(ParseObjectType("blob"), ObjectType::kBlob);
  EXPECT_EQ(ParseObjectType("tag"), ObjectType::kTag);
  EXPECT_EQ(ParseObjectType("Blob"), ObjectType::kNone);
  EXPECT_EQ(ParseObjectType(""), ObjectType::kNone);
}

// Every commit, tag and tree of a generated repository parses to what git
// prints for it.
TEST(ObjectsTest, AgreesWithGitOnARealRepository) {
  TempDir dir;
  const std::string git_dir = testutil::MakeLooseRepo(dir.Sub("repo"), 120);
  auto db = ObjectDb::Open(git_dir);
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  auto reader = (*db)->NewReader();
  // Every name is ASCII but one in ISO-8859-1: print them all in it.
  auto log =
      RunCommand({"git", "--git-dir", git_dir, "log", "--all", "--encoding=ISO-8859-1",
                  "--format=%H%x00%T%x00%P%x00%an%x00%ae%x00%at%x00%ai%x00%cn%x00%ce%x00%ct"});
  ASSERT_EQ(log.exit_code, 0) << log.err;
  std::istringstream lines(log.out);
  std::string line, raw;
  int commits = 0, octopus = 0, latin1 = 0;
  while (std::getline(lines, line)) {
    std::vector<std::string> f;
    for (size_t pos = 0;;) {
      size_t z = line.find('\0', pos);
      f.push_back(line.substr(pos, z - pos));
      if (z == std::string::npos) break;
      pos = z + 1;
    }
    ASSERT_EQ(f.size(), 10u) << line;
    ObjectType type;
    ASSERT_TRUE(reader->Read(*ObjectId::FromHex(f[0]), &type, &raw).ok());
    auto c = ParseCommit(raw);
    ASSERT_TRUE(c.ok()) << f[0];
    EXPECT_EQ(c->tree.Hex(), f[1]);
    std::string parents;
    for (const ObjectId& p : c->parents) {
      if (!parents.empty()) parents += ' ';
      p.AppendHex(&parents);
    }
    EXPECT_EQ(parents, f[2]);
    EXPECT_EQ(c->author.name, f[3]);
    EXPECT_EQ(c->author.email, f[4]);
    EXPECT_EQ(std::to_string(c->author.time), f[5]);
    const int32_t zone = c->author.offset_minutes;
    char want_zone[16];
    std::snprintf(want_zone, sizeof(want_zone), "%c%02d%02d", zone < 0 ? '-' : '+',
                  std::abs(zone) / 60, std::abs(zone) % 60);
    EXPECT_EQ(f[6].substr(f[6].size() - 5), want_zone) << f[0];
    EXPECT_EQ(c->committer.name, f[7]);
    EXPECT_EQ(c->committer.email, f[8]);
    EXPECT_EQ(std::to_string(c->committer.time), f[9]);
    octopus += c->parents.size() == 3;
    latin1 += c->encoding == "ISO-8859-1";
    ++commits;
  }
  EXPECT_GE(commits, 120);
  EXPECT_EQ(octopus, 1);
  EXPECT_EQ(latin1, 1);
  // The tree of the tip, entry by entry, against `git ls-tree`.
  std::string listed, want_listed;
  for (const char* rev : {"main^{tree}", "main:src"}) {
    auto ls = RunCommand({"git", "--git-dir", git_dir, "ls-tree", "-z", rev});
    ASSERT_EQ(ls.exit_code, 0) << ls.err;
    want_listed += ls.out;
    auto id = RunCommand({"git", "--git-dir", git_dir, "rev-parse", rev});
    ObjectType type;
    ASSERT_TRUE(reader->Read(*ObjectId::FromHex(id.out.substr(0, 40)), &type, &raw).ok());
    ASSERT_EQ(type, ObjectType::kTree);
    TreeIterator it(raw);
    TreeEntry e;
    while (it.Next(&e)) {
      char mode[8];
      std::snprintf(mode, sizeof(mode), "%06o", e.mode);
      const char* kind = e.mode == 040000 ? "tree" : e.mode == 0160000 ? "commit" : "blob";
      listed += std::string(mode) + " " + kind + " " + e.id.Hex() + "\t" + std::string(e.name);
      listed.push_back('\0');
    }
    ASSERT_TRUE(it.status().ok());
  }
  EXPECT_EQ(listed, want_listed);
  // The annotated tags, on a commit, a tree and a blob.
  std::map<std::string, ObjectType> tags = {{"v10", ObjectType::kCommit},
                                            {"tree-tag", ObjectType::kTree},
                                            {"blob-tag", ObjectType::kBlob}};
  for (const auto& [name, want] : tags) {
    auto id = RunCommand({"git", "--git-dir", git_dir, "rev-parse", "refs/tags/" + name});
    ObjectType type;
    ASSERT_TRUE(reader->Read(*ObjectId::FromHex(id.out.substr(0, 40)), &type, &raw).ok());
    ASSERT_EQ(type, ObjectType::kTag);
    auto t = ParseTag(raw);
    ASSERT_TRUE(t.ok()) << name;
    EXPECT_EQ(t->name, name);
    EXPECT_EQ(t->type, want);
    ASSERT_TRUE(t->tagger.has_value());
    auto target = RunCommand({"git", "--git-dir", git_dir, "rev-parse", name + "^{}"});
    EXPECT_EQ(t->object.Hex(), target.out.substr(0, 40));
  }
}

}  // namespace
}  // namespace sei::git
