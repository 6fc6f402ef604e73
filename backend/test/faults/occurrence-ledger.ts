/**
 * The figures of a fault case, from what the event store recorded and what the HTTP receiver saw.
 * Pure: the spec reads the store and the receiver, this counts.
 *
 * Words
 * - instant: a time on the cron grid of a task (every `periodMs`, from its first occurrence on).
 * - due: the instants whose deadline passed inside the window (due at or before windowEnd - settleMs);
 *   every one must have started once, or (where the case allows it) have a recorded skip.
 * - doubled: a second attempt-1 start for one instant, a second start of one occurrence+attempt, or a
 *   call the receiver saw more often than allowed (once, or once per started attempt where the case
 *   allows re-sending: retries, a dead worker's calls in flight).
 * - re-sent: every arrival of a key after its first, whether allowed or not.
 * - unrecorded: a call that arrived (before the settle margin) for an occurrence the store never started.
 * - real overlap: a skipped instant that fell while another run of the task was really going (started
 *   at or before it, finished after it, and not closed as lost: a dead worker's run proves nothing).
 *   Any other skip is unjustified: an overlap that never was.
 */

export type ReceiverMode = 'ok' | 'hang' | 'reset' | 'error';

export interface Arrival {
  /** The Idempotency-Key header: `<taskId>:<occurrence>`. */
  key: string | null;
  at: number;
  /** How the receiver answered it. */
  mode: ReceiverMode;
}

export interface Started {
  occurrence: number;
  attempt: number;
  dueAt: number;
  startedAt: number;
}
export interface Executed {
  occurrence: number;
  attempt: number;
  outcome: 'succeeded' | 'failed' | 'timed_out' | 'lost';
  startedAt: number;
  finishedAt: number;
  durationMs: number;
  error?: string;
}
export interface Scheduled {
  occurrence: number;
  attempt: number;
  dueAt: number;
  reason: string;
}
export interface Skipped {
  occurrence: number;
  dueAt: number;
  reason: string;
}

/** One task's events of interest, in log order, instants as epoch ms. */
export interface TaskHistory {
  taskId: string;
  scheduled: Scheduled[];
  started: Started[];
  executed: Executed[];
  skipped: Skipped[];
}

export interface LedgerOptions {
  periodMs: number;
  /** When the store and the receiver were read. */
  windowEnd: number;
  /** Instants due later than windowEnd - settleMs are not required yet (their deadline has not passed). */
  settleMs: number;
  /** Whether a key may arrive once per started attempt (true) or only once (false). */
  resendPerAttempt: boolean;
}

/** One instant of one task. */
export interface InstantRow {
  taskId: string;
  dueAt: number;
  required: boolean;
  /** Attempt-1 starts recorded for this instant. */
  starts: number;
  skipped: boolean;
  /** Skipped while another run of the task was really going (see "real overlap"). */
  realOverlap: boolean;
  startLagMs?: number;
  arrivalLagMs?: number;
  arrivals: number;
}

export interface Figures {
  tasks: number;
  due: number;
  fired: number;
  doubled: number;
  missing: number;
  skipped: number;
  /** Skips without a real overlap behind them. */
  unjustifiedSkips: number;
  resent: number;
  /** Due instants that started but whose call never reached the receiver. */
  undelivered: number;
  unrecorded: number;
  /** Attempt-1 starts whose due time is not on the task's grid. */
  offGrid: number;
  worstStartLagMs: number | null;
  worstArrivalLagMs: number | null;
}

/** Figures of a case that counted nothing (yet). */
export function emptyFigures(): Figures {
  return {
    tasks: 0,
    due: 0,
    fired: 0,
    doubled: 0,
    missing: 0,
    skipped: 0,
    unjustifiedSkips: 0,
    resent: 0,
    undelivered: 0,
    unrecorded: 0,
    offGrid: 0,
    worstStartLagMs: null,
    worstArrivalLagMs: null,
  };
}

