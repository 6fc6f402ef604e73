import { join } from 'node:path';
import type { Pool } from 'pg';
import { migrate } from '../../database/migrate';
import { inTransaction } from '../../database/transaction';

/** Channel a release is announced on (payload: the key), so waiters of every worker try at once. */
export const SLOT_RELEASED_CHANNEL = 'kairos_concurrency';

/** One attempt of an occurrence that needs a slot of `key` to start. */
export interface SlotClaim {
  key: string;
  /** The task's own limit: it starts only while fewer than this hold the key. */
  limit: number;
  taskId: string;
  occurrence: number;
  attempt: number;
  /** Waiters are served in due order (then task, occurrence, attempt), across the cluster. */
  dueAt: Date;
}

/**
 * `granted`: this worker holds the slot now (with when the claim first waited, if it did).
 * `waiting`: no slot for it yet; it is on record as waiting, in its place in the key's queue.
 * `elsewhere`: a slot is already held for this very attempt (another worker, or this one, fires it).
 */
export type TakeResult =
  { kind: 'granted'; waitingSince?: Date } | { kind: 'waiting'; waitingSince: Date } | { kind: 'elsewhere' };

/** A waiter not renewed for this long is dead (its worker stopped): it no longer holds others back. */
export const WAITER_STALE_MS = 5000;
/** Dead waiters' rows are removed after this. */
const WAITER_GONE_MS = 30_000;
/** A slot whose worker is gone is given back after this, if no execution of it is open. */
const HOLDER_GONE_MS = 2000;
/**
 * A slot whose start never reached the read model (the worker died between slot and start, or its
 * release failed) is given back after this. Longer than any projector lag worth the name.
 */
const NEVER_STARTED_MS = 10 * 60_000;

/**
 * The cluster-wide slots of concurrency keys, in PostgreSQL (the read model's database, schema
 * `concurrency`). A take locks its key for the transaction (pg_advisory_xact_lock) and grants a slot
 * only while holders plus live waiters due earlier are fewer than the limit: safety rests on that
 * lock and the table, not on leases or any process's memory (ADR 019).
 */
export class ConcurrencySlots {
  constructor(
    private readonly pool: Pool,
    private readonly workerId: string,
  ) {}

  /** Creates the schema (idempotent; its own migration history, component `concurrency`). */
  static migrate(pool: Pool): Promise<string[]> {
    return migrate(pool, 'concurrency', join(__dirname, 'migrations'));
  }

  async take(claim: SlotClaim): Promise<TakeResult> {
    return inTransaction(this.pool, async (client) => {
      await client.query(`SELECT pg_advisory_xact_lock(hashtext('kairos-concurrency:' || $1))`, [claim.key]);
      const mine = await client.query<{ waiting_since: Date | null }>(
        `INSERT INTO concurrency.slots AS s (task_id, occurrence, attempt, key, worker_id, due_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (task_id, occurrence, attempt) DO UPDATE
            SET seen_at = now(), key = excluded.key, worker_id = excluded.worker_id
          WHERE s.taken_at IS NULL
         RETURNING waiting_since`,
        [claim.taskId, claim.occurrence, claim.attempt, claim.key, this.workerId, claim.dueAt],
      );
      if (mine.rows.length === 0) return { kind: 'elsewhere' };
      const { rows } = await client.query<{ held: string; ahead: string }>(
        `SELECT count(*) FILTER (WHERE taken_at IS NOT NULL) AS held,
                count(*) FILTER (WHERE taken_at IS NULL AND seen_at > now() - make_interval(secs => $6 / 1000.0)
                                   AND (due_at, task_id, occurrence, attempt) < ($2, $3::uuid, $4, $5)) AS ahead
           FROM concurrency.slots WHERE key = $1`,
        [claim.key, claim.dueAt, claim.taskId, claim.occurrence, claim.attempt, WAITER_STALE_MS],
      );
      const waitingSince = mine.rows[0].waiting_since ?? undefined;
      const free = Number(rows[0].held) + Number(rows[0].ahead) < claim.limit;
      const updated = await client.query<{ waiting_since: Date | null; now: Date }>(
        `UPDATE concurrency.slots
            SET ${free ? 'taken_at = now()' : 'waiting_since = coalesce(waiting_since, now())'}
          WHERE task_id = $1 AND occurrence = $2 AND attempt = $3
         RETURNING waiting_since, now() AS now`,
        [claim.taskId, claim.occurrence, claim.attempt],
      );
      if (free) return { kind: 'granted', ...(waitingSince && { waitingSince }) };
      return { kind: 'waiting', waitingSince: updated.rows[0].waiting_since ?? updated.rows[0].now };
    });
  }

