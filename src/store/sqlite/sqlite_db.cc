#include "store/sqlite/sqlite_db.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>

#include <utility>

namespace sei::sqlite {

Stmt::~Stmt() {
  if (stmt_ != nullptr) sqlite3_finalize(stmt_);
}

Stmt::Stmt(Stmt&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), stmt_(std::exchange(other.stmt_, nullptr)) {}

Stmt& Stmt::operator=(Stmt&& other) noexcept {
  if (this != &other) {
    if (stmt_ != nullptr) sqlite3_finalize(stmt_);
    db_ = std::exchange(other.db_, nullptr);
    stmt_ = std::exchange(other.stmt_, nullptr);
  }
  return *this;
}

void Stmt::BindNull(int i) { sqlite3_bind_null(stmt_, i); }
void Stmt::BindInt(int i, int64_t v) { sqlite3_bind_int64(stmt_, i, v); }
void Stmt::BindDouble(int i, double v) { sqlite3_bind_double(stmt_, i, v); }

void Stmt::BindText(int i, std::string_view v, bool transient) {
  sqlite3_bind_text64(stmt_, i, v.data(), v.size(), transient ? SQLITE_TRANSIENT : SQLITE_STATIC,
                      SQLITE_UTF8);
}

void Stmt::BindBlob(int i, std::string_view v, bool transient) {
  sqlite3_bind_blob64(stmt_, i, v.data(), v.size(), transient ? SQLITE_TRANSIENT : SQLITE_STATIC);
}

void Stmt::BindOptText(int i, const std::optional<std::string>& v) {
  if (v) {
    BindText(i, *v);
  } else {
    BindNull(i);
  }
}

void Stmt::BindOptInt(int i, const std::optional<int64_t>& v) {
  if (v) {
    BindInt(i, *v);
  } else {
    BindNull(i);
  }
}

void Stmt::BindValue(int i, const model::Value& v) {
  if (const auto* n = std::get_if<int64_t>(&v)) {
    BindInt(i, *n);
  } else if (const auto* d = std::get_if<double>(&v)) {
    BindDouble(i, *d);
  } else if (const auto* s = std::get_if<std::string>(&v)) {
    BindText(i, *s);
  } else {
    BindNull(i);
  }
}

Result<bool> Stmt::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return db_->Error(rc, sqlite3_sql(stmt_));
}

Status Stmt::Run() {
  Result<bool> r = Step();
  Reset();
  if (!r.ok()) return r.status();
  return Status::Ok();
}

void Stmt::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

int64_t Stmt::ColumnInt(int i) const { return sqlite3_column_int64(stmt_, i); }
double Stmt::ColumnDouble(int i) const { return sqlite3_column_double(stmt_, i); }
bool Stmt::ColumnIsNull(int i) const { return sqlite3_column_type(stmt_, i) == SQLITE_NULL; }

std::string Stmt::ColumnText(int i) const {
  const void* p = sqlite3_column_blob(stmt_, i);
  int n = sqlite3_column_bytes(stmt_, i);
  if (p == nullptr) return std::string();
  return std::string(static_cast<const char*>(p), static_cast<size_t>(n));
}

model::Value Stmt::ColumnValue(int i, model::ColumnType type) const {
  if (ColumnIsNull(i)) return model::Value{};
  switch (type) {
    case model::ColumnType::kInteger:
    case model::ColumnType::kBoolean:
      return ColumnInt(i);
    case model::ColumnType::kReal:
      return ColumnDouble(i);
    case model::ColumnType::kText:
      return ColumnText(i);
  }
  return model::Value{};
}

Result<std::unique_ptr<Db>> Db::Open(const std::string& path, const DbOptions& options) {
  sqlite3* handle = nullptr;
  int flags =
      options.read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  flags |= SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(path.c_str(), &handle, flags, nullptr);
  std::unique_ptr<Db> db(new Db(handle, path));
  if (rc != SQLITE_OK) return db->Error(rc, "open");
  sqlite3_busy_timeout(handle, options.busy_timeout_ms);
  sqlite3_extended_result_codes(handle, 1);
  return db;
}

Db::~Db() {
  if (db_ != nullptr) sqlite3_close_v2(db_);
}

Result<Stmt> Db::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return Error(rc, sql);
  return Stmt(this, stmt);
}

Status Db::Exec(std::string_view sql) {
  std::string copy(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db_, copy.c_str(), nullptr, nullptr, &err);
  if (err != nullptr) sqlite3_free(err);
  if (rc != SQLITE_OK) return Error(rc, sql);
  return Status::Ok();
}

Status Db::Begin() { return Exec("BEGIN IMMEDIATE"); }
Status Db::Commit() { return Exec("COMMIT"); }
void Db::Rollback() {
  if (!sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

int64_t Db::LastInsertRowId() const { return sqlite3_last_insert_rowid(db_); }
int Db::Changes() const { return sqlite3_changes(db_); }

Status Db::Error(int rc, std::string_view what) const {
  std::string detail = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
  std::string where = fmt::format("database {}", path_);
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return UnavailableError(fmt::format(
          "{} is locked by another process (another `sei collect`?); wait for it to finish and "
          "retry",
          where));
    case SQLITE_FULL:
      return ResourceExhaustedError(fmt::format(
          "{}: disk full; free some space and run the command again (collection resumes where "
          "it stopped)",
          where));
    case SQLITE_CANTOPEN:
      return PermissionDeniedError(fmt::format(
          "cannot open {}: {}; check that the directory exists and is writable", where, detail));
    case SQLITE_READONLY:
      return PermissionDeniedError(
          fmt::format("{} is read-only: {}; check its permissions", where, detail));
    case SQLITE_PERM:
    case SQLITE_AUTH:
      return PermissionDeniedError(fmt::format("{}: permission denied: {}", where, detail));
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      return DataLossError(fmt::format(
          "{} is not a valid SEI database ({}); pass another --db or restore it from a backup",
          where, detail));
    case SQLITE_IOERR: {
      // SQLite often clears errno before we see it; a failed write is a full
      // disk (or quota, or file-size limit) far more often than anything else.
      int err = db_ != nullptr ? sqlite3_system_errno(db_) : 0;
      if (err == ENOSPC || err == EFBIG || err == EDQUOT || rc == SQLITE_IOERR_WRITE) {
        return ResourceExhaustedError(fmt::format(
            "{}: write failed, the disk is probably full ({}); free some space and run the "
            "command again (collection resumes where it stopped)",
            where, err != 0 ? std::strerror(err) : detail));
      }
      return UnavailableError(fmt::format("{}: I/O error: {}", where, detail));
    }
    case SQLITE_CONSTRAINT:
      return InvalidArgumentError(fmt::format("{}: {}", where, detail));
    default:
      break;
  }
  std::string stmt(what.substr(0, 120));
  return InternalError(fmt::format("{}: {} (in: {})", where, detail, stmt));
}

}  // namespace sei::sqlite
