// SQL text and row checks both store implementations share, so that they
// build the same statements from a model::TableSpec and refuse the same rows
// with the same messages. Only identifiers from the spec reach SQL text;
// values are always bound parameters.
//
// Thread safety: pure functions.
#pragma once

#include <fmt/format.h>

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "model/entity.h"

namespace sei::store_sql {

inline std::string Join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += sep;
    out += parts[i];
  }
  return out;
}

inline std::vector<std::string> ColumnNames(const model::TableSpec& spec) {
  std::vector<std::string> names;
  for (const model::Column& c : spec.columns) names.push_back(c.name);
  return names;
}

// A row to write: one cell per column, none empty where the column is NOT
// NULL (from cell `first` on: 1 skips an id the store assigns).
inline Status CheckRow(const model::TableSpec& spec, const model::Row& row, size_t first = 0) {
  if (row.size() != spec.columns.size()) {
    return InvalidArgumentError(fmt::format("a row for {} has {} cells, expected {}", spec.entity,
                                            row.size(), spec.columns.size()));
  }
  for (size_t i = first; i < row.size(); ++i) {
    if (!spec.columns[i].nullable && std::holds_alternative<std::monostate>(row[i])) {
      return InvalidArgumentError(
          fmt::format("{}.{} must not be empty", spec.entity, spec.columns[i].name));
    }
  }
  return Status::Ok();
}

// The upsert of one row of `spec`, placeholders from `mark(i)` (0-based):
// INSERT ... ON CONFLICT (key) DO UPDATE SET every other column.
template <class Mark>
std::string UpsertSql(const model::TableSpec& spec, Mark mark) {
  std::vector<std::string> cols = ColumnNames(spec);
  std::vector<std::string> marks, sets;
  for (size_t i = 0; i < cols.size(); ++i) {
    marks.push_back(mark(i));
    bool key = false;
    for (const std::string& k : spec.key) key = key || k == cols[i];
    if (!key) sets.push_back(cols[i] + " = excluded." + cols[i]);
  }
  std::string sql = fmt::format("INSERT INTO {} ({}) VALUES ({}) ON CONFLICT ({}) ", spec.table,
                                Join(cols, ", "), Join(marks, ", "), Join(spec.key, ", "));
  sql += sets.empty() ? "DO NOTHING" : "DO UPDATE SET " + Join(sets, ", ");
  return sql;
}

// INSERT of a new row only: a row with its key (or any unique value) already
// there is left alone, and the caller sees no row changed
// (TableWrite::insert_new).
template <class Mark>
std::string InsertNewSql(const model::TableSpec& spec, Mark mark) {
  std::vector<std::string> cols = ColumnNames(spec);
  std::vector<std::string> marks;
  for (size_t i = 0; i < cols.size(); ++i) marks.push_back(mark(i));
  return fmt::format("INSERT INTO {} ({}) VALUES ({}) ON CONFLICT DO NOTHING", spec.table,
                     Join(cols, ", "), Join(marks, ", "));
}

inline Status RowExists(const model::TableSpec& spec, const model::Row& row) {
  std::vector<std::string> key;
  for (const std::string& k : spec.key) {
    const int i = spec.ColumnIndex(k);
    if (i >= 0 && static_cast<size_t>(i) < row.size()) {
      key.push_back(model::ValueToString(row[static_cast<size_t>(i)]));
    }
  }
  return AlreadyExistsError(
      fmt::format("{} already holds a row with key ({})", spec.entity, Join(key, ", ")));
}

}  // namespace sei::store_sql
