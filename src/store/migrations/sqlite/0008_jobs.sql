-- The work queue (model::Job, src/store/store.h "Job queue"): collection
-- jobs that `sei worker` processes and the worker inside `sei serve` lease.
-- A job is claimed by setting its worker and lease; a lease that runs out
-- lets another worker claim it again. At most one job per dedupe_key is
-- queued or running (the partial unique index), so processes that find a
-- connection due at once enqueue it once.

CREATE TABLE jobs (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  dedupe_key TEXT NOT NULL,
  connection_id TEXT NOT NULL,
  locations TEXT NOT NULL DEFAULT '[]',
  run_ids TEXT NOT NULL DEFAULT '[]',
  full_sync INTEGER NOT NULL DEFAULT 0,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  worker TEXT,
  lease_until_ms INTEGER,
  created_at INTEGER NOT NULL,
  started_at INTEGER,
  finished_at INTEGER,
  error TEXT
);

CREATE UNIQUE INDEX jobs_active ON jobs (dedupe_key) WHERE state IN ('queued', 'running');
-- What a worker looks for: the oldest queued job, or a running one whose
-- lease ran out.
CREATE INDEX jobs_open ON jobs (id) WHERE state IN ('queued', 'running');
