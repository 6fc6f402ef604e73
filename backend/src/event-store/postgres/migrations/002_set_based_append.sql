-- A set-based append, with the guarantees of event_store.append (migration 001, ADR 002) in a fixed
-- number of statements instead of several per stream, and with everything that needs no global order
-- (reading the payloads, checking revisions, numbering events) done before the global lock is taken.
-- event_store.append stays, for processes of the previous version during a rolling restart.
--
--   p_streams:  the stream ids (distinct)
--   p_expected: per stream, the expected revision; -1 = no stream, -2 = any
--   p_counts:   per stream, how many events it appends (at least 1)
--   p_types:    the event types, grouped by stream in the order of p_streams (the p_counts[1] events
--               of the first stream, then those of the second, ...), in append order within a stream
--   p_data:     a JSON array of the events' data, in the order of p_types
--   p_metadata: a JSON array of the events' metadata (null for none), in the order of p_types
-- Returns one row per stream, in the order of p_streams, as event_store.append does: ok, or the
-- actual revision when the expectation was wrong. Streams that fail do not stop the others.
--
-- Revision checks: one INSERT ... ON CONFLICT DO UPDATE over all streams, fed in stream id order, so
-- its row locks are taken in the order the per-stream loop of migration 001 takes them, and two
-- batches cannot deadlock (whichever of the two functions each uses). A new stream is inserted when
-- its expectation allows it (no stream, any); an existing stream's row is locked, and its revision
-- moved on only when the expectation holds (any, or the expected revision), else the stream is
-- refused. A stream expected at a revision but absent is not inserted: refused, actual -1 (or the
-- revision of whoever just created it).
--
-- Global order: as in migration 001. Positions are taken only under a transaction-level advisory lock
-- held until commit, so they become visible in allocation order; under the lock there is only the
-- allocation, one INSERT of the events, pg_notify and the commit.
CREATE FUNCTION event_store.append_streams(
  p_streams text[],
  p_expected bigint[],
  p_counts int[],
  p_types text[],
  p_data json,
  p_metadata json
)
RETURNS TABLE (stream_index int, ok boolean, actual_revision bigint, next_revision bigint, last_position bigint)
LANGUAGE plpgsql AS $$
DECLARE
  stream_count int := coalesce(array_length(p_streams, 1), 0);
  event_count int := coalesce(array_length(p_types, 1), 0);
  expectations jsonb;
  -- Per stream, in request order. No NULLs in them: a subscript of a flat array without NULLs of a
  -- fixed-width type is O(1), so the per-event statements below stay linear.
  new_revisions bigint[];   -- the revision after the append, -1 when refused
  accepted_before bigint[]; -- how many accepted events come before the stream's first one
  accepted_total bigint;
  first_position bigint;
  -- Per event, in request order: its stream, its revision, and its place among the accepted events
  -- (1-based; 0 when its stream was refused).
  ev_streams text[];
  ev_revisions bigint[];
  ev_places bigint[];
  ev_data json[];
  data_count bigint;
  inserted bigint;
