import { MAX_BACKFILL_OCCURRENCES } from '../../../../contracts/limits';
import { type Schedule, type TaskDefinition, withDefaults } from './task';
import type { TaskCommand } from './task.commands';
import { decide } from './task.decider';
import { TaskDomainError } from './task.errors';
import { assertTaskEvent, type TaskEvent } from './task.events';
import { type ExistingTaskState, foldTaskEvents, isRegular } from './task.state';

const TASK_ID = '5f1c9a0e-7c1d-4a0b-9d7e-1b2c3d4e5f60';
const REG = '2026-01-05T10:00:00.000Z';
const NOW = '2026-01-05T10:00:20.500Z';

const definition = (schedule: Schedule): TaskDefinition =>
  withDefaults({ name: 'backfilled', schedule, action: { kind: 'log', message: 'x' } });
const everyTwoSeconds = definition({ kind: 'cron', expression: '*/2 * * * * *', timezone: 'UTC' });

const registered = (def: TaskDefinition, firstDue: string, reason = 'registered' as const): TaskEvent[] => [
  { type: 'TaskRegistered', data: { definition: def, bucket: 1, registeredAt: REG } },
  { type: 'TaskScheduled', data: { occurrence: 1, attempt: 1, dueAt: firstDue, reason } },
];
const backfill = (from: string, to: string): TaskCommand => ({
  type: 'BackfillTask',
  data: { taskId: TASK_ID, from, to },
});
const fire = (occurrence: number, attempt = 1): TaskCommand => ({
  type: 'FireOccurrence',
  data: { taskId: TASK_ID, occurrence, attempt, workerId: 'w1' },
});
const at = (text: string) => new Date(text);

function decideOn(history: TaskEvent[], command: TaskCommand, now = NOW): TaskEvent[] {
  return decide(command, foldTaskEvents(history), at(now));
}

function refusal(history: TaskEvent[], command: TaskCommand, now = NOW): TaskDomainError {
  try {
    decideOn(history, command, now);
  } catch (error) {
    expect(error).toBeInstanceOf(TaskDomainError);
    return error as TaskDomainError;
  }
  throw new Error('expected a refusal');
}

const dueTimes = (events: TaskEvent[]) =>
  events.flatMap((e) =>
    e.type === 'TaskScheduled' ? [[e.data.occurrence, e.data.dueAt, e.data.reason]] : [],
  );

// Registered at 10:00:00 with the next instant (10:00:22) pending: the regular timeline is elsewhere.
const cronTask = registered(everyTwoSeconds, '2026-01-05T10:00:22.000Z');

