-- PostgreSQL twin of src/store/migrations/sqlite/0006_releases.sql (types as 0001 explains).
-- Releases (GitHub releases: the issue asks for "releases and tags"; tags
-- are git refs, the git collector's). One row per release, keyed by the
-- source's id (C:release:<id>), see src/model/delivery.h. A repository's
-- releases are listed by repo_id, newest first.

CREATE TABLE releases (
  id TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  connection_id TEXT COLLATE "C" NOT NULL,
  repo_id TEXT COLLATE "C" NOT NULL,
  tag_name TEXT COLLATE "C" NOT NULL,
  name TEXT COLLATE "C",
  target TEXT COLLATE "C",
  draft BOOLEAN NOT NULL,
  prerelease BOOLEAN NOT NULL,
  author_account_id TEXT COLLATE "C",
  created_at BIGINT NOT NULL,
  published_at BIGINT,
  url TEXT COLLATE "C",
  raw_id BIGINT
);
CREATE INDEX releases_repo ON releases (repo_id, created_at);
