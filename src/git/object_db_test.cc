// The object database returns, for every object of real repositories that
// git 2.39 wrote, the same type, size and bytes as `git cat-file --batch`:
// all loose; one pack with delta chains up to 250 deep (OFS_DELTA); REF_DELTA
// packs; several packs plus loose objects; index version 1; 64-bit offset
// tables; alternates (chained, relative); a tiny delta-base cache, a cache
// that admits nothing, and two threads at once. Also NotFound for missing
// ids and a clear InvalidArgument for what is not a git directory.
#include "git/object_db.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <map>
#include <random>
#include <thread>
#include <vector>

#include "git/object_db_test_util.h"
#include "git/object_store.h"
#include "git/object_store_reader.h"
#include "git/pack_file.h"
#include "testing/test_util.h"

namespace sei::git {
namespace {

using sei::testing::RunCommand;
using sei::testing::RunShell;
using sei::testing::TempDir;
using testutil::AllObjects;
using testutil::GitObject;

// Reads every object git lists through a fresh ObjectDb and reader, in id
// order and then in a shuffled order, checking type, size and bytes.
// Returns the reader's stats.
ObjectReader::Stats ExpectReadsEverything(const std::string& git_dir,
                                          const ObjectDbOptions& options = {},
                                          size_t min_objects = 1000) {
  const std::map<std::string, GitObject> expected = AllObjects(git_dir);
  EXPECT_GE(expected.size(), min_objects);
  auto db = ObjectDb::Open(git_dir, options);
  EXPECT_TRUE(db.ok()) << db.status().ToString();
  if (!db.ok()) return {};
  auto reader = (*db)->NewReader();
  auto* native = dynamic_cast<internal::ObjectStoreReader*>(reader.get());
  std::vector<std::pair<std::string, const GitObject*>> order;
  for (const auto& [hex, obj] : expected) order.emplace_back(hex, &obj);
  std::vector<std::pair<std::string, const GitObject*>> shuffled = order;
  std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937(7));
  order.insert(order.end(), shuffled.begin(), shuffled.end());
  std::string data = "stale contents that must be replaced";
  int mismatches = 0;
  for (const auto& [hex, want] : order) {
    const ObjectId id = *ObjectId::FromHex(hex);
    ObjectType type = ObjectType::kNone;
    Status s = reader->Read(id, &type, &data);
    if (!s.ok() || ObjectTypeName(type) != want->type || data != want->data) {
      ADD_FAILURE() << hex << " (" << want->type << "): " << s.ToString() << ", got "
                    << ObjectTypeName(type) << " of " << data.size() << " bytes, want "
                    << want->data.size();
      if (++mismatches > 5) break;
      continue;
    }
    uint64_t size = 0;
    s = reader->ReadHeader(id, &type, &size);
    EXPECT_TRUE(s.ok()) << hex << ": " << s.ToString();
    EXPECT_EQ(ObjectTypeName(type), want->type) << hex;
    EXPECT_EQ(size, want->data.size()) << hex;
    if (native != nullptr) {
      EXPECT_LE(native->cache_bytes(), options.delta_base_cache_bytes);
    }
  }
  return reader->stats();
}

// What a pack holds: entries by kind, and the longest delta chain.
struct PackShape {
  std::map<internal::PackEntryKind, int> kinds;
  int max_depth = 0;
};

PackShape ShapeOf(const std::string& pack_path) {
  PackShape shape;
  auto pack = internal::PackFile::Open(pack_path);
  EXPECT_TRUE(pack.ok()) << pack.status().ToString();
  if (!pack.ok()) return shape;
  const internal::PackIndex& index = (*pack)->index();
  for (uint32_t i = 0; i < index.count(); ++i) {
    internal::PackEntry e;
    EXPECT_TRUE((*pack)->ReadEntry(index.OffsetAt(i), &e).ok());
    shape.kinds[e.kind]++;
    int depth = 0;
    while (e.is_delta() && depth < 100000) {
      uint64_t base = e.base_offset;
      if (e.kind == internal::PackEntryKind::kRefDelta) base = *(*pack)->Find(e.base_id);
      EXPECT_TRUE((*pack)->ReadEntry(base, &e).ok());
      ++depth;
    }
    shape.max_depth = std::max(shape.max_depth, depth);
  }
  return shape;
}

std::vector<std::string> Packs(const std::string& git_dir) {
  std::vector<std::string> packs;
  for (const auto& e : std::filesystem::directory_iterator(git_dir + "/objects/pack")) {
    if (e.path().extension() == ".pack") packs.push_back(e.path().string());
  }
  std::sort(packs.begin(), packs.end());
  return packs;
}

int CountLoose(const std::string& git_dir) {
  auto r = RunCommand({"git", "--git-dir", git_dir, "count-objects"});
  return std::atoi(r.out.c_str());
}

void Git(const std::string& git_dir, const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"git", "--git-dir", git_dir};
  argv.insert(argv.end(), args.begin(), args.end());
  auto r = RunCommand(argv);
  ASSERT_EQ(r.exit_code, 0) << r.err;
}

