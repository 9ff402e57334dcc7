#include "git/pack_file.h"

#include <libdeflate.h>

#include <algorithm>
#include <cstring>

namespace sei::git::internal {

namespace {

constexpr uint64_t kPackHeaderBytes = 12;
constexpr uint64_t kPackTrailerBytes = ObjectId::kRawSize;
// Deflate cannot expand data more than 1032:1; a size claimed beyond that
// (plus framing slack) is corruption, and allocating it could exhaust memory.
constexpr uint64_t kMaxDeflateRatio = 1032;
constexpr uint64_t kDeflateSlack = 1024;

}  // namespace

Result<std::unique_ptr<PackFile>> PackFile::Open(const std::string& pack_path) {
  std::unique_ptr<PackFile> pack(new PackFile());
  pack->path_ = pack_path;
  const std::string stem = pack_path.substr(0, pack_path.size() - std::string(".pack").size());
  SEI_ASSIGN_OR_RETURN(pack->index_, PackIndex::Open(stem + ".idx"));
  SEI_ASSIGN_OR_RETURN(pack->file_, MappedFile::Open(pack_path));
  SEI_RETURN_IF_ERROR(pack->CheckHeader());
  return pack;
}

Status PackFile::CheckHeader() {
  const uint8_t* p = file_.data();
  const uint64_t size = file_.size();
  if (size < kPackHeaderBytes + kPackTrailerBytes || std::memcmp(p, "PACK", 4) != 0) {
    return DataLossError(path_ + " is not a git pack file (no PACK header)");
  }
  uint32_t version = LoadBe32(p + 4);
  if (version != 2 && version != 3) {
    return DataLossError(path_ + " has unsupported pack version " + std::to_string(version) +
                         " (expected 2 or 3)");
  }
  uint32_t count = LoadBe32(p + 8);
  if (count != index_->count()) {
    return DataLossError(path_ + " holds " + std::to_string(count) + " objects but its index " +
                         index_->path() + " lists " + std::to_string(index_->count()));
  }
  data_end_ = size - kPackTrailerBytes;
  if (std::memcmp(p + data_end_, index_->pack_checksum(), kPackTrailerBytes) != 0) {
    return DataLossError(path_ + " does not match its index " + index_->path() +
                         " (pack checksums differ: the pack is truncated or was replaced)");
  }
  return Status::Ok();
}

Status PackFile::Corrupt(uint64_t offset, const std::string& what) const {
  return DataLossError(path_ + ", entry at offset " + std::to_string(offset) + ": " + what);
}

Status PackFile::ReadEntry(uint64_t offset, PackEntry* e) const {
  if (offset < kPackHeaderBytes || offset >= data_end_) {
    return Corrupt(offset,
                   "offset outside the pack's " + std::to_string(data_end_) + " bytes of data");
  }
  const uint8_t* const base = file_.data();
  const uint8_t* p = base + offset;
  const uint8_t* const end = base + data_end_;
  uint8_t c = *p++;
  const auto kind = static_cast<uint8_t>((c >> 4) & 7);
  uint64_t size = c & 15;
  for (int shift = 4; c & 0x80; shift += 7) {
    if (p >= end || shift > 53) return Corrupt(offset, "bad size in entry header");
    c = *p++;
    size |= static_cast<uint64_t>(c & 0x7f) << shift;
  }
  if (kind == 0 || kind == 5) return Corrupt(offset, "invalid entry type " + std::to_string(kind));
  e->kind = static_cast<PackEntryKind>(kind);
  e->offset = offset;
  e->size = size;
  if (e->kind == PackEntryKind::kOfsDelta) {
    if (p >= end) return Corrupt(offset, "truncated delta base offset");
    c = *p++;
    uint64_t rel = c & 0x7f;
    while (c & 0x80) {
      if (p >= end || rel >= (uint64_t{1} << 56)) return Corrupt(offset, "bad delta base offset");
      c = *p++;
      rel = ((rel + 1) << 7) | (c & 0x7f);
    }
    if (rel == 0 || rel > offset - kPackHeaderBytes) {
      return Corrupt(offset, "delta base offset points outside the pack");
    }
    e->base_offset = offset - rel;
  } else if (e->kind == PackEntryKind::kRefDelta) {
    if (end - p < static_cast<ptrdiff_t>(ObjectId::kRawSize)) {
      return Corrupt(offset, "truncated delta base id");
    }
    e->base_id = ObjectId::FromRaw(p);
    p += ObjectId::kRawSize;
  }
  if (p >= end) return Corrupt(offset, "entry has no data");
  e->data_offset = static_cast<uint64_t>(p - base);
  return Status::Ok();
}

uint64_t PackFile::ExtentEnd(uint64_t offset) const {
  std::call_once(extents_once_, [this] { extents_.Build(*index_, data_end_); });
  return extents_.NextAfter(offset);
}

Status PackFile::CheckInflatedSize(const PackEntry& e) const {
  const uint64_t extent_end = ExtentEnd(e.offset);
  if (e.data_offset >= extent_end) return Corrupt(e.offset, "entry header overruns the next entry");
  const uint64_t in_size = extent_end - e.data_offset;
  if (e.size > in_size * kMaxDeflateRatio + kDeflateSlack) {
    return Corrupt(e.offset, "claims " + std::to_string(e.size) + " bytes from " +
                                 std::to_string(in_size) + " compressed bytes");
  }
  return Status::Ok();
}

Status PackFile::InflateTo(const PackEntry& e, libdeflate_decompressor* decompressor,
                           char* out) const {
  SEI_RETURN_IF_ERROR(CheckInflatedSize(e));
  const uint64_t in_size = ExtentEnd(e.offset) - e.data_offset;
  size_t used = 0;
  libdeflate_result r = libdeflate_zlib_decompress_ex(decompressor, file_.data() + e.data_offset,
                                                      in_size, out, e.size, &used, nullptr);
  if (inflated_since_release_.fetch_add(used, std::memory_order_relaxed) + used >=
      release_every_.load(std::memory_order_relaxed)) {
    inflated_since_release_.store(0, std::memory_order_relaxed);
    file_.ReleasePages();
  }
  switch (r) {
    case LIBDEFLATE_SUCCESS:
      return Status::Ok();
    case LIBDEFLATE_SHORT_OUTPUT:
      return Corrupt(e.offset, "zlib data inflates to less than the " + std::to_string(e.size) +
                                   " bytes its header says");
    case LIBDEFLATE_INSUFFICIENT_SPACE:
      return Corrupt(e.offset, "zlib data inflates to more than the " + std::to_string(e.size) +
                                   " bytes its header says");
    default:
      return Corrupt(e.offset, "corrupt zlib data");
  }
}

Status PackFile::Inflate(const PackEntry& e, libdeflate_decompressor* decompressor,
                         std::string* out) const {
  SEI_RETURN_IF_ERROR(CheckInflatedSize(e));  // before allocating for it
  out->resize(e.size);                        // no zero fill while the capacity suffices
  return InflateTo(e, decompressor, out->data());
}

Status PackFile::InflatePrefix(const PackEntry& e, z_stream* zs, uint8_t* out, size_t max,
                               size_t* got) const {
  const uint64_t extent_end = ExtentEnd(e.offset);
  if (e.data_offset >= extent_end) return Corrupt(e.offset, "entry header overruns the next entry");
  if (inflateReset(zs) != Z_OK) return InternalError("zlib inflateReset failed");
  zs->next_in = const_cast<Bytef*>(file_.data() + e.data_offset);
  zs->avail_in = static_cast<uInt>(std::min<uint64_t>(extent_end - e.data_offset, 1u << 30));
  zs->next_out = out;
  zs->avail_out = static_cast<uInt>(max);
  int rc = inflate(zs, Z_SYNC_FLUSH);
  *got = max - zs->avail_out;
  if (rc != Z_OK && rc != Z_STREAM_END && !(rc == Z_BUF_ERROR && *got == max)) {
    return Corrupt(e.offset, "corrupt zlib data");
  }
  return Status::Ok();
}

}  // namespace sei::git::internal
