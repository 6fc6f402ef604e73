-- Retention (ADR 012): a stream cut at `revision` keeps what a fold needs to start after it (`base`,
-- opaque JSON written by the cutter) here, beside its remaining events. Written in the transaction that
-- deletes the stream's events through `revision`; a later cut replaces the row.
CREATE TABLE event_store.stream_bases (
  stream_id text COLLATE "C" PRIMARY KEY,
  revision bigint NOT NULL,
  base jsonb NOT NULL,
  truncated_at timestamptz NOT NULL
);
