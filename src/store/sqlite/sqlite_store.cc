// SqliteStore: opening, migrations, generic entities, raw archive, sync state
// and collection runs. Git history and summaries are in sqlite_git.cc.
#include "store/sqlite/sqlite_store.h"

#include <fmt/format.h>

#include <algorithm>

#include "store/sql_text.h"
#include "store/sqlite/migrations.h"

namespace sei::sqlite {

namespace {

using store_sql::ColumnNames;
using store_sql::Join;

std::string UpsertSql(const model::TableSpec& spec) {
  return store_sql::UpsertSql(spec, [](size_t) { return std::string("?"); });
}

// WHERE/ORDER BY/LIMIT for a scan; validates every column name against spec.
Result<std::string> ScanTail(const model::TableSpec& spec, const ScanOptions& options) {
  std::string sql;
  for (size_t i = 0; i < options.where.size(); ++i) {
    const std::string& col = options.where[i].first;
    if (spec.ColumnIndex(col) < 0) {
      return InvalidArgumentError(fmt::format("{} has no column '{}'", spec.entity, col));
    }
    sql += (i == 0 ? " WHERE " : " AND ") + col + " IS ?";
  }
  std::vector<std::string> order = spec.key;
  if (!options.order_by.empty()) {
    if (spec.ColumnIndex(options.order_by) < 0) {
      return InvalidArgumentError(
          fmt::format("{} has no column '{}' to order by", spec.entity, options.order_by));
    }
    order = {options.order_by};
  }
  if (options.after) {
    if (order.size() != 1) {
      return InvalidArgumentError(fmt::format(
          "paging {} with `after` needs one order column (its key has {}): set order_by",
          spec.entity, order.size()));
    }
    sql += (options.where.empty() ? " WHERE " : " AND ") + order[0] +
           (options.descending ? " < ?" : " > ?");
  }
  for (std::string& o : order) o += options.descending ? " DESC" : " ASC";
  sql += " ORDER BY " + Join(order, ", ");
  if (options.limit >= 0) sql += fmt::format(" LIMIT {}", options.limit);
  return sql;
}

}  // namespace

int SqliteStore::LatestSchemaVersion() { return SqliteMigrations().back().version; }

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path,
                                                       const SqliteStoreOptions& options) {
  SEI_ASSIGN_OR_RETURN(std::unique_ptr<Db> db,
                       Db::Open(path, {options.read_only, options.busy_timeout_ms}));
  std::unique_ptr<SqliteStore> store(new SqliteStore(std::move(db)));
  SEI_RETURN_IF_ERROR(store->Configure(options));
  if (options.read_only) {
    SEI_ASSIGN_OR_RETURN(int version, store->SchemaVersion());
    if (version > LatestSchemaVersion()) {
      return FailedPreconditionError(fmt::format(
          "database {} was written by a newer sei (schema version {}; this sei supports up to "
          "{}); upgrade sei or pass another --db",
          path, version, LatestSchemaVersion()));
    }
  } else {
    SEI_RETURN_IF_ERROR(store->Migrate());
  }
  return store;
}

SqliteStore::~SqliteStore() {
  statements_.clear();
  if (db_ && !db_->path().empty()) {
    // Keep the WAL small for the next reader; failure here is harmless.
    db_->Exec("PRAGMA optimize").IgnoreError();
  }
}

