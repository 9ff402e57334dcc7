#include "collectors/push/push_validator.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <unordered_set>

#include "collectors/push/field_reader.h"
#include "model/environment.h"
#include "model/ids.h"

namespace sei::collectors::push {
namespace {

using nlohmann::json;

std::optional<std::string> ExternalIdProblem(std::string_view id) {
  if (id.empty()) return "must not be empty";
  if (id.size() > kMaxString) return fmt::format("must be at most {} bytes long", kMaxString);
  for (char c : id) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return "must not contain control characters";
    }
  }
  return std::nullopt;
}

// Parses `body` as one JSON object; an error on "" when it is not one.
std::optional<json> ParseObject(std::string_view body, std::vector<FieldError>* errors) {
  json doc;
  try {
    doc = json::parse(body.begin(), body.end());
  } catch (const json::exception& e) {
    errors->push_back({"", std::string("the body is not valid JSON: ") + e.what()});
    return std::nullopt;
  }
  if (!doc.is_object()) {
    errors->push_back({"", "the body must be a JSON object"});
    return std::nullopt;
  }
  return doc;
}

// The "id" field: the pusher's external id.
std::string ReadExternalId(FieldReader& r) {
  std::optional<std::string> id = r.String("id", true);
  if (!id) return "";
  if (std::optional<std::string> problem = ExternalIdProblem(*id)) {
    r.Error("id", *problem);
    return "";
  }
  return *id;
}

// `later` is not before `earlier` (both present).
void CheckOrder(FieldReader& r, std::string_view later_key, const std::optional<int64_t>& later,
                std::string_view earlier_key, const std::optional<int64_t>& earlier) {
  if (later && earlier && *later < *earlier) {
    r.Error(later_key, fmt::format("must not be earlier than {}", earlier_key));
  }
}

std::vector<std::string> ReadCommits(FieldReader& r) {
  std::vector<std::string> out;
  const json* v = r.Member("commits");
  if (v == nullptr || v->is_null()) return out;
  if (!v->is_array()) {
    r.Error("commits", "must be an array of commit SHAs");
    return out;
  }
  if (v->size() > kMaxCommits) {
    r.Error("commits",
            fmt::format("must list at most {} commits (it lists {})", kMaxCommits, v->size()));
    return out;
  }
  std::unordered_set<std::string> seen;
  for (size_t i = 0; i < v->size(); ++i) {
    const json& e = (*v)[i];
    const std::string key = fmt::format("commits[{}]", i);
    if (!e.is_string()) {
      r.Error(key, "must be a string holding a commit SHA");
      continue;
    }
    if (std::optional<std::string> problem =
            FieldReader::ShaProblem(e.get_ref<const std::string&>())) {
      r.Error(key, *problem);
      continue;
    }
    std::string sha = FieldReader::LowerHex(e.get_ref<const std::string&>());
    if (seen.insert(sha).second) out.push_back(std::move(sha));
  }
  return out;
}

// "commit_range": {"from", "to"}; sets range_from and returns `to`.
std::optional<std::string> ReadRange(FieldReader& r, std::vector<FieldError>* errors,
                                     PushedDeployment* d) {
  const json* v = r.Member("commit_range");
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (!v->is_object()) {
    r.Error("commit_range", "must be an object {\"from\": sha, \"to\": sha}");
    return std::nullopt;
  }
  FieldReader range(*v, r.Path("commit_range."), errors);
  d->range_from = range.Sha("from", true);
  std::optional<std::string> to = range.Sha("to", true);
  range.Finish();
  return to;
}

void ReadDeploymentCommits(FieldReader& r, std::vector<FieldError>* errors, PushedDeployment* d) {
  model::Deployment& row = d->deployment;
  row.commit_sha = r.Sha("commit_sha", false);
  const bool has_commits = r.Member("commits") != nullptr;
  d->commits = ReadCommits(r);
  const bool has_range = r.Member("commit_range") != nullptr;
  std::optional<std::string> to = ReadRange(r, errors, d);
  if (has_range && has_commits) {
    r.Error("commit_range", "give either commits or commit_range, not both");
  }
  if (to) {
    if (row.commit_sha && *row.commit_sha != *to) {
      r.Error("commit_sha", "must equal commit_range.to when both are given");
    }
    row.commit_sha = to;
  }
  if ((has_commits || has_range) && !row.repo_id) {
    r.Error("repo", "is required with commits or commit_range (they are commits of a repo)");
  }
}

void ReadDeployment(FieldReader& r, std::vector<FieldError>* errors, PushedDeployment* d) {
  model::Deployment& row = d->deployment;
  row.environment = r.String("environment", true).value_or("");
  std::optional<std::string> type =
      r.Enum("environment_type", false, {"production", "staging", "testing", "development"});
  row.environment_type = type ? *type : PushValidator::EnvironmentTypeOf(row.environment);
  row.service = r.String("service", false);
  row.repo_id = r.String("repo", false);
  row.ref = r.String("ref", false);
  ReadDeploymentCommits(r, errors, d);
  row.result = r.Enum("result", true, {"success", "failure", "rolled_back", "cancelled", "running"})
                   .value_or("");
  row.started_at = r.Time("started_at", true);
  row.finished_at = r.Time("finished_at", false);
  CheckOrder(r, "finished_at", row.finished_at, "started_at", row.started_at);
  if (row.result == "running" && row.finished_at) {
    r.Error("finished_at", "must be absent while result is running");
  }
  row.url = r.String("url", false, kMaxUrl);
}

