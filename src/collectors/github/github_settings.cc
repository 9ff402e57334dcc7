#include "collectors/github/github_settings.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace sei::collectors::github {

namespace {

using nlohmann::json;

bool NamePart(std::string_view s) {
  if (s.empty() || s.size() > 100) return false;
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return s != "." && s != "..";
}

void ReadPatterns(const json& p, GithubPatterns* out, std::vector<std::string>* problems) {
  if (!p.is_object()) {
    problems->push_back("patterns: must be an object");
    return;
  }
  auto named = [&](const char* key, std::vector<NamedPattern>* into) {
    if (!p.contains(key)) return;
    const json& list = p[key];
    if (!list.is_array()) {
      problems->push_back(fmt::format("patterns.{}: must be an array of {{name, regex}}", key));
      return;
    }
    into->clear();
    for (size_t i = 0; i < list.size(); ++i) {
      const json& e = list[i];
      if (!e.is_object() || !e.contains("name") || !e["name"].is_string() || !e.contains("regex") ||
          !e["regex"].is_string()) {
        problems->push_back(fmt::format("patterns.{}[{}]: needs a string name and regex", key, i));
        continue;
      }
      into->push_back({e["name"].get<std::string>(), e["regex"].get<std::string>()});
    }
  };
  auto text = [&](const char* key, std::string* into) {
    if (!p.contains(key)) return;
    if (!p[key].is_string()) {
      problems->push_back(fmt::format("patterns.{}: must be a string", key));
      return;
    }
    *into = p[key].get<std::string>();
  };
  named("issue_types", &out->issue_types);
  named("environments", &out->environments);
  text("default_issue_type", &out->default_issue_type);
  text("deployment", &out->deployment);
  text("default_environment", &out->default_environment);
  for (const auto& [k, v] : p.items()) {
    if (k != "issue_types" && k != "environments" && k != "default_issue_type" &&
        k != "deployment" && k != "default_environment") {
      problems->push_back("patterns." + k + ": unknown member");
    }
  }
}

json NamedJson(const std::vector<NamedPattern>& list) {
  json out = json::array();
  for (const NamedPattern& n : list) out.push_back({{"name", n.name}, {"regex", n.regex}});
  return out;
}

bool SameNamed(const std::vector<NamedPattern>& a, const std::vector<NamedPattern>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].name != b[i].name || a[i].regex != b[i].regex) return false;
  }
  return true;
}

}  // namespace

std::optional<std::string> RepoNameProblem(std::string_view full_name) {
  const size_t slash = full_name.find('/');
  if (slash == std::string_view::npos || !NamePart(full_name.substr(0, slash)) ||
      !NamePart(full_name.substr(slash + 1))) {
    return "'" + std::string(full_name) + "' is not OWNER/NAME";
  }
  return std::nullopt;
}

Result<GithubSettings> ParseGithubSettings(std::string_view json_text) {
  GithubSettings s;
  if (json_text.empty()) return s;
  json j = json::parse(json_text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return InvalidArgumentError("the GitHub connection's config is not a JSON object");
  }
  std::vector<std::string> problems;
  for (const auto& [k, v] : j.items()) {
    if (k == "org") {
      if (!v.is_string() || !NamePart(v.get<std::string>())) {
        problems.push_back("org: must be an organisation or user login");
      } else {
        s.org = v.get<std::string>();
      }
    } else if (k == "repos") {
      if (!v.is_array()) {
        problems.push_back("repos: must be an array of OWNER/NAME");
        continue;
      }
      for (size_t i = 0; i < v.size(); ++i) {
        const std::string r = v[i].is_string() ? v[i].get<std::string>() : v[i].dump();
        if (auto p = RepoNameProblem(r)) {
          problems.push_back(fmt::format("repos[{}]: {}", i, *p));
        } else {
          s.repos.push_back(r);
        }
      }
    } else if (k == "interval_seconds" || k == "full_every_seconds") {
      if (!v.is_number_integer() || v.get<int64_t>() < 0) {
        problems.push_back(k + ": must be a whole number of seconds >= 0");
      } else {
        (k == "interval_seconds" ? s.interval_seconds : s.full_every_seconds) = v.get<int64_t>();
      }
    } else if (k == "mirror") {
      if (!v.is_boolean()) {
        problems.push_back("mirror: must be true or false");
      } else {
        s.mirror = v.get<bool>();
      }
    } else if (k == "patterns") {
      ReadPatterns(v, &s.patterns, &problems);
    } else {
      problems.push_back(k + ": unknown member");
    }
  }
  if (problems.empty()) {
    if (auto compiled = CompiledPatterns::Compile(s.patterns); !compiled.ok()) {
      problems.push_back(compiled.status().message());
    }
  }
  if (!problems.empty()) {
    return InvalidArgumentError(
        fmt::format("the GitHub connection's config: {}", fmt::join(problems, "; ")));
  }
  return s;
}

std::string GithubSettingsJson(const GithubSettings& s) {
  json j = json::object();
  if (s.org) j["org"] = *s.org;
  if (!s.repos.empty()) j["repos"] = s.repos;
  j["interval_seconds"] = s.interval_seconds;
  j["full_every_seconds"] = s.full_every_seconds;
  j["mirror"] = s.mirror;
  const GithubPatterns d;
  json p = json::object();
  if (!SameNamed(s.patterns.issue_types, d.issue_types)) {
    p["issue_types"] = NamedJson(s.patterns.issue_types);
  }
  if (!SameNamed(s.patterns.environments, d.environments)) {
    p["environments"] = NamedJson(s.patterns.environments);
  }
  if (s.patterns.default_issue_type != d.default_issue_type) {
    p["default_issue_type"] = s.patterns.default_issue_type;
  }
  if (s.patterns.deployment != d.deployment) p["deployment"] = s.patterns.deployment;
  if (s.patterns.default_environment != d.default_environment) {
    p["default_environment"] = s.patterns.default_environment;
  }
  if (!p.empty()) j["patterns"] = p;
  return j.dump();
}

std::optional<std::string> GithubSettingsProblem(const GithubSettings& s) {
  if (!s.org && s.repos.empty()) {
    return "nothing to sync: give --org ORG or --repo OWNER/NAME (config: \"org\" or \"repos\")";
  }
  if (s.interval_seconds > 0 && s.interval_seconds < 60) {
    return "interval_seconds: at least 60 (or 0: only when asked)";
  }
  return std::nullopt;
}

std::string ApiUrl(const std::optional<std::string>& base_url) {
  std::string u = base_url && !base_url->empty() ? *base_url : std::string(kDefaultApiUrl);
  while (!u.empty() && u.back() == '/') u.pop_back();
  return u;
}

}  // namespace sei::collectors::github
