-- Concurrency limits (ADR 019): how long an execution waited for a slot of its key before it started
-- (startedAt - waitingSince of its TaskExecutionStarted); null when it did not wait.
ALTER TABLE read_model.executions ADD COLUMN waited_ms bigint;
