// Thin RAII wrappers over the SQLite C API: a connection (Db) and a prepared
// statement (Stmt), with every failure turned into a Status whose message
// names the database file and says what to do.
//
// Thread safety: a Db and its Stmts belong to one thread at a time.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"
#include "common/status.h"
#include "model/entity.h"

namespace sei::sqlite {

class Db;

class Stmt {
 public:
  Stmt() = default;
  Stmt(Db* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~Stmt();
  Stmt(Stmt&& other) noexcept;
  Stmt& operator=(Stmt&& other) noexcept;
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  bool valid() const { return stmt_ != nullptr; }

  // Parameters are 1-based. Text and blobs are copied unless `transient` is
  // false, in which case the caller keeps the bytes alive until Reset().
  void BindNull(int i);
  void BindInt(int i, int64_t v);
  void BindDouble(int i, double v);
  void BindText(int i, std::string_view v, bool transient = true);
  void BindBlob(int i, std::string_view v, bool transient = true);
  void BindOptText(int i, const std::optional<std::string>& v);
  void BindOptInt(int i, const std::optional<int64_t>& v);
  void BindValue(int i, const model::Value& v);

  // Steps once: true when a row is available, false when done.
  Result<bool> Step();
  // Steps to completion, expecting no rows.
  Status Run();
  void Reset();

  int64_t ColumnInt(int i) const;
  double ColumnDouble(int i) const;
  std::string ColumnText(int i) const;
  bool ColumnIsNull(int i) const;
  // The cell as a model::Value of the column's declared type.
  model::Value ColumnValue(int i, model::ColumnType type) const;

 private:
  Db* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

struct DbOptions {
  bool read_only = false;
  int busy_timeout_ms = 10000;
};

class Db {
 public:
  static Result<std::unique_ptr<Db>> Open(const std::string& path, const DbOptions& options);
  ~Db();

  Result<Stmt> Prepare(std::string_view sql);
  // Runs one or more statements without results.
  Status Exec(std::string_view sql);

  // BEGIN IMMEDIATE (takes the write lock now, waiting up to the busy
  // timeout), COMMIT, ROLLBACK.
  Status Begin();
  Status Commit();
  void Rollback();

  int64_t LastInsertRowId() const;
  int Changes() const;
  const std::string& path() const { return path_; }
  sqlite3* handle() const { return db_; }

  // Maps a SQLite result code to a Status with a message that names the
  // database and says what to do.
  Status Error(int rc, std::string_view what) const;

 private:
  Db(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  sqlite3* db_;
  std::string path_;
};

// Runs `fn` inside BEGIN IMMEDIATE ... COMMIT, rolling back on any error.
template <class Fn>
Status InTransaction(Db* db, Fn&& fn) {
  SEI_RETURN_IF_ERROR(db->Begin());
  Status s = fn();
  if (!s.ok()) {
    db->Rollback();
    return s;
  }
  s = db->Commit();
  if (!s.ok()) db->Rollback();
  return s;
}

}  // namespace sei::sqlite
