// PackIndex: the index of one git pack (`objects/pack/pack-*.idx`), mapped
// read-only. It maps object ids to entry offsets in the pack: a 256-entry
// fanout table by first id byte narrows a binary search over the sorted ids.
// Version 2 (git's default since 1.5.2) keeps ids, CRCs and 31-bit offsets
// in separate tables, with a table of 64-bit offsets for entries past 2 GiB;
// version 1 (older repositories) keeps (4-byte offset, id) pairs.
//
// Why it exists: ObjectStore (object_store.h) needs id -> offset lookups that
// cost a few cache lines and no allocation, and PackFile needs the sorted
// list of all entry offsets to know where each entry's compressed data ends.
//
// Every size and offset read from the file is validated: Open() checks the
// layout (magic, version, fanout order, exact file size for the object
// count); a corrupt 64-bit offset slot yields kBadOffset, never a read out
// of bounds.
//
// Thread safety: immutable after Open(); any number of threads may call the
// const methods.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "common/result.h"
#include "git/mapped_file.h"
#include "git/object_id.h"

namespace sei::git::internal {

class PackIndex {
 public:
  // Returned by OffsetAt() for an entry whose offset slot is corrupt.
  static constexpr uint64_t kBadOffset = ~uint64_t{0};

  // Maps and validates `idx_path`. DataLoss naming the file and the problem
  // when it is not a valid index; NotFound when it cannot be opened.
  static Result<std::unique_ptr<PackIndex>> Open(const std::string& idx_path);
  PackIndex(const PackIndex&) = delete;
  PackIndex& operator=(const PackIndex&) = delete;

  // The position (0 .. count()-1) of `id` in the index, or nullopt.
  std::optional<uint32_t> Find(const ObjectId& id) const;

  // The pack offset of the entry at `pos` (< count()), or kBadOffset.
  uint64_t OffsetAt(uint32_t pos) const;

  // The id of the entry at `pos` (< count()).
  ObjectId IdAt(uint32_t pos) const;

  uint32_t count() const { return count_; }
  int version() const { return version_; }
  const std::string& path() const { return path_; }
  // The SHA-1 of the pack this index describes (the first trailer hash).
  const uint8_t* pack_checksum() const { return file_.data() + file_.size() - 40; }

 private:
  PackIndex() = default;
  Status ParseV1();
  Status ParseV2();
  Status CheckFanout(const uint8_t* fanout);
  Status Corrupt(const std::string& what) const;

  std::string path_;
  MappedFile file_;
  int version_ = 0;
  uint32_t count_ = 0;
  const uint8_t* fanout_ = nullptr;     // 256 big-endian cumulative counts
  const uint8_t* ids_ = nullptr;        // v2: 20-byte ids; v1: 24-byte records
  size_t id_stride_ = 20;               // 20 (v2) or 24 (v1)
  const uint8_t* offsets32_ = nullptr;  // v2: 4-byte offsets or large-table slots
  const uint8_t* offsets64_ = nullptr;  // v2: 8-byte offsets
  uint64_t offsets64_count_ = 0;
};

}  // namespace sei::git::internal
