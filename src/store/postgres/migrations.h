// The numbered schema migrations of the PostgreSQL store, embedded from
// src/store/migrations/postgres/NNNN_name.sql at build time: the same
// numbers as SQLite's (src/store/sqlite/migrations.h), the same schema in
// PostgreSQL's types.
//
// Thread safety: immutable data.
#pragma once

#include <vector>

#include "store/migration.h"

namespace sei::pg {

using sei::Migration;

// All migrations, in increasing version order.
const std::vector<Migration>& PostgresMigrations();

}  // namespace sei::pg
