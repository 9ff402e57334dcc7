#include "git/object_store_reader.h"

#include <libdeflate.h>

#include "git/delta.h"

namespace sei::git::internal {

namespace {

ObjectType TypeOf(PackEntryKind kind) {
  switch (kind) {
    case PackEntryKind::kCommit:
      return ObjectType::kCommit;
    case PackEntryKind::kTree:
      return ObjectType::kTree;
    case PackEntryKind::kBlob:
      return ObjectType::kBlob;
    case PackEntryKind::kTag:
      return ObjectType::kTag;
    case PackEntryKind::kOfsDelta:
    case PackEntryKind::kRefDelta:
      break;
  }
  return ObjectType::kNone;
}

std::string ObjectContext(const ObjectId& id) { return "object " + id.Hex(); }

}  // namespace

ObjectStoreReader::ObjectStoreReader(const ObjectStore& store)
    : store_(store),
      decompressor_(libdeflate_alloc_decompressor()),
      cache_(store.options().delta_base_cache_bytes, store.options().delta_base_max_object_bytes) {
  zs_ready_ = inflateInit(&zs_) == Z_OK;
}

ObjectStoreReader::~ObjectStoreReader() {
  if (decompressor_ != nullptr) libdeflate_free_decompressor(decompressor_);
  if (zs_ready_) inflateEnd(&zs_);
}

Status ObjectStoreReader::Ready() const {
  if (decompressor_ == nullptr || !zs_ready_) {
    return ResourceExhaustedError("cannot allocate a decompressor to read " + store_.git_dir());
  }
  return Status::Ok();
}

Status ObjectStoreReader::NotFound(const ObjectId& id) const {
  std::string m = "object " + id.Hex() + " not found in " + store_.git_dir() +
                  " (in no pack, loose file or alternate)";
  if (!store_.missing_alternates().empty()) {
    m += "; listed alternates that do not exist: " + store_.missing_alternates();
  }
  return NotFoundError(std::move(m));
}

bool ObjectStoreReader::Locate(const ObjectId& id, Location* loc) {
  const auto& packs = store_.packs();
  const auto n = static_cast<uint32_t>(packs.size());
  if (n == 0) return false;
  if (auto off = packs[last_pack_]->Find(id)) {
    *loc = {last_pack_, *off};
    return true;
  }
  for (uint32_t i = 0; i < n; ++i) {
    if (i == last_pack_) continue;
    if (auto off = packs[i]->Find(id)) {
      last_pack_ = i;
      *loc = {i, *off};
      return true;
    }
  }
  return false;
}

Status ObjectStoreReader::Read(const ObjectId& id, ObjectType* type, std::string* data) {
  SEI_RETURN_IF_ERROR(Ready());
  Location loc;
  bool found = false;
  if (Locate(id, &loc)) {
    Status s = ReadPacked(id, loc, type, data);
    // Like git, fall back to another copy of a corrupt object when there is
    // one (another pack, or a loose file left by `git repack` without -d).
    if (!s.ok() && s.code() == StatusCode::kDataLoss && ReadOtherCopy(id, loc.pack, type, data)) {
      s = Status::Ok();
    }
    SEI_RETURN_IF_ERROR(s.WithContext(ObjectContext(id)));
    ++stats_.objects_read;
    return Status::Ok();
  }
  SEI_RETURN_IF_ERROR(ReadLoose(id, type, data, &found));
  if (!found) return NotFound(id);
  ++stats_.objects_read;
  return Status::Ok();
}

Status ObjectStoreReader::ReadLoose(const ObjectId& id, ObjectType* type, std::string* data,
                                    bool* found) {
  for (const std::string& dir : store_.object_dirs()) {
    SEI_RETURN_IF_ERROR(loose_.Read(dir, id, type, data, found));
    if (*found) {
      stats_.bytes_inflated += data->size();
      return Status::Ok();
    }
  }
  return Status::Ok();
}

bool ObjectStoreReader::ReadOtherCopy(const ObjectId& id, uint32_t bad_pack, ObjectType* type,
                                      std::string* data) {
  const auto& packs = store_.packs();
  for (uint32_t i = 0; i < packs.size(); ++i) {
    if (i == bad_pack) continue;
    auto offset = packs[i]->Find(id);
    if (offset && ReadPacked(id, {i, *offset}, type, data).ok()) return true;
  }
  bool found = false;
  return ReadLoose(id, type, data, &found).ok() && found;
}

Status ObjectStoreReader::ReadPacked(const ObjectId& id, Location loc, ObjectType* type,
                                     std::string* out) {
  chain_.clear();
  Base base;
  SEI_RETURN_IF_ERROR(Descend(id, loc, &base, out));
  if (!chain_.empty()) SEI_RETURN_IF_ERROR(ApplyChain(&base, out));
  *type = base.type;
  return Status::Ok();
}

// Walks from `loc` down the delta chain, recording each delta in chain_,
// until a cached object or a whole one. When the object itself is cached or
// whole (chain_ stays empty), its data goes straight into *out.
Status ObjectStoreReader::Descend(const ObjectId& id, Location loc, Base* base, std::string* out) {
  const auto& packs = store_.packs();
  while (true) {
    if (const DeltaBaseCache::Entry* hit = cache_.Get({loc.pack, loc.offset})) {
      ++stats_.delta_cache_hits;
      base->type = hit->type;
      if (chain_.empty()) {
        out->assign(hit->data.view());
      } else {
        base->data = hit->data.view();
      }
      return Status::Ok();
    }
    if (!chain_.empty()) ++stats_.delta_cache_misses;
    PackEntry e;
    SEI_RETURN_IF_ERROR(packs[loc.pack]->ReadEntry(loc.offset, &e));
    if (!e.is_delta()) return LoadWhole(loc, e, base, out);
    if (chain_.size() >= kMaxChainLength) {
      return DataLossError(packs[loc.pack]->path() + ": delta chain longer than " +
                           std::to_string(kMaxChainLength) + " (a cycle?)");
    }
    chain_.push_back({loc.pack, e});
    if (e.kind == PackEntryKind::kOfsDelta) {
      loc.offset = e.base_offset;
    } else if (!Locate(e.base_id, &loc)) {
      return LoadLooseBase(id, e.base_id, base);
    }
  }
}

// Inflates the whole object at the bottom of a chain: into *out when it is
// the object read, else into the cache (or a scratch buffer when too big).
Status ObjectStoreReader::LoadWhole(Location loc, const PackEntry& e, Base* base,
                                    std::string* out) {
  const PackFile& pack = *store_.packs()[loc.pack];
  base->type = TypeOf(e.kind);
  stats_.bytes_inflated += e.size;
  if (chain_.empty()) return pack.Inflate(e, decompressor_, out);
  SEI_RETURN_IF_ERROR(pack.CheckInflatedSize(e));
  if (!cache_.Admits(e.size)) {
    scratch_[0].ResizeUninitialized(e.size);
    SEI_RETURN_IF_ERROR(pack.InflateTo(e, decompressor_, scratch_[0].data()));
    base->data = scratch_[0].view();
    return Status::Ok();
  }
  ByteBuffer buffer = cache_.TakeBuffer(e.size);
  buffer.ResizeUninitialized(e.size);
  SEI_RETURN_IF_ERROR(pack.InflateTo(e, decompressor_, buffer.data()));
  base->data = cache_.Put({loc.pack, loc.offset}, std::move(buffer), base->type)->data.view();
  return Status::Ok();
}

Status ObjectStoreReader::LoadLooseBase(const ObjectId& id, const ObjectId& base_id, Base* base) {
  for (const std::string& dir : store_.object_dirs()) {
    bool found = false;
    SEI_RETURN_IF_ERROR(loose_.Read(dir, base_id, &base->type, &loose_base_, &found));
    if (found) {
      stats_.bytes_inflated += loose_base_.size();
      base->data = loose_base_;
      return Status::Ok();
    }
  }
  const Link& ref = chain_.back();
  return DataLossError(store_.packs()[ref.pack]->path() + ", delta at offset " +
                       std::to_string(ref.entry.offset) + ": its base " + base_id.Hex() + " (of " +
                       id.Hex() + ") is in no pack and not loose");
}

// Applies the deltas in chain_ from the bottom up. Each intermediate result
// is the base of the delta above it: cache it (or keep it in the scratch
// buffer the current base is not in).
Status ObjectStoreReader::ApplyChain(Base* base, std::string* out) {
  int free_scratch = base->data.data() == scratch_[0].data() ? 1 : 0;
  for (size_t i = chain_.size(); i-- > 1;) {
    const Link& link = chain_[i];
    uint64_t size = 0;
    SEI_RETURN_IF_ERROR(CheckLink(link, *base, &size));
    if (cache_.Admits(size)) {
      ByteBuffer buffer = cache_.TakeBuffer(size);
      buffer.ResizeUninitialized(size);
      SEI_RETURN_IF_ERROR(ApplyLink(link, *base, buffer.data(), size));
      const DeltaBaseCache::Key key{link.pack, link.entry.offset};
      base->data = cache_.Put(key, std::move(buffer), base->type)->data.view();
    } else {
      ByteBuffer& scratch = scratch_[free_scratch];
      scratch.ResizeUninitialized(size);
      SEI_RETURN_IF_ERROR(ApplyLink(link, *base, scratch.data(), size));
      base->data = scratch.view();
      free_scratch ^= 1;
    }
  }
  uint64_t size = 0;
  SEI_RETURN_IF_ERROR(CheckLink(chain_[0], *base, &size));
  out->resize(size);  // no zero fill while the caller's capacity suffices
  return ApplyLink(chain_[0], *base, out->data(), size);
}

// Inflates the delta of `link` into delta_ and checks its header against
// `base`, giving the size of its result.
Status ObjectStoreReader::CheckLink(const Link& link, const Base& base, uint64_t* result_size) {
  const PackFile& pack = *store_.packs()[link.pack];
  SEI_RETURN_IF_ERROR(pack.CheckInflatedSize(link.entry));
  delta_.ResizeUninitialized(link.entry.size);
  SEI_RETURN_IF_ERROR(pack.InflateTo(link.entry, decompressor_, delta_.data()));
  stats_.bytes_inflated += link.entry.size;
  return CheckDeltaHeader(delta_.view(), base.data.size(), result_size)
      .WithContext(pack.path() + ", delta at offset " + std::to_string(link.entry.offset));
}

// Applies the inflated delta in delta_ (of `link`) to `base`.
Status ObjectStoreReader::ApplyLink(const Link& link, const Base& base, char* out, uint64_t size) {
  return ApplyDeltaTo(base.data, delta_.view(), out, size)
      .WithContext(store_.packs()[link.pack]->path() + ", delta at offset " +
                   std::to_string(link.entry.offset));
}

Status ObjectStoreReader::ReadHeader(const ObjectId& id, ObjectType* type, uint64_t* size) {
  SEI_RETURN_IF_ERROR(Ready());
  Location loc;
  if (Locate(id, &loc)) {
    return PackedHeader(id, loc, type, size).WithContext(ObjectContext(id));
  }
  for (const std::string& dir : store_.object_dirs()) {
    bool found = false;
    SEI_RETURN_IF_ERROR(loose_.ReadHeader(dir, id, type, size, &found));
    if (found) return Status::Ok();
  }
  return NotFound(id);
}

Status ObjectStoreReader::PackedHeader(const ObjectId& id, Location loc, ObjectType* type,
                                       uint64_t* size) {
  if (const DeltaBaseCache::Entry* hit = cache_.Get({loc.pack, loc.offset})) {
    *type = hit->type;
    *size = hit->data.size();
    return Status::Ok();
  }
  const PackFile& pack = *store_.packs()[loc.pack];
  PackEntry e;
  SEI_RETURN_IF_ERROR(pack.ReadEntry(loc.offset, &e));
  if (!e.is_delta()) {
    *type = TypeOf(e.kind);
    *size = e.size;
    return Status::Ok();
  }
  // The result size is in the delta's header: its first 20 inflated bytes
  // hold both varints.
  uint8_t head[20];
  size_t got = 0;
  SEI_RETURN_IF_ERROR(pack.InflatePrefix(e, &zs_, head, sizeof(head), &got));
  uint64_t base_size = 0;
  std::string_view view(reinterpret_cast<const char*>(head), got);
  if (!ReadDeltaSizes(view, &base_size, size)) {
    return DataLossError(pack.path() + ", delta at offset " + std::to_string(loc.offset) +
                         ": truncated delta header");
  }
  return ChainType(id, loc, type);
}

// The type of the object at `loc`: that of the whole object at the bottom
// of its chain (only entry headers are read).
Status ObjectStoreReader::ChainType(const ObjectId& id, Location loc, ObjectType* type) {
  const auto& packs = store_.packs();
  for (size_t depth = 0; depth <= kMaxChainLength; ++depth) {
    if (const DeltaBaseCache::Entry* hit = cache_.Get({loc.pack, loc.offset})) {
      *type = hit->type;
      return Status::Ok();
    }
    PackEntry e;
    SEI_RETURN_IF_ERROR(packs[loc.pack]->ReadEntry(loc.offset, &e));
    if (!e.is_delta()) {
      *type = TypeOf(e.kind);
      return Status::Ok();
    }
    const uint32_t pack = loc.pack;
    if (e.kind == PackEntryKind::kOfsDelta) {
      loc.offset = e.base_offset;
    } else if (!Locate(e.base_id, &loc)) {
      uint64_t ignored = 0;
      for (const std::string& dir : store_.object_dirs()) {
        bool found = false;
        SEI_RETURN_IF_ERROR(loose_.ReadHeader(dir, e.base_id, type, &ignored, &found));
        if (found) return Status::Ok();
      }
      return DataLossError(packs[pack]->path() + ", delta at offset " + std::to_string(e.offset) +
                           ": its base " + e.base_id.Hex() + " (of " + id.Hex() +
                           ") is in no pack and not loose");
    }
  }
  return DataLossError(packs[loc.pack]->path() + ": delta chain longer than " +
                       std::to_string(kMaxChainLength) + " (a cycle?)");
}

}  // namespace sei::git::internal
