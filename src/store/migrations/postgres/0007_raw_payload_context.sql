-- PostgreSQL twin of src/store/migrations/sqlite/0007_raw_payload_context.sql (types as 0001 explains).
-- What a conversion of an archived payload needs besides its body (`sei
-- reconvert`): the payload kind and the hints the collector had when it
-- converted the page (the PR a commits page belongs to, a jobs page's
-- workflow name, a deployments page's status pages, the rows a complete
-- listing deleted ...), as JSON. Written with converted_at, in the
-- transaction that stores the page's rows. NULL: never converted (or
-- archived by an older sei).

ALTER TABLE raw_payloads ADD COLUMN context TEXT COLLATE "C";
