// The Deployments API: deployments and their statuses.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "collectors/github/github_internal.h"
#include "model/environment.h"
#include "model/ids.h"

namespace sei::collectors::github {
namespace {

// A deployment status's state as a deployment result; nullopt when unknown.
// `inactive` is what GitHub sets on an earlier successful deployment once a
// newer one to its environment succeeds: it was deployed, then superseded.
std::optional<std::string> ResultOfState(std::string_view state) {
  if (state == "success" || state == "inactive") return std::string("success");
  if (state == "failure" || state == "error") return std::string("failure");
  if (state == "in_progress" || state == "queued" || state == "pending") {
    return std::string("in_progress");
  }
  return std::nullopt;
}

std::string DeploymentRepo(const ObjectReader& r) {
  std::string repo = RepoFromApiUrl(r.Str("repository_url", false).value_or(""));
  if (repo.empty()) repo = RepoFromApiUrl(r.Str("url", false).value_or(""));
  if (repo.empty()) r.Error("repository_url", "is required (the API url of the repository)");
  return repo;
}

// Sets the result, finish time and url the latest status gives.
void ApplyStatus(const ObjectReader& status, model::Deployment* d) {
  const std::string state = status.Str("state", true).value_or("");
  std::optional<std::string> result = ResultOfState(state);
  if (!result) {
    if (!state.empty()) {
      status.Error("state", fmt::format("must be success, failure, error, inactive, "
                                        "in_progress, queued or pending (got \"{}\")",
                                        state));
    }
    return;
  }
  d->result = *result;
  const std::optional<int64_t> at = status.Time("created_at", true);
  if (d->result != "in_progress") d->finished_at = at;
  for (const char* key : {"log_url", "target_url", "environment_url"}) {
    std::optional<std::string> url = status.Str(key, false);
    if (url && !url->empty() && !d->url) d->url = url;
  }
}

}  // namespace

void ConvertDeployment(const ObjectReader& r, const ConvertContext& ctx,
                       const std::optional<ObjectReader>& latest_status, ConvertedBatch* out) {
  model::Deployment d;
  d.id =
      model::MakeId(ctx.connection_id, "deployment", std::to_string(r.Int("id", true).value_or(0)));
  d.connection_id = ctx.connection_id;
  d.repo_id = RepoRef(ctx, DeploymentRepo(r));
  d.environment = r.Str("environment", true).value_or("");
  d.environment_type = r.Bool("production_environment").value_or(false)
                           ? "production"
                           : model::EnvironmentTypeOf(d.environment);
  d.commit_sha = r.Str("sha", true);
  d.ref = r.Str("ref", false);
  d.started_at = r.Time("created_at", true);
  // No status known: "" (the batch writer keeps a stored result, else
  // writes in_progress).
  if (latest_status) ApplyStatus(*latest_status, &d);
  d.raw_id = ctx.raw_id;
  out->deployments.push_back(std::move(d));
}

Result<ConvertedBatch> ConvertDeploymentsPage(std::string_view body,
                                              const StatusPagesOf& statuses_of,
                                              const ConvertContext& ctx) {
  using nlohmann::json;
  const json list = json::parse(body, nullptr, false);
  if (!list.is_array()) {
    return InvalidArgumentError("deployments: the body must be a JSON array (a list page)");
  }
  ConvertedBatch out;
  for (const json& d : list) {
    const int64_t id = d.is_object() ? d.value("id", int64_t{0}) : 0;
    SEI_ASSIGN_OR_RETURN(std::vector<std::string> pages, statuses_of(id));
    json statuses = json::array();
    for (const std::string& page : pages) {
      json more = json::parse(page, nullptr, false);
      if (!more.is_array()) {
        return InvalidArgumentError(
            fmt::format("the statuses of deployment {}: a page is not a JSON array", id));
      }
      for (json& s : more) statuses.push_back(std::move(s));
    }
    Result<ConvertedBatch> b = ConvertDeploymentWithStatuses(d.dump(), statuses.dump(), ctx);
    if (!b.ok()) {
      out.errors.push_back(b.status());
      continue;
    }
    out.Append(std::move(*b));
  }
  return out;
}

}  // namespace sei::collectors::github
