#include "git/pack.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace sei::git {

namespace {

uint32_t Be32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

uint64_t Be64(const uint8_t* p) { return (uint64_t{Be32(p)} << 32) | Be32(p + 4); }

Result<std::pair<const uint8_t*, size_t>> MapFile(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return NotFoundError("cannot open " + path + ": " + std::strerror(errno));
  struct stat st {};
  if (fstat(fd, &st) != 0 || st.st_size <= 0) {
    close(fd);
    return DataLossError(path + " is empty or unreadable");
  }
  auto size = static_cast<size_t>(st.st_size);
  void* p = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  close(fd);
  if (p == MAP_FAILED) return DataLossError("cannot map " + path + ": " + std::strerror(errno));
  return std::make_pair(static_cast<const uint8_t*>(p), size);
}

}  // namespace

PackFile::~PackFile() {
  if (fd_ >= 0) close(fd_);
  if (idx_ != nullptr) munmap(const_cast<uint8_t*>(idx_), idx_size_);
}

Result<std::unique_ptr<PackFile>> PackFile::Open(const std::string& pack_path) {
  std::unique_ptr<PackFile> pack(new PackFile());
  pack->path_ = pack_path;
  SEI_RETURN_IF_ERROR(pack->MapFiles(pack_path));
  SEI_RETURN_IF_ERROR(pack->ParseIndex());
  return pack;
}

Status PackFile::MapFiles(const std::string& pack_path) {
  std::string idx_path = pack_path.substr(0, pack_path.size() - 5) + ".idx";
  SEI_ASSIGN_OR_RETURN(auto idx, MapFile(idx_path));
  idx_ = idx.first;
  idx_size_ = idx.second;
  fd_ = open(pack_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) return NotFoundError("cannot open " + pack_path + ": " + std::strerror(errno));
  struct stat st {};
  if (fstat(fd_, &st) != 0) return DataLossError("cannot stat " + pack_path);
  pack_size_ = static_cast<uint64_t>(st.st_size);
  uint8_t header[12];
  if (pack_size_ < 12 + 20 || pread(fd_, header, 12, 0) != 12 ||
      std::memcmp(header, "PACK", 4) != 0) {
    return DataLossError(path_ + " is not a git pack file (bad header)");
  }
  pack_object_count_ = Be32(header + 8);
  uint32_t version = Be32(header + 4);
  if (version != 2 && version != 3) {
    return DataLossError(path_ + " has unsupported pack version " + std::to_string(version));
  }
  data_end_ = pack_size_ - 20;  // trailing SHA-1 of the pack
  return Status::Ok();
}

Status PackFile::ParseIndex() {
  const std::string idx_path = path_.substr(0, path_.size() - 5) + ".idx";
  auto bad = [&](const char* what) { return DataLossError(idx_path + ": " + what); };
  if (idx_size_ >= 8 && std::memcmp(idx_, "\377tOc", 4) == 0) {
    if (Be32(idx_ + 4) != 2) return bad("unsupported index version");
    idx_version_ = 2;
    fanout_ = idx_ + 8;
  } else {
    idx_version_ = 1;
    fanout_ = idx_;
  }
  if (idx_size_ < static_cast<size_t>(fanout_ - idx_) + 256 * 4) return bad("truncated index");
  count_ = Be32(fanout_ + 255 * 4);
  uint64_t n = count_;
  if (idx_version_ == 2) {
    ids_ = fanout_ + 256 * 4;
    offsets32_ = ids_ + n * 20 + n * 4;
    offsets64_ = offsets32_ + n * 4;
    uint64_t fixed = static_cast<uint64_t>(offsets64_ - idx_) + 40;  // + two checksums
    if (idx_size_ < fixed) return bad("truncated index");
    offsets64_count_ = (idx_size_ - fixed) / 8;
  } else {
    ids_ = fanout_ + 256 * 4;
    if (idx_size_ < 256 * 4 + n * 24 + 40) return bad("truncated index");
  }
  if (pack_object_count_ != count_) return bad("object count differs from its pack");
  return Status::Ok();
}

uint64_t PackFile::OffsetAt(uint32_t i) const {
  if (idx_version_ == 1) return Be32(ids_ + uint64_t{i} * 24);
  uint32_t off = Be32(offsets32_ + uint64_t{i} * 4);
  if ((off & 0x80000000u) == 0) return off;
  uint64_t k = off & 0x7fffffffu;
  return k < offsets64_count_ ? Be64(offsets64_ + k * 8) : UINT64_MAX;
}

