#include "git/native_object_db.h"

#include <libdeflate.h>
#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <list>
#include <memory>
#include <sstream>
#include <unordered_map>

#include "git/git_delta.h"

namespace sei::git {

namespace fs = std::filesystem;

namespace {

constexpr int kMaxAlternateDepth = 5;

// An inflated object: uninitialised storage (never zero-filled), its type.
struct Buf {
  std::unique_ptr<char[]> data;
  uint64_t size = 0;
  ObjectType type = ObjectType::kNone;
  std::string_view view() const { return {data.get(), size}; }
};
using BufPtr = std::shared_ptr<const Buf>;

std::shared_ptr<Buf> MakeBuf(uint64_t size, ObjectType type) {
  auto b = std::make_shared<Buf>();
  b->data.reset(new char[size == 0 ? 1 : size]);
  b->size = size;
  b->type = type;
  return b;
}

// Byte-bounded LRU map from (pack, offset) to inflated object data.
class BaseCache {
 public:
  BaseCache(size_t budget, size_t max_object) : budget_(budget), max_object_(max_object) {}

  BufPtr Get(uint64_t key) {
    auto it = map_.find(key);
    if (it == map_.end()) return nullptr;
    lru_.splice(lru_.begin(), lru_, it->second);
    return it->second->second;
  }

  void Put(uint64_t key, BufPtr data) {
    if (data->size > max_object_ || data->size > budget_ || map_.count(key) != 0) return;
    used_ += data->size;
    lru_.emplace_front(key, std::move(data));
    map_[key] = lru_.begin();
    while (used_ > budget_) {
      used_ -= lru_.back().second->size;
      map_.erase(lru_.back().first);
      lru_.pop_back();
    }
  }

 private:
  using Entry = std::pair<uint64_t, BufPtr>;
  size_t budget_, max_object_, used_ = 0;
  std::list<Entry> lru_;
  std::unordered_map<uint64_t, std::list<Entry>::iterator> map_;
};

// A small user-space cache of 16 KiB blocks of pack data, per reader: one
// pread serves an entry's header and (for most entries) its data, and
// neighbouring entries of a delta chain, without a syscall each.
class BlockCache {
 public:
  static constexpr uint64_t kBlock = 16384;
  static constexpr size_t kBlocks = 256;  // 4 MiB

  BlockCache() : blocks_(kBlocks) {}

  // The pack bytes [offset, offset + len) (clipped to the end of the data);
  // valid until the next call. *got receives the length.
  Result<const uint8_t*> Get(const PackFile& p, size_t pack, uint64_t offset, uint64_t len,
                             uint64_t* got) {
    if (offset >= p.data_end()) return DataLossError("offset outside " + p.path());
    len = std::min(len, p.data_end() - offset);
    *got = len;
    uint64_t first = offset / kBlock, last = (offset + len - 1) / kBlock;
    if (first == last) {
      SEI_ASSIGN_OR_RETURN(const Block* b, Load(p, pack, first));
      return b->data.get() + (offset - first * kBlock);
    }
    Reserve(len);
    if (len > 4 * kBlock) {  // large: read it directly
      SEI_RETURN_IF_ERROR(p.ReadRaw(offset, len, span_.get()));
      return span_.get();
    }
    for (uint64_t k = first, done = 0; k <= last; ++k) {
      SEI_ASSIGN_OR_RETURN(const Block* b, Load(p, pack, k));
      uint64_t from = k == first ? offset - k * kBlock : 0;
      uint64_t n = std::min<uint64_t>(b->len - from, len - done);
      std::memcpy(span_.get() + done, b->data.get() + from, n);
      done += n;
    }
    return span_.get();
  }

 private:
  struct Block {
    uint64_t tag = UINT64_MAX;
    uint64_t len = 0;
    std::unique_ptr<uint8_t[]> data;
  };

  Result<const Block*> Load(const PackFile& p, size_t pack, uint64_t index) {
    uint64_t tag = (static_cast<uint64_t>(pack) << 48) | index;
    Block& b = blocks_[(index * 0x9E3779B1u + pack) % kBlocks];
    if (b.tag == tag) return &b;
    if (b.data == nullptr) b.data.reset(new uint8_t[kBlock]);
    b.tag = UINT64_MAX;
    b.len = std::min(kBlock, p.data_end() - index * kBlock);
    SEI_RETURN_IF_ERROR(p.ReadRaw(index * kBlock, b.len, b.data.get()));
    b.tag = tag;
    return &b;
  }

