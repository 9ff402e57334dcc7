// PackFile: one git pack (`objects/pack/pack-*.pack`) and its index
// (`.idx`, version 2, or version 1 for old repositories). The index is
// memory-mapped; pack data is read with pread() into the caller's buffers,
// so a long collection does not keep the whole pack resident in its own
// address space (the kernel's page cache still serves repeated reads). Finds
// objects by id, and parses the entry header at an offset: the object type
// (or delta kind), inflated size, and where the zlib data starts.
//
// Every offset and length read from the files is checked against the
// mapping, so a truncated or corrupt pack gives DataLoss, never a crash.
//
// Thread safety: immutable after Open(); any number of threads may read.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "git/object_id.h"

namespace sei::git {

enum class PackEntryKind : uint8_t {
  kCommit = 1,
  kTree = 2,
  kBlob = 3,
  kTag = 4,
  kOfsDelta = 6,
  kRefDelta = 7,
};

struct PackEntry {
  PackEntryKind kind = PackEntryKind::kBlob;
  uint64_t size = 0;         // inflated size of the data (the delta itself, for deltas)
  uint64_t data_offset = 0;  // where the zlib stream starts
  uint64_t base_offset = 0;  // kOfsDelta: the base's offset in this pack
  ObjectId base_id;          // kRefDelta: the base's id
};

class PackFile {
 public:
  // Maps `pack_path` and its index (the same path ending in .idx).
  static Result<std::unique_ptr<PackFile>> Open(const std::string& pack_path);
  ~PackFile();
  PackFile(const PackFile&) = delete;
  PackFile& operator=(const PackFile&) = delete;

  // The entry offset of `id`, or nullopt when this pack does not hold it.
  std::optional<uint64_t> Find(const ObjectId& id) const;

  Status ReadEntry(uint64_t offset, PackEntry* entry) const;

  // Parses the entry header at `offset` from `bytes` (the pack's bytes
  // starting there; `avail` of them, at least 32 unless the data ends).
  Status ParseEntry(uint64_t offset, const uint8_t* bytes, uint64_t avail, PackEntry* entry) const;

  // Reads exactly `len` bytes at `offset` (within the pack data) into dst.
  Status ReadRaw(uint64_t offset, uint64_t len, uint8_t* dst) const;

  // End of the entries (the pack's size less its trailing checksum).
  uint64_t data_end() const { return data_end_; }

  // Where the entry that starts at or before `offset` ends: the next entry's
  // offset (or data_end()). The sorted offsets are built on first use.
  uint64_t EntryEnd(uint64_t offset) const;

  // Reads up to `max` bytes of pack data from `offset` (fewer at the end of
  // the data) into *buf, which is resized to what was read.
  Status ReadData(uint64_t offset, uint64_t max, std::string* buf) const;

  const std::string& path() const { return path_; }
  uint32_t object_count() const { return count_; }

 private:
  PackFile() = default;
  Status MapFiles(const std::string& pack_path);
  Status ParseIndex();
  uint64_t OffsetAt(uint32_t i) const;

  std::string path_;
  int fd_ = -1;
  uint64_t pack_size_ = 0;
  uint64_t data_end_ = 0;
  const uint8_t* idx_ = nullptr;
  size_t idx_size_ = 0;
  int idx_version_ = 2;
  uint32_t count_ = 0;
  uint32_t pack_object_count_ = 0;
  const uint8_t* fanout_ = nullptr;
  const uint8_t* ids_ = nullptr;        // v2: count * 20; v1: entries of 24 bytes
  const uint8_t* offsets32_ = nullptr;  // v2
  const uint8_t* offsets64_ = nullptr;  // v2
  uint64_t offsets64_count_ = 0;
  mutable std::once_flag sorted_once_;
  mutable std::vector<uint64_t> sorted_offsets_;
};

}  // namespace sei::git
