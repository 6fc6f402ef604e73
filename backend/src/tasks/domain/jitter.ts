/**
 * Jitter (ADR 016): a task with `jitterMs` starts each regular occurrence a little after its due
 * instant, so many tasks due at one instant (every `0 * * * *` in a cluster) do not all call out in
 * the same millisecond. The offset is a pure function of the task id and the occurrence number: the
 * same on replay, on every worker and in every test, and recorded in the event (`plannedAt`) anyway.
 */
import { mixedHash } from './hash';
import type { Instant } from './task-definition';

/**
 * An offset in [0, jitterMs) ms for one occurrence of a task: FNV-1a over `taskId:occurrence`, then
 * murmur3's finalizer, so neighbouring occurrences and ids that differ in one character spread over
 * the whole range. 0 when jitterMs is absent, 0 or 1.
 */
export function jitterOffsetMs(taskId: string, occurrence: number, jitterMs: number | undefined): number {
  if (jitterMs === undefined || jitterMs <= 1) return 0;
  return mixedHash(`${taskId}:${occurrence}`) % Math.floor(jitterMs);
}

/** When an occurrence is to start: its planned time when it was jittered, else its due instant. */
export function startTimeOf(entry: { dueAt: Instant; plannedAt?: Instant }): Instant {
  return entry.plannedAt ?? entry.dueAt;
}
