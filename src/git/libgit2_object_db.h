// LibGit2ObjectDb: an ObjectDb that reads through libgit2's object database
// (git_odb_read). Slower than the native pack reader (object_db.h) on long
// histories, but it reads anything libgit2 can; the benchmarks use it as
// the baseline, and tests compare the two object for object.
//
// Thread safety: as ObjectDb: share the db, one reader per thread (each
// reader owns its own git_repository handle, as libgit2 requires).
#pragma once

#include <memory>
#include <string>

#include "common/result.h"
#include "git/object_db.h"

namespace sei::git {

// Opens `git_dir` through libgit2 (git_libgit2_init must have been called).
Result<std::unique_ptr<ObjectDb>> OpenLibGit2ObjectDb(const std::string& git_dir);

}  // namespace sei::git
