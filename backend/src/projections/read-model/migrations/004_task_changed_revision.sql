-- A task row is the command side's snapshot too (ADR 011): a command starts from it and reads only the
-- stream's tail. If-Match needs the revision of the last change by a person; rows written before this
-- column existed leave it NULL (unknown), and a command on such a task folds the whole stream once.
ALTER TABLE read_model.tasks ADD COLUMN changed_revision bigint;
