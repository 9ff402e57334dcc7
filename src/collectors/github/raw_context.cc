#include "collectors/github/raw_context.h"

#include <nlohmann/json.hpp>

#include "model/meta.h"
#include "model/review.h"
#include "model/work.h"

namespace sei::collectors::github {
namespace {

using nlohmann::json;

constexpr std::pair<RestKind, std::string_view> kKeys[] = {
    {RestKind::kRepository, "repository"},
    {RestKind::kPulls, "pulls"},
    {RestKind::kPrCommits, "pr_commits"},
    {RestKind::kReviews, "reviews"},
    {RestKind::kReviewComments, "review_comments"},
    {RestKind::kIssueComments, "issue_comments"},
    {RestKind::kIssues, "issues"},
    {RestKind::kWorkflowRuns, "workflow_runs"},
    {RestKind::kJobs, "jobs"},
    {RestKind::kDeployments, "deployments"},
    {RestKind::kDeploymentStatuses, "deployment_statuses"},
    {RestKind::kReleases, "releases"},
};

template <class T>
void ReadList(const json& j, const char* key, std::vector<T>* out) {
  if (!j.contains(key) || !j[key].is_array()) return;
  for (const json& v : j[key]) {
    if constexpr (std::is_same_v<T, std::string>) {
      if (v.is_string()) out->push_back(v.get<std::string>());
    } else {
      if (v.is_number_integer()) out->push_back(v.get<T>());
    }
  }
}

}  // namespace

std::string_view RestKindKey(RestKind kind) {
  for (const auto& [k, key] : kKeys) {
    if (k == kind) return key;
  }
  return "";
}

std::optional<RestKind> RestKindFromKey(std::string_view key) {
  for (const auto& [k, name] : kKeys) {
    if (name == key) return k;
  }
  return std::nullopt;
}

std::string RawContext::Json() const {
  json j = {{"kind", kind}};
  if (!pr_id.empty()) {
    j["pr_id"] = pr_id;
    j["first_ordinal"] = first_ordinal;
  }
  if (pr_numbers) j["pr_numbers"] = *pr_numbers;
  if (!workflow_name.empty()) j["workflow_name"] = workflow_name;
  if (!statuses.empty()) {
    json s = json::array();
    for (const auto& [id, raws] : statuses) s.push_back(json::array({id, raws}));
    j["statuses"] = std::move(s);
  }
  if (with_raw_id != 0) j["with_raw_id"] = with_raw_id;
  if (!deleted_prs.empty() || !deleted_issues.empty() || !deleted_releases.empty()) {
    json d = json::object();
    if (!deleted_prs.empty()) d["prs"] = deleted_prs;
    if (!deleted_issues.empty()) d["issues"] = deleted_issues;
    if (!deleted_releases.empty()) d["releases"] = deleted_releases;
    j["deleted"] = std::move(d);
  }
  if (!connection_id.empty()) j["connection_id"] = connection_id;
  return j.dump();
}

Result<RawContext> RawContext::Parse(std::string_view text) {
  json j = json::parse(text, nullptr, false);
  if (!j.is_object() || !j.contains("kind") || !j["kind"].is_string()) {
    return InvalidArgumentError("a raw payload's context must be a JSON object with a \"kind\"");
  }
  RawContext c;
  c.kind = j["kind"].get<std::string>();
  c.pr_id = j.value("pr_id", std::string());
  c.first_ordinal = j.value("first_ordinal", int64_t{0});
  if (j.contains("pr_numbers") && j["pr_numbers"].is_array()) {
    c.pr_numbers.emplace();
    ReadList(j, "pr_numbers", &*c.pr_numbers);
  }
  c.workflow_name = j.value("workflow_name", std::string());
  if (j.contains("statuses") && j["statuses"].is_array()) {
    for (const json& s : j["statuses"]) {
      if (!s.is_array() || s.size() != 2 || !s[0].is_number_integer() || !s[1].is_array()) {
        continue;
      }
      std::vector<int64_t> raws;
      for (const json& r : s[1]) {
        if (r.is_number_integer()) raws.push_back(r.get<int64_t>());
      }
      c.statuses.emplace_back(s[0].get<int64_t>(), std::move(raws));
    }
  }
  c.with_raw_id = j.value("with_raw_id", int64_t{0});
  if (j.contains("deleted") && j["deleted"].is_object()) {
    ReadList(j["deleted"], "prs", &c.deleted_prs);
    ReadList(j["deleted"], "issues", &c.deleted_issues);
    ReadList(j["deleted"], "releases", &c.deleted_releases);
  }
  c.connection_id = j.value("connection_id", std::string());
  return c;
}

TableWrite MarkConverted(int64_t raw_id, int64_t at, const RawContext* context) {
  std::vector<std::pair<std::string, model::Value>> set = {{"converted_at", at}};
  if (context != nullptr) set.emplace_back("context", context->Json());
  return TableWrite::Update(model::SpecOf<model::RawPayload>(), {raw_id}, std::move(set));
}

std::vector<TableWrite> DeletesOf(const RawContext& c) {
  std::vector<TableWrite> out;
  for (const std::string& id : c.deleted_prs) {
    out.push_back(TableWrite::DeleteWhere(model::SpecOf<model::PullRequest>(), {{"id", id}}));
    for (const model::TableSpec* spec :
         {&model::SpecOf<model::PrReview>(), &model::SpecOf<model::PrCommit>(),
          &model::SpecOf<model::PrComment>()}) {
      out.push_back(TableWrite::DeleteWhere(*spec, {{"pr_id", id}}));
    }
  }
  for (const std::string& id : c.deleted_issues) {
    out.push_back(TableWrite::DeleteWhere(model::SpecOf<model::Issue>(), {{"id", id}}));
  }
  for (const std::string& id : c.deleted_releases) {
    out.push_back(TableWrite::DeleteWhere(model::SpecOf<model::Release>(), {{"id", id}}));
  }
  return out;
}

}  // namespace sei::collectors::github
