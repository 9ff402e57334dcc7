// GithubReconvert: converts archived GitHub payloads (raw_payloads) again,
// without any network — `sei reconvert`. After a converter changes (a fix,
// a new entity such as releases, other deployment or issue-type patterns),
// the rows are made again from what was fetched, in archive order (id
// ascending), so later pages win exactly as they did when synced.
//
// What it converts: every page a sync converted (its raw_payloads.context,
// raw_context.h, says the kind and the hints: a PR's commits page's PR and
// first ordinal, a jobs page's workflow, a deployments page's status pages,
// which comments of a repo-wide page were on PRs, the rows the sync deleted
// with it), and every webhook delivery archived for the connection (scope
// "webhook"; its event is the raw entity). Rows go through the sync's
// WriteBatch upserts, each page in one transaction with its converted_at;
// deletes a page's transaction made are made again after its rows. Sync
// pages with no conversion record (never converted: the sync stopped first,
// or an older sei archived them) are skipped and counted; the sync that
// followed fetched them again.
//
// Patterns are the connection's current ones (its settings), so a
// reconversion after changing them reclassifies issues and deployment jobs.
// Cursors (sync_state) are not touched.
//
// Thread safety: one thread; the Store as its header allows.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/github/github_convert.h"
#include "collectors/github/github_settings.h"
#include "collectors/github/raw_context.h"
#include "common/progress.h"
#include "common/result.h"
#include "model/meta.h"
#include "store/store.h"

namespace sei::collectors::github {

struct ReconvertTarget {
  std::string connection_id;  // "github:acme"
  GithubSettings settings;    // for its patterns
};

struct ReconvertOptions {
  std::vector<ReconvertTarget> connections;
  // Only pages of this listing (ReconvertEntities(); a PR's detail pages go
  // with "pulls", jobs with "runs", status pages with "deployments"), or
  // "webhooks", or one webhook event ("pull_request"); "": all.
  std::string entity;
  std::string scope;  // only this raw scope (a repository's full name, "webhook"); "": all
  // Where a webhook delivery received without a connection (raw
  // connection_id "github") and with no conversion record goes: the
  // receiver's rule (the one GitHub connection, else github:webhooks).
  std::string default_webhook_connection;
  int64_t now = 0;  // converted_at; 0: the system clock
  const std::atomic<bool>* cancel = nullptr;
  Progress* progress = nullptr;  // one unit per archived page of the connections
  int64_t batch = 64;            // pages read at a time
};

struct ReconvertReport {
  int64_t pages = 0;            // pages converted again (status pages with their deployments page)
  int64_t webhooks = 0;         // of which webhook deliveries
  int64_t rows = 0;             // rows written (accounts included)
  int64_t never_converted = 0;  // sync pages without a conversion record: skipped
  int64_t not_handled = 0;      // webhook deliveries of events no converter handles
  std::vector<std::string> item_errors;  // items skipped as invalid, with their page
  std::vector<std::string> page_errors;  // pages refused whole, with their raw id
};

// The --entity names: the listings of a sync, then "webhooks".
const std::vector<std::string>& ReconvertEntities();
// Whether `entity` is one of them or a handled webhook event.
bool IsReconvertEntity(std::string_view entity);

class GithubReconvert {
 public:
  GithubReconvert(Store& store, ReconvertOptions options);

  // Converts every selected page. A page refused whole is reported and the
  // others go on; a store failure or a cancel stops with what was written
  // kept (every page is its own transaction, and a re-run is idempotent).
  Result<ReconvertReport> Run();

 private:
  struct Target {
    std::string connection_id;
    CompiledPatterns patterns;
  };
  // The target the page's rows belong to, or nullptr when it is not
  // selected.
  const Target* TargetOf(const model::RawPayload& raw, const RawContext* context) const;
  bool Selected(const model::RawPayload& raw) const;
  Status Page(const model::RawPayload& raw);
  Status Webhook(const model::RawPayload& raw, const Target& target, bool recorded);
  Status Rest(const model::RawPayload& raw, const RawContext& context, const Target& target);
  ConvertContext ContextFor(const model::RawPayload& raw, const Target& target) const;
  // Writes `batch` and marks `raw_ids` converted, with `extra` after the
  // rows, in one transaction.
  Status Write(const model::RawPayload& raw, ConvertedBatch& batch,
               const std::vector<int64_t>& raw_ids, std::vector<TableWrite> extra,
               const RawContext* new_context = nullptr);
  Result<int64_t> Total();

  Store& store_;
  ReconvertOptions options_;
  std::map<std::string, Target> targets_;
  ReconvertReport report_;
};

}  // namespace sei::collectors::github
