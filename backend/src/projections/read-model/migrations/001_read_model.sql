-- The read model: tables derived from the event log, all rebuildable (`npm run projections:rebuild`).
--
-- Rules for these files: qualify every name with `read_model.` (the rebuild replays them into a fresh
-- schema by replacing that word), and write no functions or views whose bodies name the schema (they
-- would keep the temporary name after the swap). Append new numbered files; never edit applied ones.
CREATE SCHEMA read_model;

-- Trigram search on task names (a trusted extension: the database owner may create it).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Where each projector stands in the log; updated in the same transaction as the rows it describes.
CREATE TABLE read_model.checkpoints (
  projector text PRIMARY KEY,
  position bigint NOT NULL
);
INSERT INTO read_model.checkpoints (projector, position) VALUES ('read-model', 0);

-- One row per registered task: its current state (the fold of its stream, as of `revision`).
CREATE TABLE read_model.tasks (
  task_id uuid PRIMARY KEY,
  name text NOT NULL,
  status text NOT NULL CHECK (status IN ('active', 'paused', 'completed', 'deleted')),
  bucket int NOT NULL,
  schedule_kind text NOT NULL,
  definition jsonb NOT NULL,
  -- The full ExistingTaskState from evolve: a snapshot the workers start from (then read the tail).
  state jsonb NOT NULL,
  -- The stream revision and global position of the last event of this task applied here.
  revision bigint NOT NULL,
  position bigint NOT NULL,
  registered_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  next_due_at timestamptz,
  last_outcome text,
  last_execution_at timestamptz
);

-- The task list (GET /api/tasks): keyset pagination by (sort key, task_id), with or without a status
-- filter. Without one the list leaves out deleted tasks, hence the partial indexes. Tasks with nothing
-- due sort last (infinity).
CREATE INDEX tasks_by_status_next_due
  ON read_model.tasks (status, (coalesce(next_due_at, 'infinity'::timestamptz)), task_id);
CREATE INDEX tasks_live_by_next_due
  ON read_model.tasks ((coalesce(next_due_at, 'infinity'::timestamptz)), task_id)
  WHERE status <> 'deleted';
CREATE INDEX tasks_by_status_name ON read_model.tasks (status, name, task_id);
CREATE INDEX tasks_live_by_name ON read_model.tasks (name, task_id) WHERE status <> 'deleted';
CREATE INDEX tasks_by_status_registered ON read_model.tasks (status, registered_at, task_id);
CREATE INDEX tasks_live_by_registered ON read_model.tasks (registered_at, task_id) WHERE status <> 'deleted';
CREATE INDEX tasks_name_trigrams ON read_model.tasks USING gin (name gin_trgm_ops);

-- Exactly what a worker may fire now or later: the state's `scheduled` list of active tasks (and the
-- manual occurrences of paused ones, which FireOccurrence accepts).
CREATE TABLE read_model.due_occurrences (
  task_id uuid NOT NULL,
  occurrence int NOT NULL,
  attempt int NOT NULL,
  bucket int NOT NULL,
  due_at timestamptz NOT NULL,
  reason text NOT NULL,
  PRIMARY KEY (task_id, occurrence, attempt)
);
CREATE INDEX due_occurrences_by_bucket ON read_model.due_occurrences (bucket, due_at);

-- One row per execution (occurrence attempt); outcome is null while it runs.
CREATE TABLE read_model.executions (
  task_id uuid NOT NULL,
  occurrence int NOT NULL,
  attempt int NOT NULL,
  bucket int NOT NULL,
  due_at timestamptz,
  started_at timestamptz NOT NULL,
  finished_at timestamptz,
  outcome text CHECK (outcome IN ('succeeded', 'failed', 'timed_out', 'lost')),
  lag_ms bigint,
  duration_ms bigint,
  worker_id text,
  output text,
  error text,
  position bigint NOT NULL,
  PRIMARY KEY (task_id, occurrence, attempt)
);
-- Newest first (scanned backwards): across tasks, per task, per outcome; and the running ones by bucket.
CREATE INDEX executions_by_start ON read_model.executions (started_at, task_id, occurrence, attempt);
CREATE INDEX executions_by_task ON read_model.executions (task_id, started_at, occurrence, attempt);
CREATE INDEX executions_by_outcome
  ON read_model.executions (outcome, started_at, task_id, occurrence, attempt);
CREATE INDEX executions_running ON read_model.executions (bucket, started_at) WHERE finished_at IS NULL;

-- Finished executions per minute (of finished_at) and outcome. lag = started_at - due_at; the
-- histogram counts lags up to each bound of LAG_HISTOGRAM_BOUNDS_MS (lag-histogram.ts), plus one
-- overflow cell. Changing the bounds needs a rebuild.
CREATE TABLE read_model.stats_minute (
  minute timestamptz NOT NULL,
  outcome text NOT NULL,
  count int NOT NULL,
  lag_sum_ms bigint NOT NULL,
  lag_max_ms bigint NOT NULL,
  lag_histogram int[] NOT NULL,
  PRIMARY KEY (minute, outcome)
);

-- Tasks per status, kept by the projector so statistics need no count over a million rows.
CREATE TABLE read_model.task_status_counts (
  status text PRIMARY KEY,
  count bigint NOT NULL
);

-- Events the projector could not apply (malformed, or refused by the database). It logs them and
-- goes on; they stay here for an operator. parked_at is the only column a rebuild does not reproduce.
CREATE TABLE read_model.parked_events (
  position bigint PRIMARY KEY,
  stream_id text NOT NULL,
  revision bigint NOT NULL,
  type text NOT NULL,
  error text NOT NULL,
  recorded_at timestamptz NOT NULL,
  parked_at timestamptz NOT NULL DEFAULT now()
);
