#include "app/serve_collector.h"

#include <algorithm>

#include "app/github_job.h"
#include "auth/connection_service.h"
#include "collectors/git/git_collector.h"
#include "common/clock.h"
#include "model/git.h"

namespace sei::app {

namespace {

constexpr const char* kGitConnection = "git:local";

bool IsGithub(const std::string& connection_id) { return connection_id.rfind("github:", 0) == 0; }

Result<model::Connection> Load(Store& store, const std::string& id) {
  SEI_ASSIGN_OR_RETURN(auto found, auth::ConnectionService(store, nullptr).Get(id));
  if (!found) return NotFoundError("no connection '" + id + "'");
  return found->connection;
}

}  // namespace

bool ServeCollector::Collects(const std::string& connection_id) const {
  return connection_id == kGitConnection || IsGithub(connection_id);
}

Result<std::vector<std::string>> ServeCollector::DefaultLocations(
    Store& store, const std::string& connection_id) {
  if (IsGithub(connection_id)) {
    SEI_ASSIGN_OR_RETURN(model::Connection c, Load(store, connection_id));
    return std::vector<std::string>{GithubRunScope(c)};
  }
  std::vector<std::string> out;
  for (const GitSourceConfig& s : g_.config.git_sources) out.push_back(s.location);
  ScanOptions where;
  where.where = {{"connection_id", std::string(kGitConnection)}};
  SEI_ASSIGN_OR_RETURN(std::vector<model::Repo> repos, store.List<model::Repo>(where));
  for (const model::Repo& r : repos) {
    if (std::find(out.begin(), out.end(), r.location) == out.end()) out.push_back(r.location);
  }
  return out;
}

Status ServeCollector::Collect(Store& store, const api::CollectJob& job) {
  if (job.kind == "reconvert") return Reconvert(store, job);
  if (IsGithub(job.connection_id)) {
    auto c = Load(store, job.connection_id);
    if (!c.ok()) {
      store
          .FinishRun(job.run_id, "failed", 0, c.status().message(),
                     SystemClock::Get().NowUnixSeconds())
          .IgnoreError();
      return c.status();
    }
    GithubJobOptions o;
    o.full = job.full;
    o.run_id = job.run_id;
    o.cancel = job.cancel;
    return RunGithubJob(g_, store, *c, o).status();
  }
  const std::string& location = job.location;
  collectors::GitCollectOptions o;
  o.jobs = g_.config.jobs.value_or(0);
  o.detect_renames = g_.config.renames;
  o.include_remotes = g_.config.include_remotes;
  o.data_dir = g_.data_dir;
  for (const GitSourceConfig& s : g_.config.git_sources) {
    if (s.location == location && s.name) o.name = *s.name;
  }
  o.cancel = job.cancel;
  o.run_id = job.run_id;
  collectors::GitCollector collector(&store, o);
  return collector.Collect(location).status();
}

// A "reconvert" job (`sei reconvert --queue`): the connection's archived
// payloads converted again, as `sei reconvert` does, finishing the job's run
// with the rows made.
Status ServeCollector::Reconvert(Store& store, const api::CollectJob& job) {
  auto fail = [&](const Status& s) {
    store.FinishRun(job.run_id, "failed", 0, s.message(), SystemClock::Get().NowUnixSeconds())
        .IgnoreError();
    return s;
  };
  if (!IsGithub(job.connection_id)) {
    return fail(InvalidArgumentError(job.connection_id +
                                     ": only GitHub connections have archived payloads to "
                                     "convert again"));
  }
  Result<ReconvertRequest> request = ParseReconvertLocation(job.location);
  if (!request.ok()) return fail(request.status());
  request->cancel = job.cancel;
  auto c = Load(store, job.connection_id);
  if (!c.ok()) return fail(c.status());
  auto all = store.List<model::Connection>();
  if (!all.ok()) return fail(all.status());
  auto report = ReconvertGithub(g_, store, {*c}, *all, *request);
  if (!report.ok()) return fail(report.status());
  const bool stopped = job.cancel != nullptr && job.cancel->load();
  std::optional<std::string> error;
  if (!report->page_errors.empty()) {
    error = std::to_string(report->page_errors.size()) +
            " archived pages could not be converted; first: " + report->page_errors.front();
  }
  return store.FinishRun(job.run_id,
                         stopped ? "interrupted"
                         : error ? "failed"
                                 : "complete",
                         report->rows, error, SystemClock::Get().NowUnixSeconds());
}

}  // namespace sei::app
