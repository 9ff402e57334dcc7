// TableChecksum: an order-independent fingerprint of a table's rows, so that
// two databases (SQLite and PostgreSQL, read back through their Stores) can
// be compared table by table without sorting either side.
//
// Each row is encoded canonically — per cell a type tag and the value:
// NULL; a 64-bit integer (booleans are 0/1 integers in every Store); a
// double by its IEEE bits (every NaN alike, -0 apart from 0); text and
// bytes by length and bytes — and hashed with BLAKE2b to 128 bits. The
// checksum is the sum of the row hashes modulo 2^128 with the row count:
// the same whatever the order rows come in, and changed by any altered,
// added, removed or duplicated row (a XOR would cancel duplicates).
//
// Thread safety: value types and pure functions.
#pragma once

#include <cstdint>
#include <string>

#include "model/entity.h"

namespace sei::store_copy {

// The canonical encoding of one row (exposed for tests).
std::string EncodeRow(const model::Row& row);

struct RowHash {
  uint64_t hi = 0;
  uint64_t lo = 0;
  bool operator==(const RowHash& o) const { return hi == o.hi && lo == o.lo; }
  bool operator<(const RowHash& o) const { return hi != o.hi ? hi < o.hi : lo < o.lo; }
};

// BLAKE2b-128 of EncodeRow(row).
RowHash HashRow(const model::Row& row);

class TableChecksum {
 public:
  void Add(const model::Row& row) { Add(HashRow(row)); }
  void Add(const RowHash& hash);

  int64_t rows() const { return rows_; }
  // 32 hex digits of the 128-bit sum.
  std::string Hex() const;
  bool operator==(const TableChecksum& o) const { return rows_ == o.rows_ && sum_ == o.sum_; }
  bool operator!=(const TableChecksum& o) const { return !(*this == o); }

 private:
  int64_t rows_ = 0;
  RowHash sum_;
};

}  // namespace sei::store_copy
