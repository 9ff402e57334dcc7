// GithubSync: one sync of a GitHub connection — its repositories, then per
// repository its pull requests (with their commits and reviews, and the
// single-PR answer of merged ones for merged_by and size), review comments,
// issue comments, issues, Actions runs and their jobs, deployments with
// their statuses, and releases — through any net::HttpClient (production: curl behind
// RetryingClient; tests: a fake GitHub on port 0).
//
// Every page is archived (raw_payloads) before it is converted; its rows,
// the entity's cursor (sync_state) and the page's conversion record
// (raw_payloads.converted_at and context, raw_context.h: what `sei
// reconvert` needs to convert it again) then commit in one transaction, so a
// sync stopped at any point — a crash, a 5xx burst past the retries, a
// malformed page, SIGINT — resumes from the next page without duplicates
// (every write is an upsert) and without gaps (the cursor moves only with
// the page it covers).
//
// Incremental: each (repository, entity) keeps in sync_state the time its
// last complete listing began; the next sync asks only for what changed
// since (issues and comments by `since`; pull requests newest-updated first,
// stopping at the cursor; runs by `created`; deployments newest first). A
// full reconciliation (every full_every_seconds, or `full`) lists
// everything again and deletes the pull requests and issues GitHub no
// longer returns. Releases have no `since` (and are listed newest created
// first, so an edited old release is not near the top): every sync lists
// them all — they are few, a page of 100 covers most repositories — and a
// complete listing deletes those GitHub no longer returns.
//
// Thread safety: one thread; the Store and the HttpClient are used as their
// headers allow (one at a time here).
#pragma once

#include <atomic>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "collectors/github/github_convert.h"
#include "collectors/github/github_settings.h"
#include "collectors/github/raw_context.h"
#include "common/progress.h"
#include "common/result.h"
#include "net/http_client.h"
#include "store/store.h"

namespace sei::collectors::github {

struct SyncOptions {
  std::string connection_id;  // "github:acme"
  std::string api_url = kDefaultApiUrl;
  GithubSettings settings;
  bool full = false;  // list everything now and notice deletions
  int64_t now = 0;    // Unix seconds; 0: the system clock
  int per_page = 100;
  const std::atomic<bool>* cancel = nullptr;
  Progress* progress = nullptr;  // one step per repository
};

struct SyncReport {
  std::vector<std::string> repos;  // full names synced
  int64_t requests = 0;
  int64_t pages = 0;
  int64_t rows = 0;                      // rows written (accounts included)
  int64_t deleted = 0;                   // PRs and issues (full), releases GitHub no longer returns
  int64_t not_modified = 0;              // first pages answered 304 (unchanged, no quota used)
  bool full = false;                     // a full reconciliation ran (on every repository)
  std::vector<std::string> item_errors;  // items skipped as invalid, with where
};

class GithubSync {
 public:
  GithubSync(Store& store, net::HttpClient& http, SyncOptions options);

  // Syncs every repository the settings name. A failure stops the sync with
  // a Status naming the repository, the entity and the URL; what was
  // committed stays, and the next Run continues from there.
  Result<SyncReport> Run();

 private:
  struct Page {
    std::string url;
    std::string body;
    std::optional<std::string> next;
    int64_t raw_id = 0;
    std::string etag;           // the answer's ETag
    bool not_modified = false;  // 304 to If-None-Match: no body, nothing archived
  };
  struct Cursor;

  Result<std::vector<std::string>> RepoNames();
  Status SyncRepo(const std::string& full_name);
  Status SyncPulls(const std::string& repo);
  Status SyncSince(const std::string& repo, RestKind kind, const std::string& entity,
                   const std::string& path);
  Status SyncRuns(const std::string& repo);
  Status SyncDeployments(const std::string& repo);
  Status SyncReleases(const std::string& repo);
  Status PrDetails(const std::string& repo, const model::PullRequest& pr, ConvertedBatch* into);

  // GET `url` (absolute), archived as (scope, entity); a non-2xx answer is
  // an error naming the URL and GitHub's message. With `if_none_match`, a
  // 304 is a page with not_modified set.
  Result<Page> Fetch(const std::string& url, const std::string& scope, const std::string& entity,
                     const std::string& if_none_match = "");
  // The ETag to send with the first page `url` of a listing that begins
  // (none when it resumes, or is full); remembers `url` in `run` so the
  // first page's ETag is kept for the next listing.
  std::string IfNoneMatch(const Cursor& c, const std::string& url, bool resume, bool full,
                          Cursor* run) const;
  // Converts `page` as `kind`, and records its conversion (Mark).
  Result<ConvertedBatch> Convert(RestKind kind, const Page& page, ConvertContext ctx);
  // Records that page `raw_id` was converted with `context`: the next
  // Commit marks it so (raw_payloads.converted_at and context).
  void Mark(int64_t raw_id, RawContext context);
  // Writes `batch` with the cursor, the deletes `deleted` lists, and the
  // conversion records of the pages converted since the last Commit, in
  // one transaction.
  Status Commit(ConvertedBatch& batch, const std::string& scope, const std::string& entity,
                const Cursor& cursor, const RawContext& deleted = {});
  Result<Cursor> LoadCursor(const std::string& scope, const std::string& entity);
  // The listing that continues `c` (`*resume`) or begins now: full when
  // asked, when the last full one is older than full_every_seconds, or when
  // it resumes a full one.
  Cursor Start(const Cursor& c, bool* resume);
  // Ends `run`: the next listing asks for what changed since `since`.
  void Finish(Cursor* run, int64_t since);
  // The numbers of the repository's stored PRs (issue comments on them are
  // PR comments).
  Result<std::vector<int64_t>> PrNumbers(const std::string& repo);
  // The ids of the rows of `spec` whose `column` is `value` (a repository's
  // PRs, issues, releases) that a complete listing did not return (`seen`).
  Result<std::vector<std::string>> Unseen(const model::TableSpec& spec, const std::string& column,
                                          const std::string& value,
                                          const std::set<std::string>& seen);
  // Fetches every page of `url` with `fetch` and gives each to `convert`
  // (a PR's commits, reviews, a run's jobs, a deployment's statuses are
  // small).
  template <class FetchFn, class ConvertFn>
  static Status AllPages(std::string url, FetchFn fetch, ConvertFn convert) {
    for (int64_t n = 0;; ++n) {
      auto page = fetch(url);
      if (!page.ok()) return page.status();
      SEI_RETURN_IF_ERROR(convert(*page, n));
      if (!page->next) return Status::Ok();
      url = *page->next;
    }
  }
  Status CheckCancel() const;
  std::string Url(const std::string& path) const;

  Store& store_;
  net::HttpClient& http_;
  SyncOptions options_;
  CompiledPatterns patterns_;
  SyncReport report_;
  std::vector<std::pair<int64_t, RawContext>> marks_;  // pages converted, not yet committed
};

}  // namespace sei::collectors::github