Status SqliteStore::Configure(const SqliteStoreOptions& options) {
  // The first statement that touches the file: reports "not a database".
  SEI_RETURN_IF_ERROR(db_->Exec("SELECT count(*) FROM sqlite_master"));
  if (!options.read_only) {
    SEI_RETURN_IF_ERROR(db_->Exec("PRAGMA journal_mode = WAL"));
    SEI_RETURN_IF_ERROR(
        db_->Exec(options.durable ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL"));
  }
  SEI_RETURN_IF_ERROR(db_->Exec("PRAGMA foreign_keys = ON"));
  SEI_RETURN_IF_ERROR(db_->Exec("PRAGMA temp_store = MEMORY"));
  return db_->Exec(fmt::format("PRAGMA cache_size = {}", options.cache_size));
}

Result<int> SqliteStore::SchemaVersion() {
  SEI_ASSIGN_OR_RETURN(
      Stmt exists,
      db_->Prepare("SELECT count(*) FROM sqlite_master WHERE name = 'schema_migrations'"));
  SEI_ASSIGN_OR_RETURN(bool row, exists.Step());
  if (!row || exists.ColumnInt(0) == 0) return 0;
  SEI_ASSIGN_OR_RETURN(Stmt max,
                       db_->Prepare("SELECT coalesce(max(version), 0) FROM schema_migrations"));
  SEI_ASSIGN_OR_RETURN(bool has, max.Step());
  return has ? static_cast<int>(max.ColumnInt(0)) : 0;
}

Result<int64_t> SqliteStore::DataVersion() {
  // PRAGMA data_version: changes when another connection commits.
  SEI_ASSIGN_OR_RETURN(Stmt st, db_->Prepare("PRAGMA data_version"));
  SEI_ASSIGN_OR_RETURN(bool row, st.Step());
  return row ? st.ColumnInt(0) : 0;
}

Status SqliteStore::Migrate() {
  SEI_RETURN_IF_ERROR(
      db_->Exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                "name TEXT NOT NULL, applied_at INTEGER NOT NULL)"));
  SEI_ASSIGN_OR_RETURN(int current, SchemaVersion());
  if (current > LatestSchemaVersion()) {
    return FailedPreconditionError(fmt::format(
        "database {} was written by a newer sei (schema version {}; this sei supports up to {}); "
        "upgrade sei or pass another --db",
        db_->path(), current, LatestSchemaVersion()));
  }
  for (const Migration& m : SqliteMigrations()) {
    if (m.version <= current) continue;
    // Under the write lock: a process that opened the database at the same
    // moment may have applied it first (then it is skipped here).
    Status s = InTransaction(db_.get(), [&]() -> Status {
      {
        SEI_ASSIGN_OR_RETURN(Stmt done,
                             db_->Prepare("SELECT 1 FROM schema_migrations WHERE version = ?"));
        done.BindInt(1, m.version);
        SEI_ASSIGN_OR_RETURN(bool applied, done.Step());
        if (applied) return Status::Ok();
      }
      SEI_RETURN_IF_ERROR(db_->Exec(m.sql));
      SEI_ASSIGN_OR_RETURN(Stmt ins,
                           db_->Prepare("INSERT INTO schema_migrations (version, name, applied_at) "
                                        "VALUES (?, ?, strftime('%s', 'now'))"));
      ins.BindInt(1, m.version);
      ins.BindText(2, m.name);
      return ins.Run();
    });
    if (!s.ok())
      return s.WithContext(fmt::format("applying migration {:04d}_{}", m.version, m.name));
  }
  return Status::Ok();
}

Result<Stmt*> SqliteStore::Cached(const std::string& key, const std::string& sql) {
  auto it = statements_.find(key);
  if (it != statements_.end()) return it->second.get();
  SEI_ASSIGN_OR_RETURN(Stmt stmt, db_->Prepare(sql));
  auto owned = std::make_unique<Stmt>(std::move(stmt));
  Stmt* raw = owned.get();
  statements_.emplace(key, std::move(owned));
  return raw;
}

Status SqliteStore::UpsertRows(const model::TableSpec& spec, const std::vector<model::Row>& rows) {
  return InTransaction(db_.get(), [&] { return UpsertInTransaction(spec, rows); });
}

Status SqliteStore::UpsertInTransaction(const model::TableSpec& spec,
                                        const std::vector<model::Row>& rows) {
  if (!spec.writable) {
    return InvalidArgumentError(fmt::format(
        "{} are written by their collector only and cannot be upserted directly", spec.entity));
  }
  SEI_ASSIGN_OR_RETURN(Stmt * stmt, Cached("upsert:" + spec.table, UpsertSql(spec)));
  for (const model::Row& row : rows) SEI_RETURN_IF_ERROR(UpsertOne(spec, stmt, row));
  return Status::Ok();
}

Status SqliteStore::UpsertOne(const model::TableSpec& spec, Stmt* stmt, const model::Row& row) {
  SEI_RETURN_IF_ERROR(store_sql::CheckRow(spec, row));
  for (size_t i = 0; i < row.size(); ++i) stmt->BindValue(static_cast<int>(i) + 1, row[i]);
  return stmt->Run();
}

Status SqliteStore::ApplyWrites(const std::vector<TableWrite>& writes) {
  return InTransaction(db_.get(), [&] { return ApplyInTransaction(writes); });
}

Status SqliteStore::ArchiveAndApply(const std::vector<model::RawPayload>& payloads,
                                    const MakeWrites& make_writes) {
  return InTransaction(db_.get(), [&]() -> Status {
    std::vector<int64_t> raw_ids;
    raw_ids.reserve(payloads.size());
    for (const model::RawPayload& p : payloads) {
      SEI_ASSIGN_OR_RETURN(int64_t id, ArchiveRaw(p));  // joins the open transaction
      raw_ids.push_back(id);
    }
    SEI_ASSIGN_OR_RETURN(std::vector<TableWrite> writes, make_writes(raw_ids));
    return ApplyInTransaction(writes);
  });
}

Status SqliteStore::ApplyInTransaction(const std::vector<TableWrite>& writes) {
  for (const TableWrite& w : writes) {
    if (w.spec == nullptr) return InternalError("a table write without a table");
    if (w.append) {
      if (w.clear || w.produce) return InternalError("an append write only inserts rows");
      for (const model::Row& row : w.rows) SEI_RETURN_IF_ERROR(AppendRow(*w.spec, row).status());
      continue;
    }
    if (w.update) {
      if (w.clear || w.produce || !w.rows.empty()) {
        return InternalError("an update write only sets columns of one row");
      }
      SEI_RETURN_IF_ERROR(UpdateOne(w));
      continue;
    }
    if (!w.spec->writable) {
      return InvalidArgumentError(
          fmt::format("{} are written by their collector only", w.spec->entity));
    }
    if (w.insert_new) {
      if (w.clear || w.produce) return InternalError("an insert_new write only inserts rows");
      SEI_ASSIGN_OR_RETURN(
          Stmt * stmt,
          Cached("insert_new:" + w.spec->table,
                 store_sql::InsertNewSql(*w.spec, [](size_t) { return std::string("?"); })));
      for (const model::Row& row : w.rows) {
        SEI_RETURN_IF_ERROR(UpsertOne(*w.spec, stmt, row));
        if (db_->Changes() == 0) return store_sql::RowExists(*w.spec, row);
      }
      continue;
    }
    if (w.clear) {
      ScanOptions where;
      where.where = w.clear_where;
      SEI_ASSIGN_OR_RETURN(std::string tail, ScanTail(*w.spec, where));
      tail = tail.substr(0, tail.find(" ORDER BY "));
      // Cached: the push writer clears one deployment's pushed commits per
      // item, hundreds per transaction, with the same statement.
      const std::string sql = fmt::format("DELETE FROM {}{}", w.spec->table, tail);
      SEI_ASSIGN_OR_RETURN(Stmt * stmt, Cached("clear:" + sql, sql));
      for (size_t i = 0; i < w.clear_where.size(); ++i) {
        stmt->BindValue(static_cast<int>(i) + 1, w.clear_where[i].second);
      }
      SEI_RETURN_IF_ERROR(stmt->Run());
    }
    SEI_RETURN_IF_ERROR(UpsertInTransaction(*w.spec, w.rows));
    if (w.produce) SEI_RETURN_IF_ERROR(Produce(w));
  }
  return Status::Ok();
}

Status SqliteStore::UpdateOne(const TableWrite& w) {
  const model::TableSpec& spec = *w.spec;
  if (w.update_key.size() != spec.key.size()) {
    return InvalidArgumentError(fmt::format("{} is keyed by {} column(s), got {}", spec.entity,
                                            spec.key.size(), w.update_key.size()));
  }
  if (w.update_set.empty())
    return InvalidArgumentError("an update of " + spec.entity + " sets nothing");
  std::vector<std::string> sets, conds;
  for (const auto& [column, value] : w.update_set) {
    const int i = spec.ColumnIndex(column);
    if (i < 0)
      return InvalidArgumentError(fmt::format("{} has no column '{}'", spec.entity, column));
    if (!spec.columns[static_cast<size_t>(i)].nullable &&
        std::holds_alternative<std::monostate>(value)) {
      return InvalidArgumentError(fmt::format("{}.{} must not be empty", spec.entity, column));
    }
    if (std::find(spec.key.begin(), spec.key.end(), column) != spec.key.end()) {
      return InvalidArgumentError(
          fmt::format("{}.{} is its key: not updatable", spec.entity, column));
    }
    sets.push_back(column + " = ?");
  }
  for (const std::string& k : spec.key) conds.push_back(k + " = ?");
  const std::string sql =
      fmt::format("UPDATE {} SET {} WHERE {}", spec.table, Join(sets, ", "), Join(conds, " AND "));
  SEI_ASSIGN_OR_RETURN(Stmt * stmt, Cached("update:" + sql, sql));
  int n = 1;
  for (const auto& set : w.update_set) stmt->BindValue(n++, set.second);
  for (const model::Value& k : w.update_key) stmt->BindValue(n++, k);
  SEI_RETURN_IF_ERROR(stmt->Run());
  if (db_->Changes() == 0) {
    return NotFoundError(fmt::format("no {} row with key {} to update", spec.entity,
                                     model::ValueToString(w.update_key.front())));
  }
  return Status::Ok();
}

Status SqliteStore::Produce(const TableWrite& w) {
  const model::TableSpec& spec = *w.spec;
  SEI_ASSIGN_OR_RETURN(Stmt * upsert, Cached("upsert:" + spec.table, UpsertSql(spec)));
  std::vector<std::string> conds;
  for (const std::string& k : spec.key) conds.push_back(k + " = ?");
  SEI_ASSIGN_OR_RETURN(
      Stmt * erase, Cached("delete:" + spec.table, fmt::format("DELETE FROM {} WHERE {}",
                                                               spec.table, Join(conds, " AND "))));
  return w.produce(
      [&](const model::Row& row) { return UpsertOne(spec, upsert, row); },
      [&](const model::Row& key) -> Status {
        if (key.size() != spec.key.size()) {
          return InvalidArgumentError(fmt::format("{} is keyed by {} column(s), got {}",
                                                  spec.entity, spec.key.size(), key.size()));
        }
        for (size_t i = 0; i < key.size(); ++i) {
          erase->BindValue(static_cast<int>(i) + 1, key[i]);
        }
        return erase->Run();
      });
}

Status SqliteStore::DeleteRow(const model::TableSpec& spec, const model::Row& key) {
  if (!spec.writable) {
    return InvalidArgumentError(fmt::format("{} cannot be deleted directly", spec.entity));
  }
  if (key.size() != spec.key.size()) {
    return InvalidArgumentError(fmt::format("{} is keyed by {} column(s), got {}", spec.entity,
                                            spec.key.size(), key.size()));
  }
  std::vector<std::string> conds;
  for (const std::string& k : spec.key) conds.push_back(k + " = ?");
  SEI_ASSIGN_OR_RETURN(
      Stmt * stmt, Cached("delete:" + spec.table, fmt::format("DELETE FROM {} WHERE {}", spec.table,
                                                              Join(conds, " AND "))));
  for (size_t i = 0; i < key.size(); ++i) stmt->BindValue(static_cast<int>(i) + 1, key[i]);
  return InTransaction(db_.get(), [&] { return stmt->Run(); });
}

Status SqliteStore::ScanRows(const model::TableSpec& spec, const ScanOptions& options,
                             const RowCallback& fn) {
  std::string sql;
  if (options.storage_order) {
    SEI_ASSIGN_OR_RETURN(sql, store_sql::StorageOrderSelect(spec, options));
    if (options.limit >= 0) sql += fmt::format(" LIMIT {}", options.limit);
  } else {
    SEI_ASSIGN_OR_RETURN(std::string tail, ScanTail(spec, options));
    sql = fmt::format("SELECT {} FROM {}{}", Join(ColumnNames(spec), ", "), spec.view, tail);
  }
  SEI_ASSIGN_OR_RETURN(Stmt stmt, db_->Prepare(sql));
  for (size_t i = 0; i < options.where.size(); ++i) {
    stmt.BindValue(static_cast<int>(i) + 1, options.where[i].second);
  }
  if (options.after) stmt.BindValue(static_cast<int>(options.where.size()) + 1, *options.after);
  model::Row row(spec.columns.size());
  while (true) {
    SEI_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) break;
    for (size_t i = 0; i < spec.columns.size(); ++i) {
      row[i] = stmt.ColumnValue(static_cast<int>(i), spec.columns[i].type);
    }
    SEI_RETURN_IF_ERROR(fn(row));
  }
  return Status::Ok();
}

