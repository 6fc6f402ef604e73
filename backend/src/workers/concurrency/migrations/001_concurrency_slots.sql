-- Concurrency limits (ADR 019): who holds a slot of a key, and who waits for one. Not part of the read
-- model (a rebuild must not hand out every slot again): its own schema and migration history.
CREATE SCHEMA IF NOT EXISTS concurrency;

-- One row per attempt of an occurrence that holds a slot of its key (taken_at set) or waits for one
-- (taken_at null; seen_at renewed by its worker while it waits, so a dead worker's waiter ages out).
CREATE TABLE concurrency.slots (
  task_id uuid NOT NULL,
  occurrence int NOT NULL,
  attempt int NOT NULL,
  key text NOT NULL,
  worker_id text NOT NULL,
  due_at timestamptz NOT NULL,
  waiting_since timestamptz,
  seen_at timestamptz NOT NULL DEFAULT now(),
  taken_at timestamptz,
  PRIMARY KEY (task_id, occurrence, attempt)
);
-- A take counts the key's holders and the waiters due before it.
CREATE INDEX slots_by_key ON concurrency.slots (key, due_at);