describe('BackfillTask', () => {
  it('schedules each past instant of the window once, with its own due time and new occurrence numbers', () => {
    const events = decideOn(cronTask, backfill('2026-01-05T09:59:50Z', '2026-01-05T10:00:10Z'));
    expect(dueTimes(events)).toEqual(
      Array.from({ length: 10 }, (_, i) => [
        2 + i,
        new Date(Date.parse('2026-01-05T09:59:50Z') + i * 2000).toISOString(),
        'backfill',
      ]),
    );
  });

  it('stops at now: the future is the timers’ business', () => {
    const events = decideOn(cronTask, backfill('2026-01-05T10:00:16Z', '2026-01-05T10:01:00Z'));
    expect(dueTimes(events).map(([, dueAt]) => dueAt)).toEqual([
      '2026-01-05T10:00:16.000Z',
      '2026-01-05T10:00:18.000Z',
      '2026-01-05T10:00:20.000Z',
    ]);
    expect(decideOn(cronTask, backfill('2026-01-05T10:00:21Z', '2026-01-05T10:01:00Z'))).toEqual([]);
  });

  it('is idempotent per instant: a repeat decides nothing, an overlapping window only the new instants', () => {
    const first = decideOn(cronTask, backfill('2026-01-05T10:00:00Z', '2026-01-05T10:00:10Z'));
    const after = [...cronTask, ...first];
    expect(decideOn(after, backfill('2026-01-05T10:00:00Z', '2026-01-05T10:00:10Z'))).toEqual([]);
    const wider = decideOn(after, backfill('2026-01-05T10:00:06Z', '2026-01-05T10:00:14Z'));
    expect(dueTimes(wider)).toEqual([
      [7, '2026-01-05T10:00:10.000Z', 'backfill'],
      [8, '2026-01-05T10:00:12.000Z', 'backfill'],
    ]);
    // Even after they ran: what was backfilled stays on record.
    const ran = foldTaskEvents([...after, ...decideOn(after, fire(2))]);
    expect(decide(backfill('2026-01-05T10:00:00Z', '2026-01-05T10:00:02Z'), ran, at(NOW))).toEqual([]);
  });

  it('keeps the backfilled instants sorted and once each in the state', () => {
    let history = cronTask;
    history = [...history, ...decideOn(history, backfill('2026-01-05T10:00:10Z', '2026-01-05T10:00:14Z'))];
    history = [...history, ...decideOn(history, backfill('2026-01-05T10:00:02Z', '2026-01-05T10:00:12Z'))];
    const state = foldTaskEvents(history) as ExistingTaskState;
    expect(state.backfilled).toEqual(
      [2, 4, 6, 8, 10, 12].map((s) => `2026-01-05T10:00:${String(s).padStart(2, '0')}.000Z`),
    );
  });

  it('refuses a window of more than the limit, naming `to`, and an empty or reversed one', () => {
    const tooMany = refusal(cronTask, backfill('2026-01-05T08:00:00Z', '2026-01-05T10:00:00Z'));
    expect(tooMany.code).toBe('invalid_backfill');
    expect(tooMany.field).toBe('to');
    expect(tooMany.message).toContain(String(MAX_BACKFILL_OCCURRENCES));
    // Exactly the limit is allowed: 2,000 s of a */2 cron.
    const limit = decideOn(cronTask, backfill('2026-01-05T09:26:00Z', '2026-01-05T09:59:20Z'));
    expect(limit).toHaveLength(MAX_BACKFILL_OCCURRENCES);
    for (const [from, to] of [
      ['2026-01-05T10:00:00Z', '2026-01-05T10:00:00Z'],
      ['2026-01-05T10:00:10Z', '2026-01-05T10:00:00Z'],
    ]) {
      const error = refusal(cronTask, backfill(from, to));
      expect([error.code, error.field]).toEqual(['invalid_backfill', 'to']);
    }
    expect(refusal(cronTask, backfill('yesterday', '2026-01-05T10:00:00Z')).field).toBe('from');
  });

  it('honours the cron’s time zone and its startAt/endAt', () => {
    // 03:00 in Berlin is 02:00Z in January; bounded to two days.
    const nightly = definition({
      kind: 'cron',
      expression: '0 3 * * *',
      timezone: 'Europe/Berlin',
      startAt: '2026-01-01T00:00:00Z',
      endAt: '2026-01-03T12:00:00Z',
    });
    const events = decideOn(
      registered(nightly, '2026-01-06T02:00:00.000Z'),
      backfill('2025-12-20T00:00:00Z', '2026-01-05T00:00:00Z'),
    );
    expect(dueTimes(events).map(([, dueAt]) => dueAt)).toEqual([
      '2026-01-01T02:00:00.000Z',
      '2026-01-02T02:00:00.000Z',
      '2026-01-03T02:00:00.000Z',
    ]);
  });

  it('walks an interval’s grid from its anchor, and a once task’s instant', () => {
    const interval = definition({ kind: 'interval', everySeconds: 7, startAt: '2026-01-05T09:59:58Z' });
    const fromInterval = decideOn(
      registered(interval, '2026-01-05T10:00:26.000Z'),
      backfill('2026-01-05T09:50:00Z', '2026-01-05T10:00:15Z'),
    );
    expect(dueTimes(fromInterval).map(([, dueAt]) => dueAt)).toEqual([
      '2026-01-05T09:59:58.000Z',
      '2026-01-05T10:00:05.000Z',
      '2026-01-05T10:00:12.000Z',
    ]);
    // Without startAt the grid starts when the schedule took effect (registration), after it: none before.
    const fromRegistration = decideOn(
      registered(definition({ kind: 'interval', everySeconds: 7 }), '2026-01-05T10:00:21.000Z'),
      backfill('2026-01-05T09:00:00Z', '2026-01-05T10:00:15Z'),
    );
    expect(dueTimes(fromRegistration).map(([, dueAt]) => dueAt)).toEqual([
      '2026-01-05T10:00:07.000Z',
      '2026-01-05T10:00:14.000Z',
    ]);
    const once = definition({ kind: 'once', at: '2026-01-05T10:00:03Z' });
    const onceEvents = decideOn(
      registered(once, '2026-01-05T10:00:03.000Z'),
      backfill('2026-01-05T10:00:00Z', '2026-01-05T10:00:10Z'),
    );
    expect(dueTimes(onceEvents)).toEqual([[2, '2026-01-05T10:00:03.000Z', 'backfill']]);
  });

  it('is allowed on paused and completed tasks and refused on deleted and unknown ones', () => {
    const window = backfill('2026-01-05T10:00:00Z', '2026-01-05T10:00:04Z');
    const paused: TaskEvent = { type: 'TaskPaused', data: { pausedAt: '2026-01-05T10:00:01Z' } };
    expect(decideOn([...cronTask, paused], window)).toHaveLength(2);
    const once = definition({ kind: 'once', at: '2026-01-05T10:00:01Z' });
    const completed: TaskEvent[] = [
      ...registered(once, '2026-01-05T10:00:01.000Z'),
      {
        type: 'TaskOccurrenceSkipped',
        data: { occurrence: 1, dueAt: '2026-01-05T10:00:01.000Z', reason: 'misfire', skippedAt: REG },
      },
      { type: 'TaskCompleted', data: { completedAt: REG } },
    ];
    expect(dueTimes(decideOn(completed, window))).toEqual([[2, '2026-01-05T10:00:01.000Z', 'backfill']]);
    const deleted: TaskEvent = { type: 'TaskDeleted', data: { deletedAt: REG } };
    expect(refusal([...cronTask, deleted], window).code).toBe('task_deleted');
    expect(refusal([], window).code).toBe('task_not_found');
  });
});

