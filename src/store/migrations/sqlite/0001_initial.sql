-- 0001_initial: the whole domain model. Instants are INTEGER Unix seconds
-- (UTC); booleans are INTEGER 0/1; ids are namespaced TEXT
-- ("<source>:<connection>:<kind>:<key>"). docs/data-model.md explains every
-- table and column; src/model/*.h lists the same columns (a test checks).

-- Bookkeeping -------------------------------------------------------------

CREATE TABLE connections (
  id TEXT NOT NULL PRIMARY KEY,
  source TEXT NOT NULL,
  name TEXT NOT NULL,
  base_url TEXT,
  config TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE raw_payloads (
  id INTEGER PRIMARY KEY,
  connection_id TEXT NOT NULL,
  source TEXT NOT NULL,
  scope TEXT NOT NULL,
  entity TEXT NOT NULL,
  url TEXT NOT NULL,
  fetched_at INTEGER NOT NULL,
  content_type TEXT NOT NULL,
  body BLOB NOT NULL,
  converted_at INTEGER
);
CREATE INDEX raw_payloads_scope ON raw_payloads (connection_id, scope, entity, fetched_at);

CREATE TABLE sync_state (
  connection_id TEXT NOT NULL,
  scope TEXT NOT NULL,
  entity TEXT NOT NULL,
  cursor TEXT NOT NULL,
  etag TEXT,
  status TEXT NOT NULL,
  last_error TEXT,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (connection_id, scope, entity)
) WITHOUT ROWID;

CREATE TABLE collection_runs (
  id INTEGER PRIMARY KEY,
  connection_id TEXT NOT NULL,
  scope TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  finished_at INTEGER,
  status TEXT NOT NULL,
  items_added INTEGER NOT NULL DEFAULT 0,
  error TEXT
);

-- Source code -------------------------------------------------------------

CREATE TABLE repos (
  pk INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  connection_id TEXT NOT NULL,
  name TEXT NOT NULL,
  location TEXT NOT NULL,
  mirror_path TEXT,
  default_branch TEXT,
  created_at INTEGER,
  collected_at INTEGER
);

CREATE TABLE commits (
  pk INTEGER PRIMARY KEY,
  repo_pk INTEGER NOT NULL REFERENCES repos (pk),
  sha TEXT NOT NULL,
  tree_sha TEXT NOT NULL,
  author_name TEXT NOT NULL,
  author_email TEXT NOT NULL,
  author_time INTEGER NOT NULL,
  author_tz INTEGER NOT NULL,
  committer_name TEXT NOT NULL,
  committer_email TEXT NOT NULL,
  committer_time INTEGER NOT NULL,
  committer_tz INTEGER NOT NULL,
  message TEXT NOT NULL,
  parent_count INTEGER NOT NULL,
  is_merge INTEGER NOT NULL,
  files_changed INTEGER NOT NULL,
  additions INTEGER NOT NULL,
  deletions INTEGER NOT NULL,
  reachable INTEGER NOT NULL DEFAULT 1,
  unreachable_since INTEGER,
  author_account_id TEXT NOT NULL,
  committer_account_id TEXT NOT NULL,
  UNIQUE (repo_pk, sha)
);
CREATE INDEX commits_repo_time ON commits (repo_pk, committer_time);

CREATE TABLE commit_parents (
  commit_pk INTEGER NOT NULL REFERENCES commits (pk),
  ordinal INTEGER NOT NULL,
  parent_sha TEXT NOT NULL,
  PRIMARY KEY (commit_pk, ordinal)
) WITHOUT ROWID;

CREATE TABLE commit_files (
  commit_pk INTEGER NOT NULL REFERENCES commits (pk),
  idx INTEGER NOT NULL,
  path TEXT NOT NULL,
  path_bytes BLOB,
  old_path TEXT,
  change TEXT NOT NULL,
  added INTEGER,
  deleted INTEGER,
  is_binary INTEGER NOT NULL,
  old_mode INTEGER NOT NULL,
  new_mode INTEGER NOT NULL,
  PRIMARY KEY (commit_pk, idx)
) WITHOUT ROWID;

CREATE TABLE refs (
  repo_pk INTEGER NOT NULL REFERENCES repos (pk),
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  target_sha TEXT NOT NULL,
  target_type TEXT NOT NULL,
  commit_sha TEXT,
  tag_message TEXT,
  tagger_name TEXT,
  tagger_email TEXT,
  tagged_at INTEGER,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (repo_pk, name)
) WITHOUT ROWID;

CREATE VIEW commits_v AS
SELECT r.id AS repo_id, c.sha, c.tree_sha, c.author_name, c.author_email, c.author_time,
       c.author_tz, c.committer_name, c.committer_email, c.committer_time, c.committer_tz,
       c.message, c.parent_count, c.is_merge, c.files_changed, c.additions, c.deletions,
       c.reachable, c.unreachable_since, c.author_account_id, c.committer_account_id
FROM commits c JOIN repos r ON r.pk = c.repo_pk;

CREATE VIEW commit_parents_v AS
SELECT r.id AS repo_id, c.sha, p.ordinal, p.parent_sha
FROM commit_parents p JOIN commits c ON c.pk = p.commit_pk JOIN repos r ON r.pk = c.repo_pk;

CREATE VIEW commit_files_v AS
SELECT r.id AS repo_id, c.sha, f.idx, f.path, f.path_bytes, f.old_path, f.change, f.added, f.deleted,
       f.is_binary, f.old_mode, f.new_mode
FROM commit_files f JOIN commits c ON c.pk = f.commit_pk JOIN repos r ON r.pk = c.repo_pk;

CREATE VIEW refs_v AS
SELECT r.id AS repo_id, f.name, f.kind, f.target_sha, f.target_type, f.commit_sha,
       f.tag_message, f.tagger_name, f.tagger_email, f.tagged_at, f.updated_at
FROM refs f JOIN repos r ON r.pk = f.repo_pk;

-- Code review -------------------------------------------------------------

CREATE TABLE pull_requests (
  id TEXT NOT NULL PRIMARY KEY,
  connection_id TEXT NOT NULL,
  repo_id TEXT NOT NULL,
  number INTEGER NOT NULL,
  title TEXT NOT NULL,
  state TEXT NOT NULL,
  is_draft INTEGER NOT NULL,
  author_account_id TEXT,
  base_ref TEXT,
  head_ref TEXT,
  base_sha TEXT,
  head_sha TEXT,
  merge_sha TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER,
  ready_at INTEGER,
  closed_at INTEGER,
  merged_at INTEGER,
  merged_by_account_id TEXT,
  additions INTEGER,
  deletions INTEGER,
  changed_files INTEGER,
  url TEXT,
  labels TEXT,
  raw_id INTEGER
);
CREATE INDEX pull_requests_repo ON pull_requests (repo_id, created_at);
CREATE INDEX pull_requests_merged ON pull_requests (merged_at);

CREATE TABLE pr_commits (
  pr_id TEXT NOT NULL,
  commit_sha TEXT NOT NULL,
  ordinal INTEGER NOT NULL,
  authored_at INTEGER,
  PRIMARY KEY (pr_id, commit_sha)
) WITHOUT ROWID;
CREATE INDEX pr_commits_sha ON pr_commits (commit_sha);

CREATE TABLE pr_reviews (
  id TEXT NOT NULL PRIMARY KEY,
  pr_id TEXT NOT NULL,
  reviewer_account_id TEXT,
  state TEXT NOT NULL,
  submitted_at INTEGER,
  commit_sha TEXT,
  body TEXT,
  raw_id INTEGER
);
CREATE INDEX pr_reviews_pr ON pr_reviews (pr_id, submitted_at);

CREATE TABLE pr_comments (
  id TEXT NOT NULL PRIMARY KEY,
  pr_id TEXT NOT NULL,
  author_account_id TEXT,
  kind TEXT NOT NULL,
  review_id TEXT,
  path TEXT,
  line INTEGER,
  body TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER,
  raw_id INTEGER
);
CREATE INDEX pr_comments_pr ON pr_comments (pr_id, created_at);

-- Planning ----------------------------------------------------------------

CREATE TABLE boards (
  id TEXT NOT NULL PRIMARY KEY,
  connection_id TEXT NOT NULL,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  url TEXT,
  raw_id INTEGER
);

CREATE TABLE sprints (
  id TEXT NOT NULL PRIMARY KEY,
  board_id TEXT NOT NULL,
  name TEXT NOT NULL,
  state TEXT NOT NULL,
  goal TEXT,
  started_at INTEGER,
  ended_at INTEGER,
  completed_at INTEGER,
  raw_id INTEGER
);

CREATE TABLE issues (
  id TEXT NOT NULL PRIMARY KEY,
  connection_id TEXT NOT NULL,
  board_id TEXT,
  key TEXT NOT NULL,
  title TEXT NOT NULL,
  type TEXT NOT NULL,
  raw_type TEXT,
  status TEXT NOT NULL,
  status_category TEXT NOT NULL,
  priority TEXT,
  story_points REAL,
  assignee_account_id TEXT,
  reporter_account_id TEXT,
  parent_issue_id TEXT,
  epic_id TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER,
  resolved_at INTEGER,
  url TEXT,
  labels TEXT,
  raw_id INTEGER
);
CREATE INDEX issues_board ON issues (board_id, created_at);

CREATE TABLE issue_status_changes (
  id TEXT NOT NULL PRIMARY KEY,
  issue_id TEXT NOT NULL,
  from_status TEXT,
  to_status TEXT NOT NULL,
  from_category TEXT,
  to_category TEXT NOT NULL,
  changed_at INTEGER NOT NULL,
  author_account_id TEXT,
  raw_id INTEGER
);
CREATE INDEX issue_status_changes_issue ON issue_status_changes (issue_id, changed_at);

CREATE TABLE sprint_issues (
  sprint_id TEXT NOT NULL,
  issue_id TEXT NOT NULL,
  added_at INTEGER,
  removed_at INTEGER,
  committed INTEGER NOT NULL,
  points_at_start REAL,
  PRIMARY KEY (sprint_id, issue_id)
) WITHOUT ROWID;

-- Delivery ----------------------------------------------------------------

CREATE TABLE ci_pipelines (
  id TEXT NOT NULL PRIMARY KEY,
  connection_id TEXT NOT NULL,
  ci_scope TEXT NOT NULL,
  name TEXT NOT NULL,
  repo_id TEXT,
  ref TEXT,
  commit_sha TEXT,
  status TEXT NOT NULL,
  result TEXT,
  trigger TEXT,
  created_at INTEGER NOT NULL,
  started_at INTEGER,
  finished_at INTEGER,
  url TEXT,
  raw_id INTEGER
);
CREATE INDEX ci_pipelines_scope ON ci_pipelines (ci_scope, created_at);

CREATE TABLE ci_jobs (
  id TEXT NOT NULL PRIMARY KEY,
  pipeline_id TEXT NOT NULL,
  name TEXT NOT NULL,
  stage TEXT,
  status TEXT NOT NULL,
  result TEXT,
  environment TEXT,
  is_deployment INTEGER NOT NULL,
  started_at INTEGER,
  finished_at INTEGER,
  url TEXT,
  raw_id INTEGER
);
CREATE INDEX ci_jobs_pipeline ON ci_jobs (pipeline_id);

CREATE TABLE deployments (
  id TEXT NOT NULL PRIMARY KEY,
  connection_id TEXT NOT NULL,
  repo_id TEXT,
  service TEXT,
  environment TEXT NOT NULL,
  environment_type TEXT NOT NULL,
  commit_sha TEXT,
  ref TEXT,
  result TEXT NOT NULL,
  started_at INTEGER,
  finished_at INTEGER,
  pipeline_id TEXT,
  url TEXT,
  raw_id INTEGER
);
CREATE INDEX deployments_env ON deployments (environment_type, finished_at);

CREATE TABLE deployment_commits (
  deployment_id TEXT NOT NULL,
  repo_id TEXT NOT NULL,
  commit_sha TEXT NOT NULL,
  link_method TEXT NOT NULL,
  PRIMARY KEY (deployment_id, repo_id, commit_sha)
) WITHOUT ROWID;
CREATE INDEX deployment_commits_sha ON deployment_commits (commit_sha);

CREATE TABLE incidents (
  id TEXT NOT NULL PRIMARY KEY,
  connection_id TEXT NOT NULL,
  service TEXT,
  environment TEXT,
  title TEXT NOT NULL,
  severity TEXT,
  status TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  acknowledged_at INTEGER,
  resolved_at INTEGER,
  deployment_id TEXT,
  url TEXT,
  raw_id INTEGER
);
CREATE INDEX incidents_created ON incidents (created_at);

CREATE TABLE quality_findings (
  id TEXT NOT NULL PRIMARY KEY,
  connection_id TEXT NOT NULL,
  repo_id TEXT,
  tool TEXT NOT NULL,
  kind TEXT NOT NULL,
  severity TEXT,
  rule TEXT,
  path TEXT,
  line INTEGER,
  status TEXT NOT NULL,
  message TEXT,
  created_at INTEGER NOT NULL,
  resolved_at INTEGER,
  url TEXT,
  raw_id INTEGER
);

-- People and scope --------------------------------------------------------

CREATE TABLE accounts (
  id TEXT NOT NULL PRIMARY KEY,
  connection_id TEXT NOT NULL,
  source TEXT NOT NULL,
  login TEXT,
  email TEXT,
  name TEXT,
  external_id TEXT,
  person_id TEXT,
  is_bot INTEGER NOT NULL,
  first_seen_at INTEGER,
  last_seen_at INTEGER
);
CREATE INDEX accounts_email ON accounts (email);
CREATE INDEX accounts_person ON accounts (person_id);

CREATE TABLE people (
  id TEXT NOT NULL PRIMARY KEY,
  display_name TEXT NOT NULL,
  primary_email TEXT,
  is_bot INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE teams (
  id TEXT NOT NULL PRIMARY KEY,
  name TEXT NOT NULL,
  parent_team_id TEXT,
  description TEXT
);

CREATE TABLE team_members (
  team_id TEXT NOT NULL,
  person_id TEXT NOT NULL,
  role TEXT,
  joined_at INTEGER NOT NULL,
  left_at INTEGER,
  PRIMARY KEY (team_id, person_id, joined_at)
) WITHOUT ROWID;

CREATE TABLE projects (
  id TEXT NOT NULL PRIMARY KEY,
  name TEXT NOT NULL,
  description TEXT
);

CREATE TABLE project_scopes (
  project_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  scope_id TEXT NOT NULL,
  PRIMARY KEY (project_id, kind, scope_id)
) WITHOUT ROWID;
