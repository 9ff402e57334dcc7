// Line counting for `git log --numstat` parity: how many lines a change to
// one file added and deleted, computed from the two blobs' contents.
//
// Why it exists: git's numstat counts depend on its own diff algorithm (a
// Myers O(ND) diff with git's preprocessing and cost heuristics, not a
// minimal diff), so any other diff gives slightly different numbers on some
// files. This is an independent implementation of that algorithm's
// behaviour, specified in docs/adr/0002-numstat-line-counting.md and
// verified against git's own output by line_diff_test.cc. It only counts;
// it never builds a patch.
//
// Thread safety: the free functions are thread-safe. A LineDiffer keeps
// scratch buffers between calls and is NOT thread-safe: use one per thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

namespace sei::git {

struct LineCounts {
  int64_t added = 0;
  int64_t deleted = 0;
  friend bool operator==(const LineCounts&, const LineCounts&) = default;
};

// git's binary rule: a NUL byte within the first 8000 bytes.
bool IsBinary(std::string_view data);

// Lines in `data` as git counts them: newline characters, plus one when the
// data is non-empty and does not end in a newline.
int64_t CountLines(std::string_view data);

class LineDiffer {
 public:
  LineDiffer();
  ~LineDiffer();
  LineDiffer(const LineDiffer&) = delete;
  LineDiffer& operator=(const LineDiffer&) = delete;

  // Lines added and deleted going from `old_data` to `new_data`, equal to
  // what `git diff --numstat` prints for two text blobs (callers handle
  // binary files with IsBinary() first).
  LineCounts Count(std::string_view old_data, std::string_view new_data);

 private:
  struct Scratch;
  std::unique_ptr<Scratch> scratch_;
};

}  // namespace sei::git
