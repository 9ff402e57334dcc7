// The registry of every entity the platform stores: what `sei export` can
// write, what the schema check compares against the SQL schema, and what the
// docs list.
//
// Thread safety: the registry is built once and immutable; thread-safe.
#pragma once

#include <string_view>
#include <vector>

#include "model/entity.h"

namespace sei::model {

// Every entity's TableSpec, in pipeline order (git, review, work, delivery,
// org, bookkeeping, access).
const std::vector<const TableSpec*>& AllSpecs();

// The spec whose entity name (kebab-case, "commit-files") or table name
// ("commit_files") is `name`; nullptr when there is none.
const TableSpec* FindSpec(std::string_view name);

}  // namespace sei::model
