import { withDefaults } from './task';
import type { ScheduleReason, TaskEvent } from './task.events';
import {
  evolve,
  foldTaskEvents,
  initialTaskState,
  type ExistingTaskState,
  type TaskState,
} from './task.state';

const definition = withDefaults({
  name: 'n',
  schedule: { kind: 'cron', expression: '0 * * * *', timezone: 'UTC' },
  action: { kind: 'log', message: 'm' },
});
const HOUR = 3_600_000;
const at = (hour: number) => `2026-01-05T${String(hour).padStart(2, '0')}:00:00.000Z`;
const registered: TaskEvent = {
  type: 'TaskRegistered',
  data: { definition, bucket: 5, registeredAt: at(10) },
};
const scheduled = (
  occurrence: number,
  attempt: number,
  hour: number,
  reason: ScheduleReason = 'next',
): TaskEvent => ({
  type: 'TaskScheduled',
  data: { occurrence, attempt, dueAt: at(hour), reason },
});
const started = (occurrence: number, attempt: number, hour: number): TaskEvent => ({
  type: 'TaskExecutionStarted',
  data: { occurrence, attempt, dueAt: at(hour), startedAt: at(hour), workerId: 'w' },
});

const existing = (state: TaskState): ExistingTaskState => {
  if (state.status === 'none') throw new Error('expected a task');
  return state;
};
/** The state of the task registered above after `events`. */
const afterRegistration = (...events: TaskEvent[]): ExistingTaskState =>
  existing(foldTaskEvents([registered, ...events]));

