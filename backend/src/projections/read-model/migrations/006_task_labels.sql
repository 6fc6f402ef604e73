-- Labels live in the task's definition; `GET /api/tasks?label=team:billing` and the bulk pause/resume
-- find tasks by containment (definition->'labels' @> '{"team":"billing"}'), which this index serves.
CREATE INDEX tasks_by_labels ON read_model.tasks USING gin ((definition -> 'labels') jsonb_path_ops);
