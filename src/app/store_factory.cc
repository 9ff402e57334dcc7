#include "app/store_factory.h"

#include <fmt/format.h>

#include <filesystem>

#include "store/postgres/postgres_store.h"
#include "store/sqlite/sqlite_store.h"

namespace sei::app {

std::string SqlitePath(const std::string& db) {
  return db.rfind("sqlite:", 0) == 0 ? db.substr(7) : db;
}

bool IsPostgresUrl(const std::string& db) {
  return db.rfind("postgres://", 0) == 0 || db.rfind("postgresql://", 0) == 0;
}

Result<std::unique_ptr<Store>> OpenStore(const std::string& db, bool read_only, bool durable) {
  if (IsPostgresUrl(db)) {
    pg::PostgresStoreOptions options;
    options.read_only = read_only;
    options.durable = durable;
    SEI_ASSIGN_OR_RETURN(std::unique_ptr<pg::PostgresStore> store,
                         pg::PostgresStore::Open(db, options));
    return std::unique_ptr<Store>(std::move(store));
  }
  std::string path = SqlitePath(db);
  if (path.empty()) return InvalidArgumentError("--db is empty; pass a database file path");
  std::error_code ec;
  if (read_only && !std::filesystem::exists(path, ec)) {
    return NotFoundError(
        fmt::format("no database at {}; run `sei collect git PATH` first, or pass --db", path));
  }
  sqlite::SqliteStoreOptions options;
  options.read_only = read_only;
  options.durable = durable;
  SEI_ASSIGN_OR_RETURN(std::unique_ptr<sqlite::SqliteStore> store,
                       sqlite::SqliteStore::Open(path, options));
  return std::unique_ptr<Store>(std::move(store));
}

Result<std::unique_ptr<Store>> OpenExistingStore(const std::string& db, bool read_only,
                                                 const std::string& hint) {
  std::error_code ec;
  if (!IsPostgresUrl(db) && !std::filesystem::exists(SqlitePath(db), ec)) {
    return NotFoundError(fmt::format("no database at {}; {}, or pass --db", SqlitePath(db), hint));
  }
  return OpenStore(db, read_only);
}

}  // namespace sei::app