describe('evolve', () => {
  it('starts from nothing and registers an active task', () => {
    expect(initialTaskState).toEqual({ status: 'none' });
    expect(foldTaskEvents([registered])).toEqual({
      status: 'active',
      definition,
      bucket: 5,
      registeredAt: at(10),
      scheduleSince: at(10),
      lastOccurrence: 0,
      regularDoneThrough: null,
      scheduled: [],
      running: [],
      pausedAt: null,
      owedOnPause: [],
      lastExecution: null,
    });
  });

  it('reads a registration carrying its first occurrence as the registration and its TaskScheduled of before', () => {
    const withFirst = (firstOccurrence: object): TaskEvent => ({
      type: 'TaskRegistered',
      data: { ...registered.data, firstOccurrence } as never,
    });
    const jittered = { dueAt: at(11), plannedAt: '2026-01-05T11:00:02.021Z' };
    expect(foldTaskEvents([withFirst({ dueAt: at(11) })])).toEqual(
      foldTaskEvents([registered, scheduled(1, 1, 11, 'registered')]),
    );
    expect(foldTaskEvents([withFirst(jittered)])).toEqual(
      foldTaskEvents([
        registered,
        { type: 'TaskScheduled', data: { ...scheduled(1, 1, 11, 'registered').data, ...jittered } as never },
      ]),
    );
    expect(existing(foldTaskEvents([withFirst({ dueAt: at(11) })])).scheduled).toEqual([
      { occurrence: 1, attempt: 1, dueAt: at(11), reason: 'registered' },
    ]);
    // A second registration of a task that exists changes nothing, its first occurrence included.
    expect(foldTaskEvents([registered, withFirst({ dueAt: at(11) })])).toEqual(foldTaskEvents([registered]));
  });

  it('moves a started occurrence from scheduled to running; a regular one advances the timeline', () => {
    const state = afterRegistration(
      scheduled(1, 1, 11, 'registered'),
      scheduled(2, 1, 10, 'manual'),
      started(1, 1, 11),
    );
    expect(state.scheduled.map((s) => s.occurrence)).toEqual([2]);
    expect(state.running).toEqual([
      { occurrence: 1, attempt: 1, dueAt: at(11), startedAt: at(11), workerId: 'w' },
    ]);
    expect(state.regularDoneThrough).toBe(at(11));
    expect(state.lastOccurrence).toBe(2);
    // A manual run does not move the regular timeline.
    expect(existing(evolve(state, started(2, 1, 10))).regularDoneThrough).toBe(at(11));
  });

  it('records an outcome as the last execution, but for its output, and frees the slot', () => {
    const outcome = {
      occurrence: 1,
      attempt: 1,
      outcome: 'failed',
      startedAt: at(11),
      finishedAt: at(12),
      durationMs: HOUR,
      error: 'boom',
    } as const;
    const state = afterRegistration(scheduled(1, 1, 11), started(1, 1, 11), {
      type: 'TaskExecuted',
      data: { ...outcome, output: 'partial' },
    });
    expect(state.running).toEqual([]);
    expect(state.lastExecution).toEqual(outcome);
  });

  it('a skipped regular occurrence leaves the schedule and advances the timeline', () => {
    const state = afterRegistration(scheduled(1, 1, 11), {
      type: 'TaskOccurrenceSkipped',
      data: { occurrence: 1, dueAt: at(11), reason: 'overlap', skippedAt: at(11) },
    });
    expect(state.scheduled).toEqual([]);
    expect(state.regularDoneThrough).toBe(at(11));
  });

  it('a pause drops what is pending and remembers the regular due times it owes', () => {
    const state = afterRegistration(scheduled(1, 1, 13), scheduled(2, 1, 12), scheduled(3, 1, 11, 'manual'), {
      type: 'TaskPaused',
      data: { pausedAt: at(11) },
    });
    expect(state).toMatchObject({
      status: 'paused',
      pausedAt: at(11),
      scheduled: [],
      owedOnPause: [at(12), at(13)],
    });
    const resumed = existing(evolve(state, { type: 'TaskResumed', data: { resumedAt: at(14) } }));
    expect(resumed).toMatchObject({ status: 'active', pausedAt: null, owedOnPause: [] });
  });

  it('a schedule change starts a new timeline and drops only the regular pending occurrence', () => {
    const schedule = { kind: 'interval', everySeconds: 5 } as const;
    const state = afterRegistration(
      scheduled(1, 1, 11),
      started(1, 1, 11),
      scheduled(1, 2, 12, 'retry'),
      scheduled(2, 1, 12),
      { type: 'TaskUpdated', data: { changes: { schedule }, updatedAt: at(13) } },
    );
    expect(state.definition.schedule).toEqual(schedule);
    expect(state).toMatchObject({ scheduleSince: at(13), regularDoneThrough: null });
    expect(state.scheduled.map((s) => [s.occurrence, s.attempt])).toEqual([[1, 2]]);
  });

  it('other changes keep the timeline', () => {
    const state = afterRegistration(scheduled(1, 1, 11), {
      type: 'TaskUpdated',
      data: { changes: { name: 'x' }, updatedAt: at(13) },
    });
    expect(state.definition.name).toBe('x');
    expect(state.scheduled).toHaveLength(1);
    expect(state.scheduleSince).toBe(at(10));
  });

  it('completion and deletion clear the schedule; deletion keeps running executions for their outcome', () => {
    const completed = afterRegistration(scheduled(1, 1, 11), {
      type: 'TaskCompleted',
      data: { completedAt: at(12) },
    });
    expect(completed).toMatchObject({ status: 'completed', scheduled: [] });
    const deleted = afterRegistration(scheduled(1, 1, 11), started(1, 1, 11), scheduled(2, 1, 12), {
      type: 'TaskDeleted',
      data: { deletedAt: at(11) },
    });
    expect(deleted).toMatchObject({ status: 'deleted', scheduled: [] });
    expect(deleted.running).toHaveLength(1);
  });

  it('never throws on an event that does not fit: the stream stays readable', () => {
    expect(evolve(initialTaskState, { type: 'TaskPaused', data: { pausedAt: at(1) } })).toEqual(
      initialTaskState,
    );
    const state = foldTaskEvents([registered]);
    expect(evolve(state, registered)).toBe(state);
  });
});
