-- Releases (GitHub releases: the issue asks for "releases and tags"; tags
-- are git refs, the git collector's). One row per release, keyed by the
-- source's id (C:release:<id>), see src/model/delivery.h. A repository's
-- releases are listed by repo_id, newest first.

CREATE TABLE releases (
  id TEXT NOT NULL PRIMARY KEY,
  connection_id TEXT NOT NULL,
  repo_id TEXT NOT NULL,
  tag_name TEXT NOT NULL,
  name TEXT,
  target TEXT,
  draft INTEGER NOT NULL,
  prerelease INTEGER NOT NULL,
  author_account_id TEXT,
  created_at INTEGER NOT NULL,
  published_at INTEGER,
  url TEXT,
  raw_id INTEGER
);
CREATE INDEX releases_repo ON releases (repo_id, created_at);
