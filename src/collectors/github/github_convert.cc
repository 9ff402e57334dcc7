// ConvertRest and ConvertDeploymentWithStatuses: REST pages to batches.
#include "collectors/github/github_convert.h"

#include <fmt/format.h>

#include <algorithm>

#include "collectors/github/github_internal.h"

namespace sei::collectors::github {
namespace {

// The items of an Actions envelope ({total_count, workflow_runs|jobs}), or
// `e` itself (a single object).
JsonElement Unwrap(JsonElement e, std::string_view key) {
  JsonElement inner;
  if (e.is_object() && e.get_object().at_key(key).get(inner) == simdjson::SUCCESS) return inner;
  return e;
}

Status CheckShape(JsonElement e, std::string_view kind) {
  if (e.is_array() || e.is_object()) return Status::Ok();
  return InvalidArgumentError(
      fmt::format("{}: the body must be a JSON array (a list page) or object", kind));
}

// Converts each item of a page with `convert(reader, index, rows)`.
template <class F>
ConvertedBatch Page(JsonElement e, RestKind kind, F&& convert) {
  ConvertedBatch out;
  ForEachItem(e, RestKindName(kind), "", &out, std::forward<F>(convert));
  return out;
}

ConvertedBatch ConvertParsed(RestKind kind, JsonElement e, const ConvertContext& ctx) {
  using R = const ObjectReader&;
  switch (kind) {
    case RestKind::kRepository:
      return Page(e, kind, [&](R r, int64_t, ConvertedBatch* b) { ReadRepository(r, ctx, b); });
    case RestKind::kPulls:
      return Page(e, kind,
                  [&](R r, int64_t, ConvertedBatch* b) { ConvertPullRequest(r, ctx, "", b); });
    case RestKind::kPrCommits:
      return Page(e, kind,
                  [&](R r, int64_t i, ConvertedBatch* b) { ConvertPrCommit(r, ctx, i, b); });
    case RestKind::kReviews:
      return Page(e, kind, [&](R r, int64_t, ConvertedBatch* b) { ConvertReview(r, ctx, b); });
    case RestKind::kReviewComments:
      return Page(e, kind,
                  [&](R r, int64_t, ConvertedBatch* b) { ConvertReviewComment(r, ctx, b); });
    case RestKind::kIssueComments:
      return Page(e, kind,
                  [&](R r, int64_t, ConvertedBatch* b) { ConvertIssueComment(r, ctx, b); });
    case RestKind::kIssues:
      return Page(e, kind, [&](R r, int64_t, ConvertedBatch* b) { ConvertIssue(r, ctx, b); });
    case RestKind::kWorkflowRuns:
      return Page(Unwrap(e, "workflow_runs"), kind,
                  [&](R r, int64_t, ConvertedBatch* b) { ConvertWorkflowRun(r, ctx, b); });
    case RestKind::kJobs:
      return Page(Unwrap(e, "jobs"), kind,
                  [&](R r, int64_t, ConvertedBatch* b) { ConvertJob(r, ctx, std::nullopt, b); });
    case RestKind::kDeployments:
      return Page(e, kind, [&](R r, int64_t, ConvertedBatch* b) {
        ConvertDeployment(r, ctx, std::nullopt, b);
      });
    case RestKind::kReleases:
      return Page(e, kind, [&](R r, int64_t, ConvertedBatch* b) { ConvertRelease(r, ctx, "", b); });
    case RestKind::kDeploymentStatuses:
      break;
  }
  return {};
}

// The statuses page's latest valid status (by created_at, then id); the
// invalid ones become errors of `out`.
std::optional<ObjectReader> LatestStatus(JsonElement page, Problems* keep, ConvertedBatch* out) {
  std::optional<ObjectReader> latest;
  std::pair<int64_t, int64_t> latest_key{INT64_MIN, INT64_MIN};
  simdjson::dom::array a;
  if (page.get_array().get(a) != simdjson::SUCCESS) return std::nullopt;
  size_t i = 0;
  for (JsonElement e : a) {
    Problems problems;
    ObjectReader s(e, "[" + std::to_string(i++) + "]", &problems);
    const std::pair<int64_t, int64_t> key{s.Time("created_at", true).value_or(0),
                                          s.Int("id", true).value_or(0)};
    s.Str("state", true);
    if (!problems.empty()) {
      out->errors.push_back(problems.ToStatus("deployment statuses"));
      continue;
    }
    if (!latest || key > latest_key) {
      latest = ObjectReader(e, s.path(), keep);
      latest_key = key;
    }
  }
  return latest;
}

}  // namespace

std::string_view RestKindName(RestKind kind) {
  switch (kind) {
    case RestKind::kRepository:
      return "repository";
    case RestKind::kPulls:
      return "pulls";
    case RestKind::kPrCommits:
      return "pull request commits";
    case RestKind::kReviews:
      return "reviews";
    case RestKind::kReviewComments:
      return "review comments";
    case RestKind::kIssueComments:
      return "issue comments";
    case RestKind::kIssues:
      return "issues";
    case RestKind::kWorkflowRuns:
      return "workflow runs";
    case RestKind::kJobs:
      return "jobs";
    case RestKind::kDeployments:
      return "deployments";
    case RestKind::kDeploymentStatuses:
      return "deployment statuses";
    case RestKind::kReleases:
      return "releases";
  }
  return "payload";
}

Result<ConvertedBatch> ConvertRest(RestKind kind, std::string_view body,
                                   const ConvertContext& ctx) {
  if (kind == RestKind::kDeploymentStatuses) {
    return InvalidArgumentError(
        "deployment statuses name no deployment of their own: convert them with "
        "ConvertDeploymentWithStatuses");
  }
  SEI_ASSIGN_OR_RETURN(JsonElement e, ParseBody(body, RestKindName(kind)));
  SEI_RETURN_IF_ERROR(CheckShape(e, RestKindName(kind)));
  return ConvertParsed(kind, e, ctx);
}

Result<ConvertedBatch> ConvertDeploymentWithStatuses(std::string_view deployment_body,
                                                     std::string_view statuses_body,
                                                     const ConvertContext& ctx) {
  SEI_ASSIGN_OR_RETURN(JsonElement deployment, ParseBody(deployment_body, "deployment", 0));
  SEI_ASSIGN_OR_RETURN(JsonElement statuses, ParseBody(statuses_body, "deployment statuses", 1));
  if (!deployment.is_object() || !statuses.is_array()) {
    return InvalidArgumentError(
        "a deployment (a JSON object) and its statuses page (a JSON array) are expected");
  }
  ConvertedBatch out;
  Problems status_problems;
  std::optional<ObjectReader> latest = LatestStatus(statuses, &status_problems, &out);
  ForEachItem(deployment, "deployment", "", &out,
              [&](const ObjectReader& r, int64_t, ConvertedBatch* b) {
                ConvertDeployment(r, ctx, latest, b);
              });
  if (!status_problems.empty()) out.errors.push_back(status_problems.ToStatus("deployment"));
  return out;
}

}  // namespace sei::collectors::github
