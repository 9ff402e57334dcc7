#include "store/postgres/pg_conn.h"

#include <fmt/format.h>
#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <utility>

namespace sei::pg {

namespace {

// PostgreSQL type oids (catalog/pg_type_d.h, a server header).
constexpr Oid kBoolOid = 16;
constexpr Oid kByteaOid = 17;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;
constexpr Oid kNumericOid = 1700;

// One line out of libpq's multi-line messages.
std::string OneLine(std::string_view text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == '\n' || c == '\t' || c == '\r' || c == ' ') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

bool Contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

constexpr char kUrlForm[] = "postgres://user[:password]@host[:port]/database";

}  // namespace

// ---- Rows ----

Rows::~Rows() {
  if (result_ != nullptr) PQclear(result_);
}

Rows::Rows(Rows&& other) noexcept : result_(std::exchange(other.result_, nullptr)) {}

Rows& Rows::operator=(Rows&& other) noexcept {
  if (this != &other) {
    if (result_ != nullptr) PQclear(result_);
    result_ = std::exchange(other.result_, nullptr);
  }
  return *this;
}

int Rows::size() const { return result_ == nullptr ? 0 : PQntuples(result_); }

bool Rows::IsNull(int row, int col) const { return PQgetisnull(result_, row, col) != 0; }

std::string Rows::String(int row, int col) const {
  const char* v = PQgetvalue(result_, row, col);
  if (PQftype(result_, col) != kByteaOid) {
    return std::string(v, static_cast<size_t>(PQgetlength(result_, row, col)));
  }
  size_t n = 0;
  unsigned char* bytes = PQunescapeBytea(reinterpret_cast<const unsigned char*>(v), &n);
  if (bytes == nullptr) return std::string();
  std::string out(reinterpret_cast<const char*>(bytes), n);
  PQfreemem(bytes);
  return out;
}

int64_t Rows::Int(int row, int col) const {
  if (IsNull(row, col)) return 0;
  const char* v = PQgetvalue(result_, row, col);
  if (PQftype(result_, col) == kBoolOid) return v[0] == 't' ? 1 : 0;
  int64_t out = 0;
  std::from_chars(v, v + PQgetlength(result_, row, col), out);
  return out;
}

double Rows::Double(int row, int col) const {
  if (IsNull(row, col)) return 0;
  return std::strtod(PQgetvalue(result_, row, col), nullptr);
}

model::Value Rows::Cell(int row, int col) const {
  if (IsNull(row, col)) return model::Value{};
  switch (PQftype(result_, col)) {
    case kBoolOid:
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid:
    case kNumericOid:
      return Int(row, col);
    case kFloat4Oid:
    case kFloat8Oid:
      return Double(row, col);
    default:
      return String(row, col);
  }
}

int64_t Rows::Affected() const {
  if (result_ == nullptr) return 0;
  return std::strtoll(PQcmdTuples(result_), nullptr, 10);
}

// ---- Params ----

Params& Params::Null() {
  values_.emplace_back();
  null_.push_back(true);
  return *this;
}

Params& Params::Int(int64_t v) {
  values_.push_back(std::to_string(v));
  null_.push_back(false);
  return *this;
}

Params& Params::Double(double v) {
  // Shortest text that reads back as the same double.
  values_.push_back(fmt::format("{}", v));
  null_.push_back(false);
  return *this;
}

Params& Params::Text(std::string_view v) {
  values_.emplace_back(v);
  null_.push_back(false);
  return *this;
}

Params& Params::OptText(const std::optional<std::string>& v) { return v ? Text(*v) : Null(); }
Params& Params::OptInt(const std::optional<int64_t>& v) { return v ? Int(*v) : Null(); }

Params& Params::Value(const model::Value& v) {
  if (const auto* n = std::get_if<int64_t>(&v)) return Int(*n);
  if (const auto* d = std::get_if<double>(&v)) return Double(*d);
  if (const auto* s = std::get_if<std::string>(&v)) return Text(*s);
  return Null();
}

// ---- CopyBuffer ----

void CopyBuffer::Separator() {
  if (row_started_) data_ += '\t';
  row_started_ = true;
}

CopyBuffer& CopyBuffer::Null() {
  Separator();
  data_ += "\\N";
  return *this;
}

CopyBuffer& CopyBuffer::Int(int64_t v) {
  Separator();
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  data_.append(buf, end);
  return *this;
}

CopyBuffer& CopyBuffer::Bool(bool v) {
  Separator();
  data_ += v ? 't' : 'f';
  return *this;
}

CopyBuffer& CopyBuffer::Double(double v) {
  Separator();
  data_ += fmt::format("{}", v);  // shortest text that reads back as the same double
  return *this;
}

CopyBuffer& CopyBuffer::Text(std::string_view v) {
  Separator();
  for (char c : v) {
    switch (c) {
      case '\\':
        data_ += "\\\\";
        break;
      case '\t':
        data_ += "\\t";
        break;
      case '\n':
        data_ += "\\n";
        break;
      case '\r':
        data_ += "\\r";
        break;
      default:
        data_ += c;
    }
  }
  return *this;
}

CopyBuffer& CopyBuffer::OptText(const std::optional<std::string>& v) {
  return v ? Text(*v) : Null();
}

CopyBuffer& CopyBuffer::OptInt(const std::optional<int64_t>& v) { return v ? Int(*v) : Null(); }

CopyBuffer& CopyBuffer::Bytes(std::string_view v) {
  Separator();
  static constexpr char kHex[] = "0123456789abcdef";
  data_ += "\\\\x";  // COPY unescapes to \x, bytea's hex form
  for (unsigned char c : v) {
    data_ += kHex[c >> 4];
    data_ += kHex[c & 15];
  }
  return *this;
}

void CopyBuffer::EndRow() {
  data_ += '\n';
  row_started_ = false;
}

// ---- Conn ----

std::string UrlPassword(std::string_view url) {
  size_t scheme = url.find("://");
  if (scheme != std::string_view::npos) {
    std::string_view rest = url.substr(scheme + 3);
    rest = rest.substr(0, rest.find_first_of("/?"));
    size_t at = rest.rfind('@');
    if (at == std::string_view::npos) return "";
    std::string_view userinfo = rest.substr(0, at);
    size_t colon = userinfo.find(':');
    return colon == std::string_view::npos ? "" : std::string(userinfo.substr(colon + 1));
  }
  size_t key = url.find("password=");
  if (key == std::string_view::npos) return "";
  std::string_view value = url.substr(key + 9);
  return std::string(value.substr(0, value.find(' ')));
}

std::string Redact(std::string text, std::string_view secret) {
  if (secret.empty()) return text;
  for (size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at + 3)) {
    text.replace(at, secret.size(), "***");
  }
  return text;
}

