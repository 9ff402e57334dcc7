// ConvertWebhook: one delivery, dispatched by its X-GitHub-Event name to the
// same per-object converters the REST pages use.
#include <fmt/format.h>

#include <string_view>

#include "collectors/github/github_convert.h"
#include "collectors/github/github_internal.h"

namespace sei::collectors::github {
namespace {

using Handler = void (*)(const ObjectReader& root, std::string_view action,
                         const ConvertContext& ctx, ConvertedBatch* out);

// The PR object of a review or comment event, converted too (its shape is the
// list item's: no merged, merged_by or additions); ctx gains its id.
ConvertContext WithPr(const ObjectReader& root, const ConvertContext& ctx, ConvertedBatch* out) {
  ConvertContext with = ctx;
  if (std::optional<ObjectReader> pr = root.Obj("pull_request", true)) {
    const size_t before = out->prs.size();
    ConvertPullRequest(*pr, ctx, "", out);
    if (out->prs.size() > before) with.pr_id = out->prs.back().id;
  }
  return with;
}

void OnPullRequest(const ObjectReader& root, std::string_view action, const ConvertContext& ctx,
                   ConvertedBatch* out) {
  if (std::optional<ObjectReader> pr = root.Obj("pull_request", true)) {
    ConvertPullRequest(*pr, ctx, action, out);
  }
}

void OnReview(const ObjectReader& root, std::string_view, const ConvertContext& ctx,
              ConvertedBatch* out) {
  const ConvertContext with = WithPr(root, ctx, out);
  if (std::optional<ObjectReader> review = root.Obj("review", true)) {
    ConvertReview(*review, with, out);
  }
}

void OnReviewComment(const ObjectReader& root, std::string_view, const ConvertContext& ctx,
                     ConvertedBatch* out) {
  const ConvertContext with = WithPr(root, ctx, out);
  if (std::optional<ObjectReader> comment = root.Obj("comment", true)) {
    ConvertReviewComment(*comment, with, out);
  }
}

void OnIssueComment(const ObjectReader& root, std::string_view, const ConvertContext& ctx,
                    ConvertedBatch* out) {
  std::optional<ObjectReader> issue = root.Obj("issue", true);
  std::optional<ObjectReader> comment = root.Obj("comment", true);
  if (!issue || !comment) return;
  if (!issue->Has("pull_request")) {
    ++out->skipped;
    out->note = "a comment on an issue, not a pull request: not stored (no issue comments table)";
    return;
  }
  ConvertIssueComment(*comment, ctx, out);
}

void OnIssue(const ObjectReader& root, std::string_view, const ConvertContext& ctx,
             ConvertedBatch* out) {
  if (std::optional<ObjectReader> issue = root.Obj("issue", true)) ConvertIssue(*issue, ctx, out);
}

void OnDeployment(const ObjectReader& root, std::string_view, const ConvertContext& ctx,
                  ConvertedBatch* out) {
  std::optional<ObjectReader> d = root.Obj("deployment", true);
  if (d) ConvertDeployment(*d, ctx, root.Obj("deployment_status", false), out);
}

void OnDeploymentStatus(const ObjectReader& root, std::string_view, const ConvertContext& ctx,
                        ConvertedBatch* out) {
  std::optional<ObjectReader> d = root.Obj("deployment", true);
  std::optional<ObjectReader> status = root.Obj("deployment_status", true);
  if (d && status) ConvertDeployment(*d, ctx, status, out);
}

void OnWorkflowRun(const ObjectReader& root, std::string_view, const ConvertContext& ctx,
                   ConvertedBatch* out) {
  if (std::optional<ObjectReader> run = root.Obj("workflow_run", true)) {
    ConvertWorkflowRun(*run, ctx, out);
  }
}

void OnWorkflowJob(const ObjectReader& root, std::string_view, const ConvertContext& ctx,
                   ConvertedBatch* out) {
  std::optional<std::string> environment;
  if (std::optional<ObjectReader> d = root.Obj("deployment", false)) {
    environment = d->Str("environment", true);
  }
  if (std::optional<ObjectReader> job = root.Obj("workflow_job", true)) {
    ConvertJob(*job, ctx, environment, out);
  }
}

// `deleted`: the release is gone (its row too); any other action
// (created, published, edited, prereleased, released, unpublished) carries
// the release as it now is.
void OnRelease(const ObjectReader& root, std::string_view action, const ConvertContext& ctx,
               ConvertedBatch* out) {
  std::optional<ObjectReader> release = root.Obj("release", true);
  if (!release) return;
  std::string repo;
  if (std::optional<ObjectReader> r = root.Obj("repository", false)) {
    repo = r->Str("full_name", false).value_or("");
  }
  if (action == "deleted") {
    if (std::optional<int64_t> id = release->Int("id", true)) {
      out->deleted_releases.push_back(ReleaseId(ctx.connection_id, *id));
    }
    return;
  }
  ConvertRelease(*release, ctx, repo, out);
}

void OnPush(const ObjectReader&, std::string_view, const ConvertContext&, ConvertedBatch* out) {
  out->note = "push: the repository only; branches and tags are the git collector's";
}

void OnPing(const ObjectReader&, std::string_view, const ConvertContext&, ConvertedBatch* out) {
  out->note = "ping: nothing to store";
}

struct Route {
  std::string_view event;
  Handler handler;
  bool repository;  // the body's `repository` becomes a Repo row
};

constexpr Route kRoutes[] = {
    {"pull_request", OnPullRequest, true},
    {"pull_request_review", OnReview, true},
    {"pull_request_review_comment", OnReviewComment, true},
    {"issue_comment", OnIssueComment, true},
    {"issues", OnIssue, true},
    {"deployment", OnDeployment, true},
    {"deployment_status", OnDeploymentStatus, true},
    {"workflow_run", OnWorkflowRun, true},
    {"workflow_job", OnWorkflowJob, true},
    {"release", OnRelease, true},
    {"push", OnPush, true},
    {"ping", OnPing, false},
};

}  // namespace

bool IsHandledWebhookEvent(std::string_view name) {
  for (const Route& r : kRoutes) {
    if (r.event == name) return true;
  }
  return false;
}

Result<ConvertedBatch> ConvertWebhook(std::string_view event_name, std::string_view body,
                                      const ConvertContext& ctx) {
  const Route* route = nullptr;
  for (const Route& r : kRoutes) {
    if (r.event == event_name) route = &r;
  }
  ConvertedBatch out;
  if (route == nullptr) {
    out.handled = false;
    out.note = fmt::format("webhook event '{}' is not handled: nothing converted", event_name);
    return out;
  }
  const std::string kind = fmt::format("{} webhook", event_name);
  SEI_ASSIGN_OR_RETURN(JsonElement e, ParseBody(body, kind));
  Problems problems;
  ObjectReader root(e, "", &problems);
  if (root.valid()) {
    const std::string action = root.Str("action", false).value_or("");
    if (route->repository) {
      if (std::optional<ObjectReader> repo = root.Obj("repository", false)) {
        ReadRepository(*repo, ctx, &out);
      }
    }
    route->handler(root, action, ctx, &out);
  }
  if (!problems.empty()) return problems.ToStatus(kind);
  return out;
}

}  // namespace sei::collectors::github
