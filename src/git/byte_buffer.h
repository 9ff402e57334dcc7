// ByteBuffer: a heap byte buffer whose ResizeUninitialized() neither zero-
// fills nor preserves contents, and which keeps its storage when it shrinks.
//
// Why it exists: the object reader sizes a buffer and then overwrites every
// byte of it (inflating or applying a delta); std::string::resize would
// zero-fill first, a memset over every object read. Reusing a ByteBuffer
// costs no allocation while its capacity suffices.
//
// Thread safety: a value type; not safe for concurrent mutation.
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>

namespace sei::git::internal {

class ByteBuffer {
 public:
  ByteBuffer() = default;
  ByteBuffer(ByteBuffer&& other) noexcept { *this = std::move(other); }
  ByteBuffer& operator=(ByteBuffer&& other) noexcept {
    data_ = std::move(other.data_);
    size_ = other.size_;
    capacity_ = other.capacity_;
    other.size_ = other.capacity_ = 0;
    return *this;
  }
  ByteBuffer(const ByteBuffer&) = delete;
  ByteBuffer& operator=(const ByteBuffer&) = delete;

  // Makes the size `n`. The contents are unspecified afterwards: callers
  // write all `n` bytes.
  void ResizeUninitialized(size_t n) {
    if (n > capacity_) {
      data_.reset(new char[n]);  // default-initialised: no zero fill
      capacity_ = n;
    }
    size_ = n;
  }

  char* data() { return data_.get(); }
  const char* data() const { return data_.get(); }
  size_t size() const { return size_; }
  size_t capacity() const { return capacity_; }
  std::string_view view() const { return {data_.get(), size_}; }

 private:
  std::unique_ptr<char[]> data_;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

}  // namespace sei::git::internal
