// Thin RAII wrappers over libpq: a connection (Conn) that prepares every
// statement once and binds every value as a parameter, the rows of a result
// (Rows), the values bound to a statement (Params), and a buffer of rows in
// COPY text format (CopyBuffer) for bulk loads. Every failure becomes a
// Status whose message names the server (never the password) and says what
// to do.
//
// Values travel as text, except BYTEA parameters, which go in binary (their
// types come from PQdescribePrepared), so byte strings round-trip exactly.
//
// Thread safety: a Conn and everything made from it belong to one thread at
// a time.
#pragma once

#include <libpq-fe.h>

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/result.h"
#include "common/status.h"
#include "model/entity.h"

namespace sei::pg {

// The rows (or command status) of one statement; owns the PGresult.
class Rows {
 public:
  Rows() = default;
  explicit Rows(PGresult* result) : result_(result) {}
  ~Rows();
  Rows(Rows&& other) noexcept;
  Rows& operator=(Rows&& other) noexcept;
  Rows(const Rows&) = delete;
  Rows& operator=(const Rows&) = delete;

  int size() const;
  bool IsNull(int row, int col) const;
  // Text as sent; BYTEA decoded to its bytes.
  std::string String(int row, int col) const;
  // Integers (any width, numeric sums), booleans as 0/1; NULL is 0.
  int64_t Int(int row, int col) const;
  double Double(int row, int col) const;
  // The cell as a model::Value, by the column's PostgreSQL type.
  model::Value Cell(int row, int col) const;
  // Rows a write changed (PQcmdTuples).
  int64_t Affected() const;

 private:
  PGresult* result_ = nullptr;
};

// Values for $1, $2, ... in order.
class Params {
 public:
  Params& Null();
  Params& Int(int64_t v);
  Params& Bool(bool v) { return Int(v ? 1 : 0); }
  Params& Double(double v);
  Params& Text(std::string_view v);
  Params& OptText(const std::optional<std::string>& v);
  Params& OptInt(const std::optional<int64_t>& v);
  Params& Value(const model::Value& v);
  size_t size() const { return values_.size(); }

 private:
  friend class Conn;
  std::deque<std::string> values_;  // stable addresses for PQexecPrepared
  std::vector<bool> null_;
};

// Rows for COPY ... FROM STDIN (text format): cells separated by tabs, rows
// by newlines, NULL as \N, backslashes and control characters escaped.
class CopyBuffer {
 public:
  CopyBuffer& Null();
  CopyBuffer& Int(int64_t v);
  CopyBuffer& Bool(bool v);
  CopyBuffer& Double(double v);
  CopyBuffer& Text(std::string_view v);
  CopyBuffer& OptText(const std::optional<std::string>& v);
  CopyBuffer& OptInt(const std::optional<int64_t>& v);
  CopyBuffer& Bytes(std::string_view v);  // a BYTEA cell
  void EndRow();
  const std::string& data() const { return data_; }
  bool empty() const { return data_.empty(); }
  void Clear() { data_.clear(); }

 private:
  void Separator();
  std::string data_;
  bool row_started_ = false;
};

struct ConnOptions {
  bool read_only = false;
  // synchronous_commit: on (each commit is flushed to the server's WAL
  // before it returns) or off (the server may lose the last moments of
  // commits if it crashes, never the database's consistency).
  bool durable = true;
  int connect_timeout_s = 10;
  // How long a statement waits for a lock another session holds before the
  // write fails as Unavailable (SQLite's busy timeout).
  int lock_timeout_ms = 10000;
};

class Conn {
 public:
  // `url`: postgres://user[:password]@host[:port]/database[?param=value...]
  // or any libpq connection string.
  static Result<std::unique_ptr<Conn>> Open(const std::string& url, const ConnOptions& options);
  ~Conn();

  // "postgres://user@host:port/database": the URL without its password.
  const std::string& describe() const { return describe_; }

  // Runs constant SQL (no values; may hold several statements) with the
  // simple protocol; the rows are the last statement's.
  Result<Rows> Exec(std::string_view sql);
  // Runs `sql` with `params` bound to $1..$n, preparing it on first use.
  Result<Rows> Query(const std::string& sql, const Params& params = {});
  // The same without preparing (DECLARE ... CURSOR, which cannot be); every
  // parameter travels as text.
  Result<Rows> QueryOnce(const std::string& sql, const Params& params);
  Status Run(const std::string& sql, const Params& params = {});
  // Runs `sql` once per element of `batch` in libpq's pipeline mode: one
  // round trip per 512 statements instead of one each. The first error
  // stands (the rest of the batch is skipped by the server); run it inside
  // a transaction for all or nothing.
  Status RunBatch(const std::string& sql, const std::vector<Params>& batch);
  // The same with a statement each (`sql` must outlive the call).
  struct Statement {
    const std::string* sql;
    Params params;
  };
  Status RunBatch(const std::vector<Statement>& batch);
  // COPY ... FROM STDIN with `rows` (CopyBuffer's format).
  Status CopyIn(const std::string& copy_sql, const CopyBuffer& rows);

  // Reconnects when the connection was lost (outside a transaction).
  Status EnsureConnected();
  bool Connected() const;
  // Waits up to `timeout` for a NOTIFY on a channel this session LISTENs
  // to; true when one or more arrived (all are consumed), false on timeout.
  // A lost connection is an Unavailable error (LISTEN again after
  // reconnecting: the new session listens to nothing).
  Result<bool> WaitForNotification(std::chrono::milliseconds timeout);
  bool InTransaction() const;

  // A Status for a failed result: SQLSTATE mapped to a code, the message
  // naming the server, and for unexpected errors the statement.
  Status Error(const PGresult* result, std::string_view what) const;

 private:
  struct Prepared {
    std::string name;
    std::vector<Oid> types;
  };
  // PQexecPrepared's arrays for one statement (pointing into its Params).
  struct Bound {
    std::vector<const char*> values;
    std::vector<int> lengths;
    std::vector<int> formats;
  };
  Status Bind(const Prepared& p, const std::string& sql, const Params& params, Bound* out) const;
  Conn(PGconn* conn, std::string describe, ConnOptions options)
      : conn_(conn), describe_(std::move(describe)), options_(options) {}
  Status Setup();
  Result<const Prepared*> Prepare(const std::string& sql);
  Status ConnectionError(std::string_view what) const;
  Result<Rows> Check(PGresult* r, std::string_view sql) const;
  Result<Rows> QueryOnceConnected(const std::string& sql, const Params& params);

  PGconn* conn_;
  std::string describe_;
  ConnOptions options_;
  std::unordered_map<std::string, Prepared> prepared_;
};

// The password in a postgres:// URL, if any, for redaction ("" when none).
std::string UrlPassword(std::string_view url);
// `text` with every occurrence of `secret` replaced by "***".
std::string Redact(std::string text, std::string_view secret);

}  // namespace sei::pg
