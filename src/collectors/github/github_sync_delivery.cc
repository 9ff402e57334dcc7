// GithubSync's delivery steps: Actions runs with their jobs, deployments
// with their statuses, and releases.
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "collectors/github/github_sync.h"
#include "collectors/github/github_sync_cursor.h"
#include "common/time.h"
#include "net/link_header.h"

namespace sei::collectors::github {
namespace {

int64_t NumberAfterColon(const std::string& id) {
  const size_t at = id.rfind(':');
  if (at == std::string::npos) return 0;
  return std::strtoll(id.c_str() + at + 1, nullptr, 10);
}

std::string IsoDay(int64_t t) { return FormatRfc3339Utc(t).substr(0, 10); }

}  // namespace

Status GithubSync::SyncRuns(const std::string& repo) {
  SEI_ASSIGN_OR_RETURN(Cursor c, LoadCursor(repo, "runs"));
  bool resume = false;
  Cursor run = Start(c, &resume);
  const bool full = run.full;
  std::string url = fmt::format("/repos/{}/actions/runs?per_page={}", repo, options_.per_page);
  // Runs created a day before the cursor are asked again: they may have
  // been running then.
  if (!full && c.since > 0) url += "&created=%3E%3D" + IsoDay(c.since - 86400);
  url = resume ? c.next : Url(url);
  int64_t oldest_unfinished = run.run_start;
  const std::string inm = IfNoneMatch(c, url, resume, full, &run);
  while (true) {
    SEI_ASSIGN_OR_RETURN(Page page, Fetch(url, repo, "runs", url == run.etag_url ? inm : ""));
    if (page.not_modified) {  // no run began or changed since
      run.etag = page.etag;
      Finish(&run, c.since);
      ConvertedBatch none;
      return Commit(none, repo, "runs", run);
    }
    if (url == run.etag_url && !resume) run.etag = page.etag;
    SEI_ASSIGN_OR_RETURN(ConvertedBatch batch, Convert(RestKind::kWorkflowRuns, page, {}));
    const std::vector<model::CiPipeline> pipelines = batch.pipelines;
    for (const model::CiPipeline& p : pipelines) {
      if (p.status != "done") oldest_unfinished = std::min(oldest_unfinished, p.created_at);
      ConvertContext ctx;
      ctx.workflow_name = p.name;
      SEI_RETURN_IF_ERROR(AllPages(
          Url(fmt::format("/repos/{}/actions/runs/{}/jobs?per_page={}", repo,
                          NumberAfterColon(p.id), options_.per_page)),
          [&](const std::string& u) { return Fetch(u, repo, "jobs"); },
          [&](const Page& jobs, int64_t) -> Status {
            SEI_ASSIGN_OR_RETURN(ConvertedBatch b, Convert(RestKind::kJobs, jobs, ctx));
            batch.Append(std::move(b));
            return Status::Ok();
          }));
    }
    const bool last = !page.next;
    if (last) {
      Finish(&run, oldest_unfinished);
    } else {
      run.next = *page.next;
    }
    SEI_RETURN_IF_ERROR(Commit(batch, repo, "runs", run));
    if (last) return Status::Ok();
    url = run.next;
  }
}

Status GithubSync::SyncDeployments(const std::string& repo) {
  SEI_ASSIGN_OR_RETURN(Cursor c, LoadCursor(repo, "deployments"));
  bool resume = false;
  Cursor run = Start(c, &resume);
  // Statuses change after a deployment is made: a day of overlap.
  const int64_t since = run.full ? 0 : c.since - 86400;
  // Newest first: a deployment made while the listing runs shifts the rest
  // down a page (seen twice: upserts), and is itself in the next listing
  // (created after this one began), so a resumed listing has no gap.
  std::string url =
      resume ? c.next
             : Url(fmt::format("/repos/{}/deployments?per_page={}", repo, options_.per_page));
  while (true) {
    SEI_ASSIGN_OR_RETURN(Page page, Fetch(url, repo, "deployments"));
    RawContext mark;
    mark.kind = std::string(RestKindKey(RestKind::kDeployments));
    auto statuses_of = [&](int64_t id) -> Result<std::vector<std::string>> {
      std::vector<std::string> bodies;
      std::vector<int64_t> raws;
      SEI_RETURN_IF_ERROR(AllPages(
          Url(fmt::format("/repos/{}/deployments/{}/statuses?per_page={}", repo, id,
                          options_.per_page)),
          [&](const std::string& u) { return Fetch(u, repo, "deployment-statuses"); },
          [&](const Page& p, int64_t) -> Status {
            bodies.push_back(p.body);
            raws.push_back(p.raw_id);
            return Status::Ok();
          }));
      for (int64_t raw : raws) {
        RawContext with;
        with.kind = std::string(RestKindKey(RestKind::kDeploymentStatuses));
        with.with_raw_id = page.raw_id;
        Mark(raw, std::move(with));
      }
      mark.statuses.emplace_back(id, std::move(raws));
      return bodies;
    };
    ConvertContext ctx;
    ctx.connection_id = options_.connection_id;
    ctx.raw_id = page.raw_id;
    ctx.patterns = &patterns_;
    Result<ConvertedBatch> converted = ConvertDeploymentsPage(page.body, statuses_of, ctx);
    if (!converted.ok()) {
      return Status(converted.status().code(),
                    fmt::format("the deployments page {}: {}", net::RedactUrl(url),
                                converted.status().message()));
    }
    ConvertedBatch batch = std::move(*converted);
    for (const Status& e : batch.errors) {
      report_.item_errors.push_back(net::RedactUrl(url) + ": " + e.message());
    }
    Mark(page.raw_id, std::move(mark));
    bool older = false;
    for (const model::Deployment& dep : batch.deployments) {
      if (dep.started_at.value_or(0) < since) older = true;
    }
    const bool last = older || !page.next;
    if (last) {
      Finish(&run, run.run_start);
    } else {
      run.next = *page.next;
    }
    SEI_RETURN_IF_ERROR(Commit(batch, repo, "deployments", run));
    if (last) return Status::Ok();
    url = run.next;
  }
}

Status GithubSync::SyncReleases(const std::string& repo) {
  SEI_ASSIGN_OR_RETURN(Cursor c, LoadCursor(repo, "releases"));
  bool resume = false;
  Cursor run = Start(c, &resume);
  std::string url =
      resume ? c.next : Url(fmt::format("/repos/{}/releases?per_page={}", repo, options_.per_page));
  std::set<std::string> seen;
  while (true) {
    SEI_ASSIGN_OR_RETURN(Page page, Fetch(url, repo, "releases"));
    SEI_ASSIGN_OR_RETURN(ConvertedBatch batch, Convert(RestKind::kReleases, page, {}));
    for (const model::Release& r : batch.releases) seen.insert(r.id);
    const bool last = !page.next;
    if (last) {
      Finish(&run, run.run_start);
    } else {
      run.next = *page.next;
    }
    // Every listing is complete, so one that ran from its first page knows
    // which releases are gone (a resumed one saw only its tail).
    RawContext deleted;
    if (last && !resume) {
      SEI_ASSIGN_OR_RETURN(deleted.deleted_releases,
                           Unseen(model::SpecOf<model::Release>(), "repo_id",
                                  RepoId(options_.connection_id, repo), seen));
    }
    SEI_RETURN_IF_ERROR(Commit(batch, repo, "releases", run, deleted));
    if (last) return Status::Ok();
    url = run.next;
  }
}

}  // namespace sei::collectors::github
