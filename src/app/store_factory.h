// Opens the Store named by a --db value: a SQLite file path (optionally
// prefixed "sqlite:"), or a PostgreSQL URL (a later release).
//
// Thread safety: stateless.
#pragma once

#include <memory>
#include <string>

#include "common/result.h"
#include "store/store.h"

namespace sei::app {

// `read_only` commands (export, stats) never create a database: a missing
// file is a NotFound error telling the user to collect first.
// `durable`: every commit reaches the disk before it returns (the push
// writer's store; sqlite_store.h, SqliteStoreOptions::durable).
Result<std::unique_ptr<Store>> OpenStore(const std::string& db, bool read_only,
                                         bool durable = false);

}  // namespace sei::app
