-- Calendars (issue 17, item 1; ADR 018): one row per calendar stream (`calendar-<uuid>`), its latest
-- definition and revision. A deleted calendar keeps its row (deleted = true): tasks' history names it.
CREATE TABLE read_model.calendars (
  calendar_id uuid PRIMARY KEY,
  name text NOT NULL,
  definition jsonb NOT NULL,
  revision bigint NOT NULL,
  position bigint NOT NULL,
  deleted boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
-- The calendar that excluded a skipped occurrence (reason `calendar`), for the ledger to name it.
ALTER TABLE read_model.skipped_occurrences ADD COLUMN calendar_id uuid;
CREATE INDEX calendars_by_name ON read_model.calendars (name) WHERE NOT deleted;
