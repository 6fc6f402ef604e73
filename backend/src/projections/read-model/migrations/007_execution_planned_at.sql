-- Jitter (ADR 016): an execution of a jittered occurrence keeps the schedule's instant in due_at and
-- the time it was planned to start in planned_at (NULL: not jittered, planned = due). Its lag_ms, and
-- the lag in execution_stats, count from planned_at when there is one. due_occurrences.due_at holds
-- the planned time (when the timers fire it) and needs no column.
ALTER TABLE read_model.executions ADD COLUMN planned_at timestamptz;
