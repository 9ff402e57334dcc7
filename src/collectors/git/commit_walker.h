// Commit walking for incremental collection: the commits reachable from a
// set of tips that are not stored yet, in parents-first order.
//
// Because the collector stores a commit only after all of its ancestors, a
// stored commit's whole ancestry is stored too, so the walk stops at the
// first stored commit on every path. The order is a depth-first post-order
// that follows first parents first: on a linear history it is oldest first,
// and consecutive commits touch the same files (good for the caches).
//
// Thread safety: functions run on the calling thread with its own reader.
#pragma once

#include <functional>
#include <optional>
#include <vector>

#include "common/status.h"
#include "git/object_db.h"
#include "git/object_id.h"

namespace sei::collectors {

struct WalkedCommit {
  git::ObjectId id;
  git::ObjectId tree;
  std::vector<git::ObjectId> parents;
  // The first parent's tree; nullopt for a root commit or a shallow boundary
  // (then the commit is diffed against the empty tree, as git does).
  std::optional<git::ObjectId> parent_tree;
};

struct WalkOptions {
  bool shallow = false;  // missing parents are a shallow boundary, not corruption
};

// Appends to *out the commits reachable from `tips` for which `known`
// returns false, parents before children.
Status WalkNewCommits(git::ObjectReader* reader, const std::vector<git::ObjectId>& tips,
                      const std::function<bool(const git::ObjectId&)>& known,
                      const WalkOptions& options, std::vector<WalkedCommit>* out);

}  // namespace sei::collectors
