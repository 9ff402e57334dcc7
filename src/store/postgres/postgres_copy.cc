// PostgresStore: copying a whole database (CopyRows, AdvanceIdSequences,
// DataTables; sei migrate). A batch is COPYed into a temporary table shaped
// like the spec's view, then moved into its table with one INSERT ...
// SELECT ... ON CONFLICT, the view tables' parents found by joins: a few
// round trips per batch whatever its size, as the git bulk path.
#include <fmt/format.h>

#include <cmath>

#include "store/postgres/postgres_store.h"
#include "store/sql_text.h"

namespace sei::pg {

namespace {

constexpr char kStaging[] = "sei_copy_rows";
constexpr char kOrdinal[] = "sei_copy_ord";

}  // namespace

Result<std::vector<bool>> PostgresStore::ByteaColumns(const model::TableSpec& spec) {
  auto it = bytea_columns_.find(spec.view);
  if (it != bytea_columns_.end()) return it->second;
  SEI_ASSIGN_OR_RETURN(Rows rows, conn_->Query("SELECT attname FROM pg_attribute WHERE attrelid = "
                                               "$1::regclass AND atttypid = 'bytea'::regtype "
                                               "AND attnum > 0 AND NOT attisdropped",
                                               Params().Text(spec.view)));
  std::vector<bool> bytea(spec.columns.size(), false);
  for (int r = 0; r < rows.size(); ++r) {
    const int i = spec.ColumnIndex(rows.String(r, 0));
    if (i >= 0) bytea[static_cast<size_t>(i)] = true;
  }
  return bytea_columns_.emplace(spec.view, std::move(bytea)).first->second;
}

Result<CopyBuffer> PostgresStore::CopyCells(const model::TableSpec& spec,
                                            const std::vector<model::Row>& rows, bool ordinal) {
  SEI_ASSIGN_OR_RETURN(std::vector<bool> bytea, ByteaColumns(spec));
  CopyBuffer buffer;
  for (size_t n = 0; n < rows.size(); ++n) {
    const model::Row& row = rows[n];
    SEI_RETURN_IF_ERROR(store_sql::CheckRow(spec, row));
    for (size_t i = 0; i < row.size(); ++i) {
      const model::Value& v = row[i];
      if (std::holds_alternative<std::monostate>(v)) {
        buffer.Null();
      } else if (const auto* d = std::get_if<double>(&v)) {
        buffer.Double(*d);
      } else if (const auto* s = std::get_if<std::string>(&v)) {
        if (bytea[i]) {
          buffer.Bytes(*s);
        } else {
          buffer.Text(*s);
        }
      } else if (spec.columns[i].type == model::ColumnType::kBoolean) {
        buffer.Bool(std::get<int64_t>(v) != 0);
      } else {
        buffer.Int(std::get<int64_t>(v));
      }
    }
    if (ordinal) buffer.Int(static_cast<int64_t>(n));
    buffer.EndRow();
  }
  return buffer;
}

Status PostgresStore::CopyStaged(const model::TableSpec& spec, const store_sql::ViewTable* view,
                                 const std::vector<model::Row>& rows) {
  const std::string cols = store_sql::Join(store_sql::ColumnNames(spec), ", ");
  SEI_RETURN_IF_ERROR(conn_
                          ->Exec(fmt::format("CREATE TEMPORARY TABLE {} ON COMMIT DROP AS SELECT "
                                             "{}, 0::bigint AS {} FROM {} WITH NO DATA",
                                             kStaging, cols, kOrdinal, spec.view))
                          .status());
  SEI_ASSIGN_OR_RETURN(CopyBuffer buffer, CopyCells(spec, rows, true));
  SEI_RETURN_IF_ERROR(
      conn_->CopyIn(fmt::format("COPY {} ({}, {}) FROM STDIN", kStaging, cols, kOrdinal), buffer));
  SEI_ASSIGN_OR_RETURN(Rows done,
                       conn_->Exec(store_sql::CopyInsertSql(
                           spec, kStaging, fmt::format(" ORDER BY s.{}", kOrdinal), true)));
  if (view == nullptr || done.Affected() >= static_cast<int64_t>(rows.size())) {
    return Status::Ok();
  }
  // The first row whose repository or commit the joins did not find.
  SEI_ASSIGN_OR_RETURN(
      Rows missing,
      conn_->Exec(fmt::format(
          "SELECT {} FROM {} s WHERE NOT EXISTS (SELECT 1 FROM repos r{} WHERE r.id = "
          "s.repo_id{}) ORDER BY s.{} LIMIT 1",
          kOrdinal, kStaging, view->parent_cells == 2 ? " JOIN commits c ON c.repo_pk = r.pk" : "",
          view->parent_cells == 2 ? " AND c.sha = s.sha" : "", kOrdinal)));
  const size_t at = missing.size() > 0 ? static_cast<size_t>(missing.Int(0, 0)) : 0;
  return store_sql::MissingParentError(spec, *view, rows[at], Describe());
}

// A table's own rows go straight in with COPY, the fast way into a table
// that does not hold them yet; when that fails (a key stored already: a
// copy run again) the batch goes through the staging table's upsert.
Status PostgresStore::CopyDirect(const model::TableSpec& spec,
                                 const std::vector<model::Row>& rows) {
  SEI_ASSIGN_OR_RETURN(CopyBuffer buffer, CopyCells(spec, rows, false));
  SEI_RETURN_IF_ERROR(conn_->Exec("SAVEPOINT sei_copy_direct").status());
  Status s = conn_->CopyIn(fmt::format("COPY {} ({}) FROM STDIN", spec.table,
                                       store_sql::Join(store_sql::ColumnNames(spec), ", ")),
                           buffer);
  if (s.ok()) return conn_->Exec("RELEASE SAVEPOINT sei_copy_direct").status();
  SEI_RETURN_IF_ERROR(conn_->Exec("ROLLBACK TO SAVEPOINT sei_copy_direct").status());
  return CopyStaged(spec, nullptr, rows);
}

Status PostgresStore::CopyRows(const model::TableSpec& spec, const std::vector<model::Row>& rows) {
  const store_sql::ViewTable* view = store_sql::FindViewTable(spec);
  if (spec.view != spec.table && view == nullptr) {
    return InternalError(
        fmt::format("{} is read through {}, which CopyRows does not know", spec.entity, spec.view));
  }
  if (rows.empty()) return Status::Ok();
  Status s = InTransaction(true, [&]() -> Status {
    SEI_RETURN_IF_ERROR(FlushPending());
    // The planner's estimates for a batch read through index lookups are
    // high enough to JIT-compile each statement: more time than it saves.
    SEI_RETURN_IF_ERROR(conn_->Exec("SET LOCAL jit = off").status());
    return view == nullptr ? CopyDirect(spec, rows) : CopyStaged(spec, view, rows);
  });
  if (!s.ok()) return s.WithContext(fmt::format("copying {} rows of {}", rows.size(), spec.table));
  return s;
}

Status PostgresStore::AdvanceIdSequences() {
  // Every identity column of the schema, its name quoted by the server.
  return InTransaction(true, [&]() -> Status {
    return conn_
        ->Exec(
            "DO $sei$ DECLARE col record; seq text; top bigint; BEGIN "
            // One at a time ("SEISEQNC"; sei migrate --jobs): a sequence only goes up.
            "PERFORM pg_advisory_xact_lock(6000282700535123523); "
            "FOR col IN SELECT table_name, column_name FROM information_schema.columns "
            " WHERE table_schema = current_schema() AND is_identity = 'YES' LOOP "
            " seq := pg_get_serial_sequence(format('%I', col.table_name), col.column_name); "
            " EXECUTE format('SELECT max(%I) FROM %I', col.column_name, col.table_name) INTO top; "
            " IF top IS NOT NULL AND top > coalesce(pg_sequence_last_value(seq::regclass), 0) "
            " THEN PERFORM setval(seq, top); END IF; "
            "END LOOP; END $sei$")
        .status();
  });
}

Result<std::vector<std::string>> PostgresStore::DataTables() {
  SEI_RETURN_IF_ERROR(FlushPending());
  SEI_ASSIGN_OR_RETURN(
      Rows rows,
      conn_->Query("SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = "
                   "c.relnamespace WHERE n.nspname = current_schema() AND c.relkind IN ('r', "
                   "'p') AND c.relname NOT IN ('schema_migrations', 'sei_data_version') "
                   "ORDER BY 1"));
  std::vector<std::string> names;
  for (int r = 0; r < rows.size(); ++r) names.push_back(rows.String(r, 0));
  return names;
}

}  // namespace sei::pg
