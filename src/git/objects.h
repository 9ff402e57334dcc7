// Parsers for raw git object content (what ObjectReader::Read returns):
// commits, trees and tags.
//
// Commits and tags are parsed from their raw headers byte-exactly: names are
// kept as written (libgit2 strips a trailing "." from names; we must not),
// in whatever encoding the commit declares. Odd idents are tolerated the way
// git tolerates them: a missing or garbled date or zone gives 0.
//
// Thread safety: pure functions; a TreeIterator is used by one thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "git/object_db.h"
#include "git/object_id.h"

namespace sei::git {

struct Signature {
  std::string name;
  std::string email;
  int64_t time = 0;            // Unix seconds
  int32_t offset_minutes = 0;  // zone as written: +0530 -> 330
};

struct Commit {
  ObjectId tree;
  std::vector<ObjectId> parents;
  Signature author;
  Signature committer;
  std::string encoding;  // the "encoding" header; empty means UTF-8
  std::string message;   // everything after the blank line ending the headers
};

// Parses a raw commit. DataLoss when the tree header is missing or an id is
// malformed.
Result<Commit> ParseCommit(std::string_view raw);

// Parses "Name <email> 1700000000 +0200" (the value of an author, committer
// or tagger header).
Signature ParseSignature(std::string_view value);

struct Tag {
  ObjectId object;
  ObjectType type = ObjectType::kNone;
  std::string name;
  std::optional<Signature> tagger;  // very old tags have none
  std::string message;
};

Result<Tag> ParseTag(std::string_view raw);

struct TreeEntry {
  uint32_t mode = 0;
  std::string_view name;  // points into the tree's buffer
  ObjectId id;
};

// Iterates the entries of a raw tree ("<octal mode> <name>\0<20-byte id>"...).
class TreeIterator {
 public:
  explicit TreeIterator(std::string_view raw) : rest_(raw) {}

  // Next entry, or false at the end or on malformed data (then status() says
  // what was wrong).
  bool Next(TreeEntry* entry);
  const Status& status() const { return status_; }

 private:
  std::string_view rest_;
  Status status_;
};

}  // namespace sei::git
