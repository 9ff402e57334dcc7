#include "golden/golden_case.h"

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <regex>
#include <set>

#include "common/time.h"
#include "model/git.h"
#include "model/ids.h"
#include "model/registry.h"

namespace sei::golden {

using nlohmann::json;

std::map<std::string, Step>& Steps() {
  static std::map<std::string, Step> steps;
  return steps;
}

namespace {

json ScalarToJson(const YAML::Node& n) {
  const std::string& s = n.Scalar();
  if (n.Tag() == "!") return s;  // quoted: always a string
  static const std::regex kInt(R"(^[-+]?[0-9]+$)");
  static const std::regex kFloat(R"(^[-+]?([0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)([eE][-+]?[0-9]+)?$)");
  if (s == "~" || s == "null" || s == "Null" || s == "NULL") return nullptr;
  if (s == "true" || s == "True") return true;
  if (s == "false" || s == "False") return false;
  if (std::regex_match(s, kInt)) return std::stoll(s);
  if (std::regex_match(s, kFloat)) return std::stod(s);
  return s;
}

json NodeToJson(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return nullptr;
    case YAML::NodeType::Scalar:
      return ScalarToJson(n);
    case YAML::NodeType::Sequence: {
      json a = json::array();
      for (const auto& e : n) a.push_back(NodeToJson(e));
      return a;
    }
    case YAML::NodeType::Map: {
      json o = json::object();
      for (const auto& kv : n) o[kv.first.as<std::string>()] = NodeToJson(kv.second);
      return o;
    }
  }
  return nullptr;
}

Result<model::Value> ToCell(const model::Column& col, const json& v, const std::string& where) {
  if (v.is_null()) {
    if (col.nullable) return model::Value{};
    return InvalidArgumentError(where + ": " + col.name + " must not be null");
  }
  switch (col.type) {
    case model::ColumnType::kText:
      if (v.is_string()) return model::Value{v.get<std::string>()};
      return model::Value{v.dump()};
    case model::ColumnType::kInteger: {
      SEI_ASSIGN_OR_RETURN(int64_t i, ParseInstant(v));
      return model::Value{i};
    }
    case model::ColumnType::kBoolean:
      if (v.is_boolean()) return model::Value{static_cast<int64_t>(v.get<bool>() ? 1 : 0)};
      return InvalidArgumentError(where + ": " + col.name + " must be true or false");
    case model::ColumnType::kReal:
      if (v.is_number()) return model::Value{v.get<double>()};
      return InvalidArgumentError(where + ": " + col.name + " must be a number");
  }
  return model::Value{};
}

model::Value DefaultCell(const model::Column& col) {
  if (col.nullable) return model::Value{};
  if (col.name == "connection_id") return model::Value{std::string("golden")};
  switch (col.type) {
    case model::ColumnType::kText:
      return model::Value{std::string()};
    case model::ColumnType::kReal:
      return model::Value{0.0};
    default:
      return model::Value{int64_t{0}};
  }
}

Status LoadCommits(Store& store, const json& commits) {
  std::map<std::string, std::vector<CommitRecord>> by_repo;
  for (const json& c : commits) {
    CommitRecord r;
    const std::string where = "commit " + c.value("sha", std::string("?"));
    r.commit.repo_id = c.value("repo_id", std::string());
    r.commit.sha = c.value("sha", std::string());
    if (r.commit.repo_id.empty() || r.commit.sha.empty()) {
      return InvalidArgumentError(where + ": repo_id and sha are required");
    }
    r.commit.tree_sha = c.value("tree_sha", std::string(40, '0'));
    r.commit.author_name = c.value("author_name", std::string("Dev"));
    r.commit.author_email = c.value("author_email", std::string("dev@example.com"));
    SEI_ASSIGN_OR_RETURN(r.commit.author_time, ParseInstant(c.at("author_time")));
    r.commit.committer_name = c.value("committer_name", r.commit.author_name);
    r.commit.committer_email = c.value("committer_email", r.commit.author_email);
    r.commit.committer_time = r.commit.author_time;
    if (c.contains("committer_time")) {
      SEI_ASSIGN_OR_RETURN(r.commit.committer_time, ParseInstant(c.at("committer_time")));
    }
    r.commit.message = c.value("message", std::string("change"));
    if (c.contains("parents")) {
      for (const json& p : c.at("parents")) r.parents.push_back(p.get<std::string>());
    }
    r.commit.parent_count = static_cast<int64_t>(r.parents.size());
    r.commit.is_merge = r.parents.size() > 1;
    int64_t idx = 0;
    static const json kNoFiles = json::array();
    for (const json& f : c.contains("files") ? c.at("files") : kNoFiles) {
      model::CommitFile cf;
      cf.repo_id = r.commit.repo_id;
      cf.sha = r.commit.sha;
      cf.idx = idx++;
      cf.path = f.at("path").get<std::string>();
      cf.change = f.value("change", std::string("M"));
      cf.is_binary = f.value("binary", false);  // binary: no line counts (NULL)
      if (!cf.is_binary) {
        cf.added = f.value("added", int64_t{0});
        cf.deleted = f.value("deleted", int64_t{0});
      }
      cf.new_mode = cf.change == "D" ? 0 : 0100644;
      cf.old_mode = cf.change == "A" ? 0 : 0100644;
      r.commit.additions += cf.added.value_or(0);
      r.commit.deletions += cf.deleted.value_or(0);
      r.files.push_back(cf);
    }
    r.commit.files_changed = static_cast<int64_t>(r.files.size());
    const std::string conn = "git:local";
    r.commit.author_account_id =
        model::GitAccountId(conn, r.commit.author_name, r.commit.author_email);
    r.commit.committer_account_id =
        model::GitAccountId(conn, r.commit.committer_name, r.commit.committer_email);
    by_repo[r.commit.repo_id].push_back(std::move(r));
  }
  for (auto& [repo_id, batch] : by_repo) {
    SEI_ASSIGN_OR_RETURN(auto repo, store.FindRepo(repo_id));
    if (!repo) {
      model::Repo r;
      r.id = repo_id;
      r.connection_id = "git:local";
      r.name = repo_id;
      r.location = repo_id;
      SEI_RETURN_IF_ERROR(store.UpsertRepo(r));
    }
    SEI_RETURN_IF_ERROR(store.WriteCommits(repo_id, batch));
    GitSyncUpdate u;
    u.repo_id = repo_id;
    u.collected_at = 1;
    u.sync_state.connection_id = "git:local";
    u.sync_state.scope = repo_id;
    u.sync_state.entity = "commits";
    u.sync_state.status = "complete";
    SEI_RETURN_IF_ERROR(store.FinishGitSync(u));
  }
  return Status::Ok();
}

Status LoadEntity(Store& store, const std::string& entity, const json& items) {
  const model::TableSpec* spec = model::FindSpec(entity);
  if (spec == nullptr) return InvalidArgumentError("rows: no entity '" + entity + "'");
  std::vector<model::Row> rows;
  for (size_t n = 0; n < items.size(); ++n) {
    const json& item = items[n];
    const std::string where = entity + "[" + std::to_string(n) + "]";
    if (!item.is_object()) return InvalidArgumentError(where + " is not a mapping");
    for (const auto& [k, v] : item.items()) {
      if (spec->ColumnIndex(k) < 0) return InvalidArgumentError(where + ": no column '" + k + "'");
    }
    model::Row row;
    for (const model::Column& col : spec->columns) {
      if (item.contains(col.name)) {
        SEI_ASSIGN_OR_RETURN(model::Value v, ToCell(col, item.at(col.name), where));
        row.push_back(std::move(v));
      } else {
        row.push_back(DefaultCell(col));
      }
    }
    rows.push_back(std::move(row));
  }
  if (entity == "repos") {
    for (const model::Row& row : rows) {
      SEI_ASSIGN_OR_RETURN(model::Repo r, model::FromRow<model::Repo>(row));
      SEI_RETURN_IF_ERROR(store.UpsertRepo(r));
    }
    return Status::Ok();
  }
  return store.UpsertRows(*spec, rows);
}

}  // namespace