void ReadIncident(FieldReader& r, const std::string& connection_id, model::Incident* row) {
  row->title = r.String("title", true).value_or("");
  row->service = r.String("service", false);
  row->environment = r.String("environment", false);
  row->severity = r.String("severity", false);
  std::optional<std::string> status = r.Enum("status", false, {"open", "resolved"});
  row->created_at = r.Time("created_at", true).value_or(0);
  row->acknowledged_at = r.Time("acknowledged_at", false);
  row->resolved_at = r.Time("resolved_at", false);
  const std::optional<int64_t> created =
      r.Member("created_at") ? std::optional<int64_t>(row->created_at) : std::nullopt;
  CheckOrder(r, "resolved_at", row->resolved_at, "created_at", created);
  CheckOrder(r, "acknowledged_at", row->acknowledged_at, "created_at", created);
  row->status = status ? *status : row->resolved_at ? "resolved" : "open";
  if (status == "resolved" && !row->resolved_at) {
    r.Error("resolved_at", "is required when status is resolved");
  }
  if (status == "open" && row->resolved_at) {
    r.Error("status", "must be resolved (or absent) when resolved_at is given");
  }
  if (std::optional<std::string> dep = r.String("deployment_id", false)) {
    if (std::optional<std::string> problem = ExternalIdProblem(*dep)) {
      r.Error("deployment_id", *problem);
    } else {
      row->deployment_id = model::MakeId(connection_id, "deployment", *dep);
    }
  }
  row->url = r.String("url", false, kMaxUrl);
}

void ReadPullRequest(FieldReader& r, model::PullRequest* row) {
  row->repo_id = r.String("repo", true).value_or("");
  row->number = r.Int("number", true, 0, INT64_MAX).value_or(0);
  row->title = r.String("title", true).value_or("");
  const std::string state = r.Enum("state", true, {"open", "closed", "merged"}).value_or("");
  row->state = state;
  row->is_draft = r.Bool("is_draft").value_or(false);
  row->author_account_id = r.String("author_account_id", false);
  row->base_ref = r.String("base_ref", false);
  row->head_ref = r.String("head_ref", false);
  row->base_sha = r.Sha("base_sha", false);
  row->head_sha = r.Sha("head_sha", false);
  row->merge_sha = r.Sha("merge_sha", false);
  const std::optional<int64_t> created = r.Time("created_at", true);
  row->created_at = created.value_or(0);
  row->updated_at = r.Time("updated_at", false);
  row->ready_at = r.Time("ready_at", false);
  row->closed_at = r.Time("closed_at", false);
  row->merged_at = r.Time("merged_at", false);
  CheckOrder(r, "merged_at", row->merged_at, "created_at", created);
  CheckOrder(r, "closed_at", row->closed_at, "created_at", created);
  if (state == "merged" && !row->merged_at && r.Member("merged_at") == nullptr) {
    r.Error("merged_at", "is required when state is merged");
  }
  if (row->merged_at && !state.empty() && state != "merged") {
    r.Error("state", "must be merged when merged_at is given");
  }
  row->merged_by_account_id = r.String("merged_by_account_id", false);
  row->additions = r.Int("additions", false, 0, INT64_MAX);
  row->deletions = r.Int("deletions", false, 0, INT64_MAX);
  row->changed_files = r.Int("changed_files", false, 0, INT64_MAX);
  row->url = r.String("url", false, kMaxUrl);
  row->labels = r.StringArrayJson("labels");
}

std::optional<std::string> ReadIssueRef(FieldReader& r, const std::string& connection_id,
                                        std::string_view key) {
  std::optional<std::string> v = r.String(key, false);
  if (!v) return std::nullopt;
  if (std::optional<std::string> problem = ExternalIdProblem(*v)) {
    r.Error(key, *problem);
    return std::nullopt;
  }
  return model::MakeId(connection_id, "issue", *v);
}

void ReadIssue(FieldReader& r, const std::string& connection_id, model::Issue* row) {
  row->key = r.String("key", true).value_or("");
  row->title = r.String("title", true).value_or("");
  row->type = r.Enum("type", true, {"bug", "feature", "story", "task", "epic", "incident", "other"})
                  .value_or("");
  row->raw_type = r.String("raw_type", false);
  row->status = r.String("status", true).value_or("");
  row->status_category =
      r.Enum("status_category", true, {"todo", "in_progress", "done"}).value_or("");
  row->priority = r.String("priority", false);
  row->story_points = r.Number("story_points", 0, 1e6);
  row->assignee_account_id = r.String("assignee_account_id", false);
  row->reporter_account_id = r.String("reporter_account_id", false);
  row->parent_issue_id = ReadIssueRef(r, connection_id, "parent_issue_id");
  row->epic_id = ReadIssueRef(r, connection_id, "epic_id");
  const std::optional<int64_t> created = r.Time("created_at", true);
  row->created_at = created.value_or(0);
  row->updated_at = r.Time("updated_at", false);
  row->resolved_at = r.Time("resolved_at", false);
  CheckOrder(r, "resolved_at", row->resolved_at, "created_at", created);
  row->url = r.String("url", false, kMaxUrl);
  row->labels = r.StringArrayJson("labels");
}

