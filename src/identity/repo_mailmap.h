// ReadRepoMailmap: the .mailmap a repository carries, read the way git reads
// it for `git log --use-mailmap` with no mailmap.file configured:
//  - a working tree (the location holds `.git`, a directory or a worktree's
//    `gitdir:` file): the file `<location>/.mailmap`; a symlink is ignored,
//    as git (>= 2.32) refuses to follow an in-tree .mailmap symlink;
//  - a bare repository or mirror: the `.mailmap` blob of HEAD's tree
//    (git's default mailmap.blob "HEAD:.mailmap"), read through the project's
//    object reader (src/git/object_db.h).
// A repository without one, an unborn HEAD, or a location that is not there
// any more all give an empty Mailmap: missing is empty. A repository that is
// there but unreadable (a corrupt pack, a broken HEAD) is an error naming it.
//
// Thread safety: stateless; safe from any number of threads.
#pragma once

#include <string>

#include "common/result.h"
#include "identity/mailmap.h"

namespace sei::identity {

// `location`: a working tree, a bare repository, or a mirror's path.
Result<Mailmap> ReadRepoMailmap(const std::string& location);

}  // namespace sei::identity
