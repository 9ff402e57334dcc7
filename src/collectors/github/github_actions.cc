// GitHub Actions: workflow runs (pipelines) and their jobs.
#include <fmt/format.h>

#include <cctype>

#include "collectors/github/github_internal.h"
#include "model/ids.h"

namespace sei::collectors::github {
namespace {

// A conclusion as our result: success, failure, cancelled, skipped; "" for
// none yet (null, or "" in DevLake's edited rows); nullopt when unknown.
std::optional<std::string> ResultOf(std::string_view conclusion) {
  const std::string c = AsciiLower(conclusion);
  if (c.empty()) return std::string();
  if (c == "success") return std::string("success");
  if (c == "failure" || c == "timed_out" || c == "startup_failure") return std::string("failure");
  if (c == "cancelled") return std::string("cancelled");
  // Did not run to a result: neutral, skipped, superseded (stale), or
  // waiting for an approval that never came (action_required).
  if (c == "skipped" || c == "neutral" || c == "stale" || c == "action_required") {
    return std::string("skipped");
  }
  return std::nullopt;
}

// A status as ours: queued, running, done. DevLake's edited rows put
// conclusions in `status` ("SUCCESS", "TIMED_OUT"): those are done.
std::optional<std::string> StatusOf(std::string_view status) {
  const std::string s = AsciiLower(status);
  if (s == "completed") return std::string("done");
  if (s == "in_progress") return std::string("running");
  if (s == "queued" || s == "requested" || s == "waiting" || s == "pending") {
    return std::string("queued");
  }
  std::optional<std::string> as_result = ResultOf(s);
  if (as_result && !as_result->empty()) return std::string("done");
  return std::nullopt;
}

// Reads `status` and `conclusion` into ours; problems when unknown.
void ReadOutcome(const ObjectReader& r, std::string* status, std::optional<std::string>* result) {
  const std::string raw_status = r.Str("status", true).value_or("");
  std::optional<std::string> s = StatusOf(raw_status);
  if (!s) {
    if (!raw_status.empty()) {
      r.Error("status", fmt::format("is not a GitHub Actions status (got \"{}\")", raw_status));
    }
    return;
  }
  *status = *s;
  const std::string raw_conclusion = r.Str("conclusion", false).value_or("");
  std::optional<std::string> c = ResultOf(raw_conclusion);
  if (!c) {
    r.Error("conclusion",
            fmt::format("is not a GitHub Actions conclusion (got \"{}\")", raw_conclusion));
    return;
  }
  if (!c->empty()) *result = *c;
}

// The earliest step start and latest step end; validates every step time
// (runner-local offsets such as +08:00 included).
void StepBounds(const ObjectReader& job, std::optional<int64_t>* first,
                std::optional<int64_t>* last) {
  std::optional<simdjson::dom::array> steps = job.Arr("steps", false);
  if (!steps) return;
  size_t i = 0;
  for (JsonElement e : *steps) {
    ObjectReader step(e, job.PathOf("steps") + "[" + std::to_string(i++) + "]", job.problems());
    std::optional<int64_t> started = step.Time("started_at", false);
    std::optional<int64_t> completed = step.Time("completed_at", false);
    if (started && (!*first || *started < **first)) *first = started;
    if (completed && (!*last || *completed > **last)) *last = completed;
  }
}

std::string RunRepo(const ObjectReader& r) {
  if (std::optional<ObjectReader> repo = r.Obj("repository", false)) {
    if (std::optional<std::string> name = repo->Str("full_name", false)) return *name;
  }
  std::string repo = RepoFromApiUrl(r.Str("url", false).value_or(""));
  if (repo.empty()) r.Error("repository.full_name", "is required (or an API url naming it)");
  return repo;
}

}  // namespace

void ConvertWorkflowRun(const ObjectReader& r, const ConvertContext& ctx, ConvertedBatch* out) {
  model::CiPipeline p;
  const int64_t id = r.Int("id", true).value_or(0);
  p.id = RunId(ctx.connection_id, id);  // re-runs share it: the row is the latest attempt
  p.connection_id = ctx.connection_id;
  const std::optional<int64_t> workflow_id = r.Int("workflow_id", false);
  p.ci_scope = model::MakeId(ctx.connection_id, "workflow",
                             workflow_id ? std::to_string(*workflow_id) : std::string("unknown"));
  // The 2020 shape has neither name nor path.
  p.name =
      r.Str("name", false)
          .value_or(r.Str("path", false)
                        .value_or(workflow_id ? fmt::format("workflow {}", *workflow_id) : ""));
  p.repo_id = RepoRef(ctx, RunRepo(r));
  p.ref = r.Str("head_branch", false);
  p.commit_sha = r.Str("head_sha", true);
  ReadOutcome(r, &p.status, &p.result);
  p.trigger = r.Str("event", false);
  p.created_at = r.Time("created_at", true).value_or(0);
  p.started_at = r.Time("run_started_at", false);
  if (!p.started_at) p.started_at = p.created_at;
  // Runs have no completion time: their last update is when they finished.
  const std::optional<int64_t> updated = r.Time("updated_at", false);
  if (p.status == "done") p.finished_at = updated;
  p.url = r.Str("html_url", false);
  p.raw_id = ctx.raw_id;
  out->pipelines.push_back(std::move(p));
}

void ConvertJob(const ObjectReader& r, const ConvertContext& ctx,
                const std::optional<std::string>& environment, ConvertedBatch* out) {
  model::CiJob j;
  j.id = model::MakeId(ctx.connection_id, "job", std::to_string(r.Int("id", true).value_or(0)));
  j.pipeline_id = RunId(ctx.connection_id, r.Int("run_id", true).value_or(0));
  j.name = r.Str("name", true).value_or("");
  ReadOutcome(r, &j.status, &j.result);
  j.started_at = r.Time("started_at", false);
  j.finished_at = r.Time("completed_at", false);
  std::optional<int64_t> first_step, last_step;
  StepBounds(r, &first_step, &last_step);
  if (!j.started_at) j.started_at = first_step;
  if (!j.finished_at && j.status == "done") j.finished_at = last_step;
  const std::string workflow = r.Str("workflow_name", false).value_or(ctx.workflow_name);
  const CompiledPatterns& patterns = PatternsOf(ctx);
  j.is_deployment = environment.has_value() || patterns.IsDeployment(j.name, workflow);
  if (environment) {
    j.environment = environment;
  } else if (j.is_deployment) {
    j.environment = patterns.EnvironmentOf(j.name, workflow);
  }
  j.url = r.Str("html_url", false);
  j.raw_id = ctx.raw_id;
  out->jobs.push_back(std::move(j));
}

}  // namespace sei::collectors::github
