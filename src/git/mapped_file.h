// MappedFile: a whole file mapped read-only (PROT_READ, MAP_PRIVATE), for
// pack files and their indexes. The mapping is released on destruction.
//
// Why it exists: pack data is read in place (no copy into our buffers before
// inflating), and mapped pages live in the kernel's page cache, so two
// readers of one pack share them and they cost no heap.
//
// Thread safety: immutable after Open(); data() may be read from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "common/result.h"

namespace sei::git::internal {

class MappedFile {
 public:
  // Maps `path` whole. NotFound when it cannot be opened; DataLoss when it
  // is empty (nothing to map) or cannot be mapped.
  static Result<MappedFile> Open(const std::string& path);

  MappedFile() = default;
  ~MappedFile();
  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }

  // madvise(MADV_WILLNEED): start reading the whole file in (for indexes,
  // which are small and probed all over).
  void WillNeed() const;

  // madvise(MADV_DONTNEED): unmaps the pages touched so far from this
  // process (they stay in the page cache), so they stop counting in its
  // resident set. Later reads fault them back in with the same contents
  // (the mapping is private and never written), so this is safe while
  // other threads read.
  void ReleasePages() const;

 private:
  MappedFile(const uint8_t* data, size_t size) : data_(data), size_(size) {}

  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
};

// Big-endian fields, as git writes them.
inline uint32_t LoadBe32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}
inline uint64_t LoadBe64(const uint8_t* p) {
  return (uint64_t{LoadBe32(p)} << 32) | LoadBe32(p + 4);
}

}  // namespace sei::git::internal
