// PackFile: one git pack (`objects/pack/pack-*.pack`), mapped read-only,
// with its index (pack_index.h). It finds entries by id, parses the header
// of the entry at an offset (object type or delta kind, inflated size, the
// delta base's offset or id), and inflates an entry's data in one call to
// libdeflate: the inflated size is in the entry header, and where the
// compressed data ends is known from the sorted offsets of all entries.
//
// Why it exists: this is the hot path of object reading; it does no
// allocation besides growing the caller's output buffer, and no system call
// (but one madvise per kReleaseEvery bytes, below).
//
// Every offset and length read from the pack is checked against the mapping
// (and the inflated size against what its compressed extent can hold), so a
// corrupt or truncated pack gives DataLoss naming the file and offset, never
// a read out of bounds or a huge allocation. Open() checks the pack header
// and that the pack is the one its index describes (object count and pack
// checksum), which catches truncated and mismatched pairs.
//
// Resident memory: pages of the mapping that were read count in the
// process's resident set (750 MB on redis when a whole pack is read, see
// ADR 0003). So after every kReleaseEvery compressed bytes inflated from a
// pack, its pages are released (MappedFile::ReleasePages); the page cache
// keeps them, and re-reading costs a minor fault.
//
// Thread safety: immutable after Open() (the entry extents are built once,
// on first use, under std::call_once; the release counter is atomic); any
// number of threads may call the const methods, each with its own
// decompressor / z_stream.
#pragma once

#include <zlib.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "git/entry_extents.h"
#include "git/mapped_file.h"
#include "git/object_id.h"
#include "git/pack_index.h"

struct libdeflate_decompressor;

namespace sei::git::internal {

// The type field of a pack entry header.
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
  uint64_t offset = 0;       // where the entry (its header) starts
  uint64_t size = 0;         // inflated size of its data (for a delta: of the delta)
  uint64_t data_offset = 0;  // where its zlib stream starts
  uint64_t base_offset = 0;  // kOfsDelta: the base entry's offset in this pack
  ObjectId base_id;          // kRefDelta: the base object's id

  bool is_delta() const {
    return kind == PackEntryKind::kOfsDelta || kind == PackEntryKind::kRefDelta;
  }
};

class PackFile {
 public:
  // Opens `pack_path` (ending in ".pack") and the index beside it (".idx").
  // NotFound when either file cannot be opened (a pack being written has no
  // index yet); DataLoss naming the file when either is invalid.
  static Result<std::unique_ptr<PackFile>> Open(const std::string& pack_path);
  PackFile(const PackFile&) = delete;
  PackFile& operator=(const PackFile&) = delete;

  // The offset of `id`'s entry, or nullopt when this pack does not hold it.
  // A corrupt offset is returned as is: ReadEntry() then reports it.
  std::optional<uint64_t> Find(const ObjectId& id) const {
    auto pos = index_->Find(id);
    if (!pos) return std::nullopt;
    return index_->OffsetAt(*pos);
  }

  // Parses the header of the entry at `offset`.
  Status ReadEntry(uint64_t offset, PackEntry* entry) const;

  // DataLoss when entry.size is more than the entry's compressed extent can
  // inflate to (checked before allocating for it).
  Status CheckInflatedSize(const PackEntry& entry) const;

  // Inflates `entry`'s data, exactly entry.size bytes, into `out`.
  Status InflateTo(const PackEntry& entry, libdeflate_decompressor* decompressor, char* out) const;
  // The same into *out, resized to entry.size.
  Status Inflate(const PackEntry& entry, libdeflate_decompressor* decompressor,
                 std::string* out) const;

  // Inflates at most `max` leading bytes of `entry`'s data with `zs` (an
  // initialised inflate stream), for reading a delta's header cheaply.
  // Sets *got to the bytes produced.
  Status InflatePrefix(const PackEntry& entry, z_stream* zs, uint8_t* out, size_t max,
                       size_t* got) const;

  // Compressed bytes inflated from a pack between releases of its pages.
  static constexpr uint64_t kReleaseEvery = uint64_t{64} << 20;
  // Tests release far more often, to exercise releases racing reads.
  void SetReleaseEveryForTesting(uint64_t bytes) const { release_every_ = bytes; }

  const std::string& path() const { return path_; }
  const PackIndex& index() const { return *index_; }
  uint32_t object_count() const { return index_->count(); }

 private:
  PackFile() = default;
  Status CheckHeader();
  // Where the compressed data of the entry at `offset` ends at the latest:
  // the next entry's offset, or the start of the pack's trailing checksum.
  uint64_t ExtentEnd(uint64_t offset) const;
  Status Corrupt(uint64_t offset, const std::string& what) const;

  std::string path_;
  MappedFile file_;
  std::unique_ptr<PackIndex> index_;
  uint64_t data_end_ = 0;  // file size minus the trailing SHA-1

  // Where entries end; built on first use (opening stays cheap).
  mutable std::once_flag extents_once_;
  mutable EntryExtents extents_;
  // Compressed bytes inflated since the pages were last released.
  mutable std::atomic<uint64_t> inflated_since_release_{0};
  mutable std::atomic<uint64_t> release_every_{kReleaseEvery};
};

}  // namespace sei::git::internal
