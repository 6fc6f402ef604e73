import { randomUUID } from 'node:crypto';
import type { EventStore } from '../../../event-store/event-store';
import { Clock } from '../../../tasks/clock';
import { bucketOf } from '../../../tasks/domain/bucket';
import type { TaskDefinitionInput } from '../../../tasks/domain/task';
import type { TaskCommand } from '../../../tasks/domain/task.commands';
import { decide } from '../../../tasks/domain/task.decider';
import { TaskDomainError } from '../../../tasks/domain/task.errors';
import { taskStreamId } from '../../../tasks/domain/task.events';
import { initialTaskState } from '../../../tasks/domain/task.state';
import { toNewEvent } from '../../../tasks/decide-and-append';
import { TaskRepository } from '../../../tasks/task-repository';
import { truncateTaskHistory } from '../../../tasks/history-retention/truncate-task-history';

/** A retention cut in the middle of the workload (ADR 012). */
export interface WorkloadCut {
  /** Events recorded before this step may go. */
  olderThanStep: number;
  /** The step after which every task's history is cut. */
  atStep: number;
  /** Runs just before the cut (e.g. waiting for the live projector to reach the head). */
  beforeCut?: () => Promise<void>;
}

export class FakeClock extends Clock {
  constructor(public current: Date) {
    super();
  }
  now(): Date {
    return this.current;
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/** A small deterministic PRNG (mulberry32), so a workload is the same on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const WORKLOAD_START = new Date('2026-11-24T08:00:00Z');

const log = { kind: 'log', message: 'hi' } as const;

/**
 * Drives tasks of all three kinds through every command an API client and a worker can send, each
 * decided by the domain's `decide` on simulated time, so the log holds every event type: registered,
 * updated, scheduled (every reason), started (after a wait for a concurrency slot too), executed
 * (every outcome), skipped (overlap and misfire), waiting, paused, resumed, completed, deleted.
 */
export async function runMixedWorkload(
  store: EventStore,
  options: { seed?: number; steps?: number; cut?: WorkloadCut } = {},
): Promise<{ taskIds: string[]; clock: FakeClock; cuts: Map<string, number> }> {
  const clock = new FakeClock(WORKLOAD_START);
  const repository = new TaskRepository(store, clock);
  const next = random(options.seed ?? 7);
  // The limited task rolls its own dice, so the others' runs are the same with or without it.
  const nextLimited = random((options.seed ?? 7) + 1);
  const at = (seconds: number) => new Date(WORKLOAD_START.getTime() + seconds * 1000).toISOString();
  const definitions: TaskDefinitionInput[] = [
    { name: 'once-a', schedule: { kind: 'once', at: at(10) }, action: log },
    {
      name: 'once-b',
      schedule: { kind: 'once', at: at(20) },
      action: log,
      retry: { maxAttempts: 2, backoffMs: 1000 },
    },
    {
      name: 'cron-c',
      schedule: { kind: 'cron', expression: '*/15 * * * * *', timezone: 'UTC' },
      action: log,
    },
    {
      name: 'cron-d',
      schedule: { kind: 'cron', expression: '0 * * * * *', timezone: 'Europe/Berlin' },
      action: log,
      misfire: 'skip',
    },
    { name: 'interval-e', schedule: { kind: 'interval', everySeconds: 10 }, action: log, overlap: 'allow' },
    { name: 'interval-f', schedule: { kind: 'interval', everySeconds: 7 }, action: log },
    {
      name: 'limited-g',
      schedule: { kind: 'interval', everySeconds: 9 },
      action: log,
      concurrency: { key: 'mixed-db', limit: 1 },
    },
  ];
  const taskIds = definitions.map(() => randomUUID());
  const run = async (command: TaskCommand): Promise<void> => {
    try {
      await repository.execute(command);
    } catch (error) {
      if (!(error instanceof TaskDomainError)) throw error;
    }
  };
  for (const [i, definition] of definitions.entries()) {
    await run({
      type: 'RegisterTask',
      data: { taskId: taskIds[i], definition, bucket: bucketOf(taskIds[i]) },
    });
  }

  const steps = options.steps ?? 30;
  const cuts = new Map<string, number>();
  let olderThan: Date | undefined;
  for (let step = 0; step < steps; step++) {
    if (step === options.cut?.olderThanStep) {
      // recordedAt is the database's clock: leave a clear gap on either side of the cutoff.
      await new Promise((resolve) => setTimeout(resolve, 20));
      olderThan = new Date();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    clock.advance(step === 20 ? 5 * 60_000 : 5000); // one long gap: misfires and lost executions
    const [c, d, e, f] = taskIds.slice(2);
    if (step === 3)
      await run({
        type: 'UpdateTask',
        data: {
          taskId: c,
          changes: {
            name: 'cron-c2',
            schedule: { kind: 'cron', expression: '*/20 * * * * *', timezone: 'UTC' },
          },
        },
      });
    if (step === 3) await run({ type: 'UpdateTask', data: { taskId: e, changes: { name: 'interval-e2' } } });
    if (step === 4) await run({ type: 'PauseTask', data: { taskId: f } });
    if (step === 5) await run({ type: 'TriggerTask', data: { taskId: d } });
    if (step === 6) await run({ type: 'TriggerTask', data: { taskId: f } }); // a manual run of a paused task
    if (step === 22) {
      // Backfills of the last minute (after the long gap, so shorter workloads stay as they were).
      const to = clock.now().toISOString();
      const from = new Date(clock.now().getTime() - 60_000).toISOString();
      await run({ type: 'BackfillTask', data: { taskId: f, from, to } });
      await run({ type: 'BackfillTask', data: { taskId: c, from, to } });
    }
    if (step === 8) await run({ type: 'ResumeTask', data: { taskId: f } });
    if (step === 25) await run({ type: 'DeleteTask', data: { taskId: e } });

    for (const taskId of taskIds) {
      const { state } = await repository.load(taskId);
      if (state.status === 'none') continue;
      const roll = state.definition.concurrency ? nextLimited : next;
      for (const running of state.running) {
        const overdue =
          clock.now().getTime() - Date.parse(running.startedAt) > state.definition.timeoutMs + 30_000;
        if (overdue) {
          await run({
            type: 'CloseLostExecution',
            data: { taskId, occurrence: running.occurrence, attempt: running.attempt },
          });
          continue;
        }
        const dice = roll();
        if (dice < 0.15) continue; // still running; may be closed as lost later
        const outcome = dice < 0.65 ? 'succeeded' : dice < 0.9 ? 'failed' : 'timed_out';
        await run({
          type: 'RecordExecutionOutcome',
          data: {
            taskId,
            occurrence: running.occurrence,
            attempt: running.attempt,
            outcome,
            startedAt: running.startedAt,
            finishedAt: new Date(Date.parse(running.startedAt) + Math.floor(roll() * 2000)).toISOString(),
            ...(outcome === 'succeeded' ? { output: `ok ${step}` } : { error: `boom ${step}` }),
          },
        });
      }
      const due = state.scheduled.filter((s) => Date.parse(s.dueAt) <= clock.now().getTime());
      for (const s of due) {
        // A limited task waits for its slot from its due time (on record), and starts holding it.
        const limit = state.definition.concurrency;
        const slot = limit && { concurrencyKey: limit.key, waitingSince: s.dueAt };
        if (slot)
          await run({
            type: 'RecordOccurrenceWaiting',
            data: { taskId, occurrence: s.occurrence, attempt: s.attempt, ...slot },
          });
        await run({
          type: 'FireOccurrence',
          data: {
            taskId,
            occurrence: s.occurrence,
            attempt: s.attempt,
            workerId: `worker-${step % 3}`,
            ...slot,
          },
        });
      }
    }
    if (step === options.cut?.atStep && olderThan) {
      await options.cut.beforeCut?.();
      for (const taskId of taskIds) {
        const outcome = await truncateTaskHistory(store, taskId, olderThan);
        if (outcome.kind === 'cut') cuts.set(taskId, outcome.throughRevision);
      }
    }
  }
  return { taskIds, clock, cuts };
}

/** Registers `count` interval tasks in batches of 500 (two events each), like the batch API. */
export async function registerMany(
  store: EventStore,
  count: number,
  now: Date = WORKLOAD_START,
): Promise<string[]> {
  const ids: string[] = [];
  for (let offset = 0; offset < count; offset += 500) {
    const appends = Array.from({ length: Math.min(500, count - offset) }, (_, i) => {
      const taskId = randomUUID();
      ids.push(taskId);
      const definition: TaskDefinitionInput = {
        name: `bulk-${offset + i}`,
        schedule: { kind: 'interval', everySeconds: 60 + ((offset + i) % 600) },
        action: log,
      };
      const events = decide(
        { type: 'RegisterTask', data: { taskId, definition, bucket: bucketOf(taskId) } },
        initialTaskState,
        now,
      );
      return {
        streamId: taskStreamId(taskId),
        events: events.map(toNewEvent),
        expectedRevision: 'no_stream' as const,
      };
    });
    await store.appendMany(appends);
  }
  return ids;
}
