#include "app/config.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "app/config_yaml.h"
#include "auth/connection_service.h"
#include "collectors/github/github_settings.h"

namespace sei::app {

namespace fs = std::filesystem;

namespace {

using config_yaml::CheckKeys;
using config_yaml::ResolvePath;
using config_yaml::Where;

Status ParseGitSources(Config* c, const YAML::Node& list) {
  if (!list.IsSequence()) {
    return InvalidArgumentError(fmt::format(
        "{}: sources.git must be a list of {{path: ...}} or {{url: ...}}", Where(*c, list)));
  }
  for (const YAML::Node& item : list) {
    SEI_RETURN_IF_ERROR(CheckKeys(*c, item, "a git source", {"path", "url", "name"}));
    GitSourceConfig src;
    if (item["path"] && item["url"]) {
      return InvalidArgumentError(
          fmt::format("{}: a git source has either path or url, not both", Where(*c, item)));
    }
    if (item["path"]) {
      SEI_ASSIGN_OR_RETURN(std::string path, config_yaml::String(*c, item["path"], "path"));
      src.location = ResolvePath(*c, path);
    } else if (item["url"]) {
      SEI_ASSIGN_OR_RETURN(src.location, config_yaml::String(*c, item["url"], "url"));
    } else {
      return InvalidArgumentError(
          fmt::format("{}: a git source needs a path or a url", Where(*c, item)));
    }
    if (item["name"]) {
      SEI_ASSIGN_OR_RETURN(src.name, config_yaml::String(*c, item["name"], "name"));
    }
    c->git_sources.push_back(std::move(src));
  }
  return Status::Ok();
}

// A YAML value as JSON: maps, lists, and scalars (true/false and integers
// as such; the rest strings).
nlohmann::json ToJson(const YAML::Node& n) {
  if (n.IsMap()) {
    nlohmann::json j = nlohmann::json::object();
    for (const auto& kv : n) j[kv.first.as<std::string>()] = ToJson(kv.second);
    return j;
  }
  if (n.IsSequence()) {
    nlohmann::json j = nlohmann::json::array();
    for (const YAML::Node& x : n) j.push_back(ToJson(x));
    return j;
  }
  if (!n.IsScalar()) return nullptr;
  const std::string v = n.Scalar();
  if (n.Tag() != "!") {  // unquoted
    if (v == "true") return true;
    if (v == "false") return false;
    if (!v.empty() && v.find_first_not_of("0123456789") == std::string::npos && v.size() < 19) {
      return std::stoll(v);
    }
  }
  return v;
}

Status ParseGithubSources(Config* c, const YAML::Node& list) {
  if (!list.IsSequence()) {
    return InvalidArgumentError(
        fmt::format("{}: sources.github must be a list of {{name: ..., org: ... | repos: [...]}}",
                    Where(*c, list)));
  }
  for (const YAML::Node& item : list) {
    SEI_RETURN_IF_ERROR(
        CheckKeys(*c, item, "a github source",
                  {"name", "org", "repos", "base_url", "token_env", "interval_seconds",
                   "full_every_seconds", "mirror", "patterns"}));
    GithubSourceConfig src;
    src.where = Where(*c, item);
    nlohmann::json settings = nlohmann::json::object();
    for (const char* key :
         {"org", "repos", "interval_seconds", "full_every_seconds", "mirror", "patterns"}) {
      if (item[key]) settings[key] = ToJson(item[key]);
    }
    auto parsed = collectors::github::ParseGithubSettings(settings.dump());
    if (!parsed.ok()) {
      return InvalidArgumentError(
          fmt::format("{}: sources.github: {}", src.where, parsed.status().message()));
    }
    if (auto p = collectors::github::GithubSettingsProblem(*parsed)) {
      return InvalidArgumentError(fmt::format("{}: sources.github: {}", src.where, *p));
    }
    src.settings_json = collectors::github::GithubSettingsJson(*parsed);
    if (item["name"]) {
      SEI_ASSIGN_OR_RETURN(src.name, config_yaml::String(*c, item["name"], "name"));
    } else if (parsed->org) {
      src.name = *parsed->org;
      std::transform(src.name.begin(), src.name.end(), src.name.begin(),
                     [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    } else {
      return InvalidArgumentError(
          fmt::format("{}: a github source with repos and no org needs a name (its connection is "
                      "github:<name>)",
                      src.where));
    }
    if (auto p = auth::ConnectionService::NameProblem(src.name)) {
      return InvalidArgumentError(fmt::format("{}: sources.github name: {}", src.where, *p));
    }
    for (const GithubSourceConfig& other : c->github_sources) {
      if (other.name == src.name) {
        return InvalidArgumentError(
            fmt::format("{}: a second github source named '{}' (the first is at {})", src.where,
                        src.name, other.where));
      }
    }
    if (item["base_url"]) {
      SEI_ASSIGN_OR_RETURN(src.base_url, config_yaml::String(*c, item["base_url"], "base_url"));
      if (src.base_url->rfind("https://", 0) != 0 && src.base_url->rfind("http://", 0) != 0) {
        return InvalidArgumentError(
            fmt::format("{}: base_url must be an http:// or https:// URL (GitHub Enterprise: "
                        "https://HOST/api/v3)",
                        src.where));
      }
    }
    if (item["token_env"]) {
      SEI_ASSIGN_OR_RETURN(src.token_env, config_yaml::String(*c, item["token_env"], "token_env"));
    }
    c->github_sources.push_back(std::move(src));
  }
  return Status::Ok();
}

Status ParseSettings(Config* c, const YAML::Node& settings) {
  SEI_RETURN_IF_ERROR(CheckKeys(*c, settings, "settings", {"jobs", "renames", "include_remotes"}));
  if (settings["jobs"]) {
    SEI_ASSIGN_OR_RETURN(int64_t jobs,
                         config_yaml::Int(*c, settings["jobs"], "settings.jobs", 0, 256));
    c->jobs = static_cast<int>(jobs);
  }
  if (settings["renames"]) {
    SEI_ASSIGN_OR_RETURN(c->renames,
                         config_yaml::Bool(*c, settings["renames"], "settings.renames"));
  }
  if (settings["include_remotes"]) {
    SEI_ASSIGN_OR_RETURN(c->include_remotes, config_yaml::Bool(*c, settings["include_remotes"],
                                                               "settings.include_remotes"));
  }
  return Status::Ok();
}

Status ParseRoot(Config* c, const YAML::Node& root) {
  if (root.IsNull()) return Status::Ok();  // an empty file is a valid, empty config
  SEI_RETURN_IF_ERROR(CheckKeys(*c, root, "the top level",
                                {"db", "data_dir", "sources", "teams", "projects", "metrics",
                                 "identity", "access", "settings"}));
  if (root["db"]) {
    SEI_ASSIGN_OR_RETURN(std::string db, config_yaml::String(*c, root["db"], "db"));
    c->db = ResolvePath(*c, db);
  }
  if (root["data_dir"]) {
    SEI_ASSIGN_OR_RETURN(std::string dir, config_yaml::String(*c, root["data_dir"], "data_dir"));
    c->data_dir = ResolvePath(*c, dir);
  }
  if (const YAML::Node sources = root["sources"]) {
    SEI_RETURN_IF_ERROR(CheckKeys(*c, sources, "sources", {"git", "github"}));
    if (sources["git"]) SEI_RETURN_IF_ERROR(ParseGitSources(c, sources["git"]));
    if (sources["github"]) SEI_RETURN_IF_ERROR(ParseGithubSources(c, sources["github"]));
  }
  SEI_RETURN_IF_ERROR(config_yaml::ParseOrg(c, root));
  if (root["metrics"]) SEI_RETURN_IF_ERROR(config_yaml::ParseMetrics(c, root["metrics"]));
  if (root["identity"]) SEI_RETURN_IF_ERROR(config_yaml::ParseIdentity(c, root["identity"]));
  c->identity.bot_pattern = c->metrics.bot_pattern;
  if (const YAML::Node access = root["access"]) {
    SEI_RETURN_IF_ERROR(CheckKeys(*c, access, "access", {"individual_metrics"}));
    if (access["individual_metrics"]) {
      SEI_ASSIGN_OR_RETURN(
          c->individual_metrics,
          config_yaml::Bool(*c, access["individual_metrics"], "access.individual_metrics"));
    }
  }
  if (root["settings"]) SEI_RETURN_IF_ERROR(ParseSettings(c, root["settings"]));
  return Status::Ok();
}

}  // namespace

Result<Config> LoadConfig(const std::string& path) {
  Config c;
  c.file = path;
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    return NotFoundError(fmt::format("config file {} does not exist or is not a file", path));
  }
  try {
    YAML::Node root = YAML::LoadFile(path);
    SEI_RETURN_IF_ERROR(ParseRoot(&c, root));
  } catch (const YAML::BadConversion& e) {
    return InvalidArgumentError(fmt::format("{}:{}: wrong type: {}", path, e.mark.line + 1, e.msg));
  } catch (const YAML::Exception& e) {
    return InvalidArgumentError(
        fmt::format("{}:{}: invalid YAML: {}", path, e.mark.line + 1, e.msg));
  }
  return c;
}

Result<std::string> FindConfigFile(const std::string& flag) {
  if (!flag.empty()) {
    std::error_code ec;
    if (!fs::exists(flag, ec)) {
      return NotFoundError(fmt::format("config file {} does not exist", flag));
    }
    return flag;
  }
  if (const char* env = std::getenv("SEI_CONFIG"); env != nullptr && *env != '\0') {
    return std::string(env);
  }
  std::error_code ec;
  if (fs::exists("sei.yaml", ec)) return std::string("sei.yaml");
  return std::string();
}

}  // namespace sei::app
