-- PostgreSQL twin of src/store/migrations/sqlite/0004_push.sql (types as 0001 explains).
-- The push API and webhook receivers (issue 5): the webhook inbox, which
-- de-duplicates deliveries by the source's delivery id (src/model/inbox.h).
-- Numbered 0004 so that 0003 stays free for the auth tables built in
-- parallel; versions only need to increase.

CREATE TABLE webhook_deliveries (
  source TEXT COLLATE "C" NOT NULL,
  delivery_id TEXT COLLATE "C" NOT NULL,
  event TEXT COLLATE "C" NOT NULL,
  received_at BIGINT NOT NULL,
  raw_id BIGINT,
  status TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (source, delivery_id)
);
CREATE INDEX webhook_deliveries_received ON webhook_deliveries (received_at);

-- Pushed deployments are looked up by connection when a connection is
-- listed or deleted.
CREATE INDEX deployments_connection ON deployments (connection_id);
