// LooseObjectReader: reads loose objects (`objects/xx/yyyy...`), each a
// zlib stream of "<type> <size>\0<data>". The header is inflated first, so
// the output is sized exactly once; the rest is inflated straight into the
// caller's buffer, and the stream must end exactly at the declared size.
//
// Why it exists: objects written since the last repack are loose; reading
// them needs zlib's streaming interface (the size is unknown until the
// header is inflated), unlike pack entries.
//
// Thread safety: NOT thread-safe; each ObjectReader owns one (it keeps a
// zlib stream and a file buffer to avoid allocating per object).
#pragma once

#include <zlib.h>

#include <cstdint>
#include <string>

#include "common/status.h"
#include "git/object_db.h"
#include "git/object_id.h"

namespace sei::git::internal {

class LooseObjectReader {
 public:
  LooseObjectReader();
  ~LooseObjectReader();
  LooseObjectReader(const LooseObjectReader&) = delete;
  LooseObjectReader& operator=(const LooseObjectReader&) = delete;

  // Reads object `id` from the objects directory `objects_dir`. *found is
  // false (and the status ok) when the directory has no such file; DataLoss
  // naming the id and file when it is corrupt.
  Status Read(const std::string& objects_dir, const ObjectId& id, ObjectType* type,
              std::string* data, bool* found);

  // Reads only the type and size from the object's header.
  Status ReadHeader(const std::string& objects_dir, const ObjectId& id, ObjectType* type,
                    uint64_t* size, bool* found);

 private:
  struct Header {
    ObjectType type = ObjectType::kNone;
    uint64_t size = 0;
    // Bytes of object data inflated along with the header (in head_).
    size_t data_start = 0;
    size_t data_end = 0;
    bool stream_ended = false;
  };

  // Reads up to `limit` bytes of the file into file_; *found false when it
  // does not exist.
  Status Load(const std::string& objects_dir, const ObjectId& id, size_t limit, bool* found);
  // Inflates the start of file_ and parses the header from it.
  Status InflateHeader(const ObjectId& id, Header* h);
  Status InflateRest(const ObjectId& id, const Header& h, std::string* data);
  Status Corrupt(const ObjectId& id, const std::string& what) const;

  z_stream zs_{};
  bool zs_ready_ = false;
  std::string path_;  // the file being read
  std::string file_;  // its compressed bytes (or a prefix of them)
  size_t file_size_ = 0;
  unsigned char head_[64] = {};
};

}  // namespace sei::git::internal
