// SqliteStore: copying a whole database (CopyRows, AdvanceIdSequences,
// DataTables; sei migrate). Rows go in through one cached INSERT ... SELECT
// per table, the view tables' parents found by joins; BLOB columns are
// bound as blobs, as the collectors write them.
#include <fmt/format.h>

#include <set>

#include "store/sql_text.h"
#include "store/sqlite/sqlite_store.h"

namespace sei::sqlite {

Result<std::set<std::string>> SqliteStore::BlobColumns(const std::string& table) {
  auto it = blob_columns_.find(table);
  if (it != blob_columns_.end()) return it->second;
  SEI_ASSIGN_OR_RETURN(
      Stmt stmt, db_->Prepare("SELECT name FROM pragma_table_info(?) WHERE upper(type) = 'BLOB'"));
  stmt.BindText(1, table);
  std::set<std::string> blobs;
  while (true) {
    SEI_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    blobs.insert(stmt.ColumnText(0));
  }
  return blob_columns_.emplace(table, std::move(blobs)).first->second;
}

Status SqliteStore::CopyRows(const model::TableSpec& spec, const std::vector<model::Row>& rows) {
  const store_sql::ViewTable* view = store_sql::FindViewTable(spec);
  if (spec.view != spec.table && view == nullptr) {
    return InternalError(
        fmt::format("{} is read through {}, which CopyRows does not know", spec.entity, spec.view));
  }
  std::vector<std::string> marks;
  for (const model::Column& c : spec.columns) marks.push_back("? AS " + c.name);
  const std::string source = "(SELECT " + store_sql::Join(marks, ", ") + ")";
  SEI_ASSIGN_OR_RETURN(
      Stmt * stmt, Cached("copy:" + spec.table, store_sql::CopyInsertSql(spec, source, "", false)));
  SEI_ASSIGN_OR_RETURN(std::set<std::string> blobs, BlobColumns(spec.table));
  std::vector<bool> blob(spec.columns.size());
  for (size_t i = 0; i < spec.columns.size(); ++i) blob[i] = blobs.count(spec.columns[i].name) > 0;
  return InTransaction(db_.get(), [&]() -> Status {
    for (const model::Row& row : rows) {
      SEI_RETURN_IF_ERROR(store_sql::CheckRow(spec, row));
      for (size_t i = 0; i < row.size(); ++i) {
        const auto* bytes = std::get_if<std::string>(&row[i]);
        if (blob[i] && bytes != nullptr) {
          stmt->BindBlob(static_cast<int>(i) + 1, *bytes);
        } else {
          stmt->BindValue(static_cast<int>(i) + 1, row[i]);
        }
      }
      SEI_RETURN_IF_ERROR(stmt->Run());
      if (view != nullptr && db_->Changes() == 0) {
        return store_sql::MissingParentError(spec, *view, row, Describe());
      }
    }
    return Status::Ok();
  });
}

Status SqliteStore::AdvanceIdSequences() {
  // Rowids follow the largest stored one, and AUTOINCREMENT (audit_log)
  // records every larger id inserted: nothing to move.
  return Status::Ok();
}

Result<std::vector<std::string>> SqliteStore::DataTables() {
  SEI_ASSIGN_OR_RETURN(Stmt stmt,
                       db_->Prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name "
                                    "NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> "
                                    "'schema_migrations' ORDER BY name"));
  std::vector<std::string> names;
  while (true) {
    SEI_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    names.push_back(stmt.ColumnText(0));
  }
  return names;
}

}  // namespace sei::sqlite
