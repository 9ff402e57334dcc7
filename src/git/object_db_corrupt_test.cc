// Corrupt, truncated and hostile object databases give DataLoss (or a clear
// error at Open) naming the object and the file, never a crash, a read out
// of bounds or a huge allocation (run these under ASan/UBSan). Packs are
// both real ones with flipped bytes and hand-written ones whose entries and
// deltas are malformed in one precise way each; the hand-written packs also
// hold delta chains far deeper than git writes, to show the chain walk does
// not recurse.
#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "git/object_db.h"
#include "git/object_db_test_util.h"
#include "git/pack_file.h"
#include "testing/test_util.h"

namespace sei::git {
namespace {

using sei::testing::ReadFile;
using sei::testing::RunCommand;
using sei::testing::RunShell;
using sei::testing::TempDir;
using sei::testing::WriteFile;

std::string Deflate(const std::string& data) {
  uLongf size = compressBound(static_cast<uLong>(data.size()));
  std::string out(size, '\0');
  compress2(reinterpret_cast<Bytef*>(out.data()), &size,
            reinterpret_cast<const Bytef*>(data.data()), static_cast<uLong>(data.size()), 6);
  out.resize(size);
  return out;
}

std::string Varint(uint64_t v) {
  std::string s;
  do {
    uint8_t b = v & 0x7f;
    v >>= 7;
    s.push_back(static_cast<char>(b | (v ? 0x80 : 0)));
  } while (v);
  return s;
}

// One entry of a hand-written pack.
struct Entry {
  Entry(int k, std::string d, int b = -1, ObjectId r = {})
      : kind(k), data(std::move(d)), base(b), ref(r) {}