// Makes `n` more commits in the working tree of `git_dir` (loose objects).
void Commit(const std::string& git_dir, int n, const std::string& tag) {
  std::string work = std::filesystem::path(git_dir).parent_path().string();
  auto r =
      RunShell("git checkout -q main 2>/dev/null; for i in $(seq " + std::to_string(n) +
                   "); do echo \"" + tag + " $i\" >> src/big.txt && echo " + tag + " > new-" + tag +
                   "-$i.txt && git add -A && git -c user.name=N -c "
                   "user.email=n@x commit -qm \"" +
                   tag + " $i\"; done",
               work);
  ASSERT_EQ(r.exit_code, 0) << r.err;
}

class ObjectDbTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    template_dir_ = new TempDir();
    testutil::MakeLooseRepo(template_dir_->Sub("repo"));
  }
  static void TearDownTestSuite() {
    delete template_dir_;
    template_dir_ = nullptr;
  }

  // A private copy of the all-loose repository; returns its git directory.
  std::string CopyRepo(const std::string& name = "repo") {
    auto r = RunCommand({"cp", "-a", template_dir_->Sub("repo"), dir_.Sub(name)});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return dir_.Sub(name) + "/.git";
  }

  static TempDir* template_dir_;
  TempDir dir_;
};

TempDir* ObjectDbTest::template_dir_ = nullptr;

TEST_F(ObjectDbTest, ReadsLooseObjects) {
  std::string git_dir = CopyRepo();
  ASSERT_TRUE(Packs(git_dir).empty());
  ASSERT_GT(CountLoose(git_dir), 1000);
  ExpectReadsEverything(git_dir);
}

TEST_F(ObjectDbTest, ReadsDeepOfsDeltaChains) {
  std::string git_dir = CopyRepo();
  Git(git_dir, {"repack", "-a", "-d", "-f", "-q", "--depth=250", "--window=50"});
  ASSERT_EQ(Packs(git_dir).size(), 1u);
  PackShape shape = ShapeOf(Packs(git_dir)[0]);
  EXPECT_GT(shape.kinds[internal::PackEntryKind::kOfsDelta], 500);
  EXPECT_EQ(shape.kinds[internal::PackEntryKind::kRefDelta], 0);
  EXPECT_GE(shape.max_depth, 100);
  ObjectReader::Stats stats = ExpectReadsEverything(git_dir);
  EXPECT_GT(stats.delta_cache_hits, 0u);
}

TEST_F(ObjectDbTest, ReadsRefDeltas) {
  std::string git_dir = CopyRepo();
  Git(git_dir, {"-c", "repack.useDeltaBaseOffset=false", "repack", "-a", "-d", "-f", "-q"});
  PackShape shape = ShapeOf(Packs(git_dir)[0]);
  EXPECT_GT(shape.kinds[internal::PackEntryKind::kRefDelta], 500);
  EXPECT_EQ(shape.kinds[internal::PackEntryKind::kOfsDelta], 0);
  ExpectReadsEverything(git_dir);
}

TEST_F(ObjectDbTest, ReadsSeveralPacksAndLooseObjectsTogether) {
  std::string git_dir = CopyRepo();
  Git(git_dir, {"repack", "-a", "-d", "-q"});
  Git(git_dir, {"--work-tree", dir_.Sub("repo"), "reset", "-q", "--hard"});
  Commit(git_dir, 5, "first");
  Git(git_dir, {"repack", "-d", "-q"});  // packs only the new loose objects
  Commit(git_dir, 5, "second");
  Git(git_dir, {"-c", "repack.useDeltaBaseOffset=false", "repack", "-d", "-q"});
  Commit(git_dir, 3, "loose");
  ASSERT_EQ(Packs(git_dir).size(), 3u);
  ASSERT_GT(CountLoose(git_dir), 0);
  ExpectReadsEverything(git_dir);
}

TEST_F(ObjectDbTest, ReadsIndexVersion1) {
  std::string git_dir = CopyRepo();
  Git(git_dir, {"repack", "-a", "-d", "-q"});
  auto r =
      RunShell("cd " + git_dir +
               " && git rev-list --objects --all | "
               "git pack-objects -q --index-version=1 ../v1 >/dev/null && rm objects/pack/* && "
               "mv ../v1-*.pack ../v1-*.idx objects/pack/");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto idx =
      internal::PackIndex::Open(Packs(git_dir)[0].substr(0, Packs(git_dir)[0].size() - 5) + ".idx");
  ASSERT_TRUE(idx.ok()) << idx.status().ToString();
  EXPECT_EQ((*idx)->version(), 1);
  ExpectReadsEverything(git_dir);
}

