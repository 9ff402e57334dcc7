-- Derived data for the metrics engine (issue 4): identity links and
-- overrides, commit-to-PR matches, deployment lineage and the changes each
-- deployment shipped, incident-to-deployment links. See src/model/derived.h.

CREATE TABLE identity_links (
  account_id TEXT NOT NULL PRIMARY KEY,
  person_id TEXT NOT NULL,
  reason TEXT NOT NULL,
  confidence REAL NOT NULL,
  method TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX identity_links_person ON identity_links (person_id);

CREATE TABLE identity_overrides (
  id TEXT NOT NULL PRIMARY KEY,
  action TEXT NOT NULL,
  account_id TEXT NOT NULL,
  other_account_id TEXT,
  display_name TEXT,
  created_at INTEGER NOT NULL,
  created_by TEXT,
  note TEXT
);

CREATE TABLE commit_pull_requests (
  repo_id TEXT NOT NULL,
  commit_sha TEXT NOT NULL,
  pr_id TEXT NOT NULL,
  link_method TEXT NOT NULL,
  PRIMARY KEY (repo_id, commit_sha, pr_id)
) WITHOUT ROWID;
CREATE INDEX commit_pull_requests_pr ON commit_pull_requests (pr_id);

CREATE TABLE deployment_links (
  deployment_id TEXT NOT NULL PRIMARY KEY,
  prev_deployment_id TEXT,
  commits_shipped INTEGER NOT NULL,
  changes_shipped INTEGER NOT NULL,
  bounded INTEGER NOT NULL,
  link_method TEXT NOT NULL
);

CREATE TABLE deployment_changes (
  deployment_id TEXT NOT NULL,
  change_id TEXT NOT NULL,
  repo_id TEXT NOT NULL,
  pr_id TEXT,
  head_sha TEXT NOT NULL,
  first_commit_at INTEGER NOT NULL,
  commits INTEGER NOT NULL,
  author_account_id TEXT,
  link_method TEXT NOT NULL,
  PRIMARY KEY (deployment_id, change_id)
) WITHOUT ROWID;
CREATE INDEX deployment_changes_pr ON deployment_changes (pr_id);

CREATE TABLE incident_deployments (
  incident_id TEXT NOT NULL,
  deployment_id TEXT NOT NULL,
  link_method TEXT NOT NULL,
  PRIMARY KEY (incident_id, deployment_id)
) WITHOUT ROWID;
CREATE INDEX incident_deployments_deployment ON incident_deployments (deployment_id);
