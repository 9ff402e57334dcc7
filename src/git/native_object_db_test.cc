// The native object reader returns, for every object of real repositories
// written by git, the same type and bytes as `git cat-file --batch`: loose
// objects, deep OFS_DELTA chains, REF_DELTA packs, several packs at once,
// index version 1, alternates, and a tiny delta-base cache. Corrupt and
// truncated files give DataLoss naming the object, never a crash.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <thread>

#include "git/native_object_db.h"
#include "git/object_db.h"
#include "git/objects.h"
#include "testing/test_util.h"

namespace sei::git {
namespace {

using sei::testing::RunCommand;
using sei::testing::RunShell;
using sei::testing::TempDir;

struct Expected {
  std::string type;
  std::string data;
};

// Every object of the repository, as git reads it.
std::map<std::string, Expected> AllObjects(const std::string& git_dir) {
  auto r = RunCommand(
      {"git", "--git-dir", git_dir, "cat-file", "--batch-all-objects", "--batch", "--unordered"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::map<std::string, Expected> out;
  size_t pos = 0;
  while (pos < r.out.size()) {
    size_t nl = r.out.find('\n', pos);
    std::string header = r.out.substr(pos, nl - pos);
    size_t s1 = header.find(' '), s2 = header.find(' ', s1 + 1);
    size_t size = std::stoull(header.substr(s2 + 1));
    out[header.substr(0, s1)] = {header.substr(s1 + 1, s2 - s1 - 1), r.out.substr(nl + 1, size)};
    pos = nl + 1 + size + 1;
  }
  return out;
}

// A repository with 120 commits of evolving files (real deltas), written by
// one `git fast-import`.
std::string MakeRepo(const TempDir& t) {
  std::string repo = t.Sub("repo");
  EXPECT_EQ(RunCommand({"git", "init", "-q", "-b", "main", repo}).exit_code, 0);
  std::string stream;
  auto blob = [&](const std::string& path, const std::string& content) {
    stream += "M 100644 inline " + path + "\ndata " + std::to_string(content.size()) + "\n" +
              content + "\n";
  };
  std::string a, b, c;
  for (int i = 1; i <= 120; ++i) {
    stream += "commit refs/heads/main\ncommitter T <t@x> " + std::to_string(1700000000 + i) +
              " +0000\ndata 3\nc" + std::to_string(i % 10) + "\n";
    std::string big;
    for (int k = 1; k <= i * 7; ++k) {
      big += (k % 10 == 5 ? "five-" + std::to_string(i) : std::to_string(k)) + "\n";
    }
    a += "a " + std::to_string(i) + "\n";
    b += "b " + std::to_string(i) + "\n";
    c += "c " + std::to_string(i) + "\n";
    blob("big.txt", big);
    blob("a.txt", a);
    blob("b.txt", b);
    blob("dir/c.txt", c);
    blob("pad.txt", std::string(static_cast<size_t>(i) * 13, 'x'));
    stream += "\n";
  }
  auto r = RunCommand({"git", "-C", repo, "fast-import", "--quiet"}, "", {}, stream);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  // fast-import writes one pack; start these tests from loose objects.
  RunShell("cd " + repo +
           " && git unpack-objects -q < $(ls .git/objects/pack/*.pack) 2>/dev/null;"
           " mkdir -p ../packs && mv .git/objects/pack/* ../packs/ 2>/dev/null; "
           "for p in ../packs/*.pack; do git unpack-objects -q < $p; done; "
           "git tag -a v1 -m t HEAD~3 >/dev/null 2>&1; true");
  return repo + "/.git";
}

void ExpectReadsEverything(const std::string& git_dir, ObjectDbOptions options = {}) {
  auto expected = AllObjects(git_dir);
  ASSERT_GT(expected.size(), 300u);
  auto db = NativeObjectDb::Open(git_dir, options);
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  auto reader = (*db)->NewReader();
  std::string data;
  for (const auto& [hex, want] : expected) {
    ObjectType type = ObjectType::kNone;
    Status s = reader->Read(*ObjectId::FromHex(hex), &type, &data);
    ASSERT_TRUE(s.ok()) << hex << ": " << s.ToString();
    EXPECT_EQ(ObjectTypeName(type), want.type) << hex;
    ASSERT_EQ(data, want.data) << hex;
  }
}

TEST(NativeObjectDbTest, LooseObjects) {
  TempDir t;
  ExpectReadsEverything(MakeRepo(t));
}

TEST(NativeObjectDbTest, DeepOfsDeltaChains) {
  TempDir t;
  std::string git_dir = MakeRepo(t);
  ASSERT_EQ(RunCommand({"git", "--git-dir", git_dir, "repack", "-a", "-d", "-f", "-q",
                        "--depth=250", "--window=50"})
                .exit_code,
            0);
  ExpectReadsEverything(git_dir);
  ObjectDbOptions tiny;
  tiny.delta_base_cache_bytes = 1024;  // eviction on every read
  ExpectReadsEverything(git_dir, tiny);
}

TEST(NativeObjectDbTest, RefDeltasSeveralPacksAndLooseTogether) {
  TempDir t;
  std::string git_dir = MakeRepo(t);
  auto r =
      RunShell("cd " + git_dir +
               "/.. && git -c repack.useDeltaBaseOffset=false repack -a "
               "-d -f -q && git reset -q --hard && export GIT_AUTHOR_NAME=T GIT_AUTHOR_EMAIL=t@x "
               "GIT_COMMITTER_NAME=T GIT_COMMITTER_EMAIL=t@x && for i in 1 2 3; do echo "
               "more$i >> a.txt; git commit -qam m$i; done && git repack -d -q && echo loose "
               ">> b.txt && git commit -qam loose");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ExpectReadsEverything(git_dir);
}

TEST(NativeObjectDbTest, IndexVersionOneAndAlternates) {
  TempDir t;
  std::string git_dir = MakeRepo(t);
  auto r = RunShell("cd " + git_dir +
                    " && git repack -a -d -q && for p in objects/pack/*.pack; "
                    "do git index-pack --index-version=1 -o ${p%.pack}.idx $p >/dev/null; done");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ExpectReadsEverything(git_dir);
  std::string shared = t.Sub("shared");
  ASSERT_EQ(RunCommand({"git", "clone", "-q", "--shared", git_dir, shared}).exit_code, 0);
  RunShell("cd " + shared +
           " && echo new > n.txt && git add n.txt && git -c user.name=a -c "
           "user.email=b commit -qm n");
  ExpectReadsEverything(shared + "/.git");
}

TEST(NativeObjectDbTest, TwoThreadsReadConcurrently) {
  TempDir t;
  std::string git_dir = MakeRepo(t);
  RunCommand({"git", "--git-dir", git_dir, "repack", "-a", "-d", "-q"});
  auto expected = AllObjects(git_dir);
  auto db = NativeObjectDb::Open(git_dir, {});
  ASSERT_TRUE(db.ok());
  std::atomic<int> mismatches{0};
  auto work = [&] {
    auto reader = (*db)->NewReader();
    std::string data;
    ObjectType type;
    for (const auto& [hex, want] : expected) {
      if (!reader->Read(*ObjectId::FromHex(hex), &type, &data).ok() || data != want.data) {
        ++mismatches;
      }
    }
  };
  std::thread a(work), b(work);
  a.join();
  b.join();
  EXPECT_EQ(mismatches.load(), 0);
}

TEST(NativeObjectDbTest, MissingAndCorruptObjectsAreClearErrors) {
  TempDir t;
  std::string git_dir = MakeRepo(t);
  RunCommand({"git", "--git-dir", git_dir, "repack", "-a", "-d", "-f", "-q", "--depth=50"});
  auto db = NativeObjectDb::Open(git_dir, {});
  ASSERT_TRUE(db.ok());
  std::string data;
  ObjectType type;
  Status missing = (*db)->NewReader()->Read(*ObjectId::FromHex(std::string(40, 'e')), &type, &data);
  EXPECT_EQ(missing.code(), StatusCode::kNotFound);
  // Flip bytes through the middle of the pack's data: every read either
  // succeeds with the right bytes or fails with DataLoss naming the object.
  auto expected = AllObjects(git_dir);
  std::string pack;
  for (const auto& e : std::filesystem::directory_iterator(git_dir + "/objects/pack")) {
    if (e.path().extension() == ".pack") pack = e.path().string();
  }
  std::string bytes = sei::testing::ReadFile(pack);
  for (size_t i = 200; i + 20 < bytes.size(); i += bytes.size() / 37) bytes[i] ^= 0x5a;
  ASSERT_TRUE(sei::testing::WriteFile(pack, bytes));
  auto corrupt = NativeObjectDb::Open(git_dir, {});
  ASSERT_TRUE(corrupt.ok());
  auto reader = (*corrupt)->NewReader();
  int failures = 0;
  for (const auto& [hex, want] : expected) {
    Status s = reader->Read(*ObjectId::FromHex(hex), &type, &data);
    if (!s.ok()) {
      ++failures;
      EXPECT_EQ(s.code(), StatusCode::kDataLoss) << s.ToString();
      EXPECT_NE(s.message().find(hex), std::string::npos) << s.message();
    }
  }
  EXPECT_GT(failures, 0);
  // A truncated pack and index are refused at open or read, not crashed on.
  ASSERT_TRUE(sei::testing::WriteFile(pack, bytes.substr(0, bytes.size() / 2)));
  auto truncated = NativeObjectDb::Open(git_dir, {});
  if (truncated.ok()) {
    auto r2 = (*truncated)->NewReader();
    for (const auto& [hex, want] : expected)
      r2->Read(*ObjectId::FromHex(hex), &type, &data).IgnoreError();
  }
  std::string idx = pack.substr(0, pack.size() - 5) + ".idx";
  ASSERT_TRUE(sei::testing::WriteFile(idx, sei::testing::ReadFile(idx).substr(0, 100)));
  auto bad_idx = NativeObjectDb::Open(git_dir, {});
  ASSERT_FALSE(bad_idx.ok());
  EXPECT_NE(bad_idx.status().message().find(".idx"), std::string::npos);
}

TEST(NativeObjectDbTest, NotAGitDirectory) {
  TempDir t;
  auto db = NativeObjectDb::Open(t.path(), {});
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(db.status().message().find("not a git directory"), std::string::npos);
}

}  // namespace
}  // namespace sei::git
