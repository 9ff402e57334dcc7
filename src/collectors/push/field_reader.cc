#include "collectors/push/field_reader.h"

#include <fmt/format.h>
#include <cctype>

#include "common/time.h"

namespace sei::collectors::push {
namespace {

constexpr const char* kTimeReason = "must be an RFC 3339 timestamp such as 2026-01-31T12:00:00Z";

std::string OneOf(std::initializer_list<std::string_view> values) {
  std::string s = "must be one of ";
  bool first = true;
  for (std::string_view v : values) {
    if (!first) s += ", ";
    s += v;
    first = false;
  }
  return s;
}

// RFC 3339's shape: "YYYY-MM-DDTHH:MM:SS[.frac](Z|+hh:mm)"; ParseTimestamp
// accepts more (epoch numbers, spaces, no zone), which the push API does not.
bool LooksRfc3339(std::string_view s) {
  if (s.size() < 20) return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18}) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  if (s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') || s[13] != ':' ||
      s[16] != ':') {
    return false;
  }
  const char last = s.back();
  return last == 'Z' || last == 'z' || (s.size() >= 25 && s[s.size() - 3] == ':');
}

}  // namespace

void FieldReader::Error(std::string_view key, std::string reason) {
  errors_->push_back({Path(key), std::move(reason)});
}

const nlohmann::json* FieldReader::Member(std::string_view key) {
  known_.emplace(key);
  auto it = object_.find(key);
  if (it == object_.end()) return nullptr;
  return &*it;
}

const nlohmann::json* FieldReader::Get(std::string_view key, bool required) {
  const nlohmann::json* v = Member(key);
  if (v == nullptr || v->is_null()) {
    if (required) Error(key, "is required");
    return nullptr;
  }
  return v;
}

std::optional<std::string> FieldReader::String(std::string_view key, bool required, size_t max) {
  const nlohmann::json* v = Get(key, required);
  if (v == nullptr) return std::nullopt;
  if (!v->is_string()) {
    Error(key, "must be a string");
    return std::nullopt;
  }
  const std::string& s = v->get_ref<const std::string&>();
  if (s.size() > max) {
    Error(key, fmt::format("must be at most {} bytes long (it is {})", max, s.size()));
    return std::nullopt;
  }
  if (required && s.empty()) {
    Error(key, "must not be empty");
    return std::nullopt;
  }
  return s;
}

std::optional<std::string> FieldReader::Enum(std::string_view key, bool required,
                                             std::initializer_list<std::string_view> values) {
  std::optional<std::string> s = String(key, required);
  if (!s) return std::nullopt;
  for (std::string_view v : values) {
    if (*s == v) return s;
  }
  Error(key, OneOf(values) + fmt::format(" (got \"{}\")", *s));
  return std::nullopt;
}

std::optional<int64_t> FieldReader::Time(std::string_view key, bool required) {
  const nlohmann::json* v = Get(key, required);
  if (v == nullptr) return std::nullopt;
  if (!v->is_string() || !LooksRfc3339(v->get_ref<const std::string&>())) {
    Error(key, kTimeReason);
    return std::nullopt;
  }
  Result<Timestamp> t = ParseTimestamp(v->get_ref<const std::string&>());
  if (!t.ok()) {
    Error(key, std::string(kTimeReason) + " (" + t.status().message() + ")");
    return std::nullopt;
  }
  return t->unix_seconds;
}

std::optional<std::string> FieldReader::ShaProblem(std::string_view sha) {
  if (sha.size() < 7 || sha.size() > 64) {
    return fmt::format("must be a commit SHA of 7 to 64 hex digits (it has {} characters)",
                       sha.size());
  }
  for (char c : sha) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) {
      return "must be a commit SHA of 7 to 64 hex digits (0-9, a-f)";
    }
  }
  return std::nullopt;
}

std::string FieldReader::LowerHex(std::string_view sha) {
  std::string out(sha);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::optional<std::string> FieldReader::Sha(std::string_view key, bool required) {
  const nlohmann::json* v = Get(key, required);
  if (v == nullptr) return std::nullopt;
  if (!v->is_string()) {
    Error(key, "must be a string holding a commit SHA");
    return std::nullopt;
  }
  const std::string& s = v->get_ref<const std::string&>();
  if (std::optional<std::string> problem = ShaProblem(s)) {
    Error(key, *problem);
    return std::nullopt;
  }
  return LowerHex(s);
}

std::optional<int64_t> FieldReader::Int(std::string_view key, bool required, int64_t min,
                                        int64_t max) {
  const nlohmann::json* v = Get(key, required);
  if (v == nullptr) return std::nullopt;
  if (!v->is_number_integer()) {
    Error(key, "must be a whole number");
    return std::nullopt;
  }
  if (v->is_number_unsigned() && v->get<uint64_t>() > static_cast<uint64_t>(max)) {
    Error(key, fmt::format("must be between {} and {}", min, max));
    return std::nullopt;
  }
  const int64_t n = v->get<int64_t>();
  if (n < min || n > max) {
    Error(key, fmt::format("must be between {} and {}", min, max));
    return std::nullopt;
  }
  return n;
}

std::optional<double> FieldReader::Number(std::string_view key, double min, double max) {
  const nlohmann::json* v = Get(key, false);
  if (v == nullptr) return std::nullopt;
  if (!v->is_number() || v->get<double>() < min || v->get<double>() > max) {
    Error(key, fmt::format("must be a number between {} and {}", min, max));
    return std::nullopt;
  }
  return v->get<double>();
}

std::optional<bool> FieldReader::Bool(std::string_view key) {
  const nlohmann::json* v = Get(key, false);
  if (v == nullptr) return std::nullopt;
  if (!v->is_boolean()) {
    Error(key, "must be true or false");
    return std::nullopt;
  }
  return v->get<bool>();
}

std::optional<std::string> FieldReader::StringArrayJson(std::string_view key) {
  const nlohmann::json* v = Get(key, false);
  if (v == nullptr) return std::nullopt;
  bool ok = v->is_array() && v->size() <= 100;
  if (ok) {
    for (const nlohmann::json& e : *v) {
      ok = ok && e.is_string() && e.get_ref<const std::string&>().size() <= kMaxString;
    }
  }
  if (!ok) {
    Error(key, "must be an array of at most 100 strings");
    return std::nullopt;
  }
  return v->dump();
}

void FieldReader::Finish() {
  for (auto it = object_.begin(); it != object_.end(); ++it) {
    if (known_.find(it.key()) == known_.end()) Error(it.key(), "unknown field");
  }
}

}  // namespace sei::collectors::push
