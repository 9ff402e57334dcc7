// Status: the outcome of a fallible operation, modelled on abseil's Status.
//
// Every fallible function in SEI returns a Status or a Result<T> (result.h);
// exceptions from third-party libraries are caught at the adapter and turned
// into a Status, so none crosses a folder boundary. A Status carries a code
// (what kind of failure, which decides the exit code and, later, the HTTP
// status) and a one-line message meant for the user: what was wrong, where,
// and how to fix it.
//
// Thread safety: a Status is a value; distinct objects may be used from
// distinct threads freely.
#pragma once

#include <string>
#include <string_view>
#include <utility>

namespace sei {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // bad input from the user (flag, file, payload)
  kNotFound,            // a named thing does not exist
  kAlreadyExists,       // a create that would overwrite
  kFailedPrecondition,  // state does not allow it (e.g. newer schema)
  kDataLoss,            // corrupt data (git object, database page)
  kUnavailable,         // transient: busy/locked database, network down
  kResourceExhausted,   // disk full, out of memory, rate limited
  kPermissionDenied,    // unreadable file, missing role
  kCancelled,           // interrupted by the user (SIGINT)
  kInternal,            // a bug: an invariant did not hold
  kUnauthenticated,     // no valid credentials (unknown, revoked or expired token)
};

// Returns a stable lowercase name for `code` ("invalid_argument").
std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // Returns a copy whose message is "<context>: <message>".
  Status WithContext(std::string_view context) const;

  // "ok" or "<code name>: <message>".
  std::string ToString() const;

  // Marks a Status as deliberately ignored.
  void IgnoreError() const {}

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status InvalidArgumentError(std::string m) {
  return Status(StatusCode::kInvalidArgument, std::move(m));
}
inline Status NotFoundError(std::string m) { return Status(StatusCode::kNotFound, std::move(m)); }
inline Status AlreadyExistsError(std::string m) {
  return Status(StatusCode::kAlreadyExists, std::move(m));
}
inline Status FailedPreconditionError(std::string m) {
  return Status(StatusCode::kFailedPrecondition, std::move(m));
}
inline Status DataLossError(std::string m) { return Status(StatusCode::kDataLoss, std::move(m)); }
inline Status UnavailableError(std::string m) {
  return Status(StatusCode::kUnavailable, std::move(m));
}
inline Status ResourceExhaustedError(std::string m) {
  return Status(StatusCode::kResourceExhausted, std::move(m));
}
inline Status PermissionDeniedError(std::string m) {
  return Status(StatusCode::kPermissionDenied, std::move(m));
}
inline Status CancelledError(std::string m) { return Status(StatusCode::kCancelled, std::move(m)); }
inline Status InternalError(std::string m) { return Status(StatusCode::kInternal, std::move(m)); }
inline Status UnauthenticatedError(std::string m) {
  return Status(StatusCode::kUnauthenticated, std::move(m));
}

}  // namespace sei

// Returns early from the enclosing function when `expr` yields a non-ok Status.
#define SEI_RETURN_IF_ERROR(expr)              \
  do {                                         \
    ::sei::Status sei_status_ = (expr);        \
    if (!sei_status_.ok()) return sei_status_; \
  } while (0)
