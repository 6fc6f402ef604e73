-- Retention (ADR 012): TaskHistoryTruncated removes a task's ledger rows through a log position. A
-- pause still open at the cut is kept; it is told apart from one that began after the cut by the
-- position of the TaskPaused that opened it (null in rows written before this column: such a pause is
-- taken as begun before the cut while its row is untouched since).
ALTER TABLE read_model.pause_intervals ADD COLUMN paused_position bigint;
