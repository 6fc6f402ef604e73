-- Workers follow changes to due occurrences instead of re-reading whole buckets: each due row
-- remembers the log position of the event that last changed its task's due set, and a worker reads
-- the rows past the position it has seen (rows are rewritten whenever a task's due set changes).
ALTER TABLE read_model.due_occurrences ADD COLUMN position bigint NOT NULL DEFAULT 0;
CREATE INDEX due_occurrences_by_position ON read_model.due_occurrences (position);