// Fills item->row from `doc` for item->kind; errors into `errors`.
void ReadRow(const json& doc, std::vector<FieldError>* errors, PushItem* item) {
  FieldReader r(doc, "", errors);
  item->external_id = ReadExternalId(r);
  const std::string id =
      model::MakeId(item->connection_id, PushKindIdSegment(item->kind), item->external_id);
  switch (item->kind) {
    case PushKind::kDeployment: {
      PushedDeployment d;
      ReadDeployment(r, errors, &d);
      d.deployment.id = id;
      d.deployment.connection_id = item->connection_id;
      item->row = std::move(d);
      break;
    }
    case PushKind::kIncident: {
      model::Incident row;
      ReadIncident(r, item->connection_id, &row);
      row.id = id;
      row.connection_id = item->connection_id;
      item->row = std::move(row);
      break;
    }
    case PushKind::kPullRequest: {
      model::PullRequest row;
      ReadPullRequest(r, &row);
      row.id = id;
      row.connection_id = item->connection_id;
      item->row = std::move(row);
      break;
    }
    case PushKind::kIssue: {
      model::Issue row;
      ReadIssue(r, item->connection_id, &row);
      row.id = id;
      row.connection_id = item->connection_id;
      item->row = std::move(row);
      break;
    }
  }
  r.Finish();
}

}  // namespace

Validated<std::string> PushValidator::ConnectionIdFor(std::string_view name) {
  auto ok_char = [](char c, bool first) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (!first && (c == '_' || c == '-'));
  };
  bool ok = !name.empty() && name.size() <= 64;
  for (size_t i = 0; ok && i < name.size(); ++i) ok = ok_char(name[i], i == 0);
  if (!ok) {
    return std::vector<FieldError>{
        {"connection",
         fmt::format("\"{}\" is not a push connection name: use 1 to 64 characters of a-z, 0-9, "
                     "'_' and '-', starting with a letter or digit",
                     name.substr(0, 80))}};
  }
  return model::ConnectionId("push", name);
}

Validated<PushItem> PushValidator::Validate(PushKind kind, std::string_view connection_name,
                                            std::string body) const {
  Validated<std::string> connection = ConnectionIdFor(connection_name);
  if (!connection.ok()) return connection.errors();
  std::vector<FieldError> errors;
  std::optional<json> doc = ParseObject(body, &errors);
  if (!doc) return errors;
  PushItem item;
  item.kind = kind;
  item.connection_id = connection.value();
  item.received_at = clock_.NowUnixSeconds();
  ReadRow(*doc, &errors, &item);
  if (!errors.empty()) return errors;
  item.body = std::move(body);
  return item;
}

Validated<PushItem> PushValidator::ValidateGeneric(std::string_view connection_name,
                                                   std::string body) const {
  Validated<std::string> connection = ConnectionIdFor(connection_name);
  if (!connection.ok()) return connection.errors();
  std::vector<FieldError> errors;
  std::optional<json> doc = ParseObject(body, &errors);
  if (!doc) return errors;
  auto it = doc->find("kind");
  std::optional<PushKind> kind;
  if (it != doc->end() && it->is_string()) kind = ParsePushKind(it->get_ref<const std::string&>());
  if (!kind) {
    return std::vector<FieldError>{
        {"kind", "is required and must be one of deployment, incident, pull_request, issue"}};
  }
  doc->erase("kind");
  PushItem item;
  item.kind = *kind;
  item.connection_id = connection.value();
  item.received_at = clock_.NowUnixSeconds();
  ReadRow(*doc, &errors, &item);
  if (!errors.empty()) return errors;
  item.body = std::move(body);
  return item;
}

Validated<int64_t> PushValidator::ValidateResolve(std::string_view body) const {
  const bool blank = std::all_of(body.begin(), body.end(), [](char c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
  });
  if (blank) return clock_.NowUnixSeconds();
  std::vector<FieldError> errors;
  std::optional<json> doc = ParseObject(body, &errors);
  if (!doc) return errors;
  FieldReader r(*doc, "", &errors);
  std::optional<int64_t> at = r.Time("resolved_at", false);
  const bool given = r.Member("resolved_at") != nullptr;
  r.Finish();
  if (!errors.empty()) return errors;
  return given ? *at : clock_.NowUnixSeconds();
}

Validated<std::string> PushValidator::ExternalId(std::string_view id) {
  if (std::optional<std::string> problem = ExternalIdProblem(id)) {
    return std::vector<FieldError>{{"id", *problem}};
  }
  return std::string(id);
}

std::string PushValidator::EnvironmentTypeOf(std::string_view name) {
  return model::EnvironmentTypeOf(name);
}

}  // namespace sei::collectors::push
