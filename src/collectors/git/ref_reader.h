// Reads a repository's branches and tags (libgit2 lists them, including
// packed refs), peels annotated tags (possibly tags of tags) to what they
// finally point at, and gives the commits to walk from.
//
// Thread safety: stateless function; uses the caller's reader.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "git/object_db.h"
#include "git/object_id.h"
#include "model/git.h"

namespace sei::collectors {

struct RefSet {
  std::vector<model::Ref> refs;     // sorted by name
  std::vector<git::ObjectId> tips;  // distinct commits: default branch first
  std::string default_branch;       // "main", or empty
  // Digest of every (name, target): equal digests mean nothing changed.
  std::string digest;
};

Status ReadRefs(const std::string& git_dir, git::ObjectReader* reader, bool include_remotes,
                const std::string& repo_id, int64_t now, RefSet* out);

}  // namespace sei::collectors
