// FastImportStream: writes a `git fast-import` command stream in memory, so
// test repositories can be built with one git process and fixed, reproducible
// object ids. Also a tiny deterministic random generator for test content.
//
// Paths are always written C-quoted, so any byte except NUL may appear in
// them (newlines, tabs, quotes, Latin-1). Identities and messages are written
// byte for byte.
//
// Thread safety: a FastImportStream or Rng is owned by one thread; distinct
// objects may be used from distinct threads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sei::testing {

// splitmix64: small, fast and the same on every platform.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next();
  // Uniform in [0, n); n > 0.
  uint64_t Uniform(uint64_t n) { return Next() % n; }

 private:
  uint64_t state_;
};

struct Person {
  std::string name;   // raw bytes, any encoding
  std::string email;  // may be empty
};

// "name <email> time tz", the form of author, committer and tagger lines.
std::string Ident(const Person& who, int64_t time, std::string_view tz);

class FastImportStream {
 public:
  // A fresh mark, ":1", ":2", ...
  std::string NextMark();

  void Blob(const std::string& mark, std::string_view data);
  // Starts a commit; file commands follow. `from` is a mark, a commit id or a
  // ref ("" keeps the branch's current tip, or makes a root commit for a new
  // branch); `encoding` adds an `encoding` header when not empty.
  void Commit(const std::string& ref, const std::string& mark, const std::string& author,
              const std::string& committer, std::string_view message, const std::string& from,
              const std::vector<std::string>& merges, const std::string& encoding = "");
  // File commands for the current commit.
  void Modify(std::string_view mode, std::string_view path, std::string_view data);
  void ModifyRef(std::string_view mode, std::string_view dataref, std::string_view path);
  void Delete(std::string_view path);
  void Rename(std::string_view from, std::string_view to);
  // Points `ref` at `from`; the all-zero id deletes the ref.
  void Reset(const std::string& ref, const std::string& from);
  // An annotated tag named `name` on `from` (mark or object id of any type).
  void Tag(const std::string& name, const std::string& mark, const std::string& from,
           const std::string& tagger, std::string_view message);

  const std::string& str() const { return out_; }
  std::string Take() { return std::move(out_); }

  // `path` in double quotes with C escapes (\" \\ \n \t and \ooo for other
  // control bytes and bytes >= 0x7f), as fast-import's parser expects.
  static std::string QuotePath(std::string_view path);

 private:
  void Data(std::string_view data);

  std::string out_;
  int next_mark_ = 1;
};

}  // namespace sei::testing
