-- Timer actors reload only what changed since they last looked: each due row remembers the log
-- position of the task state it was written from (rows are rewritten whenever a task's due set changes).
ALTER TABLE read_model.due_occurrences ADD COLUMN position bigint NOT NULL DEFAULT 0;
CREATE INDEX due_occurrences_by_bucket_position ON read_model.due_occurrences (bucket, position);
