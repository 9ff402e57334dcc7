// DiffScopes: which scopes' metrics changed between two loads of the
// Dataset, for the live-update stream (`sei serve`'s GET /api/v1/events): a
// dashboard showing team X refreshes when a push or a collection touched
// team X's rows, and stays put otherwise.
//
// Rows are compared by id and a fingerprint of every field the metrics read
// (a PR's reviews, comments and commits included); commits, which have no
// id in the Dataset, by (repo, author) counts and sums. A row added, changed
// or removed marks the organisation, its repository, the people involved
// (author, reviewers, commenters, assignee) and every team and project the
// row belongs to in either load (so a row leaving a scope marks it too).
// Teams and projects whose definition changed (name, members, scopes) are
// marked themselves. When identities moved (accounts now belong to other
// people), or more rows changed than `max_rows`, the answer is `all`: every
// scope may have changed, and naming them would cost more than refreshing.
//
// Thread safety: a pure function of two immutable Datasets.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "metrics/core/dataset.h"
#include "metrics/core/scope.h"

namespace sei::metrics {

struct ScopeChanges {
  bool all = false;           // every scope may have changed
  std::vector<Scope> scopes;  // sorted by kind then id, unique; "org" first when present
  int64_t rows_changed = 0;   // rows added, changed or removed (commits counted per row)
  bool empty() const { return !all && scopes.empty(); }
};

ScopeChanges DiffScopes(const Dataset& before, const Dataset& after, size_t max_rows = 2000);

}  // namespace sei::metrics
