#include "auth/connection_service.h"

#include <fmt/format.h>

#include <algorithm>

#include "auth/row_update.h"
#include "model/ids.h"

namespace sei::auth {

namespace {

// "base_url set, token set, webhook_secret removed": what changed, never a value.
std::string Describe(const ConnectionChange& c) {
  std::vector<std::string> parts;
  if (c.base_url) parts.push_back(*c.base_url ? "base_url set" : "base_url cleared");
  if (c.config) parts.push_back(*c.config ? "config " + **c.config : "config cleared");
  for (const auto& [kind, value] : c.secrets) {
    parts.push_back(kind + (value ? " set" : " removed"));
  }
  return parts.empty() ? "no change" : fmt::format("{}", fmt::join(parts, ", "));
}

}  // namespace

const std::vector<std::string>& ConnectionService::Sources() {
  static const std::vector<std::string> sources = {
      "git",     "github",   "gitlab",    "bitbucket", "azure-devops", "jira", "linear",
      "jenkins", "circleci", "pagerduty", "sonarqube", "snyk",         "push"};
  return sources;
}

std::string ConnectionService::NormaliseSource(std::string_view source) {
  return source == "generic" ? "push" : std::string(source);
}

std::optional<std::string> ConnectionService::SourceProblem(std::string_view source) {
  const auto& all = Sources();
  if (std::find(all.begin(), all.end(), source) != all.end()) return std::nullopt;
  return fmt::format("must be one of {} (generic is push); got \"{}\"", fmt::join(all, ", "),
                     source.substr(0, 64));
}

std::optional<std::string> ConnectionService::NameProblem(std::string_view name) {
  auto ok_char = [](char c, bool first) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (!first && (c == '_' || c == '-'));
  };
  bool ok = !name.empty() && name.size() <= 64;
  for (size_t i = 0; ok && i < name.size(); ++i) ok = ok_char(name[i], i == 0);
  if (ok) return std::nullopt;
  return "must be 1 to 64 characters of a-z, 0-9, '_' and '-', starting with a letter or digit";
}

std::optional<std::string> ConnectionService::SecretProblem(std::string_view secret) {
  if (secret.empty()) return "must not be empty";
  if (secret.size() > kMaxSecretBytes) {
    return fmt::format("must be at most {} bytes long", kMaxSecretBytes);
  }
  return std::nullopt;
}

Result<std::map<std::string, int64_t>> ConnectionService::SecretsSet(const std::string& id) {
  ScanOptions where;
  where.where = {{"connection_id", id}};
  SEI_ASSIGN_OR_RETURN(auto rows, store_.List<model::ConnectionSecret>(where));
  std::map<std::string, int64_t> out;
  for (const auto& s : rows) out[s.kind] = s.updated_at;
  return out;
}