namespace {

std::string DescribeConn(PGconn* c) {
  auto get = [](const char* v) { return std::string(v != nullptr ? v : ""); };
  return fmt::format("postgres://{}@{}:{}/{}", get(PQuser(c)), get(PQhost(c)), get(PQport(c)),
                     get(PQdb(c)));
}

Status ConnectFailure(PGconn* c, const std::string& where, const std::string& secret) {
  const std::string detail = Redact(OneLine(PQerrorMessage(c)), secret);
  const std::string user = PQuser(c) != nullptr ? PQuser(c) : "";
  const std::string db = PQdb(c) != nullptr ? PQdb(c) : "";
  if (Contains(detail, "for connection option") || Contains(detail, "invalid connection option") ||
      Contains(detail, "invalid URI")) {
    return InvalidArgumentError(
        fmt::format("--db is not a valid PostgreSQL URL ({}); expected {}", detail, kUrlForm));
  }
  if (Contains(detail, "password authentication failed") ||
      Contains(detail, "no password supplied") || Contains(detail, "authentication failed")) {
    return PermissionDeniedError(fmt::format(
        "cannot sign in to PostgreSQL at {} as user '{}' ({}); check the user and password in "
        "--db ({}) or set PGPASSWORD or ~/.pgpass",
        where, user, detail, kUrlForm));
  }
  if (Contains(detail, "database \"" + db + "\" does not exist")) {
    return NotFoundError(fmt::format(
        "PostgreSQL at {} has no database '{}'; create it (createdb {} or CREATE DATABASE {}) "
        "or name another one in --db",
        where, db, db, db));
  }
  if (Contains(detail, "role \"" + user + "\" does not exist")) {
    return PermissionDeniedError(fmt::format(
        "PostgreSQL at {} has no user '{}'; create it (createuser {}) or name another user in "
        "--db ({})",
        where, user, user, kUrlForm));
  }
  return UnavailableError(fmt::format(
      "cannot connect to PostgreSQL at {} ({}); check that the server is running and that --db "
      "names the right host and port",
      where, detail));
}

}  // namespace

