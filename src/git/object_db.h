// ObjectDb: a fast, read-only reader of a git repository's object database
// (pack files with their .idx v2 indexes, loose objects, and alternates).
//
// Why it exists: per-file line counting over a whole history reads every
// changed blob of every commit. libgit2's generic reader verifies each
// object's SHA-1 and keeps a fixed 16 MiB delta-base cache that is emptied
// whole when full, so long histories re-inflate the same delta bases over and
// over (see ../shared/notes/git-collection-speed.md). This reader maps pack
// files, inflates with libdeflate (whole buffers, sizes known from the pack),
// and keeps an LRU delta-base cache per reader whose size is a setting.
// It never writes to the repository and never verifies object hashes: it is
// for ingestion of repositories that git itself maintains.
//
// Thread safety: an ObjectDb is immutable after Open() and may be shared by
// any number of threads. Each thread reads through its own ObjectReader
// (NewReader()), which owns caches and scratch buffers and is NOT
// thread-safe. Packs added to the repository after Open() are not seen;
// Open() again to pick them up.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"
#include "common/status.h"
#include "git/object_id.h"

namespace sei::git {

enum class ObjectType : uint8_t { kNone = 0, kCommit = 1, kTree = 2, kBlob = 3, kTag = 4 };

std::string_view ObjectTypeName(ObjectType type);

struct ObjectDbOptions {
  // Upper bound, in bytes, of each reader's delta-base cache (inflated
  // objects kept because other deltas are built on them). LRU eviction.
  size_t delta_base_cache_bytes = 96u << 20;
  // Objects larger than this are never put in the delta-base cache.
  size_t delta_base_max_object_bytes = 8u << 20;
};

class ObjectReader;

class ObjectDb {
 public:
  // Opens the object database of the repository whose git directory is
  // `git_dir` (the `.git` folder of a working tree, or a bare repository).
  // Fails with a clear message when it is not one.
  static Result<std::unique_ptr<ObjectDb>> Open(const std::string& git_dir,
                                                const ObjectDbOptions& options = {});

  virtual ~ObjectDb() = default;

  // A new reader for the calling thread.
  virtual std::unique_ptr<ObjectReader> NewReader() const = 0;
};

class ObjectReader {
 public:
  virtual ~ObjectReader() = default;

  // Reads object `id`: sets *type and replaces *data with its inflated
  // content (for a commit or tag, the raw text without the "type size\0"
  // header; for a tree, the raw binary entries). NotFound when the object is
  // in no pack, loose file or alternate; DataLoss when it is corrupt (bad
  // zlib stream, bad delta, size mismatch), with the object id in the
  // message.
  virtual Status Read(const ObjectId& id, ObjectType* type, std::string* data) = 0;

  // Reads only the type and inflated size, cheaper than Read() for loose and
  // undeltified objects.
  virtual Status ReadHeader(const ObjectId& id, ObjectType* type, uint64_t* size) = 0;

  // Cumulative counters for benchmarks and diagnostics.
  struct Stats {
    uint64_t objects_read = 0;
    uint64_t delta_cache_hits = 0;
    uint64_t delta_cache_misses = 0;
    uint64_t bytes_inflated = 0;
  };
  virtual Stats stats() const = 0;
};

}  // namespace sei::git
