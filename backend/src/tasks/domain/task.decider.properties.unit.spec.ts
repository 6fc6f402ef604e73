/**
 * Random lives of a task: register it, then apply random commands at random (increasing) times, the
 * way the API and workers would, and check after every step what must always hold.
 */
import fc from 'fast-check';
import { jitterOffsetMs, startTimeOf } from './jitter';
import { decide } from './task.decider';
import type { MisfirePolicy, OverlapPolicy, Schedule, TaskDefinitionInput } from './task';
import type { TaskCommand } from './task.commands';
import { TaskDomainError } from './task.errors';
import {
  assertTaskEvent,
  type ScheduleReason,
  type TaskEvent,
  type TaskScheduled,
  scheduledBy,
} from './task.events';
import { evolve, foldTaskEvents, isRegular, type TaskState } from './task.state';

const T0 = Date.parse('2026-03-01T10:00:00Z');
const HOUR = 3_600_000;
const TASK_ID = 'c9a0a3cc-2f55-4d37-9d3b-0c2c3f6f0e01';

const scheduleArb: fc.Arbitrary<Schedule> = fc.oneof(
  fc.constant<Schedule>({ kind: 'cron', expression: '0 * * * *', timezone: 'Europe/Berlin' }),
  fc.constant<Schedule>({
    kind: 'cron',
    expression: '*/20 * * * *',
    timezone: 'UTC',
    endAt: '2026-03-01T16:00:00Z',
  }),
  fc.constant<Schedule>({ kind: 'cron', expression: '30 2 * * *', timezone: 'America/New_York' }),
  fc.integer({ min: 60, max: 7200 }).map<Schedule>((everySeconds) => ({ kind: 'interval', everySeconds })),
  fc.integer({ min: -HOUR, max: 6 * HOUR }).map<Schedule>((shift) => ({
    kind: 'once',
    at: new Date(T0 + shift).toISOString(),
  })),
);

const definitionArb: fc.Arbitrary<TaskDefinitionInput> = fc.record({
  name: fc.constantFrom('a', 'b'),
  schedule: scheduleArb,
  action: fc.constant({ kind: 'log', message: 'x' } as const),
  retry: fc.record({
    maxAttempts: fc.integer({ min: 1, max: 4 }),
    backoffMs: fc.constantFrom(0, 1000, 60_000),
  }),
  timeoutMs: fc.constantFrom(1000, 30_000),
  overlap: fc.constantFrom<OverlapPolicy>('skip', 'allow'),
  misfire: fc.constantFrom<MisfirePolicy>('fire_once', 'skip', 'fire_all'),
  jitterMs: fc.constantFrom(0, 0, 5000, 90_000),
});

const stepArb = fc.record({
  advanceMs: fc.oneof(
    fc.constant(0),
    fc.integer({ min: 0, max: 90_000 }),
    fc.integer({ min: 0, max: 3 * HOUR }),
  ),
  kind: fc.constantFrom(
    'fire',
    'fire',
    'fire',
    'outcome',
    'outcome',
    'lost',
    'pause',
    'resume',
    'trigger',
    'update',
    'register',
    'delete',
    'backfill',
  ),
  pick: fc.nat(),
  result: fc.constantFrom('succeeded', 'failed', 'timed_out' as const),
  change: fc.oneof(
    scheduleArb.map((schedule): Partial<TaskDefinitionInput> => ({ schedule })),
    fc.constantFrom<MisfirePolicy>('fire_once', 'skip', 'fire_all').map((misfire) => ({ misfire })),
    fc.constantFrom('a', 'b', 'c').map((name) => ({ name })),
    fc.constantFrom(0, 5000, 90_000).map((jitterMs) => ({ jitterMs })),
  ),
});

