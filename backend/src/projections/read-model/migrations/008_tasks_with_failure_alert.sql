-- The failure alerter (backend/src/workers/failure-alerts) asks whether any task has an alert at all;
-- while none has, it skips the log instead of reading it. This partial index answers at once.
CREATE INDEX tasks_with_failure_alert ON read_model.tasks (task_id) WHERE definition ? 'onFailure';
