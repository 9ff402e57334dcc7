// FakeGithub: a GitHub REST API for tests, on FakeHttpServer (port 0),
// serving DevLake's raw rows of panjf2000/ants
// (../shared/fixtures/devlake-e2e/github/raw_tables, connection 1 only: the
// rows of connection 2 are noise) the way api.github.com serves them: list
// pages of `per_page` items with real Link headers (next, last; absolute
// URLs), `sort`/`direction` on pulls, `since` on issues and comments, the
// Actions envelopes, the single-PR answer (the list item with `merged`).
// The repository object is made in GitHub's shape (DevLake keeps none), and
// so are the runs of DevLake's jobs (its runs table lacks them), and, from
// the merged pull requests, releases (one per merge, newest first, plus a
// draft; GitHub's shape: an unnamed one has name "", a draft no
// published_at) and deployments with status pages (DevLake keeps neither).
//
// Faults on demand (Fault): an answer (a 502, a 403 with Retry-After, a
// malformed or truncated body, a rate limit with X-RateLimit-Remaining 0)
// given `times` times to requests whose target contains `match`.
//
// Thread safety: the handler runs on the server's threads; faults and the
// log are guarded by a mutex.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "testing/fake_http_server.h"

namespace sei::testing {

struct FakeGithubFault {
  std::string match;  // a substring of the request target
  int times = 1;
  FakeResponse response;
};

class FakeGithub {
 public:
  // Loads the raw tables from `raw_dir`; ok() is false when they are missing.
  explicit FakeGithub(const std::string& raw_dir, int per_page_cap = 20);

  bool ok() const { return ok_; }
  std::string base_url() const { return server_->Url(); }
  void AddFault(FakeGithubFault fault);
  // Every answer to a request whose target contains `match` comes after
  // `delay` (a slow GitHub: a sync that takes seconds).
  void AddDelay(std::string match, std::chrono::milliseconds delay) {
    std::lock_guard<std::mutex> lock(mu_);
    delays_.emplace_back(std::move(match), delay);
  }
  std::vector<FakeRequest> requests() const { return server_->requests(); }
  // 304 answers given (If-None-Match matched the answer's ETag).
  int not_modified() {
    std::lock_guard<std::mutex> lock(mu_);
    return not_modified_;
  }

  // The repository's clone_url (default: a URL of this server, where no git
  // is served: mirroring it fails without leaving the machine). Call before
  // the first request.
  void SetCloneUrl(std::string url) { clone_url_ = std::move(url); }
  // Makes pull request `number`'s merge_commit_sha `sha` (a commit of the
  // test's own repository). Call before the first request.
  void SetMergeCommitSha(int64_t number, const std::string& sha);

  // The releases served (JSON objects, newest first); RemoveRelease makes
  // one disappear, as a release deleted on GitHub.
  std::vector<std::string> Releases();
  void RemoveRelease(int64_t id);
  // The deployments served (JSON objects, newest first) and the statuses
  // of one (newest first).
  std::vector<std::string> Deployments();
  std::vector<std::string> DeploymentStatuses(int64_t id);

  // The connection-1 items of a raw table, parsed (e.g. "pull_requests").
  const std::vector<std::string>& Items(const std::string& table) const;
  // The `input` column of those rows (per-PR and per-run tables).
  const std::vector<std::string>& Inputs(const std::string& table) const;

 private:
  FakeResponse Answer(const FakeRequest& r);
  // `cap`: items per page at most (0: the constructor's cap).
  FakeResponse Paged(const FakeRequest& r, std::vector<std::string> items, bool envelope,
                     const std::string& envelope_key, int cap = 0);

  bool ok_ = false;
  int per_page_cap_;
  std::map<std::string, std::vector<std::string>> items_;
  std::map<std::string, std::vector<std::string>> inputs_;
  void MakeReleasesAndDeployments();

  std::mutex mu_;  // guards faults_, delays_ and releases_
  std::vector<FakeGithubFault> faults_;
  std::vector<std::pair<std::string, std::chrono::milliseconds>> delays_;
  std::vector<std::string> releases_;
  std::vector<std::string> deployments_;
  std::map<int64_t, std::vector<std::string>> statuses_;
  int not_modified_ = 0;
  std::string clone_url_;
  std::unique_ptr<FakeHttpServer> server_;
};

}  // namespace sei::testing
