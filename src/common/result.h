// Result<T>: a value or the Status that explains why there is none, modelled
// on abseil's StatusOr (GCC 12 has no std::expected).
//
// Thread safety: a Result is a value; distinct objects may be used from
// distinct threads freely.
#pragma once

#include <cassert>
#include <optional>
#include <utility>

#include "common/status.h"

namespace sei {

template <typename T>
class [[nodiscard]] Result {
 public:
  // Implicit on purpose, so `return value;` and `return SomeError(...);` work.
  Result(T value) : value_(std::move(value)) {}  // NOLINT(runtime/explicit)
  Result(Status status) : status_(std::move(status)) {  // NOLINT(runtime/explicit)
    assert(!status_.ok() && "a Result built from a Status needs an error");
    if (status_.ok()) status_ = InternalError("Result constructed from an ok Status");
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }

  T& value() & {
    assert(ok());
    return *value_;
  }
  const T& value() const& {
    assert(ok());
    return *value_;
  }
  T&& value() && {
    assert(ok());
    return std::move(*value_);
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace sei

#define SEI_CONCAT_INNER_(a, b) a##b
#define SEI_CONCAT_(a, b) SEI_CONCAT_INNER_(a, b)

// SEI_ASSIGN_OR_RETURN(auto x, MakeX()); declares x from the Result's value or
// returns its Status from the enclosing function.
#define SEI_ASSIGN_OR_RETURN(lhs, expr) \
  SEI_ASSIGN_OR_RETURN_IMPL_(SEI_CONCAT_(sei_result_, __LINE__), lhs, expr)
#define SEI_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                               \
  if (!tmp.ok()) return tmp.status();              \
  lhs = std::move(tmp).value()
