// Collection bookkeeping: the raw-payload archive (lineage) and per-source
// sync state (incremental cursors), plus collection runs.
//
// Every payload a collector fetches is archived before it is converted, with
// the source, connection, scope, URL or path and fetch time, so conversion can
// be re-run without refetching and every converted row can point back at its
// payload (raw_id). Sync state is one row per (connection, scope, entity):
// the cursor (ETag, `since`, ref tips digest ...) from which the next
// incremental run starts.
//
// Thread safety: value types.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sei::model {

struct RawPayload {
  int64_t id = 0;  // assigned by the store
  std::string connection_id;
  std::string source;  // "github", "git", "push" ...
  std::string scope;   // repo, board, org ... the payload belongs to
  std::string entity;  // what it holds: "pulls", "issues", "commit" ...
  std::string url;     // URL or path it came from
  int64_t fetched_at = 0;
  std::string content_type;  // "application/json" ...
  std::string body;
  std::optional<int64_t> converted_at;
  // What converting it again needs besides the body, as JSON (the payload
  // kind and the collector's hints: collectors/github/raw_context.h);
  // written with converted_at. NULL: never converted.
  std::optional<std::string> context;

  static constexpr const char* kTable = "raw_payloads";
  static constexpr const char* kView = "raw_payloads";
  static constexpr const char* kEntity = "raw-payloads";
  static constexpr const char* kDescription = "archived source payloads (lineage)";
  static constexpr bool kWritable = false;
  static std::vector<std::string> Key() { return {"id"}; }
  template <class V>
  static void Describe(V& v) {
    v("id", &RawPayload::id);
    v("connection_id", &RawPayload::connection_id);
    v("source", &RawPayload::source);
    v("scope", &RawPayload::scope);
    v("entity", &RawPayload::entity);
    v("url", &RawPayload::url);
    v("fetched_at", &RawPayload::fetched_at);
    v("content_type", &RawPayload::content_type);
    v("body", &RawPayload::body);
    v("converted_at", &RawPayload::converted_at);
    v("context", &RawPayload::context);
  }
};

struct SyncState {
  std::string connection_id;
  std::string scope;
  std::string entity;
  std::string cursor;  // opaque to the store
  std::optional<std::string> etag;
  std::string status;  // "complete", "in_progress", "failed"
  std::optional<std::string> last_error;
  int64_t updated_at = 0;

  static constexpr const char* kTable = "sync_state";
  static constexpr const char* kView = "sync_state";
  static constexpr const char* kEntity = "sync-state";
  static constexpr const char* kDescription = "incremental collection cursors per source and scope";
  static constexpr bool kWritable = true;
  static std::vector<std::string> Key() { return {"connection_id", "scope", "entity"}; }
  template <class V>
  static void Describe(V& v) {
    v("connection_id", &SyncState::connection_id);
    v("scope", &SyncState::scope);
    v("entity", &SyncState::entity);
    v("cursor", &SyncState::cursor);
    v("etag", &SyncState::etag);
    v("status", &SyncState::status);
    v("last_error", &SyncState::last_error);
    v("updated_at", &SyncState::updated_at);
  }
};

struct CollectionRun {
  int64_t id = 0;  // assigned by the store
  std::string connection_id;
  std::string scope;
  int64_t started_at = 0;
  std::optional<int64_t> finished_at;
  std::string status;  // "running", "complete", "failed", "interrupted"
  int64_t items_added = 0;
  std::optional<std::string> error;

  static constexpr const char* kTable = "collection_runs";
  static constexpr const char* kView = "collection_runs";
  static constexpr const char* kEntity = "collection-runs";
  static constexpr const char* kDescription = "one row per collection run, with its outcome";
  static constexpr bool kWritable = false;
  static std::vector<std::string> Key() { return {"id"}; }
  template <class V>
  static void Describe(V& v) {
    v("id", &CollectionRun::id);
    v("connection_id", &CollectionRun::connection_id);
    v("scope", &CollectionRun::scope);
    v("started_at", &CollectionRun::started_at);
    v("finished_at", &CollectionRun::finished_at);
    v("status", &CollectionRun::status);
    v("items_added", &CollectionRun::items_added);
    v("error", &CollectionRun::error);
  }
};

// One job of the work queue that `sei worker` processes (and the worker
// inside `sei serve`) take from the store: a collection of a connection's
// locations. A worker claims a job by taking a lease (lease_until_ms) that
// it renews while it works (heartbeats); a job whose lease ran out (its
// worker died) is claimed again by another worker, which resumes the
// collection runs still "running". Collections are idempotent upserts, so a
// job run twice stores every row once. At most one job per dedupe_key is
// queued or running at a time (a unique index), so two servers that find a
// connection due at once enqueue it once.
struct Job {
  int64_t id = 0;          // assigned by the store
  std::string kind;        // "collect"
  std::string dedupe_key;  // "collect:" + connection id
  std::string connection_id;
  std::string locations;              // JSON array of the locations to collect
  std::string run_ids;                // JSON array: the collection run begun per location
  int64_t full_sync = 0;              // 1: list everything again (sources that sync incrementally)
  std::string state;                  // "queued", "running", "done", "failed", "interrupted"
  int64_t attempts = 0;               // claims so far (a lease that ran out counts)
  std::optional<std::string> worker;  // the claiming worker ("host:pid:n")
  std::optional<int64_t> lease_until_ms;  // unix ms; past it, another worker may claim
  int64_t created_at = 0;                 // unix seconds
  std::optional<int64_t> started_at;      // first claim
  std::optional<int64_t> finished_at;
  std::optional<std::string> error;

  static constexpr const char* kTable = "jobs";
  static constexpr const char* kView = "jobs";
  static constexpr const char* kEntity = "jobs";
  static constexpr const char* kDescription =
      "the work queue of collection jobs that workers lease (sei worker)";
  static constexpr bool kWritable = false;
  static std::vector<std::string> Key() { return {"id"}; }
  template <class V>
  static void Describe(V& v) {
    v("id", &Job::id);
    v("kind", &Job::kind);
    v("dedupe_key", &Job::dedupe_key);
    v("connection_id", &Job::connection_id);
    v("locations", &Job::locations);
    v("run_ids", &Job::run_ids);
    v("full_sync", &Job::full_sync);
    v("state", &Job::state);
    v("attempts", &Job::attempts);
    v("worker", &Job::worker);
    v("lease_until_ms", &Job::lease_until_ms);
    v("created_at", &Job::created_at);
    v("started_at", &Job::started_at);
    v("finished_at", &Job::finished_at);
    v("error", &Job::error);
  }
};

}  // namespace sei::model