Result<std::unique_ptr<Conn>> Conn::Open(const std::string& url, const ConnOptions& options) {
  const std::string secret = UrlPassword(url);
  char* err = nullptr;
  PQconninfoOption* info = PQconninfoParse(url.c_str(), &err);
  if (info == nullptr) {
    std::string detail = err != nullptr ? OneLine(err) : "out of memory";
    if (err != nullptr) PQfreemem(err);
    return InvalidArgumentError(fmt::format("--db is not a valid PostgreSQL URL ({}); expected {}",
                                            Redact(detail, secret), kUrlForm));
  }
  PQconninfoFree(info);
  const std::string timeout = std::to_string(options.connect_timeout_s);
  // The URL's own settings win over the defaults before it; the encoding
  // after it is forced (every string in the model is UTF-8).
  const char* keys[] = {"connect_timeout", "fallback_application_name", "dbname", "client_encoding",
                        nullptr};
  const char* values[] = {timeout.c_str(), "sei", url.c_str(), "UTF8", nullptr};
  PGconn* c = PQconnectdbParams(keys, values, 1);
  if (c == nullptr) return ResourceExhaustedError("out of memory connecting to PostgreSQL");
  std::string where = DescribeConn(c);
  if (PQstatus(c) != CONNECTION_OK) {
    Status s = ConnectFailure(c, where, secret);
    PQfinish(c);
    return s;
  }
  // Notices ("relation already exists, skipping") are not for the user.
  PQsetNoticeProcessor(
      c, [](void*, const char*) {}, nullptr);
  std::unique_ptr<Conn> conn(new Conn(c, std::move(where), options));
  SEI_RETURN_IF_ERROR(conn->Setup());
  return conn;
}

Conn::~Conn() {
  if (conn_ != nullptr) PQfinish(conn_);
}

Status Conn::Setup() {
  Params p;
  p.Text(options_.durable ? "on" : "off")
      .Text(std::to_string(options_.lock_timeout_ms))
      .Text(options_.read_only ? "on" : "off");
  // cursor_tuple_fraction: the store's cursors are read to their end (they
  // batch a scan for memory, not to see its first rows soon). At the
  // default 0.1 the planner picks plans that stream the first rows
  // soonest: LoadCommitWalk's parents query walked the whole commits
  // primary key per repository, filtering by repository (the scale demo's
  // 1M commits once for each of its 300 repos: `sei link` spent 1m46s
  // linking against 7.8 s on SQLite).
  return Run(
      "SELECT set_config('synchronous_commit', $1, false), set_config('lock_timeout', $2, false), "
      "set_config('default_transaction_read_only', $3, false), "
      "set_config('extra_float_digits', '3', false), "
      "set_config('cursor_tuple_fraction', '1', false)",
      p);
}

Status Conn::ConnectionError(std::string_view what) const {
  return UnavailableError(fmt::format(
      "lost the connection to PostgreSQL at {} ({}) while {}; check that the server is running, "
      "then retry",
      describe_, OneLine(PQerrorMessage(conn_)), what));
}

Status Conn::EnsureConnected() {
  if (PQstatus(conn_) == CONNECTION_OK) return Status::Ok();
  PQreset(conn_);
  if (PQstatus(conn_) != CONNECTION_OK) return ConnectionError("reconnecting");
  prepared_.clear();  // the server forgot them with the old session
  return Setup();
}

bool Conn::Connected() const { return PQstatus(conn_) == CONNECTION_OK; }

Result<bool> Conn::WaitForNotification(std::chrono::milliseconds timeout) {
  auto drain = [this] {
    bool any = false;
    while (PGnotify* n = PQnotifies(conn_)) {
      any = true;
      PQfreemem(n);
    }
    return any;
  };
  if (PQconsumeInput(conn_) == 0) return ConnectionError("waiting for notifications");
  if (drain()) return true;
  const int fd = PQsocket(conn_);
  if (fd < 0) return ConnectionError("waiting for notifications");
  pollfd p{fd, POLLIN, 0};
  const int ready = poll(&p, 1, static_cast<int>(timeout.count()));
  if (ready < 0 && errno != EINTR) {
    return UnavailableError(describe_ + ": waiting for notifications: " + std::strerror(errno));
  }
  if (ready <= 0) return false;
  if (PQconsumeInput(conn_) == 0) return ConnectionError("waiting for notifications");
  return drain();
}

bool Conn::InTransaction() const { return PQtransactionStatus(conn_) != PQTRANS_IDLE; }

Result<Rows> Conn::Check(PGresult* r, std::string_view sql) const {
  ExecStatusType st = PQresultStatus(r);
  if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
    Status s = Error(r, sql);
    PQclear(r);
    return s;
  }
  return Rows(r);
}

Result<Rows> Conn::Exec(std::string_view sql) {
  std::string copy(sql);
  return Check(PQexec(conn_, copy.c_str()), sql);
}