describe('firing a backfill occurrence', () => {
  const window = backfill('2026-01-05T10:00:00Z', '2026-01-05T10:00:04Z');

  it('starts at once, marked backfill, without misfire, overlap or a next regular occurrence', () => {
    const history = [...cronTask, ...decideOn(cronTask, window)];
    // Long past the misfire threshold, with another run in flight: it still just runs.
    const first = decideOn(history, fire(2), '2026-01-05T10:05:00Z');
    expect(first).toEqual([
      {
        type: 'TaskExecutionStarted',
        data: {
          occurrence: 2,
          attempt: 1,
          dueAt: '2026-01-05T10:00:00.000Z',
          startedAt: '2026-01-05T10:05:00.000Z',
          workerId: 'w1',
          reason: 'backfill',
        },
      },
    ]);
    const second = decideOn([...history, ...first], fire(3), '2026-01-05T10:05:00Z');
    expect(second.map((e) => e.type)).toEqual(['TaskExecutionStarted']);
    const state = foldTaskEvents([...history, ...first, ...second]) as ExistingTaskState;
    expect(state.regularDoneThrough).toBeNull(); // the regular timeline did not move
    expect(state.running.map((r) => r.reason)).toEqual(['backfill', 'backfill']);
  });

  it('fires while paused, and the pause keeps pending backfill entries', () => {
    const paused: TaskEvent = { type: 'TaskPaused', data: { pausedAt: '2026-01-05T10:00:20Z' } };
    const history = [...cronTask, ...decideOn(cronTask, window), paused];
    const state = foldTaskEvents(history) as ExistingTaskState;
    expect(state.scheduled.map((s) => [s.occurrence, s.reason])).toEqual([
      [2, 'backfill'],
      [3, 'backfill'],
    ]);
    expect(state.owedOnPause).toEqual(['2026-01-05T10:00:22.000Z']);
    expect(decideOn(history, fire(2)).map((e) => e.type)).toEqual(['TaskExecutionStarted']);
  });

  const failed = (occurrence: number, attempt: number): TaskCommand => ({
    type: 'RecordExecutionOutcome',
    data: { taskId: TASK_ID, occurrence, attempt, outcome: 'failed', startedAt: NOW, finishedAt: NOW },
  });
  const summary = (events: TaskEvent[]) =>
    events.map((e) => (e.type === 'TaskScheduled' ? `${e.type}:${e.data.reason}:${e.data.attempt}` : e.type));

  it('retries a failed backfill run by the retry policy, as a backfill, even while paused', () => {
    const pausedAt: TaskEvent = { type: 'TaskPaused', data: { pausedAt: NOW } };
    for (const before of [[], [pausedAt]]) {
      const history = [...cronTask, ...before, ...decideOn([...cronTask, ...before], window)];
      const started = [...history, ...decideOn(history, fire(2))];
      const outcome = decideOn(started, failed(2, 1));
      expect(summary(outcome)).toEqual(['TaskExecuted', 'TaskScheduled:backfill:2']);
      // The retry fires (while paused too), marked backfill, and leaves the backfilled instants as they were.
      const retrying = [...started, ...outcome];
      const retryDue = outcome[1].type === 'TaskScheduled' ? outcome[1].data.dueAt : NOW;
      const second = decideOn(retrying, fire(2, 2), retryDue);
      expect(second).toEqual([
        expect.objectContaining({
          type: 'TaskExecutionStarted',
          data: expect.objectContaining({ attempt: 2, reason: 'backfill' }),
        }),
      ]);
      const state = foldTaskEvents([...retrying, ...second]) as ExistingTaskState;
      expect(state.backfilled).toEqual(['2026-01-05T10:00:00.000Z', '2026-01-05T10:00:02.000Z']);
      expect(state.status).toBe(before.length ? 'paused' : 'active');
    }
    // The policy's last attempt ends it: three attempts by default.
    const history = [...cronTask, ...decideOn(cronTask, window)];
    let log = [...history, ...decideOn(history, fire(2))];
    for (const attempt of [1, 2]) {
      log = [...log, ...decideOn(log, failed(2, attempt))];
      log = [...log, ...decideOn(log, fire(2, attempt + 1), '2026-01-05T11:00:00Z')];
    }
    expect(summary(decideOn(log, failed(2, 3)))).toEqual(['TaskExecuted']);
  });

  it('does not retry a backfill run of a task deleted meanwhile; a completed task stays completed', () => {
    const history = [...cronTask, ...decideOn(cronTask, window)];
    const started = [...history, ...decideOn(history, fire(2))];
    const deleted: TaskEvent = { type: 'TaskDeleted', data: { deletedAt: NOW } };
    expect(summary(decideOn([...started, deleted], failed(2, 1)))).toEqual(['TaskExecuted']);

    const once = definition({ kind: 'once', at: '2026-01-05T10:00:01Z' });
    const done: TaskEvent[] = [
      ...registered(once, '2026-01-05T10:00:01.000Z'),
      {
        type: 'TaskOccurrenceSkipped',
        data: { occurrence: 1, dueAt: '2026-01-05T10:00:01.000Z', reason: 'misfire', skippedAt: REG },
      },
      { type: 'TaskCompleted', data: { completedAt: REG } },
    ];
    const filled = [...done, ...decideOn(done, window)];
    const running = [...filled, ...decideOn(filled, fire(2))];
    const succeeded = decideOn(running, {
      type: 'RecordExecutionOutcome',
      data: {
        taskId: TASK_ID,
        occurrence: 2,
        attempt: 1,
        outcome: 'succeeded',
        startedAt: NOW,
        finishedAt: NOW,
      },
    });
    expect(succeeded.map((e) => e.type)).toEqual(['TaskExecuted']);
    expect(foldTaskEvents([...running, ...succeeded]).status).toBe('completed');
    const retried = decideOn(running, failed(2, 1));
    expect(summary(retried)).toEqual(['TaskExecuted', 'TaskScheduled:backfill:2']);
    expect(foldTaskEvents([...running, ...retried]).status).toBe('completed');
  });

  it('a schedule change keeps pending backfill entries (they are not regular)', () => {
    expect(isRegular('backfill')).toBe(false);
    const history = [...cronTask, ...decideOn(cronTask, window)];
    const changed = decideOn(history, {
      type: 'UpdateTask',
      data: {
        taskId: TASK_ID,
        changes: { schedule: { kind: 'cron', expression: '*/5 * * * * *', timezone: 'UTC' } },
      },
    });
    const state = foldTaskEvents([...history, ...changed]) as ExistingTaskState;
    expect(state.scheduled.filter((s) => s.reason === 'backfill')).toHaveLength(2);
  });
});

describe('backfill events read back', () => {
  it('pass the shape checks, and old ones without the marker still do', () => {
    const events = decideOn(cronTask, backfill('2026-01-05T10:00:00Z', '2026-01-05T10:00:02Z'));
    for (const event of events)
      expect(assertTaskEvent(event.type, JSON.parse(JSON.stringify(event.data)))).toEqual(event);
    const base = { occurrence: 2, attempt: 1, dueAt: NOW, startedAt: NOW, workerId: 'w' };
    expect(() => assertTaskEvent('TaskExecutionStarted', base)).not.toThrow();
    expect(() => assertTaskEvent('TaskExecutionStarted', { ...base, reason: 'backfill' })).not.toThrow();
    expect(() => assertTaskEvent('TaskExecutionStarted', { ...base, reason: 'manual' })).toThrow(/reason/);
    expect(() =>
      assertTaskEvent('TaskScheduled', { occurrence: 2, attempt: 1, dueAt: NOW, reason: 'backfil' }),
    ).toThrow(/reason/);
  });
});
