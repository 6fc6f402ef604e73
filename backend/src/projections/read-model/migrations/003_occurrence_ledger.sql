-- The occurrence ledger (GET /api/tasks/{id}/occurrences): what became of each due instant of a task's
-- schedule. Executions already hold what ran; these tables hold what explains every other instant:
-- which schedule was in effect, when the task was paused, and which occurrences were skipped. Paused
-- and misfired instants are never rows of their own (a one-second cron paused for a day would write
-- 86,400): the ledger derives them (backend/src/task-queries/list-occurrences/occurrence-ledger.ts).
-- After upgrading a database with history, `npm run projections:rebuild` fills them from the log.

-- Why the attempt was put on the timeline (ScheduleReason): manual runs and a resume's catch-up run
-- are not instants of the schedule. Written with the execution's row, so it costs the projector nothing.
ALTER TABLE read_model.executions ADD COLUMN schedule_reason text;
-- The ledger reads a task's first attempts by due instant.
CREATE INDEX executions_first_by_due ON read_model.executions (task_id, due_at) WHERE attempt = 1;

-- Each schedule a task had, from its registration or the change that brought it (`since`, exclusive:
-- a recurring schedule's first instant comes after it) to the change, completion or deletion that
-- ended it (`until`, inclusive; null while in effect). Keyed by the log position of the event that
-- brought it, as two changes may fall in one millisecond.
CREATE TABLE read_model.schedule_versions (
  task_id uuid NOT NULL,
  opened_position bigint NOT NULL,
  since timestamptz NOT NULL,
  schedule jsonb NOT NULL,
  until timestamptz,
  until_reason text CHECK (until_reason IN ('rescheduled', 'completed', 'deleted')),
  -- Due time of the earliest occurrence that was pending, already due and not yet fired when `until`
  -- dropped it: instants from there to `until` were skipped for `until_reason`.
  dropped_from timestamptz,
  position bigint NOT NULL,
  PRIMARY KEY (task_id, opened_position)
);

-- Each pause, from the earliest instant it held back (`owed_from`: the pending occurrence it dropped
-- when that was already due, else `paused_at`) to its resume (null while paused).
CREATE TABLE read_model.pause_intervals (
  task_id uuid NOT NULL,
  paused_at timestamptz NOT NULL,
  owed_from timestamptz NOT NULL,
  resumed_at timestamptz,
  position bigint NOT NULL,
  PRIMARY KEY (task_id, paused_at)
);

-- TaskOccurrenceSkipped: occurrences skipped for overlap or misfire.
CREATE TABLE read_model.skipped_occurrences (
  task_id uuid NOT NULL,
  occurrence int NOT NULL,
  due_at timestamptz NOT NULL,
  reason text NOT NULL,
  skipped_at timestamptz NOT NULL,
  position bigint NOT NULL,
  PRIMARY KEY (task_id, occurrence)
);
CREATE INDEX skipped_occurrences_by_due ON read_model.skipped_occurrences (task_id, due_at);
