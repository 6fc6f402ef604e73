/**
 * The occurrence ledger: for each due instant of a task's schedule in a window, what became of it.
 * Pure: the task's records (executions, skips, pending occurrences), its schedule versions and pause
 * intervals, the window and the time in; one item per instant out, plus the runs that were not
 * instants of the schedule (manual triggers, a resume's catch-up run) or ran one again (a backfill).
 *
 * What is recorded wins: an execution, a skip or a pending occurrence due at the instant (the latest
 * occurrence if several, e.g. one a pause dropped and its resume put back). Everything else is
 * derived from why the decider would not have recorded it (a pending occurrence is `scheduled`, or
 * `waiting` while it waits for a concurrency slot, ADR 019):
 * - upcoming: not reached yet (in the future, or behind the occurrence still pending: after a short
 *   pause, say, the held-back instants run late one after the other);
 * - paused: due between the earliest instant a pause held back and its resume;
 * - skipped (rescheduled | deleted): due, not yet fired, when a schedule change or deletion dropped it;
 * - misfired: passed over by a late run (or skip) of an earlier occurrence, which took the timeline
 *   on from the time it was handled (fire_once and skip collapse, fire_all drops beyond its bound);
 * - missing: none of these. It never appears unless something is wrong.
 * Instants are epoch milliseconds here; the view turns them into ISO strings.
 */
import { OCCURRENCE_STATUSES } from '../../../../contracts/enums';
import { nextOccurrenceAfter } from '../../tasks/domain/occurrences';
import type { Schedule } from '../../tasks/domain/task';
import type { ExecutionOutcome, ScheduleReason, SkipReason } from '../../tasks/domain/task.events';

export { OCCURRENCE_STATUSES };
export type OccurrenceStatus = (typeof OCCURRENCE_STATUSES)[number];

/** Why an instant did not run. `calendar` is reserved for calendars (a later issue). */
export const OCCURRENCE_REASONS = [
  'overlap',
  'misfire',
  'paused',
  'rescheduled',
  'deleted',
  'calendar',
] as const;
export type OccurrenceReason = (typeof OCCURRENCE_REASONS)[number];

/**
 * `schedule`: an instant of the schedule; `manual`: a trigger; `catch_up`: a resume's collapsed run;
 * `backfill`: a past instant run again on request (POST /api/tasks/{id}/backfill).
 */
export const OCCURRENCE_KINDS = ['schedule', 'manual', 'catch_up', 'backfill'] as const;
export type OccurrenceKind = (typeof OCCURRENCE_KINDS)[number];

export interface LedgerItem {
  dueAt: number;
  kind: OccurrenceKind;
  status: OccurrenceStatus;
  occurrence?: number;
  reason?: OccurrenceReason;
  /** The last finished attempt's outcome. */
  outcome?: ExecutionOutcome;
  /** Attempts started so far. */
  attempts?: number;
  /** When the first attempt started, and the last finished. */
  startedAt?: number;
  finishedAt?: number;
  /** First start minus due time (minus its planned time when jittered). */
  lagMs?: number;
  /** When jitter planned the first attempt's start (after dueAt, ADR 016). */
  plannedAt?: number;
  /** For a misfired instant: the occurrence whose late handling passed over it. */
  coveredBy?: number;
  /** For reason `calendar`: the calendar that excluded the instant. */
  calendarId?: string;
}

export interface ScheduleVersion {
  /** When the schedule took effect: a recurring schedule's instants come strictly after it. */
  since: number;
  schedule: Schedule;
  /** When it ended (inclusive), or null while in effect. */
  until: number | null;
  untilReason: 'rescheduled' | 'completed' | 'deleted' | null;
  /** Due time of the earliest occurrence that `until` dropped unfired. */
  droppedFrom: number | null;
}

export interface PauseInterval {
  /** The earliest instant the pause held back (at most pausedAt). */
  owedFrom: number;
  resumedAt: number | null;
}

export interface ExecutionRecord {
  occurrence: number;
  attempt: number;
  /** The attempt's due time (a retry's is later than its occurrence's). */
  dueAt: number | null;
  startedAt: number;
  finishedAt: number | null;
  outcome: ExecutionOutcome | null;
  lagMs: number | null;
  /** Its planned start, when jitter moved it (ADR 016). */
  plannedAt?: number | null;
  /** Null for rows projected before the ledger existed: read as regular. */
  scheduleReason: ScheduleReason | null;
}

export interface SkipRecord {
  occurrence: number;
  dueAt: number;
  reason: SkipReason;
  skippedAt: number;
  /** For reason `calendar`: the calendar that excluded it. */
  calendarId?: string;
}

