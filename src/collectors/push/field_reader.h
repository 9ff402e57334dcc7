// FieldReader: reads the fields of one JSON object of a pushed body and
// records every problem instead of stopping at the first, so a 400 lists all
// invalid fields at once. Each getter marks its key as known; Finish()
// reports the keys nobody asked for as unknown fields.
//
// Internal to src/collectors/push (nlohmann::json does not leave the folder).
//
// Thread safety: one thread; owns nothing shared.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/push/push_item.h"

namespace sei::collectors::push {

inline constexpr size_t kMaxString = 1024;
inline constexpr size_t kMaxUrl = 2048;
inline constexpr size_t kMaxCommits = 10000;

class FieldReader {
 public:
  // `prefix` is prepended to every field path ("commit_range." for a nested
  // object); `errors` collects the problems.
  FieldReader(const nlohmann::json& object, std::string prefix, std::vector<FieldError>* errors)
      : object_(object), prefix_(std::move(prefix)), errors_(errors) {}

  // A string of at most `max` bytes; required ones must be non-empty.
  std::optional<std::string> String(std::string_view key, bool required, size_t max = kMaxString);
  // One of `values`; nullopt when absent or invalid.
  std::optional<std::string> Enum(std::string_view key, bool required,
                                  std::initializer_list<std::string_view> values);
  // An RFC 3339 timestamp with a zone, as Unix seconds.
  std::optional<int64_t> Time(std::string_view key, bool required);
  // A commit SHA: 7..64 hex digits, returned in lowercase.
  std::optional<std::string> Sha(std::string_view key, bool required);
  std::optional<int64_t> Int(std::string_view key, bool required, int64_t min, int64_t max);
  std::optional<double> Number(std::string_view key, double min, double max);
  std::optional<bool> Bool(std::string_view key);
  // A JSON array of strings (labels), stored as its compact JSON text.
  std::optional<std::string> StringArrayJson(std::string_view key);
  // The member `key` when present (and marks it known); nullptr otherwise.
  const nlohmann::json* Member(std::string_view key);

  // Reports every member no getter asked for as "unknown field".
  void Finish();

  void Error(std::string_view key, std::string reason);
  std::string Path(std::string_view key) const { return prefix_ + std::string(key); }

  // Checks a SHA string; the reason when it is not one.
  static std::optional<std::string> ShaProblem(std::string_view sha);
  static std::string LowerHex(std::string_view sha);

 private:
  const nlohmann::json* Get(std::string_view key, bool required);

  const nlohmann::json& object_;
  std::string prefix_;
  std::vector<FieldError>* errors_;
  std::set<std::string, std::less<>> known_;
};

}  // namespace sei::collectors::push
