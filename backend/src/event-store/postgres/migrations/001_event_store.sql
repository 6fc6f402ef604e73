-- The event store: one table of events with a global position, and one row per stream holding its
-- current revision (the row lock is what serialises appenders of one stream).
CREATE SCHEMA IF NOT EXISTS event_store;

CREATE TABLE event_store.streams (
  stream_id text PRIMARY KEY,
  revision bigint NOT NULL
);

CREATE SEQUENCE event_store.positions AS bigint;

CREATE TABLE event_store.events (
  position bigint PRIMARY KEY,
  stream_id text NOT NULL,
  revision bigint NOT NULL,
  type text NOT NULL,
  data jsonb NOT NULL,
  metadata jsonb NOT NULL DEFAULT '{}',
  recorded_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (stream_id, revision)
);

-- Appends to one or more streams in one transaction.
--   p_streams:  the stream ids (distinct)
--   p_expected: per stream, the expected revision; -1 = no stream, -2 = any
--   p_events:   [{ "s": stream index (0-based), "t": type, "d": data, "m": metadata }] in append order
-- Returns one row per stream: ok, or the actual revision when the expectation was wrong. Streams that
-- fail do not stop the others.
--
-- Global order (ADR 002): positions are taken only while holding a transaction-level advisory lock that
-- is released at commit, so positions become visible in the order they were allocated. A reader that
-- sees position P can therefore never later find a committed event below P. The revision checks (row
-- locks per stream, taken in stream id order so batches cannot deadlock) run before that lock, so only
-- position allocation, the inserts and the commit are serialised.
CREATE FUNCTION event_store.append(p_streams text[], p_expected bigint[], p_events jsonb)
RETURNS TABLE (stream_index int, ok boolean, actual_revision bigint, next_revision bigint, last_position bigint)
LANGUAGE plpgsql AS $$
DECLARE
  stream_count int := coalesce(array_length(p_streams, 1), 0);
  counts int[] := array_fill(0, ARRAY[stream_count]);
  new_revisions bigint[] := array_fill(NULL::bigint, ARRAY[stream_count]);
  accepted boolean[] := array_fill(false, ARRAY[stream_count]);
  actuals bigint[] := array_fill(NULL::bigint, ARRAY[stream_count]);
  last_positions bigint[] := array_fill(NULL::bigint, ARRAY[stream_count]);
  accepted_count bigint := 0;
  si int;
  total int := 0;
  first_position bigint;
  i int;
  revision_after bigint;
  ev jsonb;
BEGIN
  FOR ev IN SELECT value FROM jsonb_array_elements(p_events) LOOP
    counts[(ev->>'s')::int + 1] := counts[(ev->>'s')::int + 1] + 1;
  END LOOP;

  FOR i IN SELECT ord FROM unnest(p_streams) WITH ORDINALITY AS s(id, ord) ORDER BY id LOOP
    revision_after := NULL;
    IF p_expected[i] = -2 THEN
      INSERT INTO event_store.streams AS s (stream_id, revision) VALUES (p_streams[i], counts[i] - 1)
      ON CONFLICT (stream_id) DO UPDATE SET revision = s.revision + counts[i]
      RETURNING s.revision INTO revision_after;
    ELSIF p_expected[i] = -1 THEN
      INSERT INTO event_store.streams (stream_id, revision) VALUES (p_streams[i], counts[i] - 1)
      ON CONFLICT (stream_id) DO NOTHING
      RETURNING revision INTO revision_after;
    ELSE
      UPDATE event_store.streams SET revision = revision + counts[i]
      WHERE stream_id = p_streams[i] AND revision = p_expected[i]
      RETURNING revision INTO revision_after;
    END IF;
    IF revision_after IS NULL THEN
      SELECT coalesce(max(revision), -1) INTO revision_after FROM event_store.streams WHERE stream_id = p_streams[i];
      actuals[i] := revision_after;
    ELSE
      accepted[i] := true;
      new_revisions[i] := revision_after;
      total := total + counts[i];
    END IF;
  END LOOP;

  IF total > 0 THEN
    PERFORM pg_advisory_xact_lock(7426817);  -- 'kairos' global order lock, held until commit
    first_position := nextval('event_store.positions');
    IF total > 1 THEN
      PERFORM setval('event_store.positions', first_position + total - 1);
    END IF;
    WITH incoming AS (
      SELECT e.value AS body, (e.value->>'s')::int + 1 AS s, e.ord
      FROM jsonb_array_elements(p_events) WITH ORDINALITY AS e(value, ord)
    ), kept AS (
      SELECT body, s, row_number() OVER (ORDER BY ord) AS n,
             row_number() OVER (PARTITION BY s ORDER BY ord) AS k
      FROM incoming WHERE accepted[s]
    )
    INSERT INTO event_store.events (position, stream_id, revision, type, data, metadata)
    SELECT first_position + n - 1, p_streams[s], new_revisions[s] - counts[s] + k,
           body->>'t', body->'d', coalesce(body->'m', '{}'::jsonb)
    FROM kept;
    -- Each stream's last position, in the same order the insert numbered the accepted events.
    FOR ev IN SELECT value FROM jsonb_array_elements(p_events) LOOP
      si := (ev->>'s')::int + 1;
      IF accepted[si] THEN
        accepted_count := accepted_count + 1;
        last_positions[si] := first_position + accepted_count - 1;
      END IF;
    END LOOP;
    PERFORM pg_notify('event_store_appended', (first_position + total - 1)::text);
  END IF;

  RETURN QUERY
    SELECT g.idx - 1, accepted[g.idx], actuals[g.idx], new_revisions[g.idx], last_positions[g.idx]
    FROM generate_series(1, stream_count) AS g(idx);
END;
$$;
