import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { Client, type Pool } from 'pg';
import { migrate } from '../../database/migrate';
import type { EventStore } from '../../event-store/event-store';
import { failureAlerts } from '../../metrics/metrics';
import { readModelPosition, waitForPosition } from '../../projections';
import type { FailureAlert } from '../../tasks/domain/task';
import { type AlertSender, sleep } from './alert-sender';
import { type AlertCause, type AlertedTask, alertCause, alertIdempotencyKey } from './failure-alert';

/** One alerter per cluster: the process holding this (session) advisory lock sends; others stand by. */
export const ALERTER_LOCK = 'kairos-failure-alerter';
const MIGRATIONS = join(__dirname, 'migrations');

export interface FailureAlerterOptions {
  store: EventStore;
  /** The read model's pool: the alerter reads tasks there, and keeps its checkpoint beside it. */
  pool: Pool;
  /** The same database, for the session that holds the lock. */
  databaseUrl: string;
  sender: AlertSender;
  /** Background work waits for a busy foreground (firing, delivering), at most MAX_YIELD_MS a page. */
  foreground?: { yield(maxWaitMs: number, signal?: AbortSignal): Promise<void> };
  pageSize?: number;
  /** Pause between reads of the log once caught up. */
  pollMs?: number;
  /** Alerts sent at once: a slow receiver delays the others only once this many are in flight. */
  maxInFlight?: number;
  /** Between two tries for the lock while another process holds it. */
  lockRetryMs?: number;
}

const MAX_YIELD_MS = 3000;
/** How long a stop waits for alerts in flight to be answered. */
const STOP_GRACE_MS = 2000;
/** The checkpoint is written at most this often while nothing is alerted (only to shorten a re-read). */
const IDLE_SAVE_MS = 1000;

/**
 * Reacts to failures on record (ADR 020): reads the global log from its own checkpoint, picks the
 * events that call for an alert (alertCause), looks the task up in the read model once it has caught
 * up to that event, and sends the alert (AlertSender). The checkpoint (failure_alerts.checkpoint,
 * outside the rebuildable read model) only passes an alert once it is delivered or given up, so a
 * crash sends an alert again rather than never: at least once, with the same Idempotency-Key.
 * It polls the log instead of following it live, and yields to the foreground: it never holds up firing.
 */
