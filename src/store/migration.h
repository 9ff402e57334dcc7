// One numbered schema migration, embedded into the binary at build time from
// src/store/migrations/<backend>/NNNN_name.sql (src/store/CMakeLists.txt,
// sei_embed_migrations). Both backends carry the same numbers: version N
// means the same schema on SQLite and on PostgreSQL.
//
// Thread safety: immutable data.
#pragma once

#include <string_view>

namespace sei {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

}  // namespace sei
