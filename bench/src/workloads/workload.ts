import { type BenchSizes } from '../bench-sizes';
import {
  type FiringAtArrivalAndStart,
  type FiringStats,
  firingAtArrivalAndStart,
  firingStats,
  observedArrivals,
} from '../firing-stats';
import { type Receiver } from '../receiver/receiver';
import { type ExpectedFiring, type SchedulerUnderTest } from '../systems/scheduler-under-test';

export type WorkloadId = 'W1' | 'W2' | 'W3' | 'W4' | 'W5' | 'W6';

export interface WorkloadOutcome {
  /** At the HTTP receiver: when the user's endpoint is called (the headline). */
  arrival?: FiringStats;
  /** At the start: Kairos's TaskExecutionStarted (from the event store), a peer's handler entry. */
  start?: FiringStats;
  /** W1: the same burst as the process's first firing, before the measured one (see w1-burst.ts). */
  cold?: FiringAtArrivalAndStart;
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

/** What a workload runs with besides the system. */
export interface RunContext {
  /** What the system has shown so far in the run: W4's rate sets how far ahead later workloads register. */
  fireablePerSecond: number;
  /** The HTTP receiver every system's tasks call: their arrivals are read from it. */
  receiver: Receiver;
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

/** Past the grace, the wait goes on while firings keep coming: until none came for this long… */
const QUIET_MS = 2000;
/** …and at most this long after the last due time. */
const MAX_WAIT_MS = 120_000;

/**
 * Waits from the last due time until every expected firing has arrived at the receiver, or `graceMs`
 * have passed. Past that it waits on while they keep coming (a late call is late, not lost, and would
 * load the next workload), then a little longer so that a late duplicate still shows, and counts both:
 * what has not come by then is missed. Only the receiver is asked while waiting: every system records
 * a start before its call leaves, so all arrived means all started, and reading the starts (for Kairos
 * a scan of its event store) would take CPU from the system still delivering. They are read once, at
 * the end. `perOccurrence`: the receiver's URLs name every-second tasks (see Receiver.arrivals).
 */
export async function collect(
  system: SchedulerUnderTest,
  receiver: Receiver,
  prefix: string,
  expected: ExpectedFiring[],
  graceMs: number,
  perOccurrence = false,
): Promise<FiringAtArrivalAndStart> {
  const arrived = async () =>
    firingStats(expected, observedArrivals(await receiver.arrivals(prefix, perOccurrence)));
  const lastDue = Math.max(...expected.map((f) => f.dueAt));
  await sleep(lastDue - Date.now());
  let seen = 0;
  let progressed = Date.now();
  for (;;) {
    const { fired, misses } = await arrived();
    if (misses === 0) break;
    const now = Date.now();
    if (fired > seen) [seen, progressed] = [fired, now];
    if (now >= lastDue + graceMs && now - progressed >= QUIET_MS) break;
    if (now >= lastDue + MAX_WAIT_MS) break;
    await sleep(1000);
  }
  await sleep(1000);
  return firingAtArrivalAndStart(
    expected,
    await receiver.arrivals(prefix, perOccurrence),
    await system.starts(prefix),
  );
}
