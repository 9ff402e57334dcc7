#include "collectors/github/github_sync.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "collectors/github/github_batch_writer.h"
#include "collectors/github/github_sync_cursor.h"
#include "collectors/github/raw_context.h"
#include "common/clock.h"
#include "common/time.h"
#include "model/entity.h"
#include "model/meta.h"
#include "net/link_header.h"

namespace sei::collectors::github {

using nlohmann::json;

namespace {

constexpr const char* kApiVersion = "2022-11-28";

int64_t NumberAfterSlash(const std::string& id) {
  const size_t at = id.rfind('/');
  if (at == std::string::npos) return 0;
  return std::strtoll(id.c_str() + at + 1, nullptr, 10);
}

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
  RawContext mark;
  mark.kind = std::string(RestKindKey(kind));
  if (kind == RestKind::kPrCommits) {
    mark.pr_id = ctx.pr_id;
    mark.first_ordinal = ctx.first_ordinal;
  }
  if (kind == RestKind::kJobs) mark.workflow_name = ctx.workflow_name;
  if (kind == RestKind::kIssueComments && ctx.pr_numbers) {
    std::set<int64_t> on;  // the PRs the kept comments are on: what the filter let through
    for (const model::PrComment& c : b->comments) on.insert(NumberAfterSlash(c.pr_id));
    mark.pr_numbers = std::vector<int64_t>(on.begin(), on.end());
  }
  Mark(page.raw_id, std::move(mark));
  return b;
}

void GithubSync::Mark(int64_t raw_id, RawContext context) {
  marks_.emplace_back(raw_id, std::move(context));
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
                          const RawContext& deleted) {
  model::SyncState state{
      options_.connection_id, scope,        entity,
      cursor.Json(),          std::nullopt, cursor.in_progress ? "in_progress" : "complete",
      std::nullopt,           options_.now};
  std::vector<TableWrite> also = DeletesOf(deleted);
  also.push_back(TableWrite::Upsert(std::vector<model::SyncState>{state}));
  // The deletes go with the transaction's last page: a reconversion, in
  // archive order, makes them after the same upserts.
  std::vector<std::pair<int64_t, RawContext>> marks = std::move(marks_);
  marks_.clear();
  std::sort(marks.begin(), marks.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  if (!marks.empty()) {
    RawContext& last = marks.back().second;
    last.deleted_prs = deleted.deleted_prs;
    last.deleted_issues = deleted.deleted_issues;
    last.deleted_releases = deleted.deleted_releases;
  }
  for (const auto& [raw_id, context] : marks) {
    also.push_back(MarkConverted(raw_id, options_.now, &context));
  }
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
  SEI_RETURN_IF_ERROR(SyncDeployments(repo));
  return SyncReleases(repo);
}

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
    RawContext deleted;
    if (last && full && !resume) {
      SEI_ASSIGN_OR_RETURN(deleted.deleted_prs,
                           Unseen(model::SpecOf<model::PullRequest>(), "repo_id",
                                  RepoId(options_.connection_id, repo), seen));
    }
    SEI_RETURN_IF_ERROR(Commit(batch, repo, "pulls", run, deleted));
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
    RawContext deleted;
    if (last && full && !resume && kind == RestKind::kIssues) {
      SEI_ASSIGN_OR_RETURN(deleted.deleted_issues,
                           Unseen(model::SpecOf<model::Issue>(), "board_id",
                                  options_.connection_id + ":board:" + repo, seen));
    }
    SEI_RETURN_IF_ERROR(Commit(batch, repo, entity, run, deleted));
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

Result<std::vector<std::string>> GithubSync::Unseen(const model::TableSpec& spec,
                                                    const std::string& column,
                                                    const std::string& value,
                                                    const std::set<std::string>& seen) {
  ScanOptions where;
  where.where = {{column, value}};
  const int id = spec.ColumnIndex("id");
  std::vector<std::string> out;
  SEI_RETURN_IF_ERROR(store_.ScanRows(spec, where, [&](const model::Row& row) -> Status {
    const std::string stored = model::ValueToString(row[static_cast<size_t>(id)]);
    if (seen.count(stored) == 0) out.push_back(stored);
    return Status::Ok();
  }));
  report_.deleted += static_cast<int64_t>(out.size());
  return out;
}

}  // namespace sei::collectors::github