  /** Gives the slot (or the place in the queue) of this attempt back, and wakes the key's waiters. */
  async release(taskId: string, occurrence: number, attempt: number): Promise<void> {
    await this.pool.query(
      `WITH gone AS (
         DELETE FROM concurrency.slots WHERE task_id = $1 AND occurrence = $2 AND attempt = $3 RETURNING key)
       SELECT pg_notify($4, key) FROM gone`,
      [taskId, occurrence, attempt, SLOT_RELEASED_CHANNEL],
    );
  }

  /** Keeps this worker's waiters alive (one statement for all of them). */
  async renew(claims: SlotClaim[]): Promise<void> {
    if (claims.length === 0) return;
    await this.pool.query(
      `UPDATE concurrency.slots s SET seen_at = now()
         FROM unnest($1::uuid[], $2::int[], $3::int[]) AS c(task_id, occurrence, attempt)
        WHERE s.task_id = c.task_id AND s.occurrence = c.occurrence AND s.attempt = c.attempt
          AND s.taken_at IS NULL`,
      [claims.map((c) => c.taskId), claims.map((c) => c.occurrence), claims.map((c) => c.attempt)],
    );
  }

  /** This worker stops waiting (shutdown): its places in the queues go. */
  async abandonWaiting(): Promise<void> {
    await this.pool.query(`DELETE FROM concurrency.slots WHERE worker_id = $1 AND taken_at IS NULL`, [
      this.workerId,
    ]);
  }

  /**
   * Gives back slots that can no longer be released by their holder, so none leaks for ever: the
   * execution finished but the release was lost (the worker died right after recording); the worker
   * is gone (not in `liveWorkers`, when known) and no execution of the slot is open (an open one is
   * closed as lost by the sweeper, which releases it); or the start never reached the read model in
   * NEVER_STARTED_MS. Dead waiters go too. Wakes the keys that freed slots, and returns how many.
   */
  async reconcile(liveWorkers?: string[]): Promise<number> {
    const { rowCount } = await this.pool.query(
      `WITH gone AS (
         DELETE FROM concurrency.slots s
          WHERE (s.taken_at IS NULL AND s.seen_at < now() - make_interval(secs => $2 / 1000.0))
             OR (s.taken_at IS NOT NULL AND (
                  EXISTS (SELECT 1 FROM read_model.executions e
                           WHERE e.task_id = s.task_id AND e.occurrence = s.occurrence
                             AND e.attempt = s.attempt AND e.finished_at IS NOT NULL)
                  OR (NOT EXISTS (SELECT 1 FROM read_model.executions e
                                   WHERE e.task_id = s.task_id AND e.occurrence = s.occurrence
                                     AND e.attempt = s.attempt)
                      AND (s.taken_at < now() - make_interval(secs => $4 / 1000.0)
                           OR ($1::text[] IS NOT NULL AND NOT s.worker_id = ANY($1::text[])
                               AND s.taken_at < now() - make_interval(secs => $3 / 1000.0))))))
         RETURNING key, taken_at)
       SELECT pg_notify($5, key) FROM (SELECT DISTINCT key FROM gone WHERE taken_at IS NOT NULL) k`,
      [liveWorkers ?? null, WAITER_GONE_MS, HOLDER_GONE_MS, NEVER_STARTED_MS, SLOT_RELEASED_CHANNEL],
    );
    return rowCount ?? 0;
  }
}
