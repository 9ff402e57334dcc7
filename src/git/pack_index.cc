#include "git/pack_index.h"

#include <cstring>

namespace sei::git::internal {

namespace {

constexpr uint8_t kV2Magic[4] = {0xff, 't', 'O', 'c'};
constexpr size_t kFanoutBytes = 256 * 4;
constexpr size_t kTrailerBytes = 2 * ObjectId::kRawSize;  // pack SHA-1, index SHA-1

}  // namespace

Result<std::unique_ptr<PackIndex>> PackIndex::Open(const std::string& idx_path) {
  std::unique_ptr<PackIndex> index(new PackIndex());
  index->path_ = idx_path;
  SEI_ASSIGN_OR_RETURN(index->file_, MappedFile::Open(idx_path));
  const uint8_t* data = index->file_.data();
  if (index->file_.size() >= 8 && std::memcmp(data, kV2Magic, 4) == 0) {
    uint32_t version = LoadBe32(data + 4);
    if (version != 2) {
      return index->Corrupt("unsupported pack index version " + std::to_string(version) +
                            " (expected 1 or 2)");
    }
    SEI_RETURN_IF_ERROR(index->ParseV2());
  } else {
    SEI_RETURN_IF_ERROR(index->ParseV1());
  }
  index->file_.WillNeed();
  return index;
}

Status PackIndex::Corrupt(const std::string& what) const {
  return DataLossError("corrupt pack index " + path_ + ": " + what);
}

Status PackIndex::CheckFanout(const uint8_t* fanout) {
  uint32_t previous = 0;
  for (int i = 0; i < 256; ++i) {
    uint32_t n = LoadBe32(fanout + i * 4);
    if (n < previous)
      return Corrupt("fanout table is not sorted (entry " + std::to_string(i) + ")");
    previous = n;
  }
  fanout_ = fanout;
  count_ = previous;
  return Status::Ok();
}

Status PackIndex::ParseV1() {
  version_ = 1;
  const uint64_t size = file_.size();
  if (size < kFanoutBytes + kTrailerBytes) {
    return Corrupt("truncated: " + std::to_string(size) + " bytes is too small for an index");
  }
  SEI_RETURN_IF_ERROR(CheckFanout(file_.data()));
  const uint64_t expected = kFanoutBytes + uint64_t{count_} * 24 + kTrailerBytes;
  if (size != expected) {
    return Corrupt("version 1 index of " + std::to_string(count_) + " objects should be " +
                   std::to_string(expected) + " bytes, is " + std::to_string(size) +
                   " (truncated?)");
  }
  ids_ = file_.data() + kFanoutBytes + 4;  // each record: 4-byte offset, then the id
  id_stride_ = 24;
  return Status::Ok();
}

Status PackIndex::ParseV2() {
  version_ = 2;
  const uint64_t size = file_.size();
  if (size < 8 + kFanoutBytes + kTrailerBytes) {
    return Corrupt("truncated: " + std::to_string(size) + " bytes is too small for an index");
  }
  SEI_RETURN_IF_ERROR(CheckFanout(file_.data() + 8));
  const uint64_t n = count_;
  const uint64_t fixed = 8 + kFanoutBytes + n * (20 + 4 + 4) + kTrailerBytes;
  if (size < fixed || (size - fixed) % 8 != 0) {
    return Corrupt("version 2 index of " + std::to_string(n) + " objects cannot be " +
                   std::to_string(size) + " bytes (truncated?)");
  }
  ids_ = file_.data() + 8 + kFanoutBytes;
  id_stride_ = 20;
  offsets32_ = ids_ + n * 20 + n * 4;  // after the ids and the CRC32s
  offsets64_ = offsets32_ + n * 4;
  offsets64_count_ = (size - fixed) / 8;
  return Status::Ok();
}

std::optional<uint32_t> PackIndex::Find(const ObjectId& id) const {
  const uint8_t first = id.bytes[0];
  uint32_t lo = first == 0 ? 0 : LoadBe32(fanout_ + (first - 1) * 4);
  uint32_t hi = LoadBe32(fanout_ + first * 4);
  // The fanout was checked sorted with its last entry == count_, so
  // lo <= hi <= count_ here.
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    int c = std::memcmp(ids_ + uint64_t{mid} * id_stride_, id.bytes.data(), ObjectId::kRawSize);
    if (c == 0) return mid;
    if (c < 0) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return std::nullopt;
}

uint64_t PackIndex::OffsetAt(uint32_t pos) const {
  if (version_ == 1) return LoadBe32(ids_ + uint64_t{pos} * 24 - 4);
  uint32_t off = LoadBe32(offsets32_ + uint64_t{pos} * 4);
  if ((off & 0x80000000u) == 0) return off;
  uint64_t slot = off & 0x7fffffffu;
  return slot < offsets64_count_ ? LoadBe64(offsets64_ + slot * 8) : kBadOffset;
}

ObjectId PackIndex::IdAt(uint32_t pos) const {
  return ObjectId::FromRaw(ids_ + uint64_t{pos} * id_stride_);
}

}  // namespace sei::git::internal