std::optional<uint64_t> PackFile::Find(const ObjectId& id) const {
  uint8_t first = id.bytes[0];
  uint32_t lo = first == 0 ? 0 : Be32(fanout_ + (first - 1) * 4);
  uint32_t hi = Be32(fanout_ + first * 4);
  size_t stride = idx_version_ == 1 ? 24 : 20;
  size_t skip = idx_version_ == 1 ? 4 : 0;
  if (hi > count_ || lo > hi) return std::nullopt;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    int c = std::memcmp(ids_ + uint64_t{mid} * stride + skip, id.bytes.data(), 20);
    if (c == 0) return OffsetAt(mid);
    if (c < 0) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return std::nullopt;
}

uint64_t PackFile::EntryEnd(uint64_t offset) const {
  std::call_once(sorted_once_, [this] {
    sorted_offsets_.reserve(count_);
    for (uint32_t i = 0; i < count_; ++i) sorted_offsets_.push_back(OffsetAt(i));
    std::sort(sorted_offsets_.begin(), sorted_offsets_.end());
  });
  auto it = std::upper_bound(sorted_offsets_.begin(), sorted_offsets_.end(), offset);
  return it == sorted_offsets_.end() ? data_end_ : std::min(*it, data_end_);
}

Status PackFile::ReadRaw(uint64_t offset, uint64_t len, uint8_t* dst) const {
  if (offset > data_end_ || len > data_end_ - offset) {
    return DataLossError("read past the end of " + path_);
  }
  uint64_t done = 0;
  while (done < len) {
    ssize_t r = pread(fd_, dst + done, len - done, static_cast<off_t>(offset + done));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return DataLossError("cannot read " + path_ + ": " + std::strerror(errno));
    done += static_cast<uint64_t>(r);
  }
  return Status::Ok();
}

Status PackFile::ReadData(uint64_t offset, uint64_t max, std::string* buf) const {
  if (offset >= data_end_) return DataLossError("data offset outside the pack");
  uint64_t n = std::min(max, data_end_ - offset);
  buf->resize(n);
  return ReadRaw(offset, n, reinterpret_cast<uint8_t*>(buf->data()));
}

Status PackFile::ReadEntry(uint64_t offset, PackEntry* e) const {
  if (offset < 12 || offset >= data_end_) return DataLossError("entry offset outside the pack");
  uint8_t buf[32];
  uint64_t avail = std::min<uint64_t>(sizeof(buf), data_end_ - offset);
  SEI_RETURN_IF_ERROR(ReadRaw(offset, avail, buf));
  return ParseEntry(offset, buf, avail, e);
}

Status PackFile::ParseEntry(uint64_t offset, const uint8_t* bytes, uint64_t avail,
                            PackEntry* e) const {
  if (offset < 12 || offset >= data_end_) return DataLossError("entry offset outside the pack");
  // A header is at most 10 bytes of size, then 10 of offset or 20 of id.
  const uint8_t* p = bytes;
  const uint8_t* end = bytes + std::min<uint64_t>(avail, 32);
  uint8_t c = *p++;
  auto kind = static_cast<uint8_t>((c >> 4) & 7);
  uint64_t size = c & 15;
  for (int shift = 4; c & 0x80; shift += 7) {
    if (p >= end || shift > 60) return DataLossError("truncated entry header");
    c = *p++;
    size |= static_cast<uint64_t>(c & 0x7f) << shift;
  }
  if (kind == 0 || kind == 5) return DataLossError("invalid entry type");
  e->kind = static_cast<PackEntryKind>(kind);
  e->size = size;
  if (e->kind == PackEntryKind::kOfsDelta) {
    if (p >= end) return DataLossError("truncated delta offset");
    c = *p++;
    uint64_t rel = c & 0x7f;
    while (c & 0x80) {
      if (p >= end || rel > (UINT64_MAX >> 8)) return DataLossError("bad delta offset");
      c = *p++;
      rel = ((rel + 1) << 7) | (c & 0x7f);
    }
    if (rel == 0 || rel > offset) return DataLossError("delta base offset outside the pack");
    e->base_offset = offset - rel;
  } else if (e->kind == PackEntryKind::kRefDelta) {
    if (end - p < 20) return DataLossError("truncated delta base id");
    e->base_id = ObjectId::FromRaw(p);
    p += 20;
  }
  e->data_offset = offset + static_cast<uint64_t>(p - bytes);
  return Status::Ok();
}

}  // namespace sei::git