Result<Rows> Conn::QueryOnce(const std::string& sql, const Params& params) {
  SEI_RETURN_IF_ERROR(EnsureConnected());
  std::vector<const char*> values(params.size());
  for (size_t i = 0; i < params.size(); ++i) {
    if (!params.null_[i]) values[i] = params.values_[i].c_str();
  }
  return Check(PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr,
                            values.data(), nullptr, nullptr, 0),
               sql);
}

Result<const Conn::Prepared*> Conn::Prepare(const std::string& sql) {
  auto it = prepared_.find(sql);
  if (it != prepared_.end()) return &it->second;
  Prepared p;
  p.name = "sei_" + std::to_string(prepared_.size() + 1);
  PGresult* r = PQprepare(conn_, p.name.c_str(), sql.c_str(), 0, nullptr);
  if (PQresultStatus(r) != PGRES_COMMAND_OK) {
    Status s = Error(r, sql);
    PQclear(r);
    return s;
  }
  PQclear(r);
  r = PQdescribePrepared(conn_, p.name.c_str());
  if (PQresultStatus(r) != PGRES_COMMAND_OK) {
    Status s = Error(r, sql);
    PQclear(r);
    return s;
  }
  for (int i = 0; i < PQnparams(r); ++i) p.types.push_back(PQparamtype(r, i));
  PQclear(r);
  return &prepared_.emplace(sql, std::move(p)).first->second;
}

Result<Rows> Conn::Query(const std::string& sql, const Params& params) {
  // A statement outside a transaction that finds the connection lost (the
  // server restarted, an idle connection dropped) runs again once on a new
  // one; inside a transaction the error stands (the transaction is gone).
  const bool idle = PQtransactionStatus(conn_) == PQTRANS_IDLE;
  Result<Rows> r = QueryOnceConnected(sql, params);
  if (r.ok() || !idle || PQstatus(conn_) == CONNECTION_OK) return r;
  return QueryOnceConnected(sql, params);
}

Status Conn::Bind(const Prepared& p, const std::string& sql, const Params& params,
                  Bound* out) const {
  const size_t n = params.size();
  if (n != p.types.size()) {
    return InternalError(
        fmt::format("{} values for {} parameters in: {}", n, p.types.size(), sql.substr(0, 120)));
  }
  out->values.assign(n, nullptr);
  out->lengths.assign(n, 0);
  out->formats.assign(n, 0);
  for (size_t i = 0; i < n; ++i) {
    if (params.null_[i]) continue;
    const std::string& v = params.values_[i];
    out->values[i] = v.c_str();
    out->lengths[i] = static_cast<int>(v.size());
    out->formats[i] = p.types[i] == kByteaOid ? 1 : 0;
    if (out->formats[i] == 0 && v.find('\0') != std::string::npos) {
      return InvalidArgumentError(fmt::format(
          "a text value for PostgreSQL at {} contains a NUL byte, which text cannot hold",
          describe_));
    }
  }
  return Status::Ok();
}

Result<Rows> Conn::QueryOnceConnected(const std::string& sql, const Params& params) {
  SEI_RETURN_IF_ERROR(EnsureConnected());
  SEI_ASSIGN_OR_RETURN(const Prepared* p, Prepare(sql));
  Bound b;
  SEI_RETURN_IF_ERROR(Bind(*p, sql, params, &b));
  return Check(PQexecPrepared(conn_, p->name.c_str(), static_cast<int>(b.values.size()),
                              b.values.data(), b.lengths.data(), b.formats.data(), 0),
               sql);
}

Status Conn::RunBatch(const std::string& sql, const std::vector<Params>& batch) {
  std::vector<Statement> statements;
  statements.reserve(batch.size());
  for (const Params& p : batch) statements.push_back({&sql, p});
  return RunBatch(statements);
}