/** Turns a random step into a plausible command for the current state. */
function commandFor(
  step: StepValue,
  state: TaskState,
  now: number,
  definition: TaskDefinitionInput,
): TaskCommand {
  const taskId = TASK_ID;
  const scheduled = state.status === 'none' ? [] : state.scheduled;
  const running = state.status === 'none' ? [] : state.running;
  switch (step.kind) {
    case 'fire': {
      const due = scheduled.filter((s) => Date.parse(startTimeOf(s)) <= now);
      const pool = due.length > 0 ? due : scheduled;
      const entry = pool[step.pick % Math.max(1, pool.length)] ?? {
        occurrence: 1 + (step.pick % 5),
        attempt: 1,
      };
      return {
        type: 'FireOccurrence',
        data: { taskId, occurrence: entry.occurrence, attempt: entry.attempt, workerId: `w${step.pick % 3}` },
      };
    }
    case 'outcome': {
      const run = running[step.pick % Math.max(1, running.length)];
      const startedAt = run?.startedAt ?? new Date(now).toISOString();
      return {
        type: 'RecordExecutionOutcome',
        data: {
          taskId,
          occurrence: run?.occurrence ?? 1,
          attempt: run?.attempt ?? 1,
          outcome: step.result,
          startedAt,
          finishedAt: new Date(Math.max(now, Date.parse(startedAt))).toISOString(),
          output: 'ok',
        },
      };
    }
    case 'lost': {
      const run = running[step.pick % Math.max(1, running.length)];
      return {
        type: 'CloseLostExecution',
        data: { taskId, occurrence: run?.occurrence ?? 1, attempt: run?.attempt ?? 1 },
      };
    }
    case 'pause':
      return { type: 'PauseTask', data: { taskId } };
    case 'resume':
      return { type: 'ResumeTask', data: { taskId } };
    case 'trigger':
      return { type: 'TriggerTask', data: { taskId } };
    case 'update':
      return { type: 'UpdateTask', data: { taskId, changes: step.change } };
    case 'register':
      return { type: 'RegisterTask', data: { taskId, definition, bucket: 3 } };
    case 'backfill': {
      // A window in the last few hours, often overlapping an earlier one (so repeats are common).
      const to = now - (step.pick % 4) * HOUR + HOUR;
      return {
        type: 'BackfillTask',
        data: { taskId, from: new Date(to - 3 * HOUR).toISOString(), to: new Date(to).toISOString() },
      };
    }
    case 'delete':
      // Rare, so that most lives run long enough to be interesting.
      return step.pick % 4 === 0
        ? { type: 'DeleteTask', data: { taskId } }
        : { type: 'TriggerTask', data: { taskId } };
  }
}

type StepValue = typeof stepArb extends fc.Arbitrary<infer T> ? T : never;

describe('decide and evolve over random command sequences', () => {
  it('keep the scheduler’s promises', () => {
    fc.assert(
      fc.property(definitionArb, fc.array(stepArb, { maxLength: 40 }), (definition, steps) => {
        let now = T0;
        const log: TaskEvent[] = [];
        let state = foldTaskEvents([]);
        const apply = (command: TaskCommand) => {
          let events: TaskEvent[];
          try {
            events = decide(command, state, new Date(now));
          } catch (error) {
            // Refusals are part of the contract; anything else is a bug.
            expect(error).toBeInstanceOf(TaskDomainError);
            return;
          }
          for (const event of events) {
            // Every produced event survives the store's JSON round trip and its assertion.
            const stored = JSON.parse(JSON.stringify(event.data)) as unknown;
            expect(assertTaskEvent(event.type, stored)).toEqual(event);
            state = evolve(state, event);
          }
          log.push(...events);
          checkInvariants(log, state, now);
        };

        apply({ type: 'RegisterTask', data: { taskId: TASK_ID, definition, bucket: 3 } });
        for (const step of steps) {
          now += step.advanceMs;
          apply(commandFor(step, state, now, definition));
        }
        expect(foldTaskEvents(log)).toEqual(state);
      }),
      { numRuns: 400 },
    );
  });
});

