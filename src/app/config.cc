#include "app/config.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <filesystem>
#include <set>

namespace sei::app {

namespace fs = std::filesystem;

namespace {

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

std::string Resolve(const Config& c, const std::string& p) {
  if (p.find("://") != std::string::npos || fs::path(p).is_absolute()) return p;
  return (fs::path(c.file).parent_path() / p).lexically_normal().string();
}

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
      src.location = Resolve(*c, item["path"].as<std::string>());
    } else if (item["url"]) {
      src.location = item["url"].as<std::string>();
    } else {
      return InvalidArgumentError(
          fmt::format("{}: a git source needs a path or a url", Where(*c, item)));
    }
    if (item["name"]) src.name = item["name"].as<std::string>();
    c->git_sources.push_back(std::move(src));
  }
  return Status::Ok();
}

Status ParseTeams(Config* c, const YAML::Node& list) {
  if (!list.IsSequence()) {
    return InvalidArgumentError(fmt::format("{}: teams must be a list", Where(*c, list)));
  }
  for (const YAML::Node& item : list) {
    SEI_RETURN_IF_ERROR(CheckKeys(*c, item, "a team", {"name", "members"}));
    if (!item["name"]) {
      return InvalidArgumentError(fmt::format("{}: a team needs a name", Where(*c, item)));
    }
    TeamConfig team{item["name"].as<std::string>(), {}};
    if (item["members"]) team.members = item["members"].as<std::vector<std::string>>();
    c->teams.push_back(std::move(team));
  }
  return Status::Ok();
}

Status ParseRoot(Config* c, const YAML::Node& root) {
  if (root.IsNull()) return Status::Ok();  // an empty file is a valid, empty config
  SEI_RETURN_IF_ERROR(
      CheckKeys(*c, root, "the top level", {"db", "data_dir", "sources", "teams", "settings"}));
  if (root["db"]) c->db = Resolve(*c, root["db"].as<std::string>());
  if (root["data_dir"]) c->data_dir = Resolve(*c, root["data_dir"].as<std::string>());
  if (const YAML::Node sources = root["sources"]) {
    SEI_RETURN_IF_ERROR(CheckKeys(*c, sources, "sources", {"git"}));
    if (sources["git"]) SEI_RETURN_IF_ERROR(ParseGitSources(c, sources["git"]));
  }
  if (root["teams"]) SEI_RETURN_IF_ERROR(ParseTeams(c, root["teams"]));
  if (const YAML::Node settings = root["settings"]) {
    SEI_RETURN_IF_ERROR(
        CheckKeys(*c, settings, "settings", {"jobs", "renames", "include_remotes"}));
    if (settings["jobs"]) {
      c->jobs = settings["jobs"].as<int>();
      if (*c->jobs < 0 || *c->jobs > 256) {
        return InvalidArgumentError(fmt::format("{}: settings.jobs must be between 0 and 256",
                                                Where(*c, settings["jobs"])));
      }
    }
    if (settings["renames"]) c->renames = settings["renames"].as<bool>();
    if (settings["include_remotes"]) c->include_remotes = settings["include_remotes"].as<bool>();
  }
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
