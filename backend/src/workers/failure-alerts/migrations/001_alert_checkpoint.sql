-- Where the failure alerter (backend/src/workers/failure-alerts) stands in the event log: every alert
-- caused by an event at or below `position` has been delivered or given up. Outside the read_model
-- schema on purpose: a rebuild of the read model replaces that schema, and must not send old alerts again.
CREATE SCHEMA IF NOT EXISTS failure_alerts;

CREATE TABLE failure_alerts.checkpoint (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  position bigint NOT NULL
);
