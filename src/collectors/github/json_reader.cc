#include "collectors/github/json_reader.h"

#include <fmt/format.h>

#include <cctype>

#include "common/time.h"

namespace sei::collectors::github {
namespace {

using simdjson::dom::element_type;

std::string_view TypeName(element_type t) {
  switch (t) {
    case element_type::ARRAY:
      return "an array";
    case element_type::OBJECT:
      return "an object";
    case element_type::INT64:
    case element_type::UINT64:
      return "an integer";
    case element_type::DOUBLE:
      return "a number";
    case element_type::STRING:
      return "a string";
    case element_type::BOOL:
      return "a boolean";
    case element_type::NULL_VALUE:
      return "null";
  }
  return "a value";
}

}  // namespace

Result<JsonElement> ParseBody(std::string_view body, std::string_view kind, int slot) {
  thread_local simdjson::dom::parser parsers[2];
  JsonElement e;
  const simdjson::error_code err =
      parsers[slot == 1 ? 1 : 0].parse(body.data(), body.size(), true).get(e);
  if (err != simdjson::SUCCESS) {
    return InvalidArgumentError(
        fmt::format("{}: the body is not valid JSON: {}", kind, simdjson::error_message(err)));
  }
  return e;
}

void Problems::Add(std::string path, std::string_view reason) {
  list_.push_back(path.empty() ? std::string(reason) : path + ": " + std::string(reason));
}

Status Problems::ToStatus(std::string_view kind) const {
  if (list_.empty()) return Status::Ok();
  std::string message(kind);
  for (size_t i = 0; i < list_.size(); ++i) message += (i == 0 ? " " : "; ") + list_[i];
  return InvalidArgumentError(std::move(message));
}

ObjectReader::ObjectReader(JsonElement e, std::string path, Problems* problems)
    : path_(std::move(path)), problems_(problems) {
  valid_ = e.get_object().get(object_) == simdjson::SUCCESS;
  if (!valid_) {
    problems_->Add(path_, fmt::format("must be an object (it is {})", TypeName(e.type())));
  }
}

std::string ObjectReader::PathOf(std::string_view key) const {
  if (path_.empty()) return std::string(key);
  return path_ + "." + std::string(key);
}

void ObjectReader::Error(std::string_view key, std::string_view reason) const {
  problems_->Add(PathOf(key), reason);
}

std::optional<JsonElement> ObjectReader::Get(std::string_view key) const {
  if (!valid_) return std::nullopt;
  JsonElement e;
  if (object_.at_key(key).get(e) != simdjson::SUCCESS || e.is_null()) return std::nullopt;
  return e;
}

std::optional<JsonElement> ObjectReader::Require(std::string_view key, bool required) const {
  std::optional<JsonElement> e = Get(key);
  if (!e && required && valid_) Error(key, "is required");
  return e;
}

std::optional<std::string> ObjectReader::Str(std::string_view key, bool required) const {
  std::optional<JsonElement> e = Require(key, required);
  if (!e) return std::nullopt;
  std::string_view s;
  if (e->get_string().get(s) != simdjson::SUCCESS) {
    Error(key, fmt::format("must be a string (it is {})", TypeName(e->type())));
    return std::nullopt;
  }
  return std::string(s);
}

std::optional<int64_t> ObjectReader::Int(std::string_view key, bool required) const {
  std::optional<JsonElement> e = Require(key, required);
  if (!e) return std::nullopt;
  int64_t n = 0;
  if (e->get_int64().get(n) != simdjson::SUCCESS) {
    Error(key, fmt::format("must be an integer (it is {})", TypeName(e->type())));
    return std::nullopt;
  }
  return n;
}

std::optional<bool> ObjectReader::Bool(std::string_view key) const {
  std::optional<JsonElement> e = Get(key);
  if (!e) return std::nullopt;
  bool b = false;
  if (e->get_bool().get(b) != simdjson::SUCCESS) {
    Error(key, fmt::format("must be true or false (it is {})", TypeName(e->type())));
    return std::nullopt;
  }
  return b;
}

std::optional<int64_t> ObjectReader::Time(std::string_view key, bool required) const {
  std::optional<JsonElement> e = Require(key, required);
  if (!e) return std::nullopt;
  int64_t epoch = 0;
  if (e->get_int64().get(epoch) == simdjson::SUCCESS) return epoch;
  std::string_view s;
  if (e->get_string().get(s) != simdjson::SUCCESS) {
    Error(key, fmt::format("must be a timestamp string (it is {})", TypeName(e->type())));
    return std::nullopt;
  }
  Result<Timestamp> t = ParseTimestamp(s);
  if (!t.ok()) {
    Error(key, "must be a timestamp such as 2019-05-15T15:20:55Z (" + t.status().message() + ")");
    return std::nullopt;
  }
  return t->unix_seconds;
}

std::optional<ObjectReader> ObjectReader::Obj(std::string_view key, bool required) const {
  std::optional<JsonElement> e = Require(key, required);
  if (!e) return std::nullopt;
  ObjectReader r(*e, PathOf(key), problems_);
  if (!r.valid()) return std::nullopt;
  return r;
}

std::optional<simdjson::dom::array> ObjectReader::Arr(std::string_view key, bool required) const {
  std::optional<JsonElement> e = Require(key, required);
  if (!e) return std::nullopt;
  simdjson::dom::array a;
  if (e->get_array().get(a) != simdjson::SUCCESS) {
    Error(key, fmt::format("must be an array (it is {})", TypeName(e->type())));
    return std::nullopt;
  }
  return a;
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string JsonQuote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      out += fmt::format("\\u{:04x}", u);
    } else {
      out += c;
    }
  }
  out += '"';
  return out;
}

std::string_view LastSegment(std::string_view url) {
  const size_t slash = url.rfind('/');
  return slash == std::string_view::npos ? url : url.substr(slash + 1);
}

std::string RepoFromApiUrl(std::string_view url) {
  const size_t at = url.find("/repos/");
  if (at == std::string_view::npos) return "";
  std::string_view rest = url.substr(at + 7);
  const size_t owner_end = rest.find('/');
  if (owner_end == std::string_view::npos) return "";
  const size_t repo_end = rest.find('/', owner_end + 1);
  return std::string(rest.substr(0, repo_end));
}

}  // namespace sei::collectors::github
