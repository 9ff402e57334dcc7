// The numbered schema migrations of the SQLite store, embedded from
// src/store/migrations/sqlite/NNNN_name.sql at build time.
//
// Thread safety: immutable data.
#pragma once

#include <vector>

#include "store/migration.h"

namespace sei::sqlite {

using sei::Migration;

// All migrations, in increasing version order.
const std::vector<Migration>& SqliteMigrations();

}  // namespace sei::sqlite
