-- Event payloads as json, stream ids compared byte by byte. Rewrites the events table and rebuilds the
-- streams table's index once, under an exclusive lock, when this migration runs.
--
-- data and metadata: json (the text as written) instead of jsonb. The store never looks inside a
-- payload: it keeps what the writer sends and gives it back. jsonb parses every value into its binary
-- form on the way in and prints it back on the way out, which was the largest part of PostgreSQL's
-- work per appended event in a batch of registrations; json only checks the syntax. For readers:
-- keys come back in the order they were written (jsonb sorted them); -> and ->> work on json too, the
-- jsonb-only operators (@>, ?, jsonb_path_*) need a cast.
--
-- stream_id: COLLATE "C". Stream ids are identifiers, never sorted for people; equality is the same
-- under every deterministic collation, and "C" compares bytes (memcmp) where the database's default
-- collation calls the C library's strcoll on every comparison of the two unique indexes.
ALTER TABLE event_store.events
  ALTER COLUMN stream_id TYPE text COLLATE "C",
  ALTER COLUMN data TYPE json USING data::json,
  ALTER COLUMN metadata DROP DEFAULT,
  ALTER COLUMN metadata TYPE json USING metadata::json,
  ALTER COLUMN metadata SET DEFAULT '{}'::json;

ALTER TABLE event_store.streams
  ALTER COLUMN stream_id TYPE text COLLATE "C";
