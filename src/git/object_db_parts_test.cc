// The object database's parts on their own: the delta-base cache (LRU
// order, byte budget counted by capacity, objects over the size limit never
// admitted, pooled storage), delta application (each instruction and each
// bound), and entry extents (next offset lookups).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "git/delta.h"
#include "git/delta_base_cache.h"
#include "git/entry_extents.h"
#include "git/object_db_test_util.h"

namespace sei::git::internal {
namespace {

ByteBuffer Bytes(size_t n, char fill) {
  ByteBuffer b;
  b.ResizeUninitialized(n);
  std::fill(b.data(), b.data() + n, fill);
  return b;
}

constexpr size_t kOverhead = DeltaBaseCache::kEntryOverhead;

TEST(ObjectDbCacheTest, EvictsLeastRecentlyUsedWithinTheBudget) {
  DeltaBaseCache cache(3 * (1000 + kOverhead), 1 << 20);
  cache.Put({0, 1}, Bytes(1000, 'a'), ObjectType::kBlob);
  cache.Put({0, 2}, Bytes(1000, 'b'), ObjectType::kTree);
  cache.Put({1, 1}, Bytes(1000, 'c'), ObjectType::kBlob);  // another pack, same offset
  EXPECT_EQ(cache.entries(), 3u);
  ASSERT_NE(cache.Get({0, 1}), nullptr);  // now most recently used
  cache.Put({0, 3}, Bytes(1000, 'd'), ObjectType::kBlob);
  EXPECT_EQ(cache.Get({0, 2}), nullptr);  // the least recently used went
  ASSERT_NE(cache.Get({0, 1}), nullptr);
  EXPECT_EQ(cache.Get({0, 1})->data.view(), std::string(1000, 'a'));
  ASSERT_NE(cache.Get({1, 1}), nullptr);
  EXPECT_EQ(cache.Get({1, 1})->data.view(), std::string(1000, 'c'));
  EXPECT_LE(cache.bytes(), 3 * (1000 + kOverhead));
}

TEST(ObjectDbCacheTest, CountsCapacityAndNeverExceedsTheBudget) {
  const size_t budget = 64 << 10;
  DeltaBaseCache cache(budget, budget);
  testutil::Lcg rng(3);
  for (uint64_t i = 0; i < 2000; ++i) {
    const size_t size = 1 + rng.Next(9000);
    ByteBuffer b = cache.TakeBuffer(size);
    b.ResizeUninitialized(size);
    std::fill(b.data(), b.data() + size, static_cast<char>(i));
    const DeltaBaseCache::Entry* e = cache.Put({0, i}, std::move(b), ObjectType::kBlob);
    ASSERT_EQ(e->data.size(), size);
    ASSERT_LE(cache.bytes(), budget);
    // The newest entry is always there, with its own bytes.
    const DeltaBaseCache::Entry* got = cache.Get({0, i});
    ASSERT_NE(got, nullptr);
    ASSERT_EQ(got->data.view(), std::string(size, static_cast<char>(i)));
  }
  cache.Clear();
  EXPECT_EQ(cache.bytes(), 0u);
  EXPECT_EQ(cache.entries(), 0u);
}

TEST(ObjectDbCacheTest, AdmitsOnlyWhatFits) {
  DeltaBaseCache cache(10000, 4000);
  EXPECT_TRUE(cache.Admits(4000));
  EXPECT_FALSE(cache.Admits(4001));  // over the per-object limit
  DeltaBaseCache small(1000, 1 << 20);
  EXPECT_FALSE(small.Admits(1000));  // with its overhead it exceeds the budget
  DeltaBaseCache none(0, 1 << 20);
  EXPECT_FALSE(none.Admits(0));
}

TEST(ObjectDbCacheTest, ReplacesAnEntryUnderTheSameKey) {
  DeltaBaseCache cache(1 << 20, 1 << 20);
  cache.Put({2, 7}, Bytes(100, 'x'), ObjectType::kBlob);
  cache.Put({2, 7}, Bytes(10, 'y'), ObjectType::kCommit);
  EXPECT_EQ(cache.entries(), 1u);
  EXPECT_EQ(cache.Get({2, 7})->data.view(), std::string(10, 'y'));
  EXPECT_EQ(cache.Get({2, 7})->type, ObjectType::kCommit);
  EXPECT_EQ(cache.bytes(), 10 + kOverhead);
}

std::string Apply(const std::string& base, const std::string& delta, Status* status) {
  std::string out = "previous contents";
  *status = ApplyDelta(base, delta, &out);
  return out;
}

TEST(ObjectDbDeltaTest, AppliesCopiesAndInserts) {
  const std::string base = "0123456789";
  // header: base 10, result 9; copy offset 2 length 3; insert "ab"; copy
  // offset 0 length 4 (offset byte omitted: 0).
  const std::string delta =
      std::string("\x0a\x09", 2) + "\x91\x02\x03" + "\x02" + "ab" + std::string("\x90\x04", 2);
  Status s;
  EXPECT_EQ(Apply(base, delta, &s), "234ab0123");
  EXPECT_TRUE(s.ok()) << s.ToString();
  uint64_t base_size = 0, result_size = 0;
  ASSERT_TRUE(ReadDeltaSizes(delta, &base_size, &result_size));
  EXPECT_EQ(base_size, 10u);
  EXPECT_EQ(result_size, 9u);
}

TEST(ObjectDbDeltaTest, CopyOfSizeZeroMeans64KiB) {
  const std::string base(0x10000 + 5, 'q');
  // base 65541 = 0x85 0x80 0x04; result 65536 = 0x80 0x80 0x04; copy with
  // no size bytes.
  const std::string delta = std::string("\x85\x80\x04\x80\x80\x04\x80", 7);
  Status s;
  EXPECT_EQ(Apply(base, delta, &s), std::string(0x10000, 'q'));
  EXPECT_TRUE(s.ok()) << s.ToString();
}

TEST(ObjectDbDeltaTest, EveryBoundIsChecked) {
  const std::string base = "0123456789";
  const std::string cases[] = {
      std::string("\x0a\x05\x91\x08\x05", 5),  // copy past the end of the base
      std::string("\x0a\x02\x90\x05", 4),      // copy past the end of the result
      std::string("\x0a\x05\x05"
                  "ab",
                  5),  // insert past the end of the delta
      std::string("\x0a\x01\x02"
                  "ab",
                  5),  // insert past the end of the result
      std::string("\x0a\x02\x00\x02"
                  "ab",
                  6),                                      // reserved opcode 0
      std::string("\x0a\x05\x90\x02", 4),                  // result shorter than declared
      std::string("\x0b\x02\x90\x02", 4),                  // base size mismatch
      std::string("\x0a", 1),                              // truncated header
      std::string("\x0a\x02\x91", 3),                      // truncated copy arguments
      std::string("\x0a\xff\xff\xff\xff\x0f\x90\x02", 8),  // absurd result size
      std::string("\x0a\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x01", 12),  // varint > 64 bits
  };
  for (const std::string& delta : cases) {
    Status s;
    Apply(base, delta, &s);
    EXPECT_EQ(s.code(), StatusCode::kDataLoss) << ::testing::PrintToString(delta);
  }
}

// Brute force: the smallest offset greater than `at`, else `end`.
uint64_t NextAfter(const std::vector<uint64_t>& offsets, uint64_t at, uint64_t end) {
  uint64_t best = end;
  for (uint64_t o : offsets) {
    if (o > at && o < best) best = o;
  }
  return best;
}

TEST(ObjectDbExtentsTest, NextOffsetAfterAnyPosition) {
  testutil::Lcg rng(11);
  for (uint64_t end : {uint64_t{40}, uint64_t{100000}, uint64_t{6} << 30}) {  // 6 GiB: 64-bit
    std::vector<uint64_t> offsets;
    for (int i = 0; i < 300; ++i) {
      offsets.push_back(12 + (static_cast<uint64_t>(rng.Next(1 << 30)) * 7919 % (end + 50)));
    }
    EntryExtents extents;
    extents.Build(
        static_cast<uint32_t>(offsets.size()), [&](uint32_t i) { return offsets[i]; }, end);
    std::vector<uint64_t> probes = {0, 11, 12, end - 1, end, end + 100};
    for (uint64_t o : offsets) probes.insert(probes.end(), {o - 1, o, o + 1});
    for (int i = 0; i < 2000; ++i) probes.push_back(rng.Next(1 << 30) % (end + 10));
    std::vector<uint64_t> valid;
    for (uint64_t o : offsets) {
      if (o < end) valid.push_back(o);
    }
    for (uint64_t at : probes) {
      ASSERT_EQ(extents.NextAfter(at), NextAfter(valid, at, end)) << "end " << end << " at " << at;
    }
  }
  EntryExtents empty;
  empty.Build(
      0, [](uint32_t) { return uint64_t{0}; }, 12);
  EXPECT_EQ(empty.NextAfter(0), 12u);
  EXPECT_EQ(empty.NextAfter(100), 12u);
}

}  // namespace
}  // namespace sei::git::internal
