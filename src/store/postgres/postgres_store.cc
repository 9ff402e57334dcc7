// PostgresStore: opening, migrations, transactions, generic entities, raw
// archive, sync state and collection runs. Git history and summaries are in
// postgres_git.cc.
#include "store/postgres/postgres_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <random>

#include "store/postgres/migrations.h"
#include "store/sql_text.h"

namespace sei::pg {

namespace {

using store_sql::CheckRow;
using store_sql::ColumnNames;
using store_sql::Join;

// "SEIMIGRA": the session advisory lock migrations run under.
constexpr int64_t kMigrationLock = 0x5345494d49475241;
constexpr int kDataVersionShards = 16;

std::vector<std::string> Marks(size_t n, size_t first = 1) {
  std::vector<std::string> marks;
  for (size_t i = 0; i < n; ++i) marks.push_back("$" + std::to_string(first + i));
  return marks;
}

std::string UpsertSql(const model::TableSpec& spec) {
  return store_sql::UpsertSql(spec, [](size_t i) { return "$" + std::to_string(i + 1); });
}

std::string KeyDeleteSql(const model::TableSpec& spec) {
  std::vector<std::string> conds;
  for (size_t i = 0; i < spec.key.size(); ++i) {
    conds.push_back(fmt::format("{} = ${}", spec.key[i], i + 1));
  }
  return fmt::format("DELETE FROM {} WHERE {}", spec.table, Join(conds, " AND "));
}

// WHERE for a scan, its values appended to `params`; validates every column.
// NULL filters become IS NULL (SQLite's `IS ?`), others `=` (index-friendly).
Result<std::string> WhereSql(const model::TableSpec& spec,
                             const std::vector<std::pair<std::string, model::Value>>& where,
                             Params* params) {
  std::string sql;
  for (size_t i = 0; i < where.size(); ++i) {
    const auto& [col, value] = where[i];
    if (spec.ColumnIndex(col) < 0) {
      return InvalidArgumentError(fmt::format("{} has no column '{}'", spec.entity, col));
    }
    sql += (i == 0 ? " WHERE " : " AND ") + col;
    if (std::holds_alternative<std::monostate>(value)) {
      sql += " IS NULL";
    } else {
      params->Value(value);
      sql += fmt::format(" = ${}", params->size());
    }
  }
  return sql;
}

// Keyset paging (ScanOptions::after): only rows past `after` in the scan's
// one order column; appended to the WHERE that `where` holds.
Result<std::string> AfterSql(const model::TableSpec& spec, const ScanOptions& options,
                             const std::string& where, Params* params) {
  if (!options.after) return where;
  const std::vector<std::string> order =
      options.order_by.empty() ? spec.key : std::vector<std::string>{options.order_by};
  if (order.size() != 1) {
    return InvalidArgumentError(
        fmt::format("paging {} with `after` needs one order column (its key has {}): set order_by",
                    spec.entity, order.size()));
  }
  params->Value(*options.after);
  return where + (where.empty() ? " WHERE " : " AND ") + order[0] +
         (options.descending ? " < $" : " > $") + std::to_string(params->size());
}

// ORDER BY/LIMIT for a scan. NULLs sort as SQLite sorts them (before every
// value ascending, after descending); said only for nullable columns, so that
// NOT NULL keys keep their index order.
Result<std::string> OrderSql(const model::TableSpec& spec, const ScanOptions& options,
                             Params* params) {
  std::vector<std::string> order = spec.key;
  if (!options.order_by.empty()) {
    if (spec.ColumnIndex(options.order_by) < 0) {
      return InvalidArgumentError(
          fmt::format("{} has no column '{}' to order by", spec.entity, options.order_by));
    }
    order = {options.order_by};
  }
  for (std::string& o : order) {
    const int i = spec.ColumnIndex(o);
    const bool nullable = i >= 0 && spec.columns[static_cast<size_t>(i)].nullable;
    o += options.descending ? " DESC" : " ASC";
    if (nullable) o += options.descending ? " NULLS LAST" : " NULLS FIRST";
  }
  std::string sql = " ORDER BY " + Join(order, ", ");
  if (options.limit >= 0) {
    params->Int(options.limit);
    sql += fmt::format(" LIMIT ${}", params->size());
  }
  return sql;
}

// A raw payload's columns from connection_id on, appended to `params`.
Params RawParams(const model::RawPayload& p, Params params) {
  params.Text(p.connection_id)
      .Text(p.source)
      .Text(p.scope)
      .Text(p.entity)
      .Text(p.url)
      .Int(p.fetched_at)
      .Text(p.content_type)
      .Text(p.body)
      .OptInt(p.converted_at)
      .OptText(p.context);
  return params;
}

}  // namespace

std::string TextArray(const std::vector<std::string>& items) {
  std::string out = "{";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ',';
    out += '"';
    for (char c : items[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

int PostgresStore::LatestSchemaVersion() { return PostgresMigrations().back().version; }

PostgresStore::PostgresStore(std::unique_ptr<Conn> conn, const PostgresStoreOptions& options)
    : conn_(std::move(conn)), options_(options) {
  shard_ = static_cast<int>(std::random_device()() % kDataVersionShards);
}

Result<std::unique_ptr<PostgresStore>> PostgresStore::Open(const std::string& url,
                                                           const PostgresStoreOptions& options) {
  ConnOptions co;
  co.read_only = options.read_only;
  co.durable = options.durable;
  co.connect_timeout_s = options.connect_timeout_s;
  co.lock_timeout_ms = options.lock_timeout_ms;
  SEI_ASSIGN_OR_RETURN(std::unique_ptr<Conn> conn, Conn::Open(url, co));
  std::unique_ptr<PostgresStore> store(new PostgresStore(std::move(conn), options));
  if (options.read_only) {
    SEI_ASSIGN_OR_RETURN(int version, store->SchemaVersion());
    if (version == 0) {
      return NotFoundError(fmt::format(
          "database {} has no SEI data yet; run `sei collect git PATH` (or any command that "
          "writes) with this --db first",
          store->Describe()));
    }
    SEI_RETURN_IF_ERROR(store->CheckNotNewer(version));
  } else {
    SEI_RETURN_IF_ERROR(store->Migrate());
  }
  return store;
}

Status PostgresStore::CheckNotNewer(int version) const {
  if (version <= LatestSchemaVersion()) return Status::Ok();
  return FailedPreconditionError(fmt::format(
      "database {} was written by a newer sei (schema version {}; this sei supports up to {}); "
      "upgrade sei or pass another --db",
      Describe(), version, LatestSchemaVersion()));
}

Result<int> PostgresStore::SchemaVersion() {
  SEI_ASSIGN_OR_RETURN(Rows exists,
                       conn_->Query("SELECT to_regclass('schema_migrations') IS NOT NULL"));
  if (exists.size() == 0 || exists.Int(0, 0) == 0) return 0;
  SEI_ASSIGN_OR_RETURN(Rows max,
                       conn_->Query("SELECT coalesce(max(version), 0) FROM schema_migrations"));
  return max.size() > 0 ? static_cast<int>(max.Int(0, 0)) : 0;
}

Result<int64_t> PostgresStore::DataVersion() {
  SEI_ASSIGN_OR_RETURN(Rows rows,
                       conn_->Query("SELECT coalesce(sum(version), 0) FROM sei_data_version"));
  return (rows.size() > 0 ? rows.Int(0, 0) : 0) - own_writes_;
}

Result<bool> PostgresStore::WaitForChange(std::chrono::milliseconds timeout) {
  if (!listening_ || !conn_->Connected()) {
    listening_ = false;
    SEI_RETURN_IF_ERROR(conn_->EnsureConnected());
    SEI_RETURN_IF_ERROR(conn_->Exec("LISTEN sei_data_changed").status());
    listening_ = true;
  }
  Result<bool> heard = conn_->WaitForNotification(timeout);
  if (!heard.ok()) listening_ = false;  // LISTEN again on a new session
  return heard;
}

Status PostgresStore::Migrate() {
  // Waits as long as another process migrates (no lock timeout), then
  // finds the work done.
  SEI_RETURN_IF_ERROR(conn_->Run("SELECT set_config('lock_timeout', '0', false)"));
  SEI_RETURN_IF_ERROR(conn_->Run("SELECT pg_advisory_lock($1)", Params().Int(kMigrationLock)));
  Status s = MigrateLocked();
  if (!s.ok()) Rollback();
  Status unlock = conn_->Run("SELECT pg_advisory_unlock($1)", Params().Int(kMigrationLock));
  Status restore = conn_->Run("SELECT set_config('lock_timeout', $1, false)",
                              Params().Text(std::to_string(options_.lock_timeout_ms)));
  if (!s.ok()) return s;
  return unlock.ok() ? restore : unlock;
}

Status PostgresStore::MigrateLocked() {
  SEI_RETURN_IF_ERROR(
      conn_
          ->Exec("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, "
                 "name TEXT NOT NULL, applied_at BIGINT NOT NULL); "
                 "CREATE TABLE IF NOT EXISTS sei_data_version (shard INTEGER PRIMARY KEY, "
                 "version BIGINT NOT NULL DEFAULT 0); "
                 "INSERT INTO sei_data_version (shard) SELECT generate_series(0, 15) "
                 "ON CONFLICT DO NOTHING")
          .status());
  SEI_ASSIGN_OR_RETURN(int current, SchemaVersion());
  SEI_RETURN_IF_ERROR(CheckNotNewer(current));
  for (const Migration& m : PostgresMigrations()) {
    if (m.version <= current) continue;
    Status s = InTransaction(false, [&]() -> Status {
      SEI_RETURN_IF_ERROR(conn_->Exec(m.sql).status());
      return conn_->Run(
          "INSERT INTO schema_migrations (version, name, applied_at) "
          "VALUES ($1, $2, extract(epoch FROM now())::bigint)",
          Params().Int(m.version).Text(m.name));
    });
    if (!s.ok()) {
      return s.WithContext(fmt::format("applying migration {:04d}_{}", m.version, m.name));
    }
    ++migrations_applied_;
  }
  return Status::Ok();
}

// ---- Transactions ----

Status PostgresStore::Begin(bool write) {
  if (depth_++ > 0) {
    wrote_ = wrote_ || write;
    return Status::Ok();
  }
  wrote_ = write;
  failed_ = false;
  Status s = conn_->EnsureConnected();
  if (s.ok()) s = conn_->Exec("BEGIN").status();
  if (!s.ok()) depth_ = 0;
  return s;
}

Status PostgresStore::Commit() {
  if (depth_ > 1) {
    --depth_;
    return Status::Ok();
  }
  if (failed_) {
    Rollback();
    return InternalError("the transaction was rolled back: a part of it failed");
  }
  Status s = FlushPending();
  if (s.ok() && wrote_) {
    // One round trip for both. The notification is delivered to every
    // listener when (and only if) the transaction commits: WaitForChange
    // in other processes wakes at once.
    static const std::string kBump =
        "UPDATE sei_data_version SET version = version + 1 WHERE shard = $1";
    static const std::string kNotify = "SELECT pg_notify('sei_data_changed', '')";
    s = conn_->RunBatch({{&kBump, Params().Int(shard_)}, {&kNotify, Params()}});
  }
  if (s.ok()) s = conn_->Exec("COMMIT").status();
  if (!s.ok()) {
    Rollback();
    return s;
  }
  if (wrote_) ++own_writes_;
  depth_ = 0;
  wrote_ = false;
  return s;
}

void PostgresStore::Rollback() {
  pending_.clear();
  if (depth_ > 1) {
    --depth_;
    failed_ = true;
    return;
  }
  depth_ = 0;
  wrote_ = false;
  failed_ = false;
  if (conn_->InTransaction()) conn_->Exec("ROLLBACK").status().IgnoreError();
}

Status PostgresStore::ForEachRow(const std::string& sql, const Params& params, const RowFn& fn) {
  SEI_RETURN_IF_ERROR(FlushPending());
  SEI_RETURN_IF_ERROR(Begin(false));
  const std::string cursor = fmt::format("sei_scan_{}", ++cursors_);
  // A callback's error stops the scan without failing an enclosing
  // transaction (as a SQLite statement stops); an error of the server's
  // rolls it back.
  Status fn_status = Status::Ok();
  Status s =
      conn_->QueryOnce(fmt::format("DECLARE {} NO SCROLL CURSOR FOR {}", cursor, sql), params)
          .status();
  const std::string fetch = fmt::format("FETCH {} FROM {}", options_.scan_batch_rows, cursor);
  while (s.ok() && fn_status.ok()) {
    Result<Rows> rows = conn_->Exec(fetch);
    if (!rows.ok()) {
      s = rows.status();
      break;
    }
    for (int i = 0; fn_status.ok() && i < rows->size(); ++i) fn_status = fn(*rows, i);
    if (rows->size() < options_.scan_batch_rows) break;
  }
  if (s.ok()) s = conn_->Exec("CLOSE " + cursor).status();
  --cursors_;
  if (!s.ok()) {
    Rollback();
    return s;
  }
  SEI_RETURN_IF_ERROR(Commit());
  return fn_status;
}

// ---- Generic entities ----

Status PostgresStore::UpsertRows(const model::TableSpec& spec,
                                 const std::vector<model::Row>& rows) {
  return InTransaction(true, [&] { return UpsertInTransaction(spec, rows); });
}

Status PostgresStore::UpsertInTransaction(const model::TableSpec& spec,
                                          const std::vector<model::Row>& rows) {
  SEI_RETURN_IF_ERROR(DeferUpsert(spec, rows));
  return FlushPending();
}

Status PostgresStore::DeferUpsert(const model::TableSpec& spec,
                                  const std::vector<model::Row>& rows) {
  if (!spec.writable) {
    return InvalidArgumentError(fmt::format(
        "{} are written by their collector only and cannot be upserted directly", spec.entity));
  }
  if (rows.empty()) return Status::Ok();
  const std::string* sql = Sql(UpsertSql(spec));
  for (const model::Row& row : rows) {
    SEI_ASSIGN_OR_RETURN(Params params, RowParams(spec, row));
    SEI_RETURN_IF_ERROR(Defer(sql, std::move(params)));
  }
  return Status::Ok();
}

Result<Params> PostgresStore::RowParams(const model::TableSpec& spec, const model::Row& row) {
  SEI_RETURN_IF_ERROR(CheckRow(spec, row));
  Params params;
  for (const model::Value& v : row) params.Value(v);
  return params;
}

Result<Params> PostgresStore::KeyParams(const model::TableSpec& spec, const model::Row& key) {
  if (key.size() != spec.key.size()) {
    return InvalidArgumentError(fmt::format("{} is keyed by {} column(s), got {}", spec.entity,
                                            spec.key.size(), key.size()));
  }
  Params params;
  for (const model::Value& v : key) params.Value(v);
  return params;
}

Status PostgresStore::Defer(const std::string* sql, Params params) {
  pending_.push_back({sql, std::move(params)});
  return pending_.size() >= kPendingBatch ? FlushPending() : Status::Ok();
}

const std::string* PostgresStore::Sql(std::string text) {
  return &*sql_.insert(std::move(text)).first;
}

Status PostgresStore::FlushPending() {
  if (pending_.empty()) return Status::Ok();
  std::vector<Conn::Statement> batch;
  batch.swap(pending_);
  return conn_->RunBatch(batch);
}

Status PostgresStore::ApplyWrites(const std::vector<TableWrite>& writes) {
  return InTransaction(true, [&] { return ApplyInTransaction(writes); });
}

// The payloads' ids are reserved from their sequence in one round trip, so
// that their inserts join the writes' pipeline: a batch of pushes costs a
// fixed number of round trips, not a few per push.
Status PostgresStore::ArchiveAndApply(const std::vector<model::RawPayload>& payloads,
                                      const MakeWrites& make_writes) {
  return InTransaction(true, [&]() -> Status {
    std::vector<int64_t> raw_ids;
    raw_ids.reserve(payloads.size());
    if (!payloads.empty()) {
      SEI_RETURN_IF_ERROR(FlushPending());
      SEI_ASSIGN_OR_RETURN(
          Rows keys,
          conn_->Query("SELECT nextval(pg_get_serial_sequence('raw_payloads', 'id')) FROM "
                       "generate_series(1, $1) ORDER BY 1",
                       Params().Int(static_cast<int64_t>(payloads.size()))));
      if (keys.size() != static_cast<int>(payloads.size())) {
        return InternalError("the raw payloads' sequence gave fewer keys than asked");
      }
      static const std::string kInsert =
          "INSERT INTO raw_payloads (id, connection_id, source, scope, entity, url, fetched_at, "
          "content_type, body, converted_at, context) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
      for (size_t i = 0; i < payloads.size(); ++i) {
        const model::RawPayload& p = payloads[i];
        raw_ids.push_back(keys.Int(static_cast<int>(i), 0));
        Params params;
        params.Int(raw_ids.back());
        SEI_RETURN_IF_ERROR(Defer(&kInsert, RawParams(p, std::move(params))));
      }
    }
    SEI_ASSIGN_OR_RETURN(std::vector<TableWrite> writes, make_writes(raw_ids));
    return ApplyInTransaction(writes);
  });
}

Status PostgresStore::DeferClear(const TableWrite& w) {
  Params params;
  SEI_ASSIGN_OR_RETURN(std::string where, WhereSql(*w.spec, w.clear_where, &params));
  return Defer(Sql(fmt::format("DELETE FROM {}{}", w.spec->table, where)), std::move(params));
}

// Clears, upserts and appends are buffered and sent together (one round
// trip per pipeline of up to 512 statements); statements whose result is
// needed (updates, insert_new) flush first.
Status PostgresStore::ApplyInTransaction(const std::vector<TableWrite>& writes) {
  Status s = ApplyDeferred(writes);
  if (!s.ok()) {
    pending_.clear();  // the transaction rolls back: nothing to send
    return s;
  }
  return FlushPending();
}

Status PostgresStore::ApplyDeferred(const std::vector<TableWrite>& writes) {
  for (const TableWrite& w : writes) {
    if (w.spec == nullptr) return InternalError("a table write without a table");
    if (w.append) {
      if (w.clear || w.produce) return InternalError("an append write only inserts rows");
      for (const model::Row& row : w.rows) SEI_RETURN_IF_ERROR(DeferAppend(*w.spec, row));
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
      SEI_RETURN_IF_ERROR(FlushPending());
      const std::string sql =
          store_sql::InsertNewSql(*w.spec, [](size_t i) { return "$" + std::to_string(i + 1); });
      for (const model::Row& row : w.rows) {
        SEI_ASSIGN_OR_RETURN(Params params, RowParams(*w.spec, row));
        SEI_ASSIGN_OR_RETURN(Rows r, conn_->Query(sql, params));
        if (r.Affected() == 0) return store_sql::RowExists(*w.spec, row);
      }
      continue;
    }
    if (w.clear) SEI_RETURN_IF_ERROR(DeferClear(w));
    SEI_RETURN_IF_ERROR(DeferUpsert(*w.spec, w.rows));
    if (w.produce) SEI_RETURN_IF_ERROR(Produce(w));
  }
  return Status::Ok();
}

// Produce's writes are buffered and sent in pipelines (the linker rewrites
// hundreds of thousands of rows this way); every read through this store
// flushes them first, so `produce` sees its own writes as it would on SQLite.
Status PostgresStore::Produce(const TableWrite& w) {
  const model::TableSpec& spec = *w.spec;
  const std::string upsert = UpsertSql(spec);
  const std::string erase = KeyDeleteSql(spec);
  Status s = w.produce(
      [&](const model::Row& row) -> Status {
        SEI_ASSIGN_OR_RETURN(Params params, RowParams(spec, row));
        return Defer(&upsert, std::move(params));
      },
      [&](const model::Row& key) -> Status {
        SEI_ASSIGN_OR_RETURN(Params params, KeyParams(spec, key));
        return Defer(&erase, std::move(params));
      });
  if (!s.ok()) {
    pending_.clear();  // the transaction rolls back: nothing to send
    return s;
  }
  return FlushPending();
}

Status PostgresStore::UpdateOne(const TableWrite& w) {
  const model::TableSpec& spec = *w.spec;
  SEI_ASSIGN_OR_RETURN(Params keys, KeyParams(spec, w.update_key));
  if (w.update_set.empty()) {
    return InvalidArgumentError("an update of " + spec.entity + " sets nothing");
  }
  Params params;
  std::vector<std::string> sets, conds;
  for (const auto& [column, value] : w.update_set) {
    const int i = spec.ColumnIndex(column);
    if (i < 0) {
      return InvalidArgumentError(fmt::format("{} has no column '{}'", spec.entity, column));
    }
    if (!spec.columns[static_cast<size_t>(i)].nullable &&
        std::holds_alternative<std::monostate>(value)) {
      return InvalidArgumentError(fmt::format("{}.{} must not be empty", spec.entity, column));
    }
    if (std::find(spec.key.begin(), spec.key.end(), column) != spec.key.end()) {
      return InvalidArgumentError(
          fmt::format("{}.{} is its key: not updatable", spec.entity, column));
    }
    params.Value(value);
    sets.push_back(fmt::format("{} = ${}", column, params.size()));
  }
  for (size_t k = 0; k < spec.key.size(); ++k) {
    params.Value(w.update_key[k]);
    conds.push_back(fmt::format("{} = ${}", spec.key[k], params.size()));
  }
  SEI_RETURN_IF_ERROR(FlushPending());
  SEI_ASSIGN_OR_RETURN(Rows done, conn_->Query(fmt::format("UPDATE {} SET {} WHERE {}", spec.table,
                                                           Join(sets, ", "), Join(conds, " AND ")),
                                               params));
  if (done.Affected() == 0) {
    return NotFoundError(fmt::format("no {} row with key {} to update", spec.entity,
                                     model::ValueToString(w.update_key.front())));
  }
  return Status::Ok();
}

Status PostgresStore::DeleteByKey(const model::TableSpec& spec, const model::Row& key) {
  SEI_ASSIGN_OR_RETURN(Params params, KeyParams(spec, key));
  return conn_->Run(KeyDeleteSql(spec), params);
}

Status PostgresStore::DeleteRow(const model::TableSpec& spec, const model::Row& key) {
  if (!spec.writable) {
    return InvalidArgumentError(fmt::format("{} cannot be deleted directly", spec.entity));
  }
  return InTransaction(true, [&] { return DeleteByKey(spec, key); });
}

Status PostgresStore::ScanRows(const model::TableSpec& spec, const ScanOptions& options,
                               const RowCallback& fn) {
  SEI_RETURN_IF_ERROR(FlushPending());
  Params params;
  std::string sql;
  if (options.storage_order) {
    SEI_ASSIGN_OR_RETURN(sql, store_sql::StorageOrderSelect(spec, options));
    if (options.limit >= 0) sql += fmt::format(" LIMIT {}", options.limit);
  } else {
    SEI_ASSIGN_OR_RETURN(std::string where, WhereSql(spec, options.where, &params));
    SEI_ASSIGN_OR_RETURN(where, AfterSql(spec, options, where, &params));
    SEI_ASSIGN_OR_RETURN(std::string order, OrderSql(spec, options, &params));
    sql = fmt::format("SELECT {} FROM {}{}{}", Join(ColumnNames(spec), ", "), spec.view, where,
                      order);
  }
  model::Row row(spec.columns.size());
  auto emit = [&](const Rows& rows, int r) -> Status {
    for (size_t i = 0; i < row.size(); ++i) row[i] = rows.Cell(r, static_cast<int>(i));
    return fn(row);
  };
  if (options.limit < 0 || options.limit > options_.scan_batch_rows) {
    return ForEachRow(sql, params, emit);
  }
  SEI_ASSIGN_OR_RETURN(Rows rows, conn_->Query(sql, params));
  for (int r = 0; r < rows.size(); ++r) SEI_RETURN_IF_ERROR(emit(rows, r));
  return Status::Ok();
}

Result<int64_t> PostgresStore::CountRows(const model::TableSpec& spec, const ScanOptions& options) {
  SEI_RETURN_IF_ERROR(FlushPending());
  Params params;
  SEI_ASSIGN_OR_RETURN(std::string where, WhereSql(spec, options.where, &params));
  SEI_ASSIGN_OR_RETURN(
      Rows rows, conn_->Query(fmt::format("SELECT count(*) FROM {}{}", spec.view, where), params));
  return rows.size() > 0 ? rows.Int(0, 0) : 0;
}

// ---- Raw archive, sync state, runs ----

Result<int64_t> PostgresStore::ArchiveRaw(const model::RawPayload& p) {
  int64_t id = 0;
  Status s = InTransaction(true, [&]() -> Status {
    const Params params = RawParams(p, Params());
    SEI_ASSIGN_OR_RETURN(
        Rows rows, conn_->Query("INSERT INTO raw_payloads (connection_id, source, scope, entity, "
                                "url, fetched_at, content_type, body, converted_at, context) "
                                "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
                                params));
    id = rows.Int(0, 0);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return id;
}

Result<std::optional<model::SyncState>> PostgresStore::GetSyncState(
    const std::string& connection_id, const std::string& scope, const std::string& entity) {
  ScanOptions options;
  options.where = {{"connection_id", connection_id}, {"scope", scope}, {"entity", entity}};
  SEI_ASSIGN_OR_RETURN(std::vector<model::SyncState> states, List<model::SyncState>(options));
  if (states.empty()) return std::optional<model::SyncState>();
  return std::optional<model::SyncState>(states.front());
}

Status PostgresStore::PutSyncState(const model::SyncState& state) {
  return Upsert(std::vector<model::SyncState>{state});
}

Result<int64_t> PostgresStore::BeginRun(const model::CollectionRun& run) {
  int64_t id = 0;
  Status s = InTransaction(true, [&]() -> Status {
    SEI_ASSIGN_OR_RETURN(
        Rows rows,
        conn_->Query(
            "INSERT INTO collection_runs (connection_id, scope, started_at, "
            "status) VALUES ($1, $2, $3, $4) RETURNING id",
            Params().Text(run.connection_id).Text(run.scope).Int(run.started_at).Text(run.status)));
    id = rows.Int(0, 0);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return id;
}

Status PostgresStore::FinishRun(int64_t run_id, const std::string& status, int64_t items_added,
                                const std::optional<std::string>& error, int64_t finished_at) {
  return InTransaction(true, [&] {
    return conn_->Run(
        "UPDATE collection_runs SET status = $1, items_added = $2, error = $3, finished_at = $4 "
        "WHERE id = $5",
        Params().Text(status).Int(items_added).OptText(error).Int(finished_at).Int(run_id));
  });
}

namespace {

// An append's INSERT (the store assigns the id, row[0] is ignored) and its
// values.
Result<std::string> AppendSql(const model::TableSpec& spec, const model::Row& row, Params* params) {
  if (spec.key.size() != 1 || spec.columns.empty() || spec.columns[0].name != spec.key[0] ||
      spec.columns[0].type != model::ColumnType::kInteger) {
    return InternalError(fmt::format("{} has no integer id the store can assign", spec.entity));
  }
  SEI_RETURN_IF_ERROR(CheckRow(spec, row, 1));
  std::vector<std::string> cols = ColumnNames(spec);
  cols.erase(cols.begin());
  for (size_t i = 1; i < row.size(); ++i) params->Value(row[i]);
  return fmt::format("INSERT INTO {} ({}) VALUES ({})", spec.table, Join(cols, ", "),
                     Join(Marks(cols.size()), ", "));
}

}  // namespace

Status PostgresStore::DeferAppend(const model::TableSpec& spec, const model::Row& row) {
  Params params;
  SEI_ASSIGN_OR_RETURN(std::string sql, AppendSql(spec, row, &params));
  return Defer(Sql(std::move(sql)), std::move(params));
}

Result<int64_t> PostgresStore::AppendRow(const model::TableSpec& spec, const model::Row& row) {
  Params params;
  SEI_ASSIGN_OR_RETURN(std::string insert, AppendSql(spec, row, &params));
  const std::string sql = insert + " RETURNING " + spec.key[0];
  int64_t id = 0;
  Status s = InTransaction(true, [&]() -> Status {
    SEI_ASSIGN_OR_RETURN(Rows rows, conn_->Query(sql, params));
    id = rows.Int(0, 0);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return id;
}

}  // namespace sei::pg