json YamlFileToJson(const std::string& path) { return NodeToJson(YAML::LoadFile(path)); }

Result<int64_t> ParseInstant(const json& v) {
  if (v.is_number_integer()) return v.get<int64_t>();
  if (v.is_boolean()) return static_cast<int64_t>(v.get<bool>());
  if (v.is_string()) {
    SEI_ASSIGN_OR_RETURN(Timestamp t, ParseTimestamp(v.get<std::string>()));
    return t.unix_seconds;
  }
  return InvalidArgumentError("expected an instant or an integer, got " + v.dump());
}

Status LoadRows(Store& store, const json& rows) {
  if (rows.is_null()) return Status::Ok();
  if (!rows.is_object()) return InvalidArgumentError("rows must be a mapping of entity -> list");
  if (rows.contains("repos")) SEI_RETURN_IF_ERROR(LoadEntity(store, "repos", rows.at("repos")));
  if (rows.contains("commits")) SEI_RETURN_IF_ERROR(LoadCommits(store, rows.at("commits")));
  for (const auto& [entity, items] : rows.items()) {
    if (entity == "repos" || entity == "commits") continue;
    SEI_RETURN_IF_ERROR(LoadEntity(store, entity, items));
  }
  return Status::Ok();
}

Result<metrics::MetricsSettings> ParseSettings(const json& j) {
  metrics::MetricsSettings s;
  if (j.is_null()) return s;
  for (const auto& [k, v] : j.items()) {
    if (k == "mode") {
      s.mode =
          v.get<std::string>() == "devlake" ? metrics::Mode::kDevLake : metrics::Mode::kDefault;
    } else if (k == "history_start") {
      SEI_ASSIGN_OR_RETURN(int64_t t, ParseInstant(v));
      s.history_start = t;
    } else if (k == "first_deployment_window_days") {
      s.first_deployment_window_days = v.get<int>();
    } else if (k == "production_types") {
      s.production_types = v.get<std::vector<std::string>>();
    } else if (k == "incident_window_hours") {
      s.incident_window_seconds = v.get<int64_t>() * 3600;
    } else if (k == "bot_pattern") {
      s.bot_pattern = v.get<std::string>();
    } else if (k == "stale_pr_days") {
      s.stale_pr_seconds = v.get<int64_t>() * 86400;
    } else if (k == "large_pr_lines") {
      s.large_pr_lines = v.get<int64_t>();
    } else if (k == "wait_statuses") {
      s.wait_statuses = v.get<std::vector<std::string>>();
    } else if (k == "rework_window_days") {
      s.rework_window_days = v.get<int>();
    } else if (k == "band_year") {
      s.band_year = v.is_string() ? v.get<std::string>() : v.dump();
    } else {
      return InvalidArgumentError("settings: unknown key '" + k + "'");
    }
  }
  return s;
}

