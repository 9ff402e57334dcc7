#include "collectors/github/github_sync.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "collectors/github/github_batch_writer.h"
#include "common/clock.h"
#include "common/time.h"
#include "model/entity.h"
#include "model/meta.h"
#include "net/link_header.h"

namespace sei::collectors::github {

using nlohmann::json;

// An entity's place: `since` is when its last complete listing began;
// while a listing runs, `next` is the page to fetch next and `run_start`
// when the listing began (its `since` once complete).
struct GithubSync::Cursor {
  int64_t since = 0;
  std::string next;
  int64_t run_start = 0;
  bool full = false;  // the listing that runs is a full one
  bool in_progress = false;
  int64_t full_at = 0;  // when the last full listing began
  // The ETag of the first page the last listing began with, and its URL:
  // asked again unchanged, GitHub answers 304 (free of rate limit).
  std::string etag;
  std::string etag_url;

  std::string Json() const {
    json j = {{"since", since}, {"full_at", full_at}};
    if (!etag.empty()) {
      j["etag"] = etag;
      j["etag_url"] = etag_url;
    }
    if (in_progress) {
      j["next"] = next;
      j["run_start"] = run_start;
      j["full"] = full;
    }
    return j.dump();
  }
};

namespace {

constexpr const char* kApiVersion = "2022-11-28";

int64_t NumberAfterColon(const std::string& id) {
  const size_t at = id.rfind(':');
  if (at == std::string::npos) return 0;
  return std::strtoll(id.c_str() + at + 1, nullptr, 10);
}

std::string IsoDay(int64_t t) { return FormatRfc3339Utc(t).substr(0, 10); }

std::string GithubMessage(const std::string& body) {
  json j = json::parse(body, nullptr, false);
  if (j.is_object() && j.contains("message") && j["message"].is_string()) {
    return j["message"].get<std::string>();
  }
  return body.substr(0, 200);
}

}  // namespace

GithubSync::GithubSync(Store& store, net::HttpClient& http, SyncOptions options)
    : store_(store), http_(http), options_(std::move(options)) {
  if (options_.now == 0) options_.now = SystemClock::Get().NowUnixSeconds();
  if (options_.per_page <= 0 || options_.per_page > 100) options_.per_page = 100;
}

Status GithubSync::CheckCancel() const {
  if (options_.cancel != nullptr && options_.cancel->load()) {
    return CancelledError("the sync was interrupted; run it again to continue where it stopped");
  }
  return Status::Ok();
}

std::string GithubSync::Url(const std::string& path) const {
  return net::ResolveUrl(options_.api_url + "/", path.substr(path[0] == '/' ? 1 : 0));
}

Result<GithubSync::Page> GithubSync::Fetch(const std::string& url, const std::string& scope,
                                           const std::string& entity,
                                           const std::string& if_none_match) {
  SEI_RETURN_IF_ERROR(CheckCancel());
  net::HttpRequest req = net::HttpRequest::Get(url);
  req.SetHeader("Accept", "application/vnd.github+json");
  req.SetHeader("X-GitHub-Api-Version", kApiVersion);
  if (!if_none_match.empty()) req.SetHeader("If-None-Match", if_none_match);
  ++report_.requests;
  SEI_ASSIGN_OR_RETURN(net::HttpResponse resp, http_.Send(req));
  if (resp.status == 304 && !if_none_match.empty()) {
    Page same;
    same.url = url;
    same.not_modified = true;
    same.etag = if_none_match;
    ++report_.not_modified;
    return same;
  }
  if (resp.status < 200 || resp.status >= 300) {
    const std::string what = fmt::format("GitHub answered {} to GET {}: {}", resp.status,
                                         net::RedactUrl(url), GithubMessage(resp.body));
    if (resp.status == 401) {
      return UnauthenticatedError(what +
                                  " (check the connection's token: sei connect github "
                                  "... --token-env VAR)");
    }
    if (resp.status == 404) {
      return NotFoundError(what + " (check the name, and that the token may read it)");
    }
    if (resp.status == 403) return PermissionDeniedError(what);
    return UnavailableError(what);
  }
  model::RawPayload raw{0,
                        options_.connection_id,
                        "github",
                        scope,
                        entity,
                        url,
                        options_.now,
                        resp.Header("content-type").value_or("application/json"),
                        resp.body,
                        std::nullopt};
  Page page;
  page.url = url;
  page.etag = resp.Header("etag").value_or("");
  SEI_ASSIGN_OR_RETURN(page.raw_id,
                       store_.AppendRow(model::SpecOf<model::RawPayload>(), model::ToRow(raw)));
  page.body = std::move(resp.body);
  SEI_ASSIGN_OR_RETURN(net::PageLinks links, net::PageLinksOf(resp));
  if (links.next) {
    page.next = net::ResolveUrl(url, *links.next);
    if (*page.next == url) {
      return DataLossError("GitHub's next page of " + net::RedactUrl(url) +
                           " is the same page: stopping rather than looping");
    }
  }
  ++report_.pages;
  return page;
}

Result<ConvertedBatch> GithubSync::Convert(RestKind kind, const Page& page, ConvertContext ctx) {
  ctx.connection_id = options_.connection_id;
  ctx.raw_id = page.raw_id;
  ctx.patterns = &patterns_;
  Result<ConvertedBatch> b = ConvertRest(kind, page.body, ctx);
  if (!b.ok()) {
    return InvalidArgumentError(fmt::format("cannot read the {} page {}: {}", RestKindName(kind),
                                            net::RedactUrl(page.url), b.status().message()));
  }
  for (const Status& e : b->errors) {
    report_.item_errors.push_back(net::RedactUrl(page.url) + ": " + e.message());
  }
  return b;
}

Result<GithubSync::Cursor> GithubSync::LoadCursor(const std::string& scope,
                                                  const std::string& entity) {
  Cursor c;
  SEI_ASSIGN_OR_RETURN(std::optional<model::SyncState> s,
                       store_.GetSyncState(options_.connection_id, scope, entity));
  if (!s) return c;
  json j = json::parse(s->cursor, nullptr, false);
  if (!j.is_object()) return c;  // unreadable: start over (upserts make it safe)
  c.since = j.value("since", int64_t{0});
  c.full_at = j.value("full_at", int64_t{0});
  c.etag = j.value("etag", std::string());
  c.etag_url = j.value("etag_url", std::string());
  if (s->status == "in_progress" && j.contains("next")) {
    c.in_progress = true;
    c.next = j.value("next", std::string());
    c.run_start = j.value("run_start", options_.now);
    c.full = j.value("full", false);
  }
  return c;
}

Status GithubSync::Commit(ConvertedBatch& batch, const std::string& scope,
                          const std::string& entity, const Cursor& cursor,
                          std::vector<TableWrite> also) {
  model::SyncState state{
      options_.connection_id, scope,        entity,
      cursor.Json(),          std::nullopt, cursor.in_progress ? "in_progress" : "complete",
      std::nullopt,           options_.now};
  also.push_back(TableWrite::Upsert(std::vector<model::SyncState>{state}));
  SEI_RETURN_IF_ERROR(WriteBatch(store_, batch, std::move(also)));
  report_.rows += static_cast<int64_t>(batch.RowCount());
  return Status::Ok();
}

GithubSync::Cursor GithubSync::Start(const Cursor& c, bool* resume) {
  *resume = c.in_progress && !c.next.empty();
  Cursor run = c;
  run.in_progress = true;
  if (!*resume) {
    const int64_t every = options_.settings.full_every_seconds;
    run.full = options_.full || (every > 0 && options_.now - c.full_at >= every);
    run.run_start = options_.now;
  }
  if (run.full) report_.full = true;
  return run;
}

std::string GithubSync::IfNoneMatch(const Cursor& c, const std::string& url, bool resume, bool full,
                                    Cursor* run) const {
  if (resume) return "";  // the listing's first page was taken before
  run->etag_url = url;
  run->etag.clear();
  return !full && c.etag_url == url ? c.etag : "";
}

void GithubSync::Finish(Cursor* run, int64_t since) {
  run->in_progress = false;
  run->since = since;
  run->next.clear();
  if (run->full) run->full_at = run->run_start;
}

Result<SyncReport> GithubSync::Run() {
  SEI_ASSIGN_OR_RETURN(patterns_, CompiledPatterns::Compile(options_.settings.patterns));
  if (auto p = GithubSettingsProblem(options_.settings)) {
    return InvalidArgumentError(options_.connection_id + ": " + *p);
  }
  SEI_ASSIGN_OR_RETURN(std::vector<std::string> repos, RepoNames());
  Progress* progress = options_.progress;
  if (progress) progress->Begin("repositories", static_cast<int64_t>(repos.size()));
  for (size_t i = 0; i < repos.size(); ++i) {
    Status s = SyncRepo(repos[i]);
    if (!s.ok()) {
      if (progress) progress->End();
      return Status(s.code(), repos[i] + ": " + s.message());
    }
    report_.repos.push_back(repos[i]);
    if (progress) progress->Update(static_cast<int64_t>(i + 1));
  }
  if (progress) progress->End();
  return report_;
}

Result<std::vector<std::string>> GithubSync::RepoNames() {
  std::vector<std::string> names;
  auto take = [&](Page& page, const std::string& scope) -> Status {
    SEI_ASSIGN_OR_RETURN(ConvertedBatch b, Convert(RestKind::kRepository, page, {}));
    for (const model::Repo& r : b.repos) {
      if (std::find(names.begin(), names.end(), r.name) == names.end()) names.push_back(r.name);
    }
    Cursor done;
    done.since = options_.now;
    return Commit(b, scope, "repos", done);
  };
  if (const auto& org = options_.settings.org) {
    const std::string q = fmt::format("/repos?type=all&per_page={}", options_.per_page);
    Result<Page> page = Fetch(Url("/orgs/" + *org + q), *org, "repos");
    if (page.status().code() == StatusCode::kNotFound) {  // a user, not an organisation
      page = Fetch(Url("/users/" + *org + q), *org, "repos");
    }
    while (true) {
      if (!page.ok()) return page.status();
      SEI_RETURN_IF_ERROR(take(*page, *org));
      if (!page->next) break;
      page = Fetch(*page->next, *org, "repos");
    }
  }
  for (const std::string& repo : options_.settings.repos) {
    SEI_ASSIGN_OR_RETURN(Page page, Fetch(Url("/repos/" + repo), repo, "repo"));
    SEI_RETURN_IF_ERROR(take(page, repo));
  }
  return names;
}

Status GithubSync::SyncRepo(const std::string& repo) {
  SEI_RETURN_IF_ERROR(SyncPulls(repo));
  SEI_RETURN_IF_ERROR(SyncSince(repo, RestKind::kReviewComments, "review-comments",
                                "/pulls/comments?sort=updated&direction=asc"));
  SEI_RETURN_IF_ERROR(SyncSince(repo, RestKind::kIssueComments, "issue-comments",
                                "/issues/comments?sort=updated&direction=asc"));
  SEI_RETURN_IF_ERROR(
      SyncSince(repo, RestKind::kIssues, "issues", "/issues?state=all&sort=updated&direction=asc"));
  SEI_RETURN_IF_ERROR(SyncRuns(repo));
  return SyncDeployments(repo);
}

// Every page of `url` converted as `kind` into `into` (a PR's commits,
// reviews, a run's jobs, a deployment's statuses are small).
namespace {
template <class FetchFn, class ConvertFn>
Status AllPages(std::string url, FetchFn fetch, ConvertFn convert) {
  for (int64_t n = 0;; ++n) {
    auto page = fetch(url);
    if (!page.ok()) return page.status();
    SEI_RETURN_IF_ERROR(convert(*page, n));
    if (!page->next) return Status::Ok();
    url = *page->next;
  }
}
}  // namespace

Status GithubSync::PrDetails(const std::string& repo, const model::PullRequest& pr,
                             ConvertedBatch* into) {
  const std::string base = fmt::format("/repos/{}/pulls/{}", repo, pr.number);
  auto fetch = [&](const std::string& url) { return Fetch(url, repo, "pull"); };
  if (pr.merged_at) {  // lists lack merged_by and the size: the single PR has them
    SEI_ASSIGN_OR_RETURN(Page page, fetch(Url(base)));
    SEI_ASSIGN_OR_RETURN(ConvertedBatch one, Convert(RestKind::kPulls, page, {}));
    for (model::PullRequest& full : one.prs) {
      for (model::PullRequest& listed : into->prs) {
        if (listed.id == full.id) listed = full;
      }
    }
    one.prs.clear();
    into->Append(std::move(one));
  }
  int64_t ordinal = 0;
  SEI_RETURN_IF_ERROR(AllPages(Url(fmt::format("{}/commits?per_page={}", base, options_.per_page)),
                               fetch, [&](const Page& page, int64_t) -> Status {
                                 ConvertContext ctx;
                                 ctx.pr_id = pr.id;
                                 ctx.first_ordinal = ordinal;
                                 SEI_ASSIGN_OR_RETURN(ConvertedBatch b,
                                                      Convert(RestKind::kPrCommits, page, ctx));
                                 ordinal += static_cast<int64_t>(b.pr_commits.size());
                                 into->Append(std::move(b));
                                 return Status::Ok();
                               }));
  return AllPages(Url(fmt::format("{}/reviews?per_page={}", base, options_.per_page)), fetch,
                  [&](const Page& page, int64_t) -> Status {
                    SEI_ASSIGN_OR_RETURN(ConvertedBatch b, Convert(RestKind::kReviews, page, {}));
                    into->Append(std::move(b));
                    return Status::Ok();
                  });
}

Status GithubSync::SyncPulls(const std::string& repo) {
  SEI_ASSIGN_OR_RETURN(Cursor c, LoadCursor(repo, "pulls"));
  bool resume = false;
  Cursor run = Start(c, &resume);
  const bool full = run.full;
  const int64_t since = full ? 0 : c.since;
  std::string url = resume ? c.next
                           : Url(fmt::format("/repos/{}/pulls?state=all&sort=updated&direction="
                                             "desc&per_page={}",
                                             repo, options_.per_page));
  std::set<std::string> seen;
  // Unchanged since the last listing began (same first page): nothing to do.
  const std::string inm = IfNoneMatch(c, url, resume, full, &run);
  while (true) {
    SEI_ASSIGN_OR_RETURN(Page page, Fetch(url, repo, "pulls", url == run.etag_url ? inm : ""));
    if (page.not_modified) {
      run.etag = page.etag;
      Finish(&run, run.run_start);
      ConvertedBatch none;
      return Commit(none, repo, "pulls", run);
    }
    if (url == run.etag_url && !resume) run.etag = page.etag;
    SEI_ASSIGN_OR_RETURN(ConvertedBatch batch, Convert(RestKind::kPulls, page, {}));
    bool older = false;
    const std::vector<model::PullRequest> listed = batch.prs;
    for (const model::PullRequest& pr : listed) {
      seen.insert(pr.id);
      if (pr.updated_at.value_or(pr.created_at) < since) {
        older = true;  // newest-updated first: the rest is older still
        continue;
      }
      SEI_RETURN_IF_ERROR(PrDetails(repo, pr, &batch));
    }
    const bool last = older || !page.next;
    if (last) {
      Finish(&run, run.run_start);
    } else {
      run.next = *page.next;
    }
    std::vector<TableWrite> deletes;
    if (last && full && !resume) {
      SEI_ASSIGN_OR_RETURN(deletes, DeleteUnseen<model::PullRequest>(repo, seen));
    }
    SEI_RETURN_IF_ERROR(Commit(batch, repo, "pulls", run, std::move(deletes)));
    if (last) return Status::Ok();
    url = run.next;
  }
}

Status GithubSync::SyncSince(const std::string& repo, RestKind kind, const std::string& entity,
                             const std::string& path) {
  SEI_ASSIGN_OR_RETURN(Cursor c, LoadCursor(repo, entity));
  bool resume = false;
  Cursor run = Start(c, &resume);
  const bool full = run.full;
  std::string url = fmt::format("/repos/{}{}&per_page={}", repo, path, options_.per_page);
  // A second of overlap: GitHub's `since` is inclusive, our cursor the
  // start of the last listing.
  if (!full && c.since > 0) url += "&since=" + FormatRfc3339Utc(c.since - 1);
  url = resume ? c.next : Url(url);
  ConvertContext ctx;
  if (kind == RestKind::kIssueComments) {
    SEI_ASSIGN_OR_RETURN(ctx.pr_numbers, PrNumbers(repo));
  }
  std::set<std::string> seen;
  while (true) {
    SEI_ASSIGN_OR_RETURN(Page page, Fetch(url, repo, entity));
    SEI_ASSIGN_OR_RETURN(ConvertedBatch batch, Convert(kind, page, ctx));
    for (const model::Issue& i : batch.issues) seen.insert(i.id);
    const bool last = !page.next;
    if (last) {
      Finish(&run, run.run_start);
    } else {
      run.next = *page.next;
    }
    std::vector<TableWrite> deletes;
    if (last && full && !resume && kind == RestKind::kIssues) {
      SEI_ASSIGN_OR_RETURN(deletes, DeleteUnseen<model::Issue>(repo, seen));
    }
    SEI_RETURN_IF_ERROR(Commit(batch, repo, entity, run, std::move(deletes)));
    if (last) return Status::Ok();
    url = run.next;
  }
}

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
    json list = json::parse(page.body, nullptr, false);
    if (!list.is_array()) {
      return InvalidArgumentError("the deployments page " + net::RedactUrl(url) +
                                  " is not a JSON array");
    }
    ConvertedBatch batch;
    bool older = false;
    for (const json& d : list) {
      const std::string body = d.dump();
      ConvertContext ctx;
      ctx.connection_id = options_.connection_id;
      ctx.raw_id = page.raw_id;
      ctx.patterns = &patterns_;
      ctx.repo_id = RepoId(options_.connection_id, repo);  // the repository asked about
      const int64_t id = d.value("id", int64_t{0});
      std::string statuses = "[]";
      SEI_RETURN_IF_ERROR(AllPages(
          Url(fmt::format("/repos/{}/deployments/{}/statuses?per_page={}", repo, id,
                          options_.per_page)),
          [&](const std::string& u) { return Fetch(u, repo, "deployment-statuses"); },
          [&](const Page& p, int64_t n) -> Status {
            json all = json::parse(statuses);
            json more = json::parse(p.body, nullptr, false);
            if (!more.is_array()) return InvalidArgumentError("statuses page is not an array");
            (void)n;
            for (auto& x : more) all.push_back(std::move(x));
            statuses = all.dump();
            return Status::Ok();
          }));
      Result<ConvertedBatch> b = ConvertDeploymentWithStatuses(body, statuses, ctx);
      if (!b.ok()) {
        report_.item_errors.push_back(net::RedactUrl(url) + ": " + b.status().message());
        continue;
      }
      for (const model::Deployment& dep : b->deployments) {
        if (dep.started_at.value_or(0) < since) older = true;
      }
      batch.Append(std::move(*b));
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

Result<std::vector<int64_t>> GithubSync::PrNumbers(const std::string& repo) {
  ScanOptions where;
  where.where = {{"repo_id", RepoId(options_.connection_id, repo)}};
  SEI_ASSIGN_OR_RETURN(std::vector<model::PullRequest> prs, store_.List<model::PullRequest>(where));
  std::vector<int64_t> out;
  for (const auto& p : prs) out.push_back(p.number);
  return out;
}

template <class T>
Result<std::vector<TableWrite>> GithubSync::DeleteUnseen(const std::string& repo,
                                                         const std::set<std::string>& seen) {
  ScanOptions where;
  if constexpr (std::is_same_v<T, model::PullRequest>) {
    where.where = {{"repo_id", RepoId(options_.connection_id, repo)}};
  } else {
    where.where = {{"board_id", options_.connection_id + ":board:" + repo}};
  }
  SEI_ASSIGN_OR_RETURN(std::vector<T> rows, store_.List<T>(where));
  std::vector<TableWrite> out;
  for (const T& row : rows) {
    if (seen.count(row.id) > 0) continue;
    out.push_back(TableWrite::DeleteWhere(model::SpecOf<T>(), {{"id", row.id}}));
    if constexpr (std::is_same_v<T, model::PullRequest>) {
      for (const model::TableSpec* spec :
           {&model::SpecOf<model::PrReview>(), &model::SpecOf<model::PrCommit>(),
            &model::SpecOf<model::PrComment>()}) {
        out.push_back(TableWrite::DeleteWhere(*spec, {{"pr_id", row.id}}));
      }
    }
    ++report_.deleted;
  }
  return out;
}

}  // namespace sei::collectors::github
