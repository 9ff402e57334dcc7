// ObjectStoreReader: the ObjectReader of an ObjectStore. It finds an object
// in the packs (the pack that answered last is asked first: consecutive
// reads tend to hit the same pack), else as a loose file in each objects
// directory, and rebuilds packed deltas.
//
// Delta chains (thousands deep after an aggressive repack) are resolved
// without recursion: walk down from the object to the first base that is in
// the delta-base cache or stored whole, recording the deltas met; then apply
// them upward. Every intermediate result is itself a base of the object
// above it, so each is cached (when the cache admits its size): reading the
// next version of the same file usually costs one delta. REF_DELTA bases are
// looked up by id in every pack, then as loose objects.
//
// In steady state a read allocates nothing: the result goes into the
// caller's string (its capacity reused), deltas are inflated into a reused
// buffer, and cache values reuse the storage of evicted ones when they can.
//
// Thread safety: NOT thread-safe. Each thread uses its own reader (each has
// its own cache, decompressor and buffers); the ObjectStore is shared, and
// must outlive its readers.
#pragma once

#include <zlib.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "git/byte_buffer.h"
#include "git/delta_base_cache.h"
#include "git/loose_object.h"
#include "git/object_db.h"
#include "git/object_store.h"
#include "git/pack_file.h"

struct libdeflate_decompressor;

namespace sei::git::internal {

class ObjectStoreReader final : public ObjectReader {
 public:
  explicit ObjectStoreReader(const ObjectStore& store);
  ~ObjectStoreReader() override;
  ObjectStoreReader(const ObjectStoreReader&) = delete;
  ObjectStoreReader& operator=(const ObjectStoreReader&) = delete;

  Status Read(const ObjectId& id, ObjectType* type, std::string* data) override;
  Status ReadHeader(const ObjectId& id, ObjectType* type, uint64_t* size) override;
  Stats stats() const override { return stats_; }

  // The delta-base cache's current size in bytes (for tests and benchmarks).
  size_t cache_bytes() const { return cache_.bytes(); }

  // Longest delta chain accepted; longer ones (or REF_DELTA cycles in a
  // corrupt pack) are DataLoss. git's own limit is 4095.
  static constexpr size_t kMaxChainLength = 1 << 16;

 private:
  struct Location {
    uint32_t pack = 0;
    uint64_t offset = 0;
  };
  // A delta met on the way down a chain.
  struct Link {
    uint32_t pack;
    PackEntry entry;
  };
  // The object at the bottom of a chain: cached, or just inflated.
  struct Base {
    std::string_view data;  // in a cache entry or a scratch buffer
    ObjectType type = ObjectType::kNone;
  };

  bool Locate(const ObjectId& id, Location* loc);
  Status Ready() const;
  Status NotFound(const ObjectId& id) const;
  Status ReadLoose(const ObjectId& id, ObjectType* type, std::string* data, bool* found);
  bool ReadOtherCopy(const ObjectId& id, uint32_t bad_pack, ObjectType* type, std::string* data);
  Status ReadPacked(const ObjectId& id, Location loc, ObjectType* type, std::string* out);
  Status Descend(const ObjectId& id, Location loc, Base* base, std::string* out);
  Status LoadWhole(Location loc, const PackEntry& e, Base* base, std::string* out);
  Status LoadLooseBase(const ObjectId& id, const ObjectId& base_id, Base* base);
  Status ApplyChain(Base* base, std::string* out);
  Status CheckLink(const Link& link, const Base& base, uint64_t* result_size);
  Status ApplyLink(const Link& link, const Base& base, char* out, uint64_t size);
  Status PackedHeader(const ObjectId& id, Location loc, ObjectType* type, uint64_t* size);
  Status ChainType(const ObjectId& id, Location loc, ObjectType* type);

  const ObjectStore& store_;
  libdeflate_decompressor* decompressor_;
  z_stream zs_{};  // for reading delta headers without inflating whole deltas
  bool zs_ready_ = false;
  DeltaBaseCache cache_;
  LooseObjectReader loose_;
  uint32_t last_pack_ = 0;
  Stats stats_;
  std::vector<Link> chain_;  // top (the object read) first
  ByteBuffer delta_;         // the delta being applied
  ByteBuffer scratch_[2];    // intermediate results too big to cache
  std::string loose_base_;   // a REF_DELTA base read from a loose file
};

}  // namespace sei::git::internal
