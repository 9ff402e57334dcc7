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

#include "common/result.h"
#include "common/status.h"
#include "model/entity.h"
#include "store/store.h"

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

// ---- Whole-table reads and copies (ScanOptions::storage_order, CopyRows) ----

// A git table read through a view (commits_v ...): the view's first
// `parent_cells` columns (repo_id; repo_id and sha) name the row it hangs
// off, which the table keys by `parent_column` (repos.pk; commits.pk).
struct ViewTable {
  const char* table;
  const char* parent_column;
  size_t parent_cells;
  const char* storage_order;  // ORDER BY on its alias x, where the order matters
};

// Null for a spec read from its own table.
inline const ViewTable* FindViewTable(const model::TableSpec& spec) {
  static constexpr ViewTable kViews[] = {
      {"commits", "repo_pk", 1, " ORDER BY x.pk"},
      {"commit_parents", "commit_pk", 2, ""},
      {"commit_files", "commit_pk", 2, ""},
      {"refs", "repo_pk", 1, ""},
  };
  if (spec.view == spec.table) return nullptr;
  for (const ViewTable& v : kViews) {
    if (spec.table == v.table) return &v;
  }
  return nullptr;
}

// The tables every view row joins (aliases r for repos, c for commits),
// from the table's alias x.
inline std::string ViewJoins(const ViewTable& v) {
  return v.parent_cells == 1
             ? std::string(" JOIN repos r ON r.pk = x.repo_pk")
             : std::string(
                   " JOIN commits c ON c.pk = x.commit_pk JOIN repos r ON r.pk = c.repo_pk");
}

// SELECT of every column of `spec` in storage order (ScanOptions::
// storage_order): a view's rows straight from their table, unsorted but
// for commits, which come in the order of their keys (as stored).
inline Result<std::string> StorageOrderSelect(const model::TableSpec& spec,
                                              const ScanOptions& options) {
  if (!options.where.empty() || !options.order_by.empty() || options.after || options.descending) {
    return InvalidArgumentError(
        fmt::format("a scan of {} in storage order takes no filter, order or paging", spec.entity));
  }
  const ViewTable* view = FindViewTable(spec);
  if (view == nullptr) {
    if (spec.view != spec.table) {
      return InternalError(fmt::format(
          "{} is read through {}, which storage-order scans do not know", spec.entity, spec.view));
    }
    return fmt::format("SELECT {} FROM {}", Join(ColumnNames(spec), ", "), spec.table);
  }
  std::vector<std::string> cols;
  for (size_t i = 0; i < spec.columns.size(); ++i) {
    const std::string& name = spec.columns[i].name;
    cols.push_back(i == 0 ? "r.id" : i == 1 && view->parent_cells == 2 ? "c.sha" : "x." + name);
  }
  return fmt::format("SELECT {} FROM {} x{}{}", Join(cols, ", "), spec.table, ViewJoins(*view),
                     view->storage_order);
}

// CopyRows' error for a view row whose repository or commit is not stored.
inline Status MissingParentError(const model::TableSpec& spec, const ViewTable& view,
                                 const model::Row& row, const std::string& where) {
  const std::string parent = view.parent_cells == 1
                                 ? "repository " + model::ValueToString(row[0])
                                 : fmt::format("commit {} of {}", model::ValueToString(row[1]),
                                               model::ValueToString(row[0]));
  return NotFoundError(
      fmt::format("a row of {} belongs to {}, which {} does not hold: copy {} first", spec.entity,
                  parent, where, view.parent_cells == 1 ? "repos" : "commits"));
}

// INSERT of CopyRows: every column of `source` (a relation with the spec's
// columns, aliased s) into the spec's table in `order`, keys stored already
// overwritten. A view's parent columns become the table's key column by a
// join: a repository's pk, a commit's pk. With `lateral` (PostgreSQL), the
// commit is looked up row by row in its unique index: joined whole, a
// batch would make the planner hash every stored commit. Rows whose
// repository or commit is missing are left out; the caller counts them.
inline std::string CopyInsertSql(const model::TableSpec& spec, const std::string& source,
                                 const std::string& order, bool lateral) {
  const ViewTable* view = FindViewTable(spec);
  const size_t skip = view == nullptr ? 0 : view->parent_cells;
  std::vector<std::string> cols, exprs, key, sets;
  if (view != nullptr) {
    cols.push_back(view->parent_column);
    exprs.push_back(skip == 1 ? "r.pk" : "c.pk");
    key.push_back(view->parent_column);
  }
  for (size_t i = skip; i < spec.columns.size(); ++i) {
    const std::string& name = spec.columns[i].name;
    cols.push_back(name);
    exprs.push_back("s." + name);
    bool is_key = false;
    for (const std::string& k : spec.key) is_key = is_key || k == name;
    if (is_key) {
      key.push_back(name);
    } else {
      sets.push_back(name + " = excluded." + name);
    }
  }
  std::string joins;
  if (skip == 1) {
    joins = " JOIN repos r ON r.id = s.repo_id";
  } else if (skip == 2 && lateral) {
    joins =
        " JOIN LATERAL (SELECT c.pk FROM commits c JOIN repos r ON r.pk = c.repo_pk WHERE r.id = "
        "s.repo_id AND c.sha = s.sha LIMIT 1) c ON true";  // LIMIT: not flattened into a join
  } else if (skip == 2) {
    joins =
        " JOIN repos r ON r.id = s.repo_id JOIN commits c ON c.repo_pk = r.pk AND c.sha = s.sha";
  }
  // WHERE true: SQLite's upsert after INSERT ... SELECT needs a WHERE.
  std::string sql = fmt::format(
      "INSERT INTO {} ({}) SELECT {} FROM {} s{} WHERE true{} ON CONFLICT ({}) ", spec.table,
      Join(cols, ", "), Join(exprs, ", "), source, joins, order, Join(key, ", "));
  sql += sets.empty() ? "DO NOTHING" : "DO UPDATE SET " + Join(sets, ", ");
  return sql;
}

}  // namespace sei::store_sql