Result<ConnectionInfo> ConnectionService::Put(const ConnectionChange& change, int64_t now,
                                              AuditEntry audit, bool* created) {
  const std::string source = NormaliseSource(change.source);
  std::vector<std::string> problems;
  if (auto p = SourceProblem(source)) problems.push_back("source " + *p);
  if (auto p = NameProblem(change.name)) problems.push_back("name " + *p);
  for (const auto& [kind, value] : change.secrets) {
    if (kind != kTokenSecret && kind != kWebhookSecret) problems.push_back("no secret " + kind);
    if (value) {
      if (auto p = SecretProblem(*value)) problems.push_back(kind + " " + *p);
    }
  }
  if (!problems.empty()) {
    return InvalidArgumentError(fmt::format("{}", fmt::join(problems, "; ")));
  }
  const std::string id = model::ConnectionId(source, change.name);
  SEI_ASSIGN_OR_RETURN(std::optional<model::Connection> existing,
                       FindOne<model::Connection>(store_, "id", id));
  model::Connection c =
      existing.value_or(model::Connection{id, source, change.name, {}, {}, now, now});
  if (change.base_url) c.base_url = *change.base_url;
  if (change.config) c.config = *change.config;
  c.updated_at = now;
  std::vector<TableWrite> writes = {TableWrite::Upsert(std::vector<model::Connection>{c})};
  for (const auto& [kind, value] : change.secrets) {
    if (!value) {
      writes.push_back(TableWrite::DeleteWhere(model::SpecOf<model::ConnectionSecret>(),
                                               {{"connection_id", id}, {"kind", kind}}));
      continue;
    }
    if (box_ == nullptr) return FailedPreconditionError("no secret key to seal the secret with");
    SEI_ASSIGN_OR_RETURN(std::string sealed, box_->Seal(*value));
    writes.push_back(TableWrite::Upsert(
        std::vector<model::ConnectionSecret>{{id, kind, std::move(sealed), now}}));
  }
  audit.action = existing ? "connection.update" : "connection.create";
  audit.target = "connection:" + id;
  audit.detail = Describe(change);
  SEI_ASSIGN_OR_RETURN(TableWrite entry, AuditLog::Write(std::move(audit)));
  writes.push_back(std::move(entry));
  SEI_RETURN_IF_ERROR(store_.ApplyWrites(writes));
  if (created != nullptr) *created = !existing;
  ConnectionInfo info{std::move(c), {}};
  SEI_ASSIGN_OR_RETURN(info.secrets_set, SecretsSet(id));
  return info;
}

Result<std::vector<ConnectionInfo>> ConnectionService::List() {
  SEI_ASSIGN_OR_RETURN(auto connections, store_.List<model::Connection>());
  SEI_ASSIGN_OR_RETURN(auto secrets, store_.List<model::ConnectionSecret>());
  std::vector<ConnectionInfo> out;
  for (auto& c : connections) out.push_back({std::move(c), {}});
  for (const auto& s : secrets) {
    for (auto& info : out) {
      if (info.connection.id == s.connection_id) info.secrets_set[s.kind] = s.updated_at;
    }
  }
  return out;
}

Result<std::optional<ConnectionInfo>> ConnectionService::Get(const std::string& id) {
  SEI_ASSIGN_OR_RETURN(std::optional<model::Connection> c,
                       FindOne<model::Connection>(store_, "id", id));
  if (!c) return std::optional<ConnectionInfo>();
  ConnectionInfo info{std::move(*c), {}};
  SEI_ASSIGN_OR_RETURN(info.secrets_set, SecretsSet(id));
  return std::optional<ConnectionInfo>(std::move(info));
}

Result<bool> ConnectionService::Delete(const std::string& id, AuditEntry audit) {
  SEI_ASSIGN_OR_RETURN(std::optional<model::Connection> c,
                       FindOne<model::Connection>(store_, "id", id));
  if (!c) return false;
  audit.action = "connection.delete";
  audit.target = "connection:" + id;
  audit.detail = "deleted with its secrets; collected data kept";
  SEI_ASSIGN_OR_RETURN(TableWrite entry, AuditLog::Write(std::move(audit)));
  SEI_RETURN_IF_ERROR(store_.ApplyWrites(
      {TableWrite::DeleteWhere(model::SpecOf<model::Connection>(), {{"id", id}}),
       TableWrite::DeleteWhere(model::SpecOf<model::ConnectionSecret>(), {{"connection_id", id}}),
       std::move(entry)}));
  return true;
}

Result<std::optional<std::string>> ConnectionService::Secret(const std::string& connection_id,
                                                             const std::string& kind) {
  ScanOptions where;
  where.where = {{"connection_id", connection_id}, {"kind", kind}};
  where.limit = 1;
  SEI_ASSIGN_OR_RETURN(auto rows, store_.List<model::ConnectionSecret>(where));
  if (rows.empty()) return std::optional<std::string>();
  if (box_ == nullptr) return FailedPreconditionError("no secret key to open the secret with");
  SEI_ASSIGN_OR_RETURN(std::string plain, box_->Open(rows.front().sealed));
  return std::optional<std::string>(std::move(plain));
}

}  // namespace sei::auth
