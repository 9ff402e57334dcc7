-- PostgreSQL twin of src/store/migrations/sqlite/0002_derived.sql (types as 0001 explains).
-- Derived data for the metrics engine (issue 4): identity links and
-- overrides, commit-to-PR matches, deployment lineage and the changes each
-- deployment shipped, incident-to-deployment links. See src/model/derived.h.

CREATE TABLE identity_links (
  account_id TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  person_id TEXT COLLATE "C" NOT NULL,
  reason TEXT COLLATE "C" NOT NULL,
  confidence DOUBLE PRECISION NOT NULL,
  method TEXT COLLATE "C" NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX identity_links_person ON identity_links (person_id);

CREATE TABLE identity_overrides (
  id TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  action TEXT COLLATE "C" NOT NULL,
  account_id TEXT COLLATE "C" NOT NULL,
  other_account_id TEXT COLLATE "C",
  display_name TEXT COLLATE "C",
  created_at BIGINT NOT NULL,
  created_by TEXT COLLATE "C",
  note TEXT COLLATE "C"
);

CREATE TABLE commit_pull_requests (
  repo_id TEXT COLLATE "C" NOT NULL,
  commit_sha TEXT COLLATE "C" NOT NULL,
  pr_id TEXT COLLATE "C" NOT NULL,
  link_method TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (repo_id, commit_sha, pr_id)
);
CREATE INDEX commit_pull_requests_pr ON commit_pull_requests (pr_id);

CREATE TABLE deployment_links (
  deployment_id TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  prev_deployment_id TEXT COLLATE "C",
  commits_shipped BIGINT NOT NULL,
  changes_shipped BIGINT NOT NULL,
  bounded BOOLEAN NOT NULL,
  link_method TEXT COLLATE "C" NOT NULL
);

CREATE TABLE deployment_changes (
  deployment_id TEXT COLLATE "C" NOT NULL,
  change_id TEXT COLLATE "C" NOT NULL,
  repo_id TEXT COLLATE "C" NOT NULL,
  pr_id TEXT COLLATE "C",
  head_sha TEXT COLLATE "C" NOT NULL,
  first_commit_at BIGINT NOT NULL,
  commits BIGINT NOT NULL,
  author_account_id TEXT COLLATE "C",
  link_method TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (deployment_id, change_id)
);
CREATE INDEX deployment_changes_pr ON deployment_changes (pr_id);

CREATE TABLE incident_deployments (
  incident_id TEXT COLLATE "C" NOT NULL,
  deployment_id TEXT COLLATE "C" NOT NULL,
  link_method TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (incident_id, deployment_id)
);
CREATE INDEX incident_deployments_deployment ON incident_deployments (deployment_id);