Result<int64_t> SqliteStore::CountRows(const model::TableSpec& spec, const ScanOptions& options) {
  ScanOptions where_only;
  where_only.where = options.where;
  SEI_ASSIGN_OR_RETURN(std::string tail, ScanTail(spec, where_only));
  tail = tail.substr(0, tail.find(" ORDER BY "));
  SEI_ASSIGN_OR_RETURN(Stmt stmt,
                       db_->Prepare(fmt::format("SELECT count(*) FROM {}{}", spec.view, tail)));
  for (size_t i = 0; i < options.where.size(); ++i) {
    stmt.BindValue(static_cast<int>(i) + 1, options.where[i].second);
  }
  SEI_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
  return has_row ? stmt.ColumnInt(0) : 0;
}

Result<int64_t> SqliteStore::ArchiveRaw(const model::RawPayload& p) {
  SEI_ASSIGN_OR_RETURN(
      Stmt * stmt, Cached("archive",
                          "INSERT INTO raw_payloads (connection_id, source, scope, entity, url, "
                          "fetched_at, content_type, body, converted_at, context) "
                          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  stmt->BindText(1, p.connection_id);
  stmt->BindText(2, p.source);
  stmt->BindText(3, p.scope);
  stmt->BindText(4, p.entity);
  stmt->BindText(5, p.url);
  stmt->BindInt(6, p.fetched_at);
  stmt->BindText(7, p.content_type);
  stmt->BindBlob(8, p.body);
  stmt->BindOptInt(9, p.converted_at);
  stmt->BindOptText(10, p.context);
  SEI_RETURN_IF_ERROR(stmt->Run());
  return db_->LastInsertRowId();
}

Result<std::optional<model::SyncState>> SqliteStore::GetSyncState(const std::string& connection_id,
                                                                  const std::string& scope,
                                                                  const std::string& entity) {
  ScanOptions options;
  options.where = {{"connection_id", connection_id}, {"scope", scope}, {"entity", entity}};
  SEI_ASSIGN_OR_RETURN(std::vector<model::SyncState> states, List<model::SyncState>(options));
  if (states.empty()) return std::optional<model::SyncState>();
  return std::optional<model::SyncState>(states.front());
}

Status SqliteStore::PutSyncState(const model::SyncState& state) {
  return Upsert(std::vector<model::SyncState>{state});
}

Result<int64_t> SqliteStore::BeginRun(const model::CollectionRun& run) {
  SEI_ASSIGN_OR_RETURN(Stmt stmt, db_->Prepare("INSERT INTO collection_runs (connection_id, "
                                               "scope, started_at, status) VALUES (?, ?, ?, ?)"));
  stmt.BindText(1, run.connection_id);
  stmt.BindText(2, run.scope);
  stmt.BindInt(3, run.started_at);
  stmt.BindText(4, run.status);
  SEI_RETURN_IF_ERROR(stmt.Run());
  return db_->LastInsertRowId();
}

Status SqliteStore::FinishRun(int64_t run_id, const std::string& status, int64_t items_added,
                              const std::optional<std::string>& error, int64_t finished_at) {
  SEI_ASSIGN_OR_RETURN(Stmt stmt, db_->Prepare("UPDATE collection_runs SET status = ?, "
                                               "items_added = ?, error = ?, finished_at = ? "
                                               "WHERE id = ?"));
  stmt.BindText(1, status);
  stmt.BindInt(2, items_added);
  stmt.BindOptText(3, error);
  stmt.BindInt(4, finished_at);
  stmt.BindInt(5, run_id);
  return stmt.Run();
}

Result<int64_t> SqliteStore::AppendRow(const model::TableSpec& spec, const model::Row& row) {
  if (spec.key.size() != 1 || spec.columns.empty() || spec.columns[0].name != spec.key[0] ||
      spec.columns[0].type != model::ColumnType::kInteger) {
    return InternalError(fmt::format("{} has no integer id the store can assign", spec.entity));
  }
  SEI_RETURN_IF_ERROR(store_sql::CheckRow(spec, row, 1));
  std::vector<std::string> cols = ColumnNames(spec);
  cols.erase(cols.begin());
  std::vector<std::string> marks(cols.size(), "?");
  SEI_ASSIGN_OR_RETURN(
      Stmt * stmt,
      Cached("append:" + spec.table, fmt::format("INSERT INTO {} ({}) VALUES ({})", spec.table,
                                                 Join(cols, ", "), Join(marks, ", "))));
  for (size_t i = 1; i < row.size(); ++i) stmt->BindValue(static_cast<int>(i), row[i]);
  SEI_RETURN_IF_ERROR(stmt->Run());
  return db_->LastInsertRowId();
}

}  // namespace sei::sqlite
