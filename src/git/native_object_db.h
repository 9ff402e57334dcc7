// NativeObjectDb: the ObjectDb that reads pack files and loose objects
// itself (see object_db.h for why). Packs are memory-mapped (pack.h);
// objects are inflated whole with libdeflate (pack entries give the inflated
// size); delta chains are resolved iteratively, and every base met on the
// way is kept in the reader's LRU delta-base cache, so reading consecutive
// versions of a file costs one delta each.
//
// Thread safety: the db is immutable after Open() and shared; each reader
// (NewReader()) is used by one thread.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "git/object_db.h"
#include "git/pack.h"

namespace sei::git {

class NativeObjectDb : public ObjectDb {
 public:
  static Result<std::unique_ptr<NativeObjectDb>> Open(const std::string& git_dir,
                                                      const ObjectDbOptions& options);

  std::unique_ptr<ObjectReader> NewReader() const override;

  const std::vector<std::unique_ptr<PackFile>>& packs() const { return packs_; }
  const std::vector<std::string>& object_dirs() const { return object_dirs_; }
  const ObjectDbOptions& options() const { return options_; }

 private:
  NativeObjectDb() = default;
  Status AddObjectDir(const std::string& dir, int depth);

  ObjectDbOptions options_;
  std::vector<std::string> object_dirs_;  // own objects/ first, then alternates
  std::vector<std::unique_ptr<PackFile>> packs_;
};

}  // namespace sei::git