std::string Mismatch(const json& expected, const json& actual, const std::string& path) {
  const std::string here = path.empty() ? "." : path;
  if (expected.is_object()) {
    if (!actual.is_object()) return here + ": expected an object, got " + actual.dump();
    for (const auto& [k, v] : expected.items()) {
      if (!actual.contains(k)) {
        if (v.is_null()) continue;  // null expected: absent is fine
        return path + "." + k + ": missing (expected " + v.dump() + ")";
      }
      std::string m = Mismatch(v, actual.at(k), path + "." + k);
      if (!m.empty()) return m;
    }
    return "";
  }
  if (expected.is_array()) {
    if (!actual.is_array()) return here + ": expected an array, got " + actual.dump();
    if (expected.size() != actual.size()) {
      return here + ": expected " + std::to_string(expected.size()) + " elements, got " +
             std::to_string(actual.size()) + ": " + actual.dump();
    }
    for (size_t i = 0; i < expected.size(); ++i) {
      std::string m = Mismatch(expected[i], actual[i], path + "[" + std::to_string(i) + "]");
      if (!m.empty()) return m;
    }
    return "";
  }
  if (expected.is_number_integer() && actual.is_number_integer()) {
    // Exact: instants are epoch seconds, where 1e-9 relative is a second.
    if (expected.get<int64_t>() == actual.get<int64_t>()) return "";
    return here + ": expected " + expected.dump() + ", got " + actual.dump();
  }
  if (expected.is_number() && actual.is_number()) {
    const double e = expected.get<double>(), a = actual.get<double>();
    if (std::fabs(e - a) <= 1e-9 * std::max(1.0, std::fabs(e))) return "";
    return here + ": expected " + expected.dump() + ", got " + actual.dump();
  }
  if (expected != actual) return here + ": expected " + expected.dump() + ", got " + actual.dump();
  return "";
}

}  // namespace sei::golden