export class FailureAlerter {
  private readonly logger = new Logger('failure-alerts');
  private readonly pageSize: number;
  private readonly pollMs: number;
  private readonly maxInFlight: number;
  private controller: AbortController | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly options: FailureAlerterOptions) {
    this.pageSize = options.pageSize ?? 1000;
    this.pollMs = options.pollMs ?? 500;
    this.maxInFlight = options.maxInFlight ?? 32;
  }

  start(): void {
    if (this.running) return;
    this.controller = new AbortController();
    this.running = this.run(this.controller.signal);
  }

  /** Stops reading and sending; alerts not settled yet are sent again by the next alerter. */
  async stop(): Promise<void> {
    this.controller?.abort();
    await this.running;
    this.running = undefined;
  }

  private async run(signal: AbortSignal): Promise<void> {
    for (let failures = 0; !signal.aborted; failures++) {
      try {
        await migrate(this.options.pool, 'failure-alerts', MIGRATIONS);
        await this.whileLocked(signal);
        failures = 0;
      } catch (error) {
        if (signal.aborted) break;
        const delayMs = Math.min(100 * 2 ** failures, 10_000);
        this.logger.warn(`alerter interrupted, resuming in ${delayMs} ms: ${(error as Error).message}`);
        await sleep(delayMs, signal);
      }
    }
  }

  /** Takes the lock (waiting while another process has it), then alerts until stopped or the session ends. */
  private async whileLocked(stop: AbortSignal): Promise<void> {
    const session = new AbortController();
    const abort = (): void => session.abort();
    stop.addEventListener('abort', abort, { once: true });
    if (stop.aborted) return; // stopped before it began (an abort event is not heard after the fact)
    const client = new Client({ connectionString: this.options.databaseUrl });
    let lost: Error | undefined;
    // Losing the session loses the lock: stop sending at once, another process may take over.
    client.on('error', (error) => {
      lost = error;
      session.abort();
    });
    try {
      await client.connect();
      while (!session.signal.aborted) {
        const { rows } = await client.query<{ locked: boolean }>(
          'SELECT pg_try_advisory_lock(hashtext($1)) AS locked',
          [ALERTER_LOCK],
        );
        if (rows[0].locked) break;
        await sleep(this.options.lockRetryMs ?? 5000, session.signal);
      }
      if (!session.signal.aborted) await this.follow(client, await this.checkpoint(client), session.signal);
      if (lost) throw lost;
    } finally {
      stop.removeEventListener('abort', abort);
      session.abort();
      await client.end().catch(() => undefined);
    }
  }

  /** The checkpoint; the first alerter starts at the head (facts from before alerts existed stay quiet). */
  private async checkpoint(client: Client): Promise<number> {
    const head = await this.options.store.headPosition();
    await client.query(
      'INSERT INTO failure_alerts.checkpoint (position) VALUES ($1) ON CONFLICT (id) DO NOTHING',
      [head],
    );
    const { rows } = await client.query<{ position: string }>(
      'SELECT position FROM failure_alerts.checkpoint',
    );
    return Number(rows[0].position);
  }

  private async follow(client: Client, after: number, signal: AbortSignal): Promise<void> {
    let read = after;
    let saved = after;
    let savedAt = Date.now();
    /** Alerts not settled, by the position of their event: the checkpoint stays below the lowest. */
    const unsettled = new Map<number, Promise<void>>();
    let saving = Promise.resolve();
    // One save at a time, in order; a failed one does not stop the next (it is only logged).
    const save = (): Promise<void> =>
      (saving = saving
        .catch(() => undefined)
        .then(async () => {
          // Also while stopping: an alert delivered then is done (the session still holds the lock).
          const safe = unsettled.size === 0 ? read : Math.min(...unsettled.keys()) - 1;
          if (safe <= saved) return;
          await client.query('UPDATE failure_alerts.checkpoint SET position = $1', [safe]);
          saved = safe;
          savedAt = Date.now();
        }));
    const failed = (error: unknown): void => {
      this.logger.warn(`could not save the alert checkpoint: ${(error as Error).message}`);
    };

    while (!signal.aborted) {
      await this.options.foreground?.yield(MAX_YIELD_MS, signal);
      read = Math.max(read, await this.quietThrough());
      const page = await this.options.store.readAll({ after: read, maxCount: this.pageSize });
      for (const event of page) {
        const cause = alertCause(event);
        if (cause) {
          while (unsettled.size >= this.maxInFlight && !signal.aborted)
            await Promise.race(unsettled.values());
          const task = await this.taskOf(cause, signal);
          if (signal.aborted) break;
          if (task) {
            const sent = this.send(cause, task, signal).then((settled) => {
              // Unsettled (stopped mid-way) keeps its place: the checkpoint never passes it.
              if (!settled) return;
              unsettled.delete(cause.position);
              return save().catch(failed);
            });
            unsettled.set(cause.position, sent);
          }
        }
        read = event.position;
      }
      if (signal.aborted) break;
      if (Date.now() - savedAt >= IDLE_SAVE_MS) await save();
      if (page.length < this.pageSize) await sleep(this.pollMs, signal);
    }
    // Sends cut short by the stop end at their next attempt; a call still waiting for its answer is
    // left after a grace (its runner is destroyed): unsettled, it is sent again by the next alerter.
    const grace = new AbortController();
    const settled = Promise.allSettled(unsettled.values()).then(() => grace.abort());
    await Promise.race([settled, sleep(STOP_GRACE_MS, grace.signal)]);
    grace.abort();
    await saving.catch(failed);
  }

  /**
   * While no task has an alert, nothing the read model has seen calls for one: the position it has
   * reached (0 when some task has an alert). Read before the question, so that everything up to it
   * was projected by the time no alert is found. Spares the log a second reader when alerts are unused.
   */
  private async quietThrough(): Promise<number> {
    const position = await readModelPosition(this.options.pool);
    const { rows } = await this.options.pool.query<{ alerts: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM read_model.tasks WHERE definition ? 'onFailure') AS alerts`,
    );
    return rows[0].alerts ? 0 : position;
  }

  private async send(cause: AlertCause, task: AlertedTask, signal: AbortSignal): Promise<boolean> {
    const delivery = await this.options.sender.deliver(cause, task, signal).catch((error: Error) => {
      // Unsettled: the checkpoint stays below it, and the next alerter (after a restart) tries again.
      this.logger.error(`failure alert ${alertIdempotencyKey(cause)} not sent: ${error.message}`);
      return { settled: false } as const;
    });
    if (!delivery.settled) return false;
    const fields = { taskId: cause.taskId, occurrence: cause.occurrence, attempt: cause.attempt };
    if (delivery.result.outcome === 'succeeded') {
      failureAlerts.inc({ result: 'delivered' });
      this.logger.log({ msg: 'failure alert delivered', ...fields, kind: cause.kind });
    } else {
      failureAlerts.inc({ result: 'failed' });
      this.logger.error({
        msg: `failure alert given up after ${delivery.attempts} attempts`,
        ...fields,
        key: alertIdempotencyKey(cause),
        error: delivery.result.error,
      });
    }
    return true;
  }

  /**
   * The task's name and alert once the read model holds the event (the projector may trail the log),
   * and the occurrence's due time (its first attempt's: a retry's is later); null when the task has no
   * alert (then nothing is sent).
   */
  private async taskOf(cause: AlertCause, signal: AbortSignal): Promise<AlertedTask | null> {
    while ((await waitForPosition(this.options.pool, cause.position, 5000)) < cause.position) {
      if (signal.aborted) return null;
    }
    const { rows } = await this.options.pool.query<{
      name: string;
      on_failure: FailureAlert | null;
      due_at: Date | null;
    }>(
      `SELECT t.name, t.definition->'onFailure' AS on_failure, e.due_at
         FROM read_model.tasks t
         LEFT JOIN read_model.executions e
           ON e.task_id = t.task_id AND e.occurrence = $2 AND e.attempt = 1
        WHERE t.task_id = $1`,
      [cause.taskId, cause.occurrence],
    );
    const row = rows[0];
    if (!row?.on_failure) return null;
    return {
      name: row.name,
      onFailure: row.on_failure,
      ...(row.due_at ? { dueAt: row.due_at.toISOString() } : {}),
    };
  }
}
