// RepoSource: turns what the user typed (a working tree, a bare repository,
// or a URL) into a local git directory to read, cloning URLs into a bare
// mirror in the data directory on first use and fetching into it afterwards
// (with RemoteAccess's credentials and CA bundle, which are never stored).
//
// A mirror is cloned into a temporary directory and renamed into place, so
// an interrupted clone never leaves a half-made mirror behind.
//
// Thread safety: stateless functions; libgit2 must be initialised.
#pragma once

#include <string>
#include <vector>

#include "collectors/git/remote_access.h"
#include "common/result.h"

namespace sei::collectors {

struct ResolvedRepo {
  std::string location;     // canonical path or URL (credentials removed)
  std::string repo_id;      // "git:local:repo:<location>" (GitCollectOptions may override it)
  std::string name;         // display name ("api" for /srv/git/api.git)
  std::string git_dir;      // the directory holding objects/ and refs
  std::string mirror_path;  // empty for local repositories
  bool is_shallow = false;
};

// True for "scheme://..." and scp-like "user@host:path" locations.
bool LooksLikeUrl(const std::string& location);

// The location with any "user:password@" removed (never stored or logged).
std::string RedactUrl(const std::string& url);

// Opens a local repository (must be the top of a working tree, or a bare
// repository / .git directory), or mirrors a URL into `data_dir`/mirrors.
// A new mirror fetches `refspecs` ("+refs/heads/*:refs/heads/*"; empty:
// every ref); an existing one what it was made with.
Result<ResolvedRepo> ResolveRepo(const std::string& location, const std::string& data_dir,
                                 const RemoteAccess& access = {},
                                 const std::vector<std::string>& refspecs = {});

}  // namespace sei::collectors