  int kind;                    // 1-4 objects, 6 OFS_DELTA, 7 REF_DELTA
  std::string data;            // uncompressed payload
  int base;                    // OFS_DELTA: index of the base entry
  ObjectId ref;                // REF_DELTA: the base's id
  int64_t declared_size = -1;  // overrides data.size() in the header
  std::string raw_payload;     // when set, written instead of Deflate(data)
};

ObjectId FakeId(int i) {
  ObjectId id;
  id.bytes[0] = static_cast<uint8_t>(i * 37);
  id.bytes[1] = static_cast<uint8_t>(i >> 8);
  id.bytes[2] = static_cast<uint8_t>(i);
  id.bytes[19] = 0x5a;
  return id;
}

std::string Be32(uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
          static_cast<char>(v)};
}

// Writes entries as a pack and a version-2 index in `git_dir`/objects/pack
// (entry i gets id FakeId(i)). No SHA-1 is computed: the reader never
// verifies them, it only checks the pack trailer equals the index's copy.
void WritePack(const std::string& git_dir, const std::vector<Entry>& entries) {
  std::string pack = "PACK" + Be32(2) + Be32(static_cast<uint32_t>(entries.size()));
  std::vector<uint64_t> offsets;
  for (const Entry& e : entries) {
    offsets.push_back(pack.size());
    uint64_t size = e.declared_size >= 0 ? static_cast<uint64_t>(e.declared_size) : e.data.size();
    uint8_t c = static_cast<uint8_t>((e.kind << 4) | (size & 15));
    size >>= 4;
    while (size) {
      pack.push_back(static_cast<char>(c | 0x80));
      c = size & 0x7f;
      size >>= 7;
    }
    pack.push_back(static_cast<char>(c));
    if (e.kind == 6) {  // git's offset encoding: big-endian, each more byte adds one
      uint64_t rel = offsets.back() - offsets[static_cast<size_t>(e.base)];
      std::string enc(1, static_cast<char>(rel & 0x7f));
      while (rel >>= 7) enc.insert(enc.begin(), static_cast<char>(0x80 | (--rel & 0x7f)));
      pack += enc;
    } else if (e.kind == 7) {
      pack.append(reinterpret_cast<const char*>(e.ref.bytes.data()), 20);
    }
    pack += e.raw_payload.empty() ? Deflate(e.data) : e.raw_payload;
  }
  const std::string checksum(20, '\x42');
  pack += checksum;
  std::vector<int> order(entries.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
  std::sort(order.begin(), order.end(), [](int a, int b) { return FakeId(a) < FakeId(b); });
  std::string idx = "\xfftOc" + Be32(2);
  for (int b = 0; b < 256; ++b) {
    idx += Be32(static_cast<uint32_t>(
        std::count_if(order.begin(), order.end(), [b](int i) { return FakeId(i).bytes[0] <= b; })));
  }
  for (int i : order) idx.append(reinterpret_cast<const char*>(FakeId(i).bytes.data()), 20);
  for (size_t i = 0; i < order.size(); ++i) idx += Be32(0);  // CRCs, unused
  for (int i : order) idx += Be32(static_cast<uint32_t>(offsets[static_cast<size_t>(i)]));
  idx += checksum + std::string(20, '\x17');
  ASSERT_TRUE(WriteFile(git_dir + "/objects/pack/pack-test.pack", pack));
  ASSERT_TRUE(WriteFile(git_dir + "/objects/pack/pack-test.idx", idx));
}

// A delta from `base_size` bytes to `result_size` bytes with `ops`.
std::string Delta(uint64_t base_size, uint64_t result_size, const std::string& ops) {
  return Varint(base_size) + Varint(result_size) + ops;
}

// Copy `len` (< 64 KiB) bytes at `off` (< 16 MiB) of the base.
std::string Copy(uint32_t off, uint32_t len) {
  std::string s(1, static_cast<char>(0x80 | 0x07 | 0x30));
  for (int i = 0; i < 3; ++i) s.push_back(static_cast<char>(off >> (8 * i)));
  for (int i = 0; i < 2; ++i) s.push_back(static_cast<char>(len >> (8 * i)));
  return s;
}

std::string Insert(const std::string& bytes) {
  return std::string(1, static_cast<char>(bytes.size())) + bytes;
}

class ObjectDbCorruptTest : public ::testing::Test {
 protected:
  void SetUp() override {
    git_dir_ = dir_.Sub("repo.git");
    ASSERT_EQ(RunCommand({"git", "init", "-q", "--bare", git_dir_}).exit_code, 0);
  }

  Status ReadEntry(int i, std::string* data, ObjectDbOptions options = {}) {
    auto db = ObjectDb::Open(git_dir_, options);
    if (!db.ok()) return db.status();
    ObjectType type;
    return (*db)->NewReader()->Read(FakeId(i), &type, data);
  }

  // Entry 1, a delta on entry 0 (a 64-byte blob) with `delta` as payload,
  // must fail with DataLoss naming the object and the pack.
  void ExpectBadDelta(const std::string& delta, const std::string& what) {
    WritePack(git_dir_, {{3, std::string(64, 'b')}, {6, delta, 0}});
    std::string data;
    Status s = ReadEntry(1, &data);
    EXPECT_EQ(s.code(), StatusCode::kDataLoss) << what << ": " << s.ToString();
    EXPECT_NE(s.message().find(FakeId(1).Hex()), std::string::npos) << s.message();
    EXPECT_NE(s.message().find("pack-test.pack"), std::string::npos) << s.message();
    ASSERT_TRUE(ReadEntry(0, &data).ok());  // the base itself is fine
  }

  TempDir dir_;
  std::string git_dir_;
};

TEST_F(ObjectDbCorruptTest, HandWrittenPackReads) {
  const std::string base = "0123456789abcdef0123456789abcdef";
  WritePack(git_dir_, {{3, base},
                       {6, Delta(32, 10, Copy(4, 6) + Insert("WXYZ")), 0},
                       {7, Delta(10, 3, Copy(0, 3)), 1, FakeId(1)},
                       {1, "tree 0000000000000000000000000000000000000000\n\nm\n"}});
  std::string data;
  ASSERT_TRUE(ReadEntry(1, &data).ok());
  EXPECT_EQ(data, "456789WXYZ");
  ASSERT_TRUE(ReadEntry(2, &data).ok());
  EXPECT_EQ(data, "456");
}

TEST_F(ObjectDbCorruptTest, ChainsThousandsDeepDoNotRecurse) {
  // 20,000 OFS_DELTAs, then 3,000 REF_DELTAs on top: each keeps the first
  // 99 bytes of its base and appends one more.
  std::vector<Entry> entries = {{3, std::string(100, 'a')}};
  std::string expect(100, 'a');
  for (int i = 1; i <= 23000; ++i) {
    const std::string c(1, static_cast<char>('a' + i % 26));
    expect = expect.substr(1) + c;
    std::string ops = Delta(100, 100, Copy(1, 99) + Insert(c));
    if (i <= 20000) {
      entries.push_back({6, ops, i - 1});
    } else {
      entries.push_back({7, ops, -1, FakeId(i - 1)});
    }
  }
  WritePack(git_dir_, entries);
  for (size_t cache : {size_t{96} << 20, size_t{0}}) {
    ObjectDbOptions options;
    options.delta_base_cache_bytes = cache;
    std::string data;
    Status s = ReadEntry(23000, &data, options);
    ASSERT_TRUE(s.ok()) << s.ToString();
    EXPECT_EQ(data, expect);
  }
}

TEST_F(ObjectDbCorruptTest, MalformedDeltasAreDataLoss) {
  ExpectBadDelta(Delta(64, 10, Copy(60, 10)), "copy past the base");
  ExpectBadDelta(Delta(64, 10, Copy(0, 11)), "copy past the result");
  ExpectBadDelta(Delta(64, 10, std::string(1, '\x0a') + "abc"), "insert past the delta");
  ExpectBadDelta(Delta(64, 10, Insert("abcdefghijk")), "insert past the result");
  ExpectBadDelta(Delta(64, 10, std::string(1, '\0') + Copy(0, 10)), "reserved opcode");
  ExpectBadDelta(Delta(64, 10, Copy(0, 9)), "result shorter than declared");
  ExpectBadDelta(Delta(63, 10, Copy(0, 10)), "base size mismatch");
  ExpectBadDelta(std::string("\x80\x80", 2), "truncated header");
  ExpectBadDelta(Delta(64, uint64_t{1} << 40, Copy(0, 10)), "absurd result size");
  ExpectBadDelta(Delta(64, 10, std::string(1, '\x91')), "truncated copy arguments");
  ExpectBadDelta("", "empty delta");
}

TEST_F(ObjectDbCorruptTest, MalformedEntriesAreDataLoss) {
  struct Case {
    std::vector<Entry> entries;
    const char* what;
  };
  Entry huge{3, "tiny"};
  huge.declared_size = int64_t{1} << 40;
  Entry bad_zlib{3, "some data"};
  bad_zlib.raw_payload = "\x78\x9c garbage that is not deflate";
  Entry short_size{3, "0123456789"};
  short_size.declared_size = 5;
  const std::vector<Case> cases = {
      {{{3, "x"}, {5, "x"}}, "entry type 5"},
      {{{3, "x"}, huge}, "size beyond what deflate can produce"},
      {{{3, "x"}, bad_zlib}, "not a zlib stream"},
      {{{3, "x"}, short_size}, "inflates to more than declared"},
      {{{3, "x"}, {7, "x", -1, FakeId(1)}}, "REF_DELTA on itself"},
      {{{3, "x"}, {7, "x", -1, FakeId(99)}}, "REF_DELTA base missing"},
  };
  for (const Case& c : cases) {
    WritePack(git_dir_, c.entries);
    std::string data;
    Status s = ReadEntry(1, &data);
    EXPECT_EQ(s.code(), StatusCode::kDataLoss) << c.what << ": " << s.ToString();
    EXPECT_NE(s.message().find(FakeId(1).Hex()), std::string::npos) << c.what << s.message();
  }
}

TEST_F(ObjectDbCorruptTest, IndexOffsetOutsideThePack) {
  WritePack(git_dir_, {{3, "x"}, {3, "y"}});
  std::string idx = ReadFile(git_dir_ + "/objects/pack/pack-test.idx");
  // Point every offset past the end, then at a 64-bit slot that is absent.
  const size_t offsets_at = 8 + 1024 + 2 * 24;
  for (std::string off : {Be32(0x7fffffff), Be32(0x80000005)}) {
    idx.replace(offsets_at, 4, off);
    idx.replace(offsets_at + 4, 4, off);
    ASSERT_TRUE(WriteFile(git_dir_ + "/objects/pack/pack-test.idx", idx));
    std::string data;
    Status s = ReadEntry(0, &data);
    EXPECT_EQ(s.code(), StatusCode::kDataLoss) << s.ToString();
    EXPECT_NE(s.message().find(FakeId(0).Hex()), std::string::npos) << s.message();
  }
}

// A real repository packed by git, with one byte flipped at a time.
class ObjectDbFlipTest : public ::testing::Test {
 protected:
  void SetUp() override {
    git_dir_ = testutil::MakeLooseRepo(dir_.Sub("repo"), 60);
    auto r = RunCommand({"git", "--git-dir", git_dir_, "repack", "-a", "-d", "-f", "-q",
                         "--depth=50", "--window=20"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    ASSERT_EQ(RunShell("chmod -R u+w " + git_dir_ + "/objects").exit_code, 0);
    expected_ = testutil::AllObjects(git_dir_);
    for (const auto& e : std::filesystem::directory_iterator(git_dir_ + "/objects/pack")) {
      if (e.path().extension() == ".pack") pack_ = e.path().string();
    }
    idx_ = pack_.substr(0, pack_.size() - 5) + ".idx";
    original_ = ReadFile(pack_);
  }

  // Reads every object: each is right, or DataLoss naming it and the pack.
  // Returns how many failed.
  int ReadAllExpectingCleanFailures() {
    auto db = ObjectDb::Open(git_dir_);
    EXPECT_TRUE(db.ok()) << db.status().ToString();
    if (!db.ok()) return 0;
    auto reader = (*db)->NewReader();
    int failures = 0;
    std::string data;
    for (const auto& [hex, want] : expected_) {
      ObjectType type;
      Status s = reader->Read(*ObjectId::FromHex(hex), &type, &data);
      if (s.ok()) {
        EXPECT_EQ(data, want.data) << hex << " read without error but differs";
        continue;
      }
      ++failures;
      EXPECT_EQ(s.code(), StatusCode::kDataLoss) << s.ToString();
      EXPECT_NE(s.message().find(hex), std::string::npos) << s.message();
      EXPECT_NE(s.message().find(pack_), std::string::npos) << s.message();
    }
    return failures;
  }

  TempDir dir_;
  std::string git_dir_, pack_, idx_, original_;
  std::map<std::string, testutil::GitObject> expected_;
};

TEST_F(ObjectDbFlipTest, FlippedBytesInWholeObjectsAndDeltas) {
  auto pack = internal::PackFile::Open(pack_);
  ASSERT_TRUE(pack.ok());
  // A whole object that is a delta base, and a delta.
  std::map<uint64_t, internal::PackEntry> by_offset;
  const internal::PackIndex& index = (*pack)->index();
  for (uint32_t i = 0; i < index.count(); ++i) {
    internal::PackEntry e;
    ASSERT_TRUE((*pack)->ReadEntry(index.OffsetAt(i), &e).ok());
    by_offset[e.offset] = e;
  }
  uint64_t whole_base = 0, delta = 0;
  for (const auto& [offset, e] : by_offset) {
    if (e.kind == internal::PackEntryKind::kOfsDelta) {
      if (delta == 0) delta = offset;
      if (whole_base == 0 && !by_offset[e.base_offset].is_delta()) whole_base = e.base_offset;
    }
  }
  ASSERT_NE(whole_base, 0u);
  ASSERT_NE(delta, 0u);
  pack->reset();
  for (uint64_t target : {whole_base, delta}) {
    const internal::PackEntry& e = by_offset[target];
    auto next = by_offset.upper_bound(target);
    uint64_t end = next == by_offset.end() ? original_.size() - 20 : next->first;
    std::string bytes = original_;
    bytes[(e.data_offset + end) / 2] ^= 0x01;
    ASSERT_TRUE(WriteFile(pack_, bytes));
    EXPECT_GT(ReadAllExpectingCleanFailures(), 0);
  }
}

TEST_F(ObjectDbFlipTest, FlippedBytesAnywhere) {
  int clean_open_failures = 0;
  for (size_t at = 12; at + 20 < original_.size(); at += original_.size() / 41 + 1) {
    std::string bytes = original_;
    bytes[at] ^= 0x20;
    ASSERT_TRUE(WriteFile(pack_, bytes));
    SCOPED_TRACE("flipped byte " + std::to_string(at));
    ReadAllExpectingCleanFailures();
  }
  // The header and trailer are checked at Open.
  for (size_t at : {size_t{0}, size_t{9}, original_.size() - 1}) {
    std::string bytes = original_;
    bytes[at] ^= 0x20;
    ASSERT_TRUE(WriteFile(pack_, bytes));
    auto db = ObjectDb::Open(git_dir_);
    ASSERT_FALSE(db.ok()) << at;
    EXPECT_EQ(db.status().code(), StatusCode::kDataLoss);
    EXPECT_NE(db.status().message().find(pack_), std::string::npos) << db.status().message();
    ++clean_open_failures;
  }
  EXPECT_EQ(clean_open_failures, 3);
}

TEST_F(ObjectDbFlipTest, CorruptObjectFallsBackToAnotherCopy) {
  // A second, intact copy of the pack; the corrupt one is made the newest,
  // so it is searched first.
  const std::string copy = git_dir_ + "/objects/pack/pack-copy";
  ASSERT_TRUE(WriteFile(copy + ".pack", original_));
  ASSERT_TRUE(WriteFile(copy + ".idx", ReadFile(idx_)));
  for (size_t at = original_.size() / 3; at < original_.size() - 40; at += original_.size() / 7) {
    std::string bytes = original_;
    bytes[at] ^= 0x08;
    ASSERT_TRUE(WriteFile(pack_, bytes));
    ASSERT_EQ(RunShell("touch -d '2030-01-01' " + pack_).exit_code, 0);
    EXPECT_EQ(ReadAllExpectingCleanFailures(), 0) << "flipped byte " << at;
    // Without the copy, the same flip does break objects.
    ASSERT_EQ(RunShell("mv " + copy + ".idx " + copy + ".idx.away").exit_code, 0);
    EXPECT_GT(ReadAllExpectingCleanFailures(), 0) << "flipped byte " << at;
    ASSERT_EQ(RunShell("mv " + copy + ".idx.away " + copy + ".idx").exit_code, 0);
  }
}

TEST_F(ObjectDbFlipTest, TruncatedPackAndIndexFailAtOpen) {
  for (size_t size : {original_.size() / 2, original_.size() - 1, size_t{20}}) {
    ASSERT_TRUE(WriteFile(pack_, original_.substr(0, size)));
    auto db = ObjectDb::Open(git_dir_);
    ASSERT_FALSE(db.ok()) << size;
    EXPECT_EQ(db.status().code(), StatusCode::kDataLoss);
    EXPECT_NE(db.status().message().find(pack_), std::string::npos) << db.status().message();
  }
  ASSERT_TRUE(WriteFile(pack_, original_));
  const std::string idx = ReadFile(idx_);
  for (size_t size : {size_t{0}, size_t{100}, size_t{2000}, idx.size() - 1, idx.size() - 41}) {
    ASSERT_TRUE(WriteFile(idx_, idx.substr(0, size)));
    auto db = ObjectDb::Open(git_dir_);
    ASSERT_FALSE(db.ok()) << size;
    EXPECT_EQ(db.status().code(), StatusCode::kDataLoss);
    EXPECT_NE(db.status().message().find(idx_), std::string::npos) << db.status().message();
  }
}

TEST(ObjectDbLooseTest, CorruptLooseObjectsAreDataLoss) {
  TempDir dir;
  const std::string git_dir = dir.Sub("repo.git");
  ASSERT_EQ(RunCommand({"git", "init", "-q", "--bare", git_dir}).exit_code, 0);
  auto hash = RunCommand({"git", "--git-dir", git_dir, "hash-object", "-w", "--stdin"}, "", {},
                         std::string(5000, 'z') + "end\n");
  const std::string hex = hash.out.substr(0, 40);
  const std::string path = git_dir + "/objects/" + hex.substr(0, 2) + "/" + hex.substr(2);
  const std::string good = ReadFile(path);
  const std::string body = std::string(5000, 'z') + "end\n";
  const std::map<std::string, std::string> cases = {
      {"flipped byte",
       [&] {
         std::string s = good;
         s[s.size() / 2] ^= 0x10;
         return s;
       }()},
      {"truncated", good.substr(0, good.size() / 2)},
      {"empty file", ""},
      {"size too small", Deflate(std::string("blob 10\0", 8) + body)},
      {"size too large", Deflate(std::string("blob 9000\0", 10) + body)},
      {"unknown type", Deflate(std::string("blub 5004\0", 10) + body)},
      {"no header", Deflate(body)},
      {"absurd size", Deflate(std::string("blob 99999999999999\0", 20) + "x")},
      {"not zlib", "plain text, not a zlib stream"},
  };
  for (const auto& [what, bytes] : cases) {
    ASSERT_TRUE(RunShell("chmod u+w " + path).exit_code == 0);
    ASSERT_TRUE(WriteFile(path, bytes));
    auto db = ObjectDb::Open(git_dir);
    ASSERT_TRUE(db.ok());
    auto reader = (*db)->NewReader();
    ObjectType type;
    std::string data;
    uint64_t size = 0;
    Status s = reader->Read(*ObjectId::FromHex(hex), &type, &data);
    EXPECT_EQ(s.code(), StatusCode::kDataLoss) << what << ": " << s.ToString();
    EXPECT_NE(s.message().find(hex), std::string::npos) << s.message();
    EXPECT_NE(s.message().find(path), std::string::npos) << s.message();
    Status h = reader->ReadHeader(*ObjectId::FromHex(hex), &type, &size);
    if (!h.ok()) {
      EXPECT_EQ(h.code(), StatusCode::kDataLoss) << what << ": " << h.ToString();
    }
  }
}

}  // namespace
}  // namespace sei::git
