// Parsers for raw git object content, as ObjectReader::Read returns it:
// commits, tags, and the entries of trees.
//
// Why it exists: collection needs author and committer names exactly as
// written (libgit2 strips a trailing "." from names: "Philip H." would become
// "Philip H"), in whatever encoding the commit declares, and it needs to walk
// trees without allocating per entry.
//
// Idents ("Name <email> 1700000000 +0200") are split the way git splits them
// (ident.c split_ident_line): the name is everything before the first '<',
// trailing whitespace removed, kept byte for byte otherwise (so it may be
// empty or end in "."); the email runs to the first '>' after it; the date
// follows the last '>'. Where git is tolerant we are too: without "<...>" the
// name and email are empty (git prints nothing for them either); a missing
// or garbled date gives time 0; a missing or garbled zone gives offset 0.
// Unlike git, a negative date (before 1970) is kept.
//
// Thread safety: the functions are pure; a TreeIterator is used by one
// thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/status.h"
#include "git/object_db.h"
#include "git/object_id.h"

namespace sei::git {

// "commit", "tree", "blob", "tag" -> the type; anything else -> kNone.
ObjectType ParseObjectType(std::string_view name);

struct Signature {
  std::string name;            // raw bytes, in the commit's encoding
  std::string email;           // raw bytes
  int64_t time = 0;            // Unix seconds; 0 when missing or garbled
  int32_t offset_minutes = 0;  // zone as written: +0530 -> 330, -1200 -> -720
};

// Parses the value of an author, committer or tagger header
// ("Name <email> 1700000000 +0200").
Signature ParseSignature(std::string_view value);

struct Commit {
  ObjectId tree;
  std::vector<ObjectId> parents;  // in order; any count (octopus merges)
  Signature author;
  Signature committer;
  std::string encoding;  // the "encoding" header as written; empty means UTF-8
  std::string message;   // everything after the blank line ending the headers
};

// Parses a raw commit the way git does: the first line must be
// "tree <id>", the parents are the "parent <id>" lines right after it; of
// the other headers the first author, committer and encoding count, and
// multi-line headers (gpgsig, mergetag: continuation lines start with a
// space) are skipped. DataLoss when the tree line is missing or an id is
// malformed.
Result<Commit> ParseCommit(std::string_view raw);
// The same into *commit, reusing its strings' and vector's storage (for
// walking many commits).
Status ParseCommit(std::string_view raw, Commit* commit);

struct Tag {
  ObjectId object;                      // the tagged object
  ObjectType type = ObjectType::kNone;  // its type
  std::string name;                     // the "tag" header
  std::optional<Signature> tagger;      // very old tags have none
  std::string message;                  // after the headers (with any signature)
};

// Parses a raw annotated tag. DataLoss when the object line is missing or
// malformed, or the type is not one of the four object types.
Result<Tag> ParseTag(std::string_view raw);

struct TreeEntry {
  uint32_t mode = 0;      // as written (100644, 100755, 120000, 160000, 40000, 100664 ...)
  std::string_view name;  // raw bytes; points into the tree's buffer
  ObjectId id;
};

// Iterates the entries of a raw tree ("<octal mode> <name>\0<20-byte id>"
// repeated), in the order written (git's canonical order).
//
//   TreeIterator it(raw);
//   TreeEntry e;
//   while (it.Next(&e)) { ... }
//   SEI_RETURN_IF_ERROR(it.status());
class TreeIterator {
 public:
  explicit TreeIterator(std::string_view raw) : raw_(raw) {}

  // The next entry; false at the end or on malformed data (then status()
  // is DataLoss saying what was wrong and at which byte).
  bool Next(TreeEntry* entry);
  const Status& status() const { return status_; }

 private:
  bool Fail(const char* what);

  std::string_view raw_;
  size_t pos_ = 0;
  Status status_;
};

}  // namespace sei::git
