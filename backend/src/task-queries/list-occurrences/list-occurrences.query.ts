import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { READ_MODEL_POOL } from '../../projections';
import { inTransaction } from '../../database/transaction';
import { validationProblem } from '../../api/problem';
import type { Schedule } from '../../tasks/domain/task';
import type { ExecutionOutcome, ScheduleReason, SkipReason } from '../../tasks/domain/task.events';
import type { ScheduledOccurrence } from '../../tasks/domain/task.state';
import { MAX_LEDGER_INSTANTS, type OccurrenceLedgerView } from './list-occurrences.dto';
import {
  type LedgerItem,
  type ScheduleVersion,
  buildLedger,
  countByStatus,
  dueInstants,
} from './occurrence-ledger';

interface VersionRow {
  since: string;
  schedule: Schedule;
  until: string | null;
  until_reason: ScheduleVersion['untilReason'];
  dropped_from: string | null;
}

interface RecordRows {
  pauses: { owed_from: string; resumed_at: string | null }[];
  executions: {
    occurrence: number;
    attempt: number;
    due_at: string | null;
    started_at: string;
    finished_at: string | null;
    outcome: ExecutionOutcome | null;
    lag_ms: number | null;
    planned_at: string | null;
    schedule_reason: ScheduleReason | null;
  }[];
  skips: {
    occurrence: number;
    due_at: string;
    reason: SkipReason;
    skipped_at: string;
    calendar_id: string | null;
  }[];
}

/**
 * GET /api/tasks/{id}/occurrences: reads what the ledger needs for a window from the read model, in
 * one REPEATABLE READ snapshot (so a run and the next pending occurrence are seen as of one batch of
 * the projector), and builds the ledger. Executions are found by the partial index on first attempts'
 * due time, plus the latest regular one before the window (whose late run may have passed over the
 * window's first instants).
 */
@Injectable()
export class ListOccurrencesQuery {
  constructor(@Inject(READ_MODEL_POOL) private readonly pool: Pool) {}

  /** The ledger of [from, to) as of `now`, or null for an unknown task; 400 past MAX_LEDGER_INSTANTS. */
  async run(
    taskId: string,
    window: { from: Date; to: Date; now: Date },
  ): Promise<OccurrenceLedgerView | null> {
    return inTransaction(this.pool, (client) => this.ledger(client, taskId, window), {
      begin: 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
    });
  }

  /** Reads what the ledger needs on `client`, in run's snapshot, and builds it. */
  private async ledger(
    client: PoolClient,
    taskId: string,
    window: { from: Date; to: Date; now: Date },
  ): Promise<OccurrenceLedgerView | null> {
    const [from, to, now] = [window.from.getTime(), window.to.getTime(), window.now.getTime()];
    const head = await this.loadHead(client, taskId, window);
    if (!head) return null;
    const versions = head.versions.map(toVersion);
    const instants = dueInstants(versions, from, to, MAX_LEDGER_INSTANTS);
    if (!instants) {
      throw validationProblem([
        {
          field: 'from',
          reason: `the window holds more than ${MAX_LEDGER_INSTANTS} due instants of this task; narrow it`,
        },
      ]);
    }
    // A once instant before its schedule took effect counts from then: pauses up to there matter.
    const onceSince = versions.filter((v) => v.schedule.kind === 'once').map((v) => v.since);
    const records = await this.loadRecords(
      client,
      taskId,
      window.from,
      new Date(Math.max(to, ...onceSince)),
      window.to,
    );
    const items = buildLedger(
      {
        from,
        to,
        now,
        versions,
        pauses: records.pauses.map((p) => ({
          owedFrom: ms(p.owed_from),
          resumedAt: msOrNull(p.resumed_at),
        })),
        executions: records.executions.map((e) => ({
          occurrence: e.occurrence,
          attempt: e.attempt,
          dueAt: msOrNull(e.due_at),
          startedAt: ms(e.started_at),
          finishedAt: msOrNull(e.finished_at),
          outcome: e.outcome,
          lagMs: e.lag_ms,
          plannedAt: msOrNull(e.planned_at),
          scheduleReason: e.schedule_reason,
        })),
        skips: records.skips.map((k) => ({
          occurrence: k.occurrence,
          dueAt: ms(k.due_at),
          reason: k.reason,
          skippedAt: ms(k.skipped_at),
          ...(k.calendar_id ? { calendarId: k.calendar_id } : {}),
        })),
        pending: head.pending.map((p) => ({ ...p, dueAt: ms(p.dueAt) })),
      },
      instants,
    );
    return {
      taskId,
      from: window.from.toISOString(),
      to: window.to.toISOString(),
      now: window.now.toISOString(),
      items: items.map(toView),
      counts: countByStatus(items),
    };
  }