Status Conn::RunBatch(const std::vector<Statement>& batch) {
  if (batch.empty()) return Status::Ok();
  if (batch.size() == 1) return Run(*batch[0].sql, batch[0].params);
  SEI_RETURN_IF_ERROR(EnsureConnected());
  // Prepared and bound first: a bad value fails the batch before anything
  // is sent.
  std::vector<const Prepared*> prepared(batch.size());
  std::vector<Bound> bound(batch.size());
  for (size_t i = 0; i < batch.size(); ++i) {
    SEI_ASSIGN_OR_RETURN(prepared[i], Prepare(*batch[i].sql));
    SEI_RETURN_IF_ERROR(Bind(*prepared[i], *batch[i].sql, batch[i].params, &bound[i]));
  }
  if (PQenterPipelineMode(conn_) != 1) return ConnectionError("starting a pipeline");
  Status s = Status::Ok();
  // Chunks keep the results the server sends back (a few bytes each) well
  // inside the socket's buffer while we are still sending.
  constexpr size_t kChunk = 512;
  for (size_t begin = 0; s.ok() && begin < bound.size(); begin += kChunk) {
    const size_t end = std::min(bound.size(), begin + kChunk);
    for (size_t i = begin; i < end; ++i) {
      const Bound& b = bound[i];
      if (PQsendQueryPrepared(conn_, prepared[i]->name.c_str(), static_cast<int>(b.values.size()),
                              b.values.data(), b.lengths.data(), b.formats.data(), 0) != 1) {
        s = ConnectionError("sending a batch");
        break;
      }
    }
    if (PQpipelineSync(conn_) != 1) {
      s = ConnectionError("sending a batch");
      break;
    }
    // Each statement's result, then NULL; the sync's result ends the chunk.
    while (true) {
      PGresult* r = PQgetResult(conn_);
      if (r == nullptr) {
        if (PQstatus(conn_) != CONNECTION_OK) {
          if (s.ok()) s = ConnectionError("running a batch");
          break;
        }
        continue;
      }
      const ExecStatusType st = PQresultStatus(r);
      if (st == PGRES_PIPELINE_SYNC) {
        PQclear(r);
        break;
      }
      if (s.ok() && st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK &&
          st != PGRES_PIPELINE_ABORTED) {
        s = Error(r, "a batched statement");
      }
      PQclear(r);
    }
  }
  if (PQexitPipelineMode(conn_) != 1) {
    // Results still pending (a failed send): this session is unusable.
    if (s.ok()) s = ConnectionError("ending a pipeline");
    PQreset(conn_);
    prepared_.clear();
    if (PQstatus(conn_) == CONNECTION_OK) Setup().IgnoreError();
  }
  return s;
}

Status Conn::Run(const std::string& sql, const Params& params) {
  return Query(sql, params).status();
}

Status Conn::CopyIn(const std::string& copy_sql, const CopyBuffer& rows) {
  if (rows.empty()) return Status::Ok();
  PGresult* r = PQexec(conn_, copy_sql.c_str());
  if (PQresultStatus(r) != PGRES_COPY_IN) {
    Status s = Error(r, copy_sql);
    PQclear(r);
    return s;
  }
  PQclear(r);
  const std::string& data = rows.data();
  if (PQputCopyData(conn_, data.data(), static_cast<int>(data.size())) != 1 ||
      PQputCopyEnd(conn_, nullptr) != 1) {
    return ConnectionError("sending rows");
  }
  Status s = Status::Ok();
  while ((r = PQgetResult(conn_)) != nullptr) {
    if (s.ok() && PQresultStatus(r) != PGRES_COMMAND_OK) s = Error(r, copy_sql);
    PQclear(r);
  }
  return s;
}

Status Conn::Error(const PGresult* result, std::string_view what) const {
  const char* state_c = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  std::string detail = OneLine(result != nullptr ? PQresultErrorMessage(result) : "");
  if (detail.empty()) detail = OneLine(PQerrorMessage(conn_));
  if (state_c == nullptr || PQstatus(conn_) != CONNECTION_OK) {
    return ConnectionError("running a statement");
  }
  const std::string state = state_c;
  const std::string where = fmt::format("database {}", describe_);
  const std::string klass = state.substr(0, 2);
  if (state == "55P03" || state == "57014") {
    return UnavailableError(fmt::format(
        "{} is locked by another process (another `sei collect`?); wait for it to finish and "
        "retry ({})",
        where, detail));
  }
  if (klass == "40") {
    return UnavailableError(
        fmt::format("{}: the write conflicted with a concurrent one ({}); retry", where, detail));
  }
  if (klass == "53") {
    return ResourceExhaustedError(fmt::format(
        "{}: the server is out of disk space or memory ({}); free some space and run the command "
        "again (collection resumes where it stopped)",
        where, detail));
  }
  if (klass == "08" || klass == "57") return ConnectionError("running a statement");
  if (state == "25006") {
    return PermissionDeniedError(fmt::format("{} is open read-only: {}", where, detail));
  }
  if (klass == "42" && state == "42501") {
    return PermissionDeniedError(
        fmt::format("{}: permission denied ({}); grant the user of --db rights on the database",
                    where, detail));
  }
  if (klass == "23" || klass == "22") {
    return InvalidArgumentError(fmt::format("{}: {}", where, detail));
  }
  return InternalError(fmt::format("{}: {} (in: {})", where, detail, what.substr(0, 120)));
}

}  // namespace sei::pg
