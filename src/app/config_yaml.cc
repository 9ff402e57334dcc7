#include "app/config_yaml.h"

#include <fmt/format.h>

#include <filesystem>

#include "common/time.h"

namespace sei::app::config_yaml {

namespace {

std::string Shown(const YAML::Node& node) {
  if (node.IsScalar()) return "'" + node.Scalar() + "'";
  if (node.IsSequence()) return "a list";
  if (node.IsMap()) return "a mapping";
  return "nothing";
}

Status WrongType(const Config& c, const YAML::Node& node, std::string_view key,
                 std::string_view expected) {
  return InvalidArgumentError(fmt::format("{}: wrong type for {}: expected {}, got {}",
                                          Where(c, node), key, expected, Shown(node)));
}

}  // namespace

std::string Where(const Config& c, const YAML::Node& node) {
  return fmt::format("{}:{}", c.file, node.Mark().line + 1);
}

Status CheckKeys(const Config& c, const YAML::Node& node, std::string_view what,
                 const std::set<std::string>& allowed) {
  if (!node.IsMap()) {
    return InvalidArgumentError(fmt::format("{}: {} must be a mapping", Where(c, node), what));
  }
  for (const auto& kv : node) {
    std::string key = kv.first.as<std::string>();
    if (allowed.count(key) == 0) {
      std::string expected;
      for (const std::string& a : allowed) expected += (expected.empty() ? "" : ", ") + a;
      return InvalidArgumentError(fmt::format("{}: unknown key '{}' in {} (expected one of: {})",
                                              Where(c, kv.first), key, what, expected));
    }
  }
  return Status::Ok();
}

Result<std::string> String(const Config& c, const YAML::Node& node, std::string_view key) {
  if (!node.IsScalar()) return WrongType(c, node, key, "text");
  return node.Scalar();
}

Result<int64_t> Int(const Config& c, const YAML::Node& node, std::string_view key, int64_t min,
                    int64_t max) {
  int64_t v = 0;
  if (!node.IsScalar() || !YAML::convert<int64_t>::decode(node, v)) {
    return WrongType(c, node, key, "an integer");
  }
  if (v < min || v > max) {
    return InvalidArgumentError(
        fmt::format("{}: {} must be between {} and {}, got {}", Where(c, node), key, min, max, v));
  }
  return v;
}

Result<double> Number(const Config& c, const YAML::Node& node, std::string_view key, double min,
                      double max) {
  double v = 0;
  if (!node.IsScalar() || !YAML::convert<double>::decode(node, v)) {
    return WrongType(c, node, key, "a number");
  }
  if (!(v >= min && v <= max)) {
    return InvalidArgumentError(
        fmt::format("{}: {} must be between {} and {}, got {}", Where(c, node), key, min, max, v));
  }
  return v;
}

Result<bool> Bool(const Config& c, const YAML::Node& node, std::string_view key) {
  bool v = false;
  if (!node.IsScalar() || !YAML::convert<bool>::decode(node, v)) {
    return WrongType(c, node, key, "true or false");
  }
  return v;
}

Result<std::vector<std::string>> Strings(const Config& c, const YAML::Node& node,
                                         std::string_view key) {
  if (!node.IsSequence()) return WrongType(c, node, key, "a list of text, like [a, b]");
  std::vector<std::string> out;
  for (const YAML::Node& item : node) {
    if (!item.IsScalar()) return WrongType(c, item, std::string(key) + " items", "text");
    out.push_back(item.Scalar());
  }
  return out;
}

Result<int64_t> Instant(const Config& c, const YAML::Node& node, std::string_view key,
                        bool end_of_day) {
  if (!node.IsScalar()) return WrongType(c, node, key, "a date like 2024-01-31");
  const std::string& text = node.Scalar();
  Result<Timestamp> t = ParseTimestamp(text);
  if (!t.ok()) {
    return InvalidArgumentError(
        fmt::format("{}: {} must be a date like 2024-01-31 or an RFC 3339 time, got '{}'",
                    Where(c, node), key, text));
  }
  const bool date_only = text.size() == 10 && text[4] == '-' && text[7] == '-';
  return t->unix_seconds + (date_only && end_of_day ? 86400 : 0);
}

std::string ResolvePath(const Config& c, const std::string& p) {
  namespace fs = std::filesystem;
  if (p.find("://") != std::string::npos || fs::path(p).is_absolute()) return p;
  return (fs::path(c.file).parent_path() / p).lexically_normal().string();
}

}  // namespace sei::app::config_yaml