TEST_F(ObjectDbTest, ReadsSixtyFourBitOffsetTable) {
  std::string git_dir = CopyRepo();
  // --index-version=2,<offset>: entries past <offset> go to the 64-bit
  // table, as they would past 2 GiB.
  auto r = RunShell("cd " + git_dir +
                    " && git rev-list --objects --all | "
                    "git pack-objects -q --index-version=2,0x40 objects/pack/pack >/dev/null && "
                    "git prune-packed");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string pack = Packs(git_dir)[0];
  auto idx = internal::PackIndex::Open(pack.substr(0, pack.size() - 5) + ".idx");
  ASSERT_TRUE(idx.ok());
  const uint64_t n = (*idx)->count();
  const uint64_t table_bytes =
      std::filesystem::file_size(pack.substr(0, pack.size() - 5) + ".idx") -
      (8 + 1024 + n * 28 + 40);
  EXPECT_GT(table_bytes / 8, n / 2);  // most offsets are in the 64-bit table
  ExpectReadsEverything(git_dir);
}

TEST_F(ObjectDbTest, ReadsThroughAlternates) {
  std::string base = CopyRepo();
  Git(base, {"repack", "-a", "-d", "-q"});
  // clone --shared: objects/info/alternates names the base's objects.
  std::string shared = dir_.Sub("shared");
  ASSERT_EQ(RunCommand({"git", "clone", "-q", "--shared", dir_.Sub("repo"), shared}).exit_code, 0);
  Commit(shared + "/.git", 3, "shared");
  // A clone of that clone reaches the base through two alternates files.
  std::string chained = dir_.Sub("chained");
  ASSERT_EQ(RunCommand({"git", "clone", "-q", "--shared", shared, chained}).exit_code, 0);
  Commit(chained + "/.git", 2, "chained");
  ExpectReadsEverything(chained + "/.git");
  // A relative path, relative to the objects directory.
  ASSERT_TRUE(sei::testing::WriteFile(shared + "/.git/objects/info/alternates",
                                      "# comment\n../../../repo/.git/objects\n"));
  ExpectReadsEverything(shared + "/.git");
  // A listed alternate that does not exist is skipped, and named when an
  // object is then missing.
  ASSERT_TRUE(sei::testing::WriteFile(shared + "/.git/objects/info/alternates", "/nonexistent\n"));
  auto db = ObjectDb::Open(shared + "/.git");
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  ObjectType type;
  std::string data;
  auto head = RunCommand({"git", "-C", dir_.Sub("repo"), "rev-parse", "main~5"});
  Status s = (*db)->NewReader()->Read(*ObjectId::FromHex(head.out.substr(0, 40)), &type, &data);
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_NE(s.message().find("/nonexistent"), std::string::npos) << s.message();
}

TEST_F(ObjectDbTest, TinyAndDisabledCachesGiveTheSameBytes) {
  std::string git_dir = CopyRepo();
  Git(git_dir, {"repack", "-a", "-d", "-f", "-q", "--depth=250", "--window=50"});
  ObjectDbOptions tiny;
  tiny.delta_base_cache_bytes = 1024;  // evicts on nearly every insert
  ExpectReadsEverything(git_dir, tiny);
  ObjectDbOptions small_objects;
  small_objects.delta_base_max_object_bytes = 4096;  // the big file's versions never cached
  ExpectReadsEverything(git_dir, small_objects);
  ObjectDbOptions none;
  none.delta_base_cache_bytes = 0;
  ObjectReader::Stats stats = ExpectReadsEverything(git_dir, none);
  EXPECT_EQ(stats.delta_cache_hits, 0u);
}

