-- PostgreSQL twin of src/store/migrations/sqlite/0005_connection_secrets.sql (types as 0001 explains).
-- Connection secrets (issue 5): a connection's API token and webhook
-- secret, write-only through `sei connect` and /api/v1/connections. Only
-- the sealed text is stored (auth::SecretBox: XSalsa20-Poly1305 under the
-- server's key), one row per connection and kind; `connections.config`
-- never holds a secret. See src/model/org.h.

CREATE TABLE connection_secrets (
  connection_id TEXT COLLATE "C" NOT NULL,
  kind TEXT COLLATE "C" NOT NULL,
  sealed TEXT COLLATE "C" NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (connection_id, kind)
);
