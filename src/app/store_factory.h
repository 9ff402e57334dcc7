// Opens the Store named by a --db value (or the config's `db:`): a
// PostgreSQL URL (postgres://user[:password]@host[:port]/database, or
// postgresql://...) opens the PostgreSQL store; anything else is a SQLite
// file path, optionally prefixed "sqlite:" (the default).
//
// Thread safety: stateless.
#pragma once

#include <memory>
#include <string>

#include "common/result.h"
#include "store/store.h"

namespace sei::app {

// True for postgres:// and postgresql:// URLs.
bool IsPostgresUrl(const std::string& db);
// The file a SQLite --db value names ("sqlite:" prefix dropped).
std::string SqlitePath(const std::string& db);

// `read_only` commands (export, stats) never create a database: a missing
// file (or, on PostgreSQL, a database without the schema) is a NotFound
// error telling the user to collect first.
// `durable`: every commit reaches the disk before it returns (the push
// writer's store; sqlite_store.h, SqliteStoreOptions::durable, and
// postgres_store.h, PostgresStoreOptions::durable).
Result<std::unique_ptr<Store>> OpenStore(const std::string& db, bool read_only,
                                         bool durable = false);

// For commands that need collected data but write (link, identity): a
// SQLite file that does not exist yet is a NotFound error saying so (with
// `hint`, what to run first), instead of an empty database.
Result<std::unique_ptr<Store>> OpenExistingStore(const std::string& db, bool read_only,
                                                 const std::string& hint);

}  // namespace sei::app