export function computeLedger(
  histories: TaskHistory[],
  arrivals: Arrival[],
  options: LedgerOptions,
): { figures: Figures; rows: InstantRow[] } {
  const byKey = new Map<string, Arrival[]>();
  for (const arrival of arrivals) {
    if (arrival.key === null) continue;
    byKey.set(arrival.key, [...(byKey.get(arrival.key) ?? []), arrival]);
  }
  const figures = { ...emptyFigures(), tasks: histories.length };
  const rows: InstantRow[] = [];
  const knownKeys = new Set<string>();
  const lastRequired = options.windowEnd - options.settleMs;

  for (const history of histories) {
    const key = (occurrence: number) => `${history.taskId}:${occurrence}`;
    const first = firstDue(history);
    if (first === undefined) continue;
    const attempts = new Map<string, number>(); // `${occurrence}:${attempt}` -> starts
    const firstStarts = new Map<number, Started[]>(); // instant -> attempt-1 starts
    for (const start of history.started) {
      knownKeys.add(key(start.occurrence));
      const id = `${start.occurrence}:${start.attempt}`;
      attempts.set(id, (attempts.get(id) ?? 0) + 1);
      if (start.attempt !== 1) continue;
      if (start.dueAt < first || (start.dueAt - first) % options.periodMs !== 0) figures.offGrid++;
      firstStarts.set(start.dueAt, [...(firstStarts.get(start.dueAt) ?? []), start]);
    }
    for (const count of attempts.values()) figures.doubled += Math.max(0, count - 1);
    const skips = new Set(history.skipped.map((s) => s.dueAt));
    const realRuns = history.executed.filter((e) => e.outcome !== 'lost');
    const reallyRunning = (at: number) => realRuns.some((e) => e.startedAt <= at && at < e.finishedAt);

    for (let dueAt = first; dueAt <= options.windowEnd; dueAt += options.periodMs) {
      const starts = firstStarts.get(dueAt) ?? [];
      const keyArrivals = starts.flatMap((s) => byKey.get(key(s.occurrence)) ?? []);
      const row: InstantRow = {
        taskId: history.taskId,
        dueAt,
        required: dueAt <= lastRequired,
        starts: starts.length,
        skipped: skips.has(dueAt),
        realOverlap: skips.has(dueAt) && reallyRunning(dueAt),
        arrivals: keyArrivals.length,
      };
      if (starts.length > 0) row.startLagMs = Math.min(...starts.map((s) => s.startedAt)) - dueAt;
      if (keyArrivals.length > 0) row.arrivalLagMs = Math.min(...keyArrivals.map((a) => a.at)) - dueAt;
      figures.doubled += Math.max(0, starts.length - 1);
      if (row.required) {
        figures.due++;
        if (row.starts > 0) figures.fired++;
        else if (row.skipped) {
          figures.skipped++;
          if (!row.realOverlap) figures.unjustifiedSkips++;
        } else figures.missing++;
        if (row.starts > 0 && row.arrivals === 0) figures.undelivered++;
      }
      figures.worstStartLagMs = worst(figures.worstStartLagMs, row.startLagMs);
      figures.worstArrivalLagMs = worst(figures.worstArrivalLagMs, row.arrivalLagMs);
      rows.push(row);
    }

    for (const occurrence of new Set(history.started.map((s) => s.occurrence))) {
      const seen = byKey.get(key(occurrence))?.length ?? 0;
      const startedAttempts = new Set(
        history.started.filter((s) => s.occurrence === occurrence).map((s) => s.attempt),
      ).size;
      figures.resent += Math.max(0, seen - 1);
      figures.doubled += Math.max(0, seen - (options.resendPerAttempt ? startedAttempts : 1));
    }
  }

  for (const [key, keyArrivals] of byKey) {
    if (knownKeys.has(key)) continue;
    figures.unrecorded += keyArrivals.filter((a) => a.at <= lastRequired).length;
  }
  return { figures, rows };
}

/** The task's first occurrence: its registered schedule, else its earliest start. */
function firstDue(history: TaskHistory): number | undefined {
  const registered = history.scheduled.find((s) => s.occurrence === 1 && s.attempt === 1);
  if (registered) return registered.dueAt;
  const starts = history.started.filter((s) => s.attempt === 1).map((s) => s.dueAt);
  return starts.length > 0 ? Math.min(...starts) : undefined;
}

function worst(current: number | null, value: number | undefined): number | null {
  if (value === undefined) return current;
  return current === null ? value : Math.max(current, value);
}