/** An occurrence attempt waiting to fire (the task state's `scheduled`). */
export interface PendingRecord {
  occurrence: number;
  attempt: number;
  dueAt: number;
  reason: ScheduleReason;
  /** Present while it waits for a slot of its concurrency key (ADR 019). */
  waitingSince?: string;
}

export interface LedgerInput {
  /** The window [from, to). */
  from: number;
  to: number;
  now: number;
  versions: readonly ScheduleVersion[];
  pauses: readonly PauseInterval[];
  /** Every attempt of the occurrences whose first attempt is due in the window, plus those of the
   *  latest regular occurrence due before it (it may have passed over the window's first instants). */
  executions: readonly ExecutionRecord[];
  /** Skips due in the window, plus the latest one due before it. */
  skips: readonly SkipRecord[];
  pending: readonly PendingRecord[];
}

export interface DueInstant {
  at: number;
  version: ScheduleVersion;
}

/**
 * The instants of the schedule versions in [from, to), in order, each with the version it belongs
 * to; null when there are more than `max`.
 */
export function dueInstants(
  versions: readonly ScheduleVersion[],
  from: number,
  to: number,
  max: number,
): DueInstant[] | null {
  const byTime = new Map<number, DueInstant>();
  for (const version of [...versions].sort((a, b) => a.since - b.since)) {
    // A once schedule's instant is owed even when it lies before the schedule took effect.
    const lower = version.schedule.kind === 'once' ? -Infinity : version.since;
    const upper = version.until ?? Infinity;
    const since = new Date(version.since);
    let cursor = nextOccurrenceAfter(version.schedule, new Date(Math.max(from - 1, lower)), since);
    while (cursor && cursor.getTime() < to && cursor.getTime() <= upper) {
      byTime.set(cursor.getTime(), { at: cursor.getTime(), version });
      if (byTime.size > max) return null;
      cursor = nextOccurrenceAfter(version.schedule, cursor, since);
    }
  }
  return [...byTime.values()].sort((a, b) => a.at - b.at);
}

/** One occurrence as recorded: what the ledger shows for it, and when it was handled. */
interface OccurrenceRecord {
  occurrence: number;
  dueAt: number;
  /** From the schedule (not a manual trigger or a backfill); one not on an instant is a catch-up run. */
  regular: boolean;
  /** A backfill's run: an extra item, beside whatever became of its instant. */
  backfill: boolean;
  /** When the decider handled it (first start, or skip); null while pending. */
  handledAt: number | null;
  item: Omit<LedgerItem, 'dueAt' | 'kind'>;
}

export function buildLedger(input: LedgerInput, instants: readonly DueInstant[]): LedgerItem[] {
  const records = occurrenceRecords(input);
  const regular = [...records.values()].filter((r) => r.regular).sort((a, b) => a.dueAt - b.dueAt);
  const atInstant = new Map<number, OccurrenceRecord>();
  for (const record of regular) {
    const other = atInstant.get(record.dueAt);
    if (!other || other.occurrence < record.occurrence) atInstant.set(record.dueAt, record);
  }
  const pendingRegular = input.pending.filter((p) => p.attempt === 1 && isRegularReason(p.reason));
  const firstPending = Math.min(...pendingRegular.map((p) => p.dueAt));

  const items: LedgerItem[] = [];
  const shown = new Set<OccurrenceRecord>();
  let latest = -1; // index into `regular` of the last record due before the instant
  for (const { at, version } of instants) {
    while (latest + 1 < regular.length && regular[latest + 1].dueAt < at) latest++;
    const record = atInstant.get(at);
    if (record) {
      shown.add(record);
      items.push({ dueAt: at, kind: 'schedule', ...record.item });
      continue;
    }
    items.push({
      dueAt: at,
      kind: 'schedule',
      ...explain(at, version, regular[latest], firstPending, input),
    });
  }
  for (const record of records.values()) {
    if (shown.has(record) || record.dueAt < input.from || record.dueAt >= input.to) continue;
    if (record.regular && atInstant.get(record.dueAt) !== record) continue; // superseded
    const kind: OccurrenceKind = record.regular ? 'catch_up' : record.backfill ? 'backfill' : 'manual';
    items.push({ dueAt: record.dueAt, kind, ...record.item });
  }
  return items.sort((a, b) => a.dueAt - b.dueAt || (a.occurrence ?? 0) - (b.occurrence ?? 0));
}