TEST_F(ObjectDbTest, TwoThreadsWithTwoReaders) {
  std::string git_dir = CopyRepo();
  Git(git_dir, {"repack", "-a", "-d", "-q", "--depth=100"});
  Commit(git_dir, 2, "loose");
  const auto expected = AllObjects(git_dir);
  ObjectDbOptions options;
  options.delta_base_cache_bytes = 256 << 10;
  auto db = ObjectDb::Open(git_dir, options);
  ASSERT_TRUE(db.ok());
  // Release the mapped pages every 64 KiB inflated, so releases race reads.
  auto* store = dynamic_cast<internal::ObjectStore*>(db->get());
  ASSERT_NE(store, nullptr);
  for (const auto& pack : store->packs()) pack->SetReleaseEveryForTesting(64 << 10);
  std::atomic<int> bad{0};
  auto work = [&](bool reverse) {
    auto reader = (*db)->NewReader();
    std::string data;
    ObjectType type;
    auto check = [&](const std::string& hex, const GitObject& want) {
      if (!reader->Read(*ObjectId::FromHex(hex), &type, &data).ok() || data != want.data) ++bad;
    };
    for (int pass = 0; pass < 2; ++pass) {
      if (reverse) {
        for (auto it = expected.rbegin(); it != expected.rend(); ++it) check(it->first, it->second);
      } else {
        for (const auto& [hex, want] : expected) check(hex, want);
      }
    }
  };
  std::thread a(work, false), b(work, true);
  a.join();
  b.join();
  EXPECT_EQ(bad.load(), 0);
}

TEST_F(ObjectDbTest, MissingObjectIsNotFound) {
  std::string git_dir = CopyRepo();
  Git(git_dir, {"repack", "-a", "-q"});  // a pack and the loose copies
  auto db = ObjectDb::Open(git_dir);
  ASSERT_TRUE(db.ok());
  auto reader = (*db)->NewReader();
  const std::string hex(40, 'e');
  ObjectType type;
  std::string data;
  Status s = reader->Read(*ObjectId::FromHex(hex), &type, &data);
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_NE(s.message().find(hex), std::string::npos) << s.message();
  uint64_t size = 0;
  EXPECT_EQ(reader->ReadHeader(*ObjectId::FromHex(hex), &type, &size).code(),
            StatusCode::kNotFound);
}

TEST_F(ObjectDbTest, OpensWorktreeGitFiles) {
  std::string git_dir = CopyRepo();
  auto r = RunShell("git worktree add -q ../wt v10", dir_.Sub("repo"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // The worktree's .git is a file ("gitdir: ...") naming a directory whose
  // "commondir" leads back to the main repository's objects.
  auto db = ObjectDb::Open(dir_.Sub("wt") + "/.git");
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  auto head = RunCommand({"git", "-C", dir_.Sub("wt"), "rev-parse", "HEAD"});
  ObjectType type;
  std::string data;
  ASSERT_TRUE(
      (*db)->NewReader()->Read(*ObjectId::FromHex(head.out.substr(0, 40)), &type, &data).ok());
  EXPECT_EQ(type, ObjectType::kCommit);
}

TEST_F(ObjectDbTest, NotAGitDirectoryIsInvalidArgument) {
  TempDir t;
  for (const std::string& path : {t.path(), t.Sub("missing"), t.Sub("file")}) {
    if (path == t.Sub("file")) {
      ASSERT_TRUE(sei::testing::WriteFile(path, "not git\n"));
    }
    auto db = ObjectDb::Open(path);
    ASSERT_FALSE(db.ok()) << path;
    EXPECT_EQ(db.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(db.status().message().find(path), std::string::npos) << db.status().message();
    EXPECT_NE(db.status().message().find("expected a git directory"), std::string::npos)
        << db.status().message();
  }
  // A working tree: the message says to pass its .git.
  CopyRepo();
  auto db = ObjectDb::Open(dir_.Sub("repo"));
  ASSERT_FALSE(db.ok());
  EXPECT_NE(db.status().message().find("pass its .git"), std::string::npos)
      << db.status().message();
}

TEST(ObjectIdTest, HexRoundTrip) {
  const std::string hex = "0123456789abcdef0123456789ABCDEF01234567";
  auto id = ObjectId::FromHex(hex);
  ASSERT_TRUE(id.has_value());
  EXPECT_EQ(id->bytes[0], 0x01);
  EXPECT_EQ(id->bytes[19], 0x67);
  EXPECT_EQ(id->Hex(), "0123456789abcdef0123456789abcdef01234567");
  std::string s = "id=";
  id->AppendHex(&s);
  EXPECT_EQ(s, "id=0123456789abcdef0123456789abcdef01234567");
  EXPECT_FALSE(id->IsZero());
  EXPECT_TRUE(ObjectId().IsZero());
  EXPECT_TRUE(ObjectId::FromHex(std::string(40, '0'))->IsZero());
  EXPECT_FALSE(ObjectId::FromHex(hex.substr(1)).has_value());
  EXPECT_FALSE(ObjectId::FromHex(hex + "0").has_value());
  EXPECT_FALSE(ObjectId::FromHex(std::string(39, '0') + "g").has_value());
  EXPECT_FALSE(ObjectId::FromHex("").has_value());
  EXPECT_EQ(ObjectIdHash()(*id), ObjectIdHash()(*ObjectId::FromHex(hex)));
}

}  // namespace
}  // namespace sei::git
