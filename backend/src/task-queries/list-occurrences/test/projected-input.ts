import type { RecordedEvent } from '../../../event-store/event-store';
import type { ScheduleReason, SkipReason, ExecutionOutcome } from '../../../tasks/domain/task.events';
import { projectEvents } from '../../../projections/projector/project-events';
import type { LedgerInput } from '../occurrence-ledger';

/**
 * A task's log projected as the projector does, then read back for the window [from, to) the way
 * the query selects rows (first attempts due in the window and the latest regular one before it,
 * with all their attempts; skips likewise; every version and pause): the ledger's input.
 */
export function projectedLedgerInput(
  events: readonly RecordedEvent[],
  window: { from: number; to: number; now: number },
): LedgerInput {
  const batch = projectEvents(new Map(), events);
  const { from, to } = window;
  const ms = (iso: string | null) => (iso === null ? null : Date.parse(iso));
  const firsts = batch.executions.filter((e) => e.attempt === 1 && e.due_at !== null);
  const inWindow = (due: number) => due >= from && due < to;
  const chosen = new Set(firsts.filter((e) => inWindow(Date.parse(e.due_at!))).map((e) => e.occurrence));
  const latestBefore = firsts
    .filter((e) => Date.parse(e.due_at!) < from && e.schedule_reason !== 'manual')
    .sort((a, b) => Date.parse(a.due_at!) - Date.parse(b.due_at!))
    .at(-1);
  if (latestBefore) chosen.add(latestBefore.occurrence);
  const skips = batch.ledger.skips.map((k) => ({
    occurrence: k.occurrence,
    dueAt: Date.parse(k.due_at),
    reason: k.reason as SkipReason,
    skippedAt: Date.parse(k.skipped_at),
  }));
  const skipBefore = skips
    .filter((k) => k.dueAt < from)
    .sort((a, b) => a.dueAt - b.dueAt)
    .at(-1);
  const state = batch.tasks[0]?.state;
  return {
    ...window,
    versions: batch.ledger.versions.map((v) => ({
      since: Date.parse(v.since),
      schedule: v.schedule,
      until: ms(v.until),
      untilReason: v.until_reason,
      droppedFrom: ms(v.dropped_from),
    })),
    pauses: batch.ledger.pauses.map((p) => ({
      owedFrom: Date.parse(p.owed_from),
      resumedAt: ms(p.resumed_at),
    })),
    executions: batch.executions
      .filter((e) => chosen.has(e.occurrence))
      .map((e) => ({
        occurrence: e.occurrence,
        attempt: e.attempt,
        dueAt: ms(e.due_at),
        startedAt: Date.parse(e.started_at),
        finishedAt: ms(e.finished_at),
        outcome: e.outcome as ExecutionOutcome | null,
        lagMs: e.lag_ms,
        plannedAt: ms(e.planned_at),
        scheduleReason: e.schedule_reason as ScheduleReason | null,
      })),
    skips: [...skips.filter((k) => inWindow(k.dueAt)), ...(skipBefore ? [skipBefore] : [])],
    pending: (state?.scheduled ?? []).map((s) => ({ ...s, dueAt: Date.parse(s.dueAt) })),
  };
}
