// ObjectReader: typed, path-aware reads of one JSON object parsed by
// simdjson's DOM API, recording every problem (missing required key, wrong
// type, malformed timestamp) with its field path instead of stopping, so an
// item's error names each bad field. simdjson is used through its error-code
// API only: nothing here throws.
//
// Internal to src/collectors/github (simdjson does not leave the folder).
// Why simdjson: converting the fixtures' pull requests parses ~30x faster
// than nlohmann::json (docs/benchmarks.md, "GitHub conversion").
//
// Thread safety: one thread; ParseBody uses a thread-local parser, and the
// elements it returns are valid until that thread's next ParseBody.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace sei::collectors::github {

using JsonElement = simdjson::dom::element;

// Parses `body` with this thread's parser number `slot` (0 or 1: two
// documents alive at once). InvalidArgument naming `kind` when it is not JSON.
Result<JsonElement> ParseBody(std::string_view body, std::string_view kind, int slot = 0);

// Problems of one item: "path: reason" each.
class Problems {
 public:
  void Add(std::string path, std::string_view reason);
  bool empty() const { return list_.empty(); }
  // InvalidArgument: "<kind> <first path>: <reason>; <path>: <reason> ...".
  Status ToStatus(std::string_view kind) const;

 private:
  std::vector<std::string> list_;
};

class ObjectReader {
 public:
  // Records a problem at `path` when `e` is not an object (reads then find
  // nothing).
  ObjectReader(JsonElement e, std::string path, Problems* problems);

  bool valid() const { return valid_; }
  const std::string& path() const { return path_; }
  Problems* problems() const { return problems_; }

  // The member `key` when present and not null.
  std::optional<JsonElement> Get(std::string_view key) const;
  bool Has(std::string_view key) const { return Get(key).has_value(); }

  std::optional<std::string> Str(std::string_view key, bool required) const;
  std::optional<int64_t> Int(std::string_view key, bool required) const;
  std::optional<bool> Bool(std::string_view key) const;
  // A timestamp string in any shape common/time.h parses, or epoch seconds
  // as a JSON integer (push webhooks' repository.created_at), as Unix seconds.
  std::optional<int64_t> Time(std::string_view key, bool required) const;
  // A nested object; nullopt (and a problem when required) when absent.
  std::optional<ObjectReader> Obj(std::string_view key, bool required) const;
  std::optional<simdjson::dom::array> Arr(std::string_view key, bool required) const;

  void Error(std::string_view key, std::string_view reason) const;
  std::string PathOf(std::string_view key) const;

 private:
  std::optional<JsonElement> Require(std::string_view key, bool required) const;

  simdjson::dom::object object_;
  std::string path_;
  Problems* problems_;
  bool valid_ = false;
};

// `s` with ASCII letters in lower case (enum values: "APPROVED" -> "approved").
std::string AsciiLower(std::string_view s);
// A JSON string's text as a JSON string literal (quoted and escaped).
std::string JsonQuote(std::string_view s);
// The last path segment of a URL ("https://.../pulls/41" -> "41") and the
// "owner/repo" after "/repos/" in a GitHub API URL ("" when absent).
std::string_view LastSegment(std::string_view url);
std::string RepoFromApiUrl(std::string_view url);

}  // namespace sei::collectors::github
