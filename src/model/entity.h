// Entity reflection: each domain entity lists its fields once, in a static
// Describe() function, and everything generic (SQL upserts, reads, exports,
// the check that the SQL schema matches the model) is derived from that list.
//
// An entity type T provides:
//   static constexpr const char* kTable;        SQL table written to
//   static constexpr const char* kView;         SQL table or view read from
//   static constexpr const char* kEntity;       CLI/API name ("pull-requests")
//   static constexpr const char* kDescription;  one line for --help and docs
//   static constexpr bool kWritable;            false: written by a collector's
//                                               bulk path only (git history)
//   static std::vector<std::string> Key();      upsert conflict target
//   template <class V> static void Describe(V& v) { v("id", &T::id); ... }
//
// Member types supported: std::string, std::optional<std::string>, int64_t,
// std::optional<int64_t>, double, std::optional<double>, bool.
//
// Thread safety: SpecOf<T>() builds its TableSpec once (a function-local
// static) and is thread-safe; the rest are pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/result.h"

namespace sei::model {

enum class ColumnType { kText, kInteger, kReal, kBoolean };

std::string_view ColumnTypeName(ColumnType type);

struct Column {
  std::string name;
  ColumnType type = ColumnType::kText;
  bool nullable = false;
};

// One cell. Booleans are stored as integers 0/1.
using Value = std::variant<std::monostate, int64_t, double, std::string>;
using Row = std::vector<Value>;

struct TableSpec {
  std::string table;
  std::string view;
  std::string entity;
  std::string description;
  bool writable = true;
  std::vector<Column> columns;
  std::vector<std::string> key;

  // Index of column `name`, or -1.
  int ColumnIndex(std::string_view name) const;
};

namespace internal {

template <class M>
struct FieldTraits;

template <>
struct FieldTraits<std::string> {
  static constexpr ColumnType kType = ColumnType::kText;
  static constexpr bool kNullable = false;
  static Value ToValue(const std::string& v) { return v; }
  static bool FromValue(const Value& v, std::string* out) {
    if (const auto* s = std::get_if<std::string>(&v)) {
      *out = *s;
      return true;
    }
    if (std::holds_alternative<std::monostate>(v)) {
      out->clear();
      return true;
    }
    return false;
  }
};

template <>
struct FieldTraits<int64_t> {
  static constexpr ColumnType kType = ColumnType::kInteger;
  static constexpr bool kNullable = false;
  static Value ToValue(int64_t v) { return v; }
  static bool FromValue(const Value& v, int64_t* out) {
    if (const auto* i = std::get_if<int64_t>(&v)) {
      *out = *i;
      return true;
    }
    return false;
  }
};

template <>
struct FieldTraits<double> {
  static constexpr ColumnType kType = ColumnType::kReal;
  static constexpr bool kNullable = false;
  static Value ToValue(double v) { return v; }
  static bool FromValue(const Value& v, double* out) {
    if (const auto* d = std::get_if<double>(&v)) {
      *out = *d;
      return true;
    }
    if (const auto* i = std::get_if<int64_t>(&v)) {
      *out = static_cast<double>(*i);
      return true;
    }
    return false;
  }
};

template <>
struct FieldTraits<bool> {
  static constexpr ColumnType kType = ColumnType::kBoolean;
  static constexpr bool kNullable = false;
  static Value ToValue(bool v) { return static_cast<int64_t>(v ? 1 : 0); }
  static bool FromValue(const Value& v, bool* out) {
    if (const auto* i = std::get_if<int64_t>(&v)) {
      *out = *i != 0;
      return true;
    }
    return false;
  }
};

template <class M>
struct FieldTraits<std::optional<M>> {
  static constexpr ColumnType kType = FieldTraits<M>::kType;
  static constexpr bool kNullable = true;
  static Value ToValue(const std::optional<M>& v) {
    return v ? FieldTraits<M>::ToValue(*v) : Value{};
  }
  static bool FromValue(const Value& v, std::optional<M>* out) {
    if (std::holds_alternative<std::monostate>(v)) {
      out->reset();
      return true;
    }
    M m{};
    if (!FieldTraits<M>::FromValue(v, &m)) return false;
    *out = std::move(m);
    return true;
  }
};

template <class T>
struct SpecBuilder {
  TableSpec* spec;
  template <class M>
  void operator()(const char* name, M T::*) {
    spec->columns.push_back({name, FieldTraits<M>::kType, FieldTraits<M>::kNullable});
  }
};

template <class T>
struct RowWriter {
  const T* obj;
  Row* row;
  template <class M>
  void operator()(const char*, M T::*member) {
    row->push_back(FieldTraits<M>::ToValue(obj->*member));
  }
};

template <class T>
struct RowReader {
  const Row* row;
  T* obj;
  size_t index = 0;
  const char* bad_column = nullptr;
  template <class M>
  void operator()(const char* name, M T::*member) {
    if (bad_column != nullptr) return;
    if (index >= row->size() || !FieldTraits<M>::FromValue((*row)[index], &(obj->*member))) {
      bad_column = name;
    }
    ++index;
  }
};

}  // namespace internal

template <class T>
const TableSpec& SpecOf() {
  static const TableSpec spec = [] {
    TableSpec s;
    s.table = T::kTable;
    s.view = T::kView;
    s.entity = T::kEntity;
    s.description = T::kDescription;
    s.writable = T::kWritable;
    s.key = T::Key();
    internal::SpecBuilder<T> builder{&s};
    T::Describe(builder);
    return s;
  }();
  return spec;
}

template <class T>
Row ToRow(const T& obj) {
  Row row;
  row.reserve(SpecOf<T>().columns.size());
  internal::RowWriter<T> writer{&obj, &row};
  T::Describe(writer);
  return row;
}

// Converts a row whose cells follow SpecOf<T>().columns back into T.
template <class T>
Result<T> FromRow(const Row& row) {
  T obj{};
  internal::RowReader<T> reader{&row, &obj};
  T::Describe(reader);
  if (reader.bad_column != nullptr) {
    return InternalError(std::string("column ") + reader.bad_column + " of " + T::kTable +
                         " has an unexpected type");
  }
  return obj;
}

// Human-readable text of a cell ("" for NULL).
std::string ValueToString(const Value& value);

}  // namespace sei::model