function checkInvariants(log: TaskEvent[], state: TaskState, now: number) {
  const scheduledKeys = new Set<string>();
  const startedKeys = new Set<string>();
  const executedKeys = new Set<string>();
  const reasons = new Map<number, ScheduleReason>();
  let lastNewOccurrence = 0;
  let regularDueTimes = new Set<string>();
  let onceFires = 0;
  let schedule: Schedule | undefined;
  let jitterMs: number | undefined;

  // A registration carries its first occurrence (ADR 021); any other occurrence is a TaskScheduled.
  const checkScheduled = (scheduled: TaskScheduled['data']) => {
    const key = `${scheduled.occurrence}/${scheduled.attempt}`;
    expect(scheduledKeys.has(key)).toBe(false); // each (occurrence, attempt) scheduled once
    scheduledKeys.add(key);
    if (scheduled.attempt === 1) {
      expect(scheduled.occurrence).toBeGreaterThan(lastNewOccurrence); // numbers unique, increasing
      lastNewOccurrence = scheduled.occurrence;
      reasons.set(scheduled.occurrence, scheduled.reason);
    }
    // Jitter: regular occurrences only, by the pure offset of the task's jitter when scheduled.
    const offset = isRegular(scheduled.reason) ? jitterOffsetMs(TASK_ID, scheduled.occurrence, jitterMs) : 0;
    const planned = offset > 0 ? new Date(Date.parse(scheduled.dueAt) + offset).toISOString() : undefined;
    expect(scheduled.plannedAt).toBe(planned);
  };

  for (const event of log) {
    switch (event.type) {
      case 'TaskRegistered':
        schedule = event.data.definition.schedule;
        jitterMs = event.data.definition.jitterMs;
        break;
      case 'TaskUpdated':
        if (event.data.changes.jitterMs !== undefined) jitterMs = event.data.changes.jitterMs;
        if (event.data.changes.schedule) {
          schedule = event.data.changes.schedule;
          regularDueTimes = new Set();
          onceFires = 0;
        }
        break;
      case 'TaskExecutionStarted':
      case 'TaskOccurrenceSkipped': {
        const attempt = event.type === 'TaskExecutionStarted' ? event.data.attempt : 1;
        const key = `${event.data.occurrence}/${attempt}`;
        expect(scheduledKeys.has(key)).toBe(true);
        expect(startedKeys.has(key)).toBe(false); // fired (or skipped) once per occurrence and attempt
        startedKeys.add(key);
        if (event.type === 'TaskExecutionStarted') {
          expect(Date.parse(event.data.startedAt)).toBeGreaterThanOrEqual(
            Date.parse(startTimeOf(event.data)),
          ); // never early
        }
        const reason = reasons.get(event.data.occurrence);
        if (attempt === 1 && reason && isRegular(reason)) {
          // No regular due time of one schedule is handled twice: no duplicate runs.
          expect(regularDueTimes.has(event.data.dueAt)).toBe(false);
          regularDueTimes.add(event.data.dueAt);
          if (schedule?.kind === 'once') expect(++onceFires).toBe(1);
        }
        break;
      }
      case 'TaskExecuted': {
        const key = `${event.data.occurrence}/${event.data.attempt}`;
        expect(startedKeys.has(key)).toBe(true);
        expect(executedKeys.has(key)).toBe(false); // one outcome per execution
        executedKeys.add(key);
        break;
      }
      default:
        break;
    }
    const scheduled = scheduledBy(event); // after TaskRegistered set the task's jitter
    if (scheduled) checkScheduled(scheduled);
  }

  if (state.status !== 'none') {
    // Pending regular occurrences are distinct, and none repeats one already handled.
    const pendingRegular = state.scheduled
      .filter((s) => s.attempt === 1 && isRegular(s.reason))
      .map((s) => s.dueAt);
    expect(new Set(pendingRegular).size).toBe(pendingRegular.length);
    pendingRegular.forEach((dueAt) => expect(regularDueTimes.has(dueAt)).toBe(false));
  }
  if (state.status === 'active') {
    // An active task always has something ahead of it; otherwise it has completed.
    expect(state.scheduled.length + state.running.length).toBeGreaterThan(0);
    if (state.definition.schedule.kind === 'interval') {
      expect(state.scheduled.some((s) => isRegular(s.reason))).toBe(true); // the timeline never breaks
    }
  }
  if (state.status === 'paused' || state.status === 'completed' || state.status === 'deleted') {
    // Only a manual run or a backfill may wait while paused, a backfill on a completed task, nothing on a deleted one.
    const allowed =
      state.status === 'paused' ? ['manual', 'backfill'] : state.status === 'completed' ? ['backfill'] : [];
    expect(state.scheduled.filter((s) => !allowed.includes(s.reason))).toEqual([]);
  }
  expect(now).toBeGreaterThanOrEqual(T0);
}
