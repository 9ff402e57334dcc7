// BiViewReader: reads the BI views (migration 0009, docs/data-model.md "BI
// views") of a store by plain SQL, as a BI tool would, with every cell as
// text in one form on both backends, so one expectation serves SQLite and
// PostgreSQL: instants "2024-01-01T00:00:00Z" (PostgreSQL's timestamptz
// formatted in UTC; SQLite's ISO text as stored), days "2024-01-01",
// booleans "1"/"0", numbers as their text, NULL as "NULL".
//
// Header-only: sei_testing does not depend on the store libraries; a test
// binary using it links sei_store_sqlite and sei_store_postgres.
//
// Thread safety: uses the store from the calling thread only.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "store/postgres/postgres_store.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store.h"

namespace sei::testing {

class BiViewReader {
 public:
  explicit BiViewReader(Store* store)
      : pg_(dynamic_cast<pg::PostgresStore*>(store)),
        lite_(dynamic_cast<sqlite::SqliteStore*>(store)) {}

  bool postgres() const { return pg_ != nullptr; }

  // The views whose names start with bi_, sorted.
  std::vector<std::string> Views() {
    return Strings(pg_ ? "SELECT table_name FROM information_schema.views WHERE table_schema = "
                         "current_schema() AND table_name LIKE 'bi\\_%' ORDER BY table_name"
                       : "SELECT name FROM sqlite_master WHERE type = 'view' AND name LIKE "
                         "'bi\\_%' ESCAPE '\\' ORDER BY name");
  }

  // A view's columns in order, each with its type: PostgreSQL's data_type
  // ("bigint", "timestamp with time zone" ...); on SQLite the declared type
  // ("" for a computed column).
  std::vector<std::pair<std::string, std::string>> Columns(const std::string& view) {
    std::vector<std::pair<std::string, std::string>> out;
    if (pg_) {
      auto rows = pg_->conn()->Query(
          "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = "
          "current_schema() AND table_name = $1 ORDER BY ordinal_position",
          pg::Params().Text(view));
      EXPECT_TRUE(rows.ok()) << rows.status().ToString();
      if (!rows.ok()) return out;
      for (int i = 0; i < rows->size(); ++i)
        out.emplace_back(rows->String(i, 0), rows->String(i, 1));
      return out;
    }
    auto stmt = lite_->db()->Prepare("SELECT name, type FROM pragma_table_info(?) ORDER BY cid");
    EXPECT_TRUE(stmt.ok()) << stmt.status().ToString();
    if (!stmt.ok()) return out;
    stmt->BindText(1, view);
    while (true) {
      auto row = stmt->Step();
      EXPECT_TRUE(row.ok()) << row.status().ToString();
      if (!row.ok() || !*row) break;
      out.emplace_back(stmt->ColumnText(0), stmt->ColumnText(1));
    }
    return out;
  }

  std::vector<std::string> ColumnNames(const std::string& view) {
    std::vector<std::string> names;
    for (auto& [name, type] : Columns(view)) names.push_back(name);
    return names;
  }

  // SELECT `columns` FROM `view` `tail` (a WHERE and ORDER BY written in
  // SQL both backends read alike), each cell normalised as described above.
  std::vector<std::vector<std::string>> Rows(const std::string& view,
                                             const std::vector<std::string>& columns,
                                             const std::string& tail = "") {
    std::vector<std::pair<std::string, std::string>> types;
    if (pg_) types = Columns(view);
    std::string sql = "SELECT ";
    for (size_t i = 0; i < columns.size(); ++i) {
      if (i > 0) sql += ", ";
      sql +=
          pg_ ? PgText(columns[i], TypeOf(types, columns[i])) : "CAST(" + columns[i] + " AS TEXT)";
    }
    sql += " FROM " + view + (tail.empty() ? "" : " " + tail);
    return Select(sql, columns.size());
  }

  // Any query, its first `width` cells of each row as text ("NULL" for
  // NULL), unnormalised.
  std::vector<std::vector<std::string>> Select(const std::string& sql, size_t width) {
    std::vector<std::vector<std::string>> out;
    if (pg_) {
      auto rows = pg_->conn()->Query(sql);
      EXPECT_TRUE(rows.ok()) << sql << ": " << rows.status().ToString();
      if (!rows.ok()) return out;
      for (int r = 0; r < rows->size(); ++r) {
        std::vector<std::string> row;
        for (int c = 0; c < static_cast<int>(width); ++c) {
          row.push_back(rows->IsNull(r, c) ? "NULL" : rows->String(r, c));
        }
        out.push_back(std::move(row));
      }
      return out;
    }
    auto stmt = lite_->db()->Prepare(sql);
    EXPECT_TRUE(stmt.ok()) << sql << ": " << stmt.status().ToString();
    if (!stmt.ok()) return out;
    while (true) {
      auto more = stmt->Step();
      EXPECT_TRUE(more.ok()) << sql << ": " << more.status().ToString();
      if (!more.ok() || !*more) break;
      std::vector<std::string> row;
      for (int c = 0; c < static_cast<int>(width); ++c) {
        row.push_back(stmt->ColumnIsNull(c) ? "NULL" : stmt->ColumnText(c));
      }
      out.push_back(std::move(row));
    }
    return out;
  }

  // One row per line, cells joined by " | " (readable test failures).
  std::vector<std::string> Lines(const std::string& view, const std::vector<std::string>& columns,
                                 const std::string& tail = "") {
    std::vector<std::string> lines;
    for (const auto& row : Rows(view, columns, tail)) {
      std::string line;
      for (size_t i = 0; i < row.size(); ++i) line += (i > 0 ? " | " : "") + row[i];
      lines.push_back(std::move(line));
    }
    return lines;
  }

 private:
  static std::string TypeOf(const std::vector<std::pair<std::string, std::string>>& types,
                            const std::string& column) {
    for (const auto& [name, type] : types) {
      if (name == column) return type;
    }
    ADD_FAILURE() << "no column " << column;
    return "";
  }

  static std::string PgText(const std::string& c, const std::string& type) {
    if (type == "timestamp with time zone") {
      return "to_char(" + c + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')";
    }
    if (type == "date") return "to_char(" + c + ", 'YYYY-MM-DD')";
    if (type == "boolean") {
      return "CASE WHEN " + c + " IS NULL THEN NULL WHEN " + c + " THEN '1' ELSE '0' END";
    }
    return c + "::text";
  }

  std::vector<std::string> Strings(const std::string& sql) {
    std::vector<std::string> out;
    for (auto& row : Select(sql, 1)) out.push_back(row[0]);
    return out;
  }

  pg::PostgresStore* pg_;
  sqlite::SqliteStore* lite_;
};

}  // namespace sei::testing