BEGIN
  IF stream_count = 0 THEN
    RETURN;
  END IF;
  -- The payloads, split before the lock (reading them is the costliest part of the preparation).
  SELECT array_agg(d.value ORDER BY d.ord), count(*)
    INTO ev_data, data_count
    FROM json_array_elements(p_data) WITH ORDINALITY AS d(value, ord);
  IF coalesce(array_length(p_expected, 1), 0) <> stream_count
     OR coalesce(array_length(p_counts, 1), 0) <> stream_count
     OR data_count <> event_count
     OR json_array_length(p_metadata) <> event_count
     OR (SELECT sum(c) FROM unnest(p_counts) AS c) <> event_count
     OR EXISTS (SELECT FROM unnest(p_counts) AS c WHERE c IS NULL OR c < 1) THEN
    RAISE EXCEPTION 'event_store.append_streams: % streams, % expectations, % counts, % types, % data, % metadata',
      stream_count, array_length(p_expected, 1), array_length(p_counts, 1), event_count, data_count,
      json_array_length(p_metadata);
  END IF;

  -- Every stream expected new (a batch of registrations): one plain INSERT, in stream id order as
  -- below. If any of them exists, the unique violation undoes it (the block is a subtransaction,
  -- and the locks it took go with it) and the general statement below decides stream by stream.
  IF NOT EXISTS (SELECT FROM unnest(p_expected) AS e WHERE e <> -1) THEN
    BEGIN
      INSERT INTO event_store.streams (stream_id, revision)
      SELECT u.id, u.count - 1
        FROM unnest(p_streams, p_counts) AS u(id, count)
       ORDER BY u.id;
      SELECT array_agg(c - 1::bigint ORDER BY idx) INTO new_revisions
        FROM unnest(p_counts) WITH ORDINALITY AS u(c, idx);
    EXCEPTION WHEN unique_violation THEN
      new_revisions := NULL;
    END;
  END IF;

  IF new_revisions IS NULL THEN
    -- What ON CONFLICT needs per stream ([expected, count]): `excluded` only carries the row's
    -- columns. A jsonb object is looked up by binary search, so this stays O(n log n). When every
    -- stream is expected new, the map stays NULL, which refuses every conflict, as it should.
    IF EXISTS (SELECT FROM unnest(p_expected) AS e WHERE e <> -1) THEN
      SELECT jsonb_object_agg(u.id, jsonb_build_array(u.expected, u.count))
        INTO expectations
        FROM unnest(p_streams, p_expected, p_counts) AS u(id, expected, count);
    END IF;

    WITH changed AS (
      INSERT INTO event_store.streams AS s (stream_id, revision)
      SELECT u.id, u.count - 1
        FROM unnest(p_streams, p_expected, p_counts) AS u(id, expected, count)
       WHERE u.expected < 0
          OR EXISTS (SELECT FROM event_store.streams AS e WHERE e.stream_id = u.id)
       ORDER BY u.id
      ON CONFLICT (stream_id) DO UPDATE
         SET revision = s.revision + (expectations -> excluded.stream_id ->> 1)::bigint
       WHERE (expectations -> excluded.stream_id ->> 0)::bigint IN (-2, s.revision)
      RETURNING s.stream_id, s.revision
    )
    SELECT array_agg(coalesce(c.revision, -1) ORDER BY u.idx)
      INTO new_revisions
      FROM unnest(p_streams) WITH ORDINALITY AS u(id, idx)
      LEFT JOIN changed AS c ON c.stream_id = u.id;
  END IF;

  -- Where each accepted stream's events go among the accepted events of the batch.
  SELECT array_agg(before ORDER BY idx), coalesce(sum(count) FILTER (WHERE revision >= 0), 0)
    INTO accepted_before, accepted_total
    FROM (
      SELECT idx, count, revision,
             coalesce(sum(count) FILTER (WHERE revision >= 0) OVER (ORDER BY idx), 0)
               - CASE WHEN revision >= 0 THEN count ELSE 0 END AS before
        FROM unnest(p_counts, new_revisions) WITH ORDINALITY AS u(count, revision, idx)
    ) AS placed;

  IF accepted_total > 0 THEN
    SELECT array_agg(u.id ORDER BY u.idx, k),
           array_agg(new_revisions[u.idx::int] - u.count + k ORDER BY u.idx, k),
           array_agg(CASE WHEN new_revisions[u.idx::int] >= 0 THEN accepted_before[u.idx::int] + k ELSE 0 END
                     ORDER BY u.idx, k)
      INTO ev_streams, ev_revisions, ev_places
      FROM unnest(p_streams, p_counts) WITH ORDINALITY AS u(id, count, idx), generate_series(1, u.count) AS k;

    PERFORM pg_advisory_xact_lock(7426817);  -- 'kairos' global order lock, held until commit
    first_position := nextval('event_store.positions');
    IF accepted_total > 1 THEN
      PERFORM setval('event_store.positions', first_position + accepted_total - 1);
    END IF;
    -- ROWS FROM pairs the arrays' elements by their place, so no join and no sort under the lock.
    INSERT INTO event_store.events (position, stream_id, revision, type, data, metadata)
    SELECT first_position - 1 + e.place, e.stream_id, e.revision, e.type, e.data,
           CASE WHEN json_typeof(e.metadata) = 'object' THEN e.metadata ELSE '{}'::json END
      FROM ROWS FROM (unnest(ev_places), unnest(ev_streams), unnest(ev_revisions), unnest(p_types),
                      unnest(ev_data), json_array_elements(p_metadata))
           AS e(place, stream_id, revision, type, data, metadata)
     WHERE e.place > 0;
    GET DIAGNOSTICS inserted = ROW_COUNT;
    IF inserted <> accepted_total THEN
      RAISE EXCEPTION 'event_store.append_streams: % events inserted, % accepted', inserted, accepted_total;
    END IF;
    PERFORM pg_notify('event_store_appended', (first_position + accepted_total - 1)::text);
  END IF;

  RETURN QUERY
    SELECT (u.idx - 1)::int,
           new_revisions[u.idx::int] >= 0,
           CASE WHEN new_revisions[u.idx::int] < 0 THEN
             coalesce((SELECT s.revision FROM event_store.streams AS s WHERE s.stream_id = u.id), -1)
           END,
           CASE WHEN new_revisions[u.idx::int] >= 0 THEN new_revisions[u.idx::int] END,
           CASE WHEN new_revisions[u.idx::int] >= 0 THEN
             first_position - 1 + accepted_before[u.idx::int] + u.count
           END
      FROM unnest(p_streams, p_counts) WITH ORDINALITY AS u(id, count, idx)
     ORDER BY u.idx;
END;
$$;
