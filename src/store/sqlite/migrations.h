// The numbered schema migrations of the SQLite store, embedded from
// src/store/migrations/sqlite/NNNN_name.sql at build time.
//
// Thread safety: immutable data.
#pragma once

#include <string_view>
#include <vector>

namespace sei::sqlite {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

// All migrations, in increasing version order.
const std::vector<Migration>& SqliteMigrations();

}  // namespace sei::sqlite