  // Grows the span buffer without zeroing it (it is always overwritten).
  void Reserve(uint64_t len) {
    if (len <= span_capacity_) return;
    span_capacity_ = std::max<uint64_t>(len, span_capacity_ * 2);
    span_.reset(new uint8_t[span_capacity_]);
  }

  std::vector<Block> blocks_;
  std::unique_ptr<uint8_t[]> span_;
  uint64_t span_capacity_ = 0;
};

ObjectType TypeOf(PackEntryKind k) {
  switch (k) {
    case PackEntryKind::kCommit:
      return ObjectType::kCommit;
    case PackEntryKind::kTree:
      return ObjectType::kTree;
    case PackEntryKind::kBlob:
      return ObjectType::kBlob;
    case PackEntryKind::kTag:
      return ObjectType::kTag;
    default:
      return ObjectType::kNone;
  }
}

class NativeReader : public ObjectReader {
 public:
  explicit NativeReader(const NativeObjectDb& db)
      : db_(db),
        decompressor_(libdeflate_alloc_decompressor()),
        cache_(db.options().delta_base_cache_bytes, db.options().delta_base_max_object_bytes) {}
  ~NativeReader() override { libdeflate_free_decompressor(decompressor_); }

  Status Read(const ObjectId& id, ObjectType* type, std::string* data) override {
    return ReadObject(id, type, data, 0);
  }

  Status ReadHeader(const ObjectId& id, ObjectType* type, uint64_t* size) override {
    SEI_RETURN_IF_ERROR(Read(id, type, &header_scratch_));
    *size = header_scratch_.size();
    return Status::Ok();
  }

  Stats stats() const override { return stats_; }

 private:
  Status ReadObject(const ObjectId& id, ObjectType* type, std::string* data, int depth);
  Status ReadPacked(size_t pack, uint64_t offset, const ObjectId& id, ObjectType* type,
                    std::string* out, int depth);
  Status Inflate(size_t pack_index, const PackEntry& e, char* out);
  Status ReadEntry(size_t pack_index, uint64_t offset, PackEntry* e);
  Status ReadLoose(const ObjectId& id, ObjectType* type, std::string* data, bool* found);
  bool Locate(const ObjectId& id, size_t* pack, uint64_t* offset);