  private async loadHead(
    client: PoolClient,
    taskId: string,
    { from, to }: { from: Date; to: Date },
  ): Promise<{ pending: ScheduledOccurrence[]; versions: VersionRow[] } | null> {
    const { rows } = await client.query<{ pending: ScheduledOccurrence[] | null; versions: VersionRow[] }>(
      `SELECT (SELECT state -> 'scheduled' FROM read_model.tasks WHERE task_id = $1) AS pending,
              (SELECT coalesce(json_agg(v ORDER BY since, opened_position), '[]')
                 FROM (SELECT since, schedule, until, until_reason, dropped_from, opened_position
                         FROM read_model.schedule_versions
                        WHERE task_id = $1 AND (until IS NULL OR until >= $2)
                          AND (since < $3 OR schedule ->> 'kind' = 'once')) v) AS versions`,
      [taskId, from, to],
    );
    const { pending, versions } = rows[0];
    return pending === null ? null : { pending, versions };
  }

  private async loadRecords(
    client: PoolClient,
    taskId: string,
    from: Date,
    pausesBefore: Date,
    to: Date,
  ): Promise<RecordRows> {
    const { rows } = await client.query<RecordRows>(
      `SELECT
         (SELECT coalesce(json_agg(p), '[]') FROM (
            SELECT owed_from, resumed_at FROM read_model.pause_intervals
             WHERE task_id = $1 AND owed_from < $4 AND (resumed_at IS NULL OR resumed_at > $2)) p) AS pauses,
         (SELECT coalesce(json_agg(e), '[]') FROM (
            SELECT occurrence, attempt, due_at, started_at, finished_at, outcome, lag_ms, schedule_reason,
                   planned_at
              FROM read_model.executions
             WHERE task_id = $1 AND occurrence IN (
                 SELECT occurrence FROM read_model.executions
                  WHERE task_id = $1 AND attempt = 1 AND due_at >= $2 AND due_at < $3
                 UNION ALL
                 (SELECT occurrence FROM read_model.executions
                   WHERE task_id = $1 AND attempt = 1 AND due_at < $2
                     AND (schedule_reason IS NULL OR schedule_reason NOT IN ('manual', 'backfill'))
                   ORDER BY due_at DESC LIMIT 1))) e) AS executions,
         (SELECT coalesce(json_agg(k), '[]') FROM (
            (SELECT occurrence, due_at, reason, skipped_at, calendar_id FROM read_model.skipped_occurrences
              WHERE task_id = $1 AND due_at >= $2 AND due_at < $3)
            UNION ALL
            (SELECT occurrence, due_at, reason, skipped_at, calendar_id FROM read_model.skipped_occurrences
              WHERE task_id = $1 AND due_at < $2 ORDER BY due_at DESC LIMIT 1)) k) AS skips`,
      [taskId, from, to, pausesBefore],
    );
    return rows[0];
  }
}

function toVersion(row: VersionRow): ScheduleVersion {
  return {
    since: ms(row.since),
    schedule: row.schedule,
    until: msOrNull(row.until),
    untilReason: row.until_reason,
    droppedFrom: msOrNull(row.dropped_from),
  };
}

function toView(item: LedgerItem): OccurrenceLedgerView['items'][number] {
  const { dueAt, startedAt, finishedAt, plannedAt, ...rest } = item;
  return {
    dueAt: iso(dueAt),
    ...rest,
    ...(plannedAt === undefined ? {} : { plannedAt: iso(plannedAt) }),
    ...(startedAt === undefined ? {} : { startedAt: iso(startedAt) }),
    ...(finishedAt === undefined ? {} : { finishedAt: iso(finishedAt) }),
  };
}

/** Timestamps come back from json_agg as PostgreSQL prints them (ISO 8601 with an offset). */
function ms(text: string): number {
  return Date.parse(text);
}

function msOrNull(text: string | null): number | null {
  return text === null ? null : Date.parse(text);
}

function iso(time: number): string {
  return new Date(time).toISOString();
}
