// TableChecksum: the same for the same rows in any order, different for any
// change a copy could make (a cell's type, a boundary between cells, a
// duplicated or dropped row, bytes beyond a NUL, the sign of a zero).
#include "store/copy/row_checksum.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <random>
#include <set>

namespace sei::store_copy {
namespace {

TableChecksum Sum(const std::vector<model::Row>& rows) {
  TableChecksum sum;
  for (const model::Row& row : rows) sum.Add(row);
  return sum;
}

std::vector<model::Row> SomeRows() {
  std::vector<model::Row> rows;
  for (int64_t i = 0; i < 200; ++i) {
    rows.push_back({i, std::string("name ") + std::to_string(i), 0.1 * static_cast<double>(i),
                    i % 3 == 0 ? model::Value{} : model::Value{i * 7}});
  }
  return rows;
}

TEST(RowChecksumTest, IsTheSameInAnyOrder) {
  std::vector<model::Row> rows = SomeRows();
  const TableChecksum sum = Sum(rows);
  std::mt19937 rng(7);
  for (int round = 0; round < 5; ++round) {
    std::shuffle(rows.begin(), rows.end(), rng);
    EXPECT_EQ(Sum(rows), sum);
    EXPECT_EQ(Sum(rows).Hex(), sum.Hex());
  }
  EXPECT_EQ(sum.rows(), 200);
  EXPECT_EQ(sum.Hex().size(), 32u);
}

TEST(RowChecksumTest, ChangesWithAnyRowAddedDroppedDuplicatedOrAltered) {
  const std::vector<model::Row> rows = SomeRows();
  const TableChecksum sum = Sum(rows);
  std::vector<model::Row> dropped(rows.begin() + 1, rows.end());
  EXPECT_NE(Sum(dropped), sum);
  std::vector<model::Row> twice = rows;
  twice.push_back(rows[5]);
  EXPECT_NE(Sum(twice), sum);
  // Two equal rows do not cancel out (as a XOR of hashes would).
  TableChecksum pair = Sum({rows[5], rows[5]});
  EXPECT_NE(pair.Hex(), TableChecksum().Hex());
  std::vector<model::Row> altered = rows;
  altered[100][1] = std::string("name 100 ");
  EXPECT_NE(Sum(altered).Hex(), sum.Hex());
  EXPECT_EQ(Sum(altered).rows(), sum.rows());
}

TEST(RowChecksumTest, TellsTypesBoundariesAndBytesApart) {
  const std::vector<model::Row> distinct = {
      {model::Value{}},
      {std::string()},
      {int64_t{0}},
      {0.0},
      {-0.0},
      {int64_t{1}},
      {1.0},
      {std::string("1")},
      {std::string("ab"), std::string("c")},
      {std::string("a"), std::string("bc")},
      {std::string("abc")},
      {std::string("a\0b", 3)},
      {std::string("a\0c", 3)},
      {std::string("a")},
      {std::string("\xff\xfe")},
      {int64_t{-1}},
      {std::numeric_limits<int64_t>::min()},
      {std::numeric_limits<int64_t>::max()},
      {model::Value{}, model::Value{}},
      {},
  };
  std::set<std::string> seen;
  for (const model::Row& row : distinct) {
    EXPECT_TRUE(seen.insert(EncodeRow(row)).second) << "an encoding repeats";
    EXPECT_TRUE(seen.insert(Sum({row}).Hex()).second) << "a hash repeats";
  }
}

TEST(RowChecksumTest, EveryNanIsTheSame) {
  const double quiet = std::numeric_limits<double>::quiet_NaN();
  const double other = -std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(EncodeRow({quiet}), EncodeRow({other}));
}

TEST(RowChecksumTest, SumCarriesAcrossItsHalves) {
  TableChecksum sum;
  sum.Add(RowHash{0, ~uint64_t{0}});
  sum.Add(RowHash{0, 1});
  EXPECT_EQ(sum.Hex(), "00000000000000010000000000000000");
  sum.Add(RowHash{~uint64_t{0}, ~uint64_t{0}});  // -1 modulo 2^128
  EXPECT_EQ(sum.Hex(), "0000000000000000ffffffffffffffff");
  EXPECT_EQ(sum.rows(), 3);
}

TEST(RowChecksumTest, EncodingIsStable) {
  // Checksums printed by one sei are compared with another's (`sei migrate
  // --verify-only` after an upgrade): the encoding must not drift.
  EXPECT_EQ(EncodeRow({int64_t{1}, std::string("ab"), model::Value{}}),
            std::string("\0\0\0\0\0\0\0\3"
                        "I\0\0\0\0\0\0\0\1"
                        "T\0\0\0\0\0\0\0\2ab"
                        "N",
                        29));
  // BLAKE2b-128 of those 29 bytes (as Python's hashlib.blake2b(data,
  // digest_size=16) gives it): a one-row table's checksum is its row hash.
  EXPECT_EQ(Sum({{int64_t{1}, std::string("ab"), model::Value{}}}).Hex(),
            "465b6dee2a5810db12cda0436b07ed25");
}

}  // namespace
}  // namespace sei::store_copy