  const NativeObjectDb& db_;
  libdeflate_decompressor* decompressor_;
  BaseCache cache_;
  size_t last_pack_ = 0;
  Stats stats_;
  std::string header_scratch_;
  std::unique_ptr<char[]> delta_;
  uint64_t delta_capacity_ = 0;
  BlockCache blocks_;
  struct Link {
    uint64_t offset;
    PackEntry entry;
  };
  std::vector<Link> chain_;
};

bool NativeReader::Locate(const ObjectId& id, size_t* pack, uint64_t* offset) {
  const auto& packs = db_.packs();
  for (size_t k = 0; k < packs.size(); ++k) {
    size_t i = (last_pack_ + k) % packs.size();
    if (auto off = packs[i]->Find(id)) {
      last_pack_ = i;
      *pack = i;
      *offset = *off;
      return true;
    }
  }
  return false;
}

Status NativeReader::ReadObject(const ObjectId& id, ObjectType* type, std::string* data,
                                int depth) {
  if (depth > 8) return DataLossError("object " + id.Hex() + ": REF_DELTA bases nest too deep");
  size_t pack = 0;
  uint64_t offset = 0;
  if (Locate(id, &pack, &offset)) {
    Status s = ReadPacked(pack, offset, id, type, data, depth);
    if (!s.ok()) {
      return DataLossError("object " + id.Hex() + " in " + db_.packs()[pack]->path() + ": " +
                           s.message());
    }
    return Status::Ok();
  }
  bool found = false;
  SEI_RETURN_IF_ERROR(ReadLoose(id, type, data, &found));
  if (!found) return NotFoundError("object " + id.Hex() + " not found");
  return Status::Ok();
}

Status NativeReader::ReadEntry(size_t pack_index, uint64_t offset, PackEntry* e) {
  const PackFile& pack = *db_.packs()[pack_index];
  uint64_t avail = 0;
  SEI_ASSIGN_OR_RETURN(const uint8_t* bytes, blocks_.Get(pack, pack_index, offset, 32, &avail));
  return pack.ParseEntry(offset, bytes, avail, e);
}

Status NativeReader::Inflate(size_t pack_index, const PackEntry& e, char* out) {
  const PackFile& pack = *db_.packs()[pack_index];
  // The zlib stream runs to the next entry.
  uint64_t end = pack.EntryEnd(e.data_offset);
  if (end <= e.data_offset) return DataLossError("entry has no data");
  uint64_t avail = 0;
  SEI_ASSIGN_OR_RETURN(const uint8_t* in,
                       blocks_.Get(pack, pack_index, e.data_offset, end - e.data_offset, &avail));
  size_t in_used = 0, out_used = 0;
  libdeflate_result r =
      libdeflate_zlib_decompress_ex(decompressor_, in, avail, out, e.size, &in_used, &out_used);
  if (r != LIBDEFLATE_SUCCESS || out_used != e.size) {
    return DataLossError("corrupt zlib data at offset " + std::to_string(e.data_offset));
  }
  stats_.bytes_inflated += e.size;
  return Status::Ok();
}

Status NativeReader::ReadPacked(size_t pack, uint64_t offset, const ObjectId& id, ObjectType* type,
                                std::string* out, int depth) {
  chain_.clear();
  BufPtr base;
  // Walk down the delta chain to a cached base or a whole object.
  while (true) {
    uint64_t key = (static_cast<uint64_t>(pack) << 48) | offset;
    base = cache_.Get(key);
    if (base != nullptr) {
      ++stats_.delta_cache_hits;
      *type = base->type;
      if (chain_.empty()) {  // the object itself was a cached base
        out->assign(base->view());
        ++stats_.objects_read;
        return Status::Ok();
      }
      break;
    }
    ++stats_.delta_cache_misses;
    PackEntry e;
    SEI_RETURN_IF_ERROR(ReadEntry(pack, offset, &e));
    if (e.kind == PackEntryKind::kOfsDelta || e.kind == PackEntryKind::kRefDelta) {
      if (chain_.size() > 100000) return DataLossError("delta chain too long");
      chain_.push_back({offset, e});
      if (e.kind == PackEntryKind::kOfsDelta) {
        offset = e.base_offset;
        continue;
      }
      size_t base_pack = 0;
      uint64_t base_offset = 0;
      if (Locate(e.base_id, &base_pack, &base_offset) && base_pack == pack) {
        offset = base_offset;
        continue;
      }
      std::string whole;  // a base in another pack or loose: read it whole
      std::vector<Link> saved = std::move(chain_);
      SEI_RETURN_IF_ERROR(ReadObject(e.base_id, type, &whole, depth + 1));
      chain_ = std::move(saved);
      auto b = MakeBuf(whole.size(), *type);
      std::memcpy(b->data.get(), whole.data(), whole.size());
      base = std::move(b);
      break;
    }
    *type = TypeOf(e.kind);
    if (chain_.empty()) {  // not a delta at all: inflate straight into the output
      out->resize(e.size);
      SEI_RETURN_IF_ERROR(Inflate(pack, e, out->data()));
      ++stats_.objects_read;
      return Status::Ok();
    }
    auto whole = MakeBuf(e.size, *type);
    SEI_RETURN_IF_ERROR(Inflate(pack, e, whole->data.get()));
    cache_.Put(key, whole);
    base = std::move(whole);
    break;
  }
  // Apply the deltas upward; every intermediate result is a base: cache it.
  for (size_t i = chain_.size(); i-- > 0;) {
    const PackEntry& e = chain_[i].entry;
    if (e.size > delta_capacity_) {
      delta_capacity_ = std::max<uint64_t>(e.size, delta_capacity_ * 2);
      delta_.reset(new char[delta_capacity_]);
    }
    SEI_RETURN_IF_ERROR(Inflate(pack, e, delta_.get()));
    std::string_view delta(delta_.get(), e.size);
    uint64_t result_size = 0;
    if (!DeltaResultSize(delta, &result_size) || result_size > (uint64_t{1} << 40)) {
      return DataLossError("bad delta header");
    }
    if (i == 0) {
      out->resize(result_size);
      SEI_RETURN_IF_ERROR(ApplyDeltaTo(base->view(), delta, out->data(), result_size));
      break;
    }
    auto next = MakeBuf(result_size, *type);
    SEI_RETURN_IF_ERROR(ApplyDeltaTo(base->view(), delta, next->data.get(), result_size));
    cache_.Put((static_cast<uint64_t>(pack) << 48) | chain_[i].offset, next);
    base = std::move(next);
  }
  ++stats_.objects_read;
  (void)id;
  return Status::Ok();
}

Status NativeReader::ReadLoose(const ObjectId& id, ObjectType* type, std::string* data,
                               bool* found) {
  std::string hex = id.Hex();
  for (const std::string& dir : db_.object_dirs()) {
    std::string path = dir + "/" + hex.substr(0, 2) + "/" + hex.substr(2);
    std::ifstream in(path, std::ios::binary);
    if (!in) continue;
    *found = true;
    std::string raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    z_stream zs{};
    if (inflateInit(&zs) != Z_OK) return InternalError("zlib init failed");
    std::string inflated(raw.size() * 4 + 64, '\0');
    zs.next_in = reinterpret_cast<Bytef*>(raw.data());
    zs.avail_in = static_cast<uInt>(raw.size());
    int rc = Z_OK;
    size_t produced = 0;
    while (rc == Z_OK) {
      if (produced == inflated.size()) inflated.resize(inflated.size() * 2);
      zs.next_out = reinterpret_cast<Bytef*>(inflated.data() + produced);
      zs.avail_out = static_cast<uInt>(inflated.size() - produced);
      rc = inflate(&zs, Z_NO_FLUSH);
      produced = inflated.size() - zs.avail_out;
      if (rc == Z_BUF_ERROR && zs.avail_in == 0) break;
    }
    inflateEnd(&zs);
    inflated.resize(produced);
    size_t sp = inflated.find(' '), nul = inflated.find('\0');
    if (rc != Z_STREAM_END || sp == std::string::npos || nul == std::string::npos || nul < sp) {
      return DataLossError("object " + hex + " (loose, " + path + ") is corrupt");
    }
    std::string kind = inflated.substr(0, sp);
    *type = kind == "commit" ? ObjectType::kCommit
            : kind == "tree" ? ObjectType::kTree
            : kind == "blob" ? ObjectType::kBlob
            : kind == "tag"  ? ObjectType::kTag
                             : ObjectType::kNone;
    if (*type == ObjectType::kNone ||
        std::to_string(inflated.size() - nul - 1) != inflated.substr(sp + 1, nul - sp - 1)) {
      return DataLossError("object " + hex + " (loose, " + path + ") has a bad header");
    }
    data->assign(inflated, nul + 1, std::string::npos);
    ++stats_.objects_read;
    return Status::Ok();
  }
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<NativeObjectDb>> NativeObjectDb::Open(const std::string& git_dir,
                                                             const ObjectDbOptions& options) {
  std::error_code ec;
  std::string objects = (fs::path(git_dir) / "objects").string();
  if (!fs::is_directory(objects, ec)) {
    return InvalidArgumentError(git_dir + " is not a git directory (it has no objects/ folder)");
  }
  std::unique_ptr<NativeObjectDb> db(new NativeObjectDb());
  db->options_ = options;
  SEI_RETURN_IF_ERROR(db->AddObjectDir(objects, 0));
  return db;
}

Status NativeObjectDb::AddObjectDir(const std::string& dir, int depth) {
  std::error_code ec;
  std::string canonical = fs::weakly_canonical(dir, ec).string();
  if (depth > kMaxAlternateDepth ||
      std::find(object_dirs_.begin(), object_dirs_.end(), canonical) != object_dirs_.end()) {
    return Status::Ok();
  }
  object_dirs_.push_back(canonical);
  std::vector<std::string> pack_paths;
  for (const auto& entry : fs::directory_iterator(dir + "/pack", ec)) {
    std::string p = entry.path().string();
    if (p.size() > 5 && p.compare(p.size() - 5, 5, ".pack") == 0) pack_paths.push_back(p);
  }
  std::sort(pack_paths.begin(), pack_paths.end());
  for (const std::string& p : pack_paths) {
    auto pack = PackFile::Open(p);
    if (!pack.ok()) {
      // A pack still being written has no index yet: git skips it too.
      if (pack.status().code() == StatusCode::kNotFound) continue;
      return pack.status();
    }
    packs_.push_back(std::move(pack).value());
  }
  std::ifstream alternates(dir + "/info/alternates");
  for (std::string line; std::getline(alternates, line);) {
    if (line.empty() || line[0] == '#') continue;
    fs::path alt(line);
    if (alt.is_relative()) alt = fs::path(dir) / alt;
    SEI_RETURN_IF_ERROR(AddObjectDir(alt.string(), depth + 1));
  }
  return Status::Ok();
}

std::unique_ptr<ObjectReader> NativeObjectDb::NewReader() const {
  return std::make_unique<NativeReader>(*this);
}

}  // namespace sei::git
