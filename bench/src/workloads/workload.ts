import { type BenchSizes } from '../bench-sizes';
import { type FiringStats, firingStats } from '../firing-stats';
import { type ExpectedFiring, type SchedulerUnderTest } from '../systems/scheduler-under-test';

export type WorkloadId = 'W1' | 'W2' | 'W3' | 'W4' | 'W5' | 'W6';

export interface WorkloadOutcome {
  firing?: FiringStats;
  /** Tasks accepted per second by the registration call. */
  registeredPerSecond?: number;
  /** Tasks per second until they can fire (Kairos: until the projector has read them). */
  fireablePerSecond?: number;
  /** Latency of reading the first page of the task list while the workload runs, in ms. */
  firstPageMs?: { p50: number; p95: number; max: number };
  /** W6: the worker process that was SIGKILLed. */
  killed?: string;
  /** Why the system could not run the workload. */
  unsupported?: string;
}

/** What one system has shown so far in the run: W4's rate sets how far ahead later workloads register. */
export interface RunContext {
  fireablePerSecond: number;
}

export interface Workload {
  id: WorkloadId;
  title: string;
  run(system: SchedulerUnderTest, sizes: BenchSizes, context: RunContext): Promise<WorkloadOutcome>;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * How far ahead of now `count` tasks must be due so that registering them, and the system making them
 * fireable, ends well before the first is due: lag must measure firing, not registration.
 */
export function leadMs(count: number, sizes: BenchSizes, context: RunContext): number {
  return sizes.leadMs + Math.ceil((count / context.fireablePerSecond) * 1000 * 1.5);
}

/** Registers, waits until fireable, and checks the lead held (else the lag figures would lie). */
export async function registerAhead(system: SchedulerUnderTest, firings: ExpectedFiring[]): Promise<void> {
  await system.registerOnce(firings);
  await system.settled();
  const firstDue = Math.min(...firings.map((f) => f.dueAt));
  if (Date.now() > firstDue - 500) {
    throw new Error(
      `${system.name}: registration ended ${Date.now() - firstDue} ms after the first due time`,
    );
  }
}

/**
 * Waits until every expected firing has started or `graceMs` has passed since the last due time, then a
 * little longer so that a late duplicate still shows, and counts.
 */
export async function collect(
  system: SchedulerUnderTest,
  prefix: string,
  expected: ExpectedFiring[],
  graceMs: number,
): Promise<FiringStats> {
  const lastDue = Math.max(...expected.map((f) => f.dueAt));
  await sleep(lastDue - Date.now());
  for (const deadline = lastDue + graceMs; Date.now() < deadline;) {
    if (firingStats(expected, await system.starts(prefix)).misses === 0) break;
    await sleep(1000);
  }
  await sleep(1000);
  return firingStats(expected, await system.starts(prefix));
}