/** Why an instant without a record of its own has none. */
function explain(
  at: number,
  version: ScheduleVersion,
  before: OccurrenceRecord | undefined,
  firstPending: number,
  input: LedgerInput,
): Omit<LedgerItem, 'dueAt' | 'kind'> {
  // A once instant before its schedule took effect became owed when it did.
  const owedAt = Math.max(at, version.since);
  const paused = input.pauses.some(
    (p) => p.owedFrom <= owedAt && (p.resumedAt === null || owedAt < p.resumedAt),
  );
  if (at > input.now) return paused ? { status: 'paused', reason: 'paused' } : { status: 'upcoming' };
  // Behind the pending occurrence it is still owed (after a short pause, say, it runs late).
  if (firstPending < at) return { status: 'upcoming' };
  if (paused) return { status: 'paused', reason: 'paused' };
  const { droppedFrom, until, untilReason } = version;
  if (droppedFrom !== null && until !== null && droppedFrom <= at && at <= until) {
    if (untilReason === 'rescheduled' || untilReason === 'deleted') {
      return { status: 'skipped', reason: untilReason };
    }
  }
  if (before?.handledAt != null && before.handledAt >= at) {
    return { status: 'misfired', reason: 'misfire', coveredBy: before.occurrence };
  }
  return { status: 'missing' };
}

/** The input's executions, skips and pending occurrences, one record per occurrence. */
function occurrenceRecords(input: LedgerInput): Map<number, OccurrenceRecord> {
  const records = new Map<number, OccurrenceRecord>();
  const attempts = new Map<number, ExecutionRecord[]>();
  for (const execution of input.executions) {
    const list = attempts.get(execution.occurrence) ?? [];
    list.push(execution);
    attempts.set(execution.occurrence, list);
  }
  const retrying = new Set(input.pending.filter((p) => p.attempt > 1).map((p) => p.occurrence));
  for (const [occurrence, list] of attempts) {
    list.sort((a, b) => a.attempt - b.attempt);
    const first = list[0];
    if (first.attempt !== 1 || first.dueAt === null) continue; // its first attempt is outside the input
    const last = list[list.length - 1];
    const lastFinished = [...list].reverse().find((e) => e.outcome !== null);
    const status: OccurrenceStatus =
      last.finishedAt === null ? 'running' : retrying.has(occurrence) ? 'scheduled' : 'executed';
    records.set(occurrence, {
      occurrence,
      dueAt: first.dueAt,
      regular: isRegularReason(first.scheduleReason),
      backfill: first.scheduleReason === 'backfill',
      handledAt: first.startedAt,
      item: {
        status,
        occurrence,
        attempts: last.attempt,
        startedAt: first.startedAt,
        ...(lastFinished?.outcome ? { outcome: lastFinished.outcome } : {}),
        ...(lastFinished?.finishedAt != null ? { finishedAt: lastFinished.finishedAt } : {}),
        ...(first.lagMs !== null ? { lagMs: first.lagMs } : {}),
        ...(first.plannedAt != null ? { plannedAt: first.plannedAt } : {}),
      },
    });
  }
  for (const skip of input.skips) {
    records.set(skip.occurrence, {
      occurrence: skip.occurrence,
      dueAt: skip.dueAt,
      regular: true,
      backfill: false,
      handledAt: skip.skippedAt,
      item: {
        status: 'skipped',
        occurrence: skip.occurrence,
        reason: skip.reason,
        ...(skip.calendarId === undefined ? {} : { calendarId: skip.calendarId }),
      },
    });
  }
  for (const pending of input.pending) {
    if (pending.attempt !== 1 || records.has(pending.occurrence)) continue;
    records.set(pending.occurrence, {
      occurrence: pending.occurrence,
      dueAt: pending.dueAt,
      regular: isRegularReason(pending.reason),
      backfill: pending.reason === 'backfill',
      handledAt: null,
      item: {
        status: pending.waitingSince === undefined ? 'scheduled' : 'waiting',
        occurrence: pending.occurrence,
      },
    });
  }
  return records;
}

function isRegularReason(reason: ScheduleReason | null): boolean {
  return reason !== 'manual' && reason !== 'retry' && reason !== 'backfill';
}

/** How many items have each status (every status present, zero when none). */
export function countByStatus(items: readonly LedgerItem[]): Record<OccurrenceStatus, number> {
  const counts = Object.fromEntries(OCCURRENCE_STATUSES.map((s) => [s, 0])) as Record<
    OccurrenceStatus,
    number
  >;
  for (const item of items) counts[item.status]++;
  return counts;
}
