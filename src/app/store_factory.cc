#include "app/store_factory.h"

#include <fmt/format.h>

#include <filesystem>

#include "store/sqlite/sqlite_store.h"

namespace sei::app {

Result<std::unique_ptr<Store>> OpenStore(const std::string& db, bool read_only, bool durable) {
  if (db.rfind("postgres://", 0) == 0 || db.rfind("postgresql://", 0) == 0) {
    return FailedPreconditionError(
        "the PostgreSQL backend is not available in this version of sei; pass a SQLite file "
        "path to --db");
  }
  std::string path = db.rfind("sqlite:", 0) == 0 ? db.substr(7) : db;
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

}  // namespace sei::app
