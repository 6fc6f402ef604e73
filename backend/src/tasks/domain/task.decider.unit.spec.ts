import { LOST_GRACE_MS, decide, retryDelayMs } from './task.decider';
import { type TaskChangesInput, type TaskDefinition, type TaskDefinitionInput, withDefaults } from './task';
import type { TaskCommand } from './task.commands';
import { TaskDomainError, type TaskErrorCode } from './task.errors';
import { MAX_OUTPUT_BYTES, type ScheduleReason, type TaskEvent } from './task.events';
import { foldTaskEvents } from './task.state';
import { MASKED_VALUE } from './secrets';

// ---- a tiny given / when / then -------------------------------------------------------------------

const TASK_ID = '0b6f3a52-5d0e-4c4e-9a57-6f1b9f1d2c11';

function given(...history: TaskEvent[]) {
  return {
    when: (command: TaskCommand, now: string) => {
      const run = () => decide(command, foldTaskEvents(history), new Date(now));
      return {
        then: (...expected: TaskEvent[]) => expect(run()).toEqual(expected),
        thenFails: (code: TaskErrorCode) => {
          let caught: unknown;
          try {
            run();
          } catch (error) {
            caught = error;
          }
          expect(caught).toBeInstanceOf(TaskDomainError);
          expect((caught as TaskDomainError).code).toBe(code);
          expect((caught as TaskDomainError).message.length).toBeGreaterThan(10);
        },
        events: run,
      };
    },
  };
}

// ---- fixtures ------------------------------------------------------------------------------------

const log = { kind: 'log', message: 'hello' } as const;
/** Daily 03:00 in Berlin; in January that is 02:00Z. */
const dailyInput: TaskDefinitionInput = {
  name: 'nightly-report',
  schedule: { kind: 'cron', expression: '0 3 * * *', timezone: 'Europe/Berlin' },
  action: log,
};
const hourlyInput: TaskDefinitionInput = {
  name: 'hourly',
  schedule: { kind: 'cron', expression: '0 * * * *', timezone: 'UTC' },
  action: log,
};
const onceInput: TaskDefinitionInput = {
  name: 'one-off',
  schedule: { kind: 'once', at: '2026-01-05T12:00:00Z' },
  action: log,
};
const everyMinuteInput: TaskDefinitionInput = {
  name: 'heartbeat',
  schedule: { kind: 'interval', everySeconds: 60 },
  action: log,
};

const with_ = (input: TaskDefinitionInput, policies: Partial<TaskDefinition>): TaskDefinition => ({
  ...withDefaults(input),
  ...policies,
});

// Event builders, so the expectations read as the facts they are.
/** A registration; with `firstDueAt`, carrying its first occurrence as the decider records it (ADR 021). */
const registered = (definition: TaskDefinition, at: string, firstDueAt?: string, bucket = 7): TaskEvent => ({
  type: 'TaskRegistered',
  data: {
    definition,
    bucket,
    registeredAt: at,
    ...(firstDueAt !== undefined && { firstOccurrence: { dueAt: firstDueAt } }),
  },
});
const scheduled = (
  occurrence: number,
  attempt: number,
  dueAt: string,
  reason: ScheduleReason,
): TaskEvent => ({
  type: 'TaskScheduled',
  data: { occurrence, attempt, dueAt, reason },
});
const started = (
  occurrence: number,
  attempt: number,
  dueAt: string,
  startedAt: string,
  workerId = 'w1',
): TaskEvent => ({
  type: 'TaskExecutionStarted',
  data: { occurrence, attempt, dueAt, startedAt, workerId },
});
const executed = (
  occurrence: number,
  attempt: number,
  outcome: 'succeeded' | 'failed' | 'timed_out' | 'lost',
  startedAt: string,
  finishedAt: string,
  extra: { output?: string; error?: string; final?: true } = {},
): TaskEvent => ({
  type: 'TaskExecuted',
  data: {
    occurrence,
    attempt,
    outcome,
    startedAt,
    finishedAt,
    durationMs: Date.parse(finishedAt) - Date.parse(startedAt),
    ...extra,
  },
});
const skipped = (
  occurrence: number,
  dueAt: string,
  reason: 'overlap' | 'misfire',
  skippedAt: string,
): TaskEvent => ({
  type: 'TaskOccurrenceSkipped',
  data: { occurrence, dueAt, reason, skippedAt },
});
const paused = (at: string): TaskEvent => ({ type: 'TaskPaused', data: { pausedAt: at } });
const resumed = (at: string): TaskEvent => ({ type: 'TaskResumed', data: { resumedAt: at } });
const completed = (at: string): TaskEvent => ({ type: 'TaskCompleted', data: { completedAt: at } });
const deleted = (at: string): TaskEvent => ({ type: 'TaskDeleted', data: { deletedAt: at } });

// Commands.
const register = (definition: TaskDefinitionInput, bucket = 7): TaskCommand => ({
  type: 'RegisterTask',
  data: { taskId: TASK_ID, definition, bucket },
});
const update = (changes: TaskChangesInput): TaskCommand => ({
  type: 'UpdateTask',
  data: { taskId: TASK_ID, changes },
});
const pause: TaskCommand = { type: 'PauseTask', data: { taskId: TASK_ID } };
const resume: TaskCommand = { type: 'ResumeTask', data: { taskId: TASK_ID } };
const trigger: TaskCommand = { type: 'TriggerTask', data: { taskId: TASK_ID } };
const del: TaskCommand = { type: 'DeleteTask', data: { taskId: TASK_ID } };
const fire = (occurrence: number, attempt = 1, workerId = 'w1'): TaskCommand => ({
  type: 'FireOccurrence',
  data: { taskId: TASK_ID, occurrence, attempt, workerId },
});
const outcome = (
  occurrence: number,
  attempt: number,
  result: 'succeeded' | 'failed' | 'timed_out',
  startedAt: string,
  finishedAt: string,
  extra: { output?: string; error?: string } = {},
): TaskCommand => ({
  type: 'RecordExecutionOutcome',
  data: { taskId: TASK_ID, occurrence, attempt, outcome: result, startedAt, finishedAt, ...extra },
});
const closeLost = (occurrence: number, attempt = 1, workerGone?: boolean): TaskCommand => ({
  type: 'CloseLostExecution',
  data: { taskId: TASK_ID, occurrence, attempt, ...(workerGone ? { workerGone } : {}) },
});

const daily = withDefaults(dailyInput);
const once = withDefaults(onceInput);
const REG = '2026-01-05T10:00:00.000Z';
const DAILY_FIRST = '2026-01-06T02:00:00.000Z';
const ONCE_FIRST = '2026-01-05T12:00:00.000Z';
const dailyRegistered = [registered(daily, REG, DAILY_FIRST)];
const onceRegistered = [registered(once, REG, ONCE_FIRST)];

// ---- RegisterTask --------------------------------------------------------------------------------

describe('RegisterTask', () => {
  it('records the defaulted definition and schedules the first occurrence', () => {
    given()
      .when(register(dailyInput), REG)
      .then(
        registered(
          {
            ...dailyInput,
            action: log,
            retry: { maxAttempts: 3, backoffMs: 1000, backoffFactor: 2, maxBackoffMs: 300_000 },
            timeoutMs: 30_000,
            overlap: 'skip',
            misfire: 'fire_once',
          },
          REG,
          '2026-01-06T02:00:00.000Z',
        ),
      );
  });

  it('schedules a once task at its instant', () => {
    given()
      .when(register(onceInput), REG)
      .then(...onceRegistered);
  });

  it('still schedules a once task whose instant has just passed: it is due at once', () => {
    given()
      .when(register(onceInput), '2026-01-05T12:00:05.000Z')
      .then(registered(once, '2026-01-05T12:00:05.000Z', '2026-01-05T12:00:00.000Z'));
  });

  it('anchors an interval without startAt at the registration time', () => {
    given()
      .when(register(everyMinuteInput), '2026-01-05T10:00:00.250Z')
      .then(
        registered(withDefaults(everyMinuteInput), '2026-01-05T10:00:00.250Z', '2026-01-05T10:01:00.250Z'),
      );
  });

  it('completes at once a cron task whose end has passed', () => {
    const ended: TaskDefinitionInput = {
      ...dailyInput,
      schedule: {
        kind: 'cron',
        expression: '0 3 * * *',
        timezone: 'Europe/Berlin',
        endAt: '2025-12-31T23:00:00Z',
      },
    };
    given()
      .when(register(ended), REG)
      .then(registered(withDefaults(ended), REG), completed(REG));
  });

  it('is idempotent: the same definition again (defaults spelled out or not) changes nothing', () => {
    given(...dailyRegistered)
      .when(register(dailyInput), '2026-01-05T11:00:00.000Z')
      .then();
    given(...dailyRegistered)
      .when(register(daily), '2026-01-05T11:00:00.000Z')
      .then();
  });

  it('refuses a different definition under an existing id', () => {
    given(...dailyRegistered)
      .when(register({ ...dailyInput, name: 'other' }), REG)
      .thenFails('task_already_exists');
  });

  it('refuses a definition that cannot be scheduled, naming the field', () => {
    const bad = {
      ...dailyInput,
      schedule: { kind: 'cron', expression: '0 25 * * *', timezone: 'UTC' },
    } as const;
    given().when(register(bad), REG).thenFails('invalid_definition');
    expect(() => decide(register(bad), foldTaskEvents([]), new Date(REG))).toThrow(
      expect.objectContaining({ field: 'schedule' }),
    );
  });

  it('refuses to register again a deleted task', () => {
    given(...dailyRegistered, deleted('2026-01-05T11:00:00.000Z'))
      .when(register(dailyInput), '2026-01-05T12:00:00.000Z')
      .thenFails('task_deleted');
  });
});

// ---- UpdateTask ----------------------------------------------------------------------------------

describe('UpdateTask', () => {
  const NOW = '2026-01-05T11:00:00.000Z';

  it('fails for an unknown task', () => {
    given()
      .when(update({ name: 'x' }), NOW)
      .thenFails('task_not_found');
  });

  it('fails for a deleted task', () => {
    given(...dailyRegistered, deleted(NOW))
      .when(update({ name: 'x' }), NOW)
      .thenFails('task_deleted');
  });

  it('records only the fields that change', () => {
    given(...dailyRegistered)
      .when(update({ name: 'renamed', timeoutMs: 30_000, overlap: 'skip' }), NOW)
      .then({ type: 'TaskUpdated', data: { changes: { name: 'renamed' }, updatedAt: NOW } });
  });

  it('records nothing when nothing changes', () => {
    given(...dailyRegistered)
      .when(update({ name: daily.name, misfire: 'fire_once' }), NOW)
      .then();
  });

  it('records a failure alert, and its removal as null, which the fold leaves out', () => {
    const onFailure = { kind: 'http', url: 'https://alerts.example.com/hook' } as const;
    const added = given(...dailyRegistered)
      .when(update({ onFailure }), NOW)
      .events();
    expect(added).toEqual([{ type: 'TaskUpdated', data: { changes: { onFailure }, updatedAt: NOW } }]);
    const removed = given(...dailyRegistered, ...added)
      .when(update({ onFailure: null }), NOW)
      .events();
    expect(removed).toEqual([
      { type: 'TaskUpdated', data: { changes: { onFailure: null }, updatedAt: NOW } },
    ]);
    const state = foldTaskEvents([...dailyRegistered, ...added, ...removed]);
    expect(state.status !== 'none' && 'onFailure' in state.definition).toBe(false);
    given(...dailyRegistered)
      .when(update({ onFailure: null }), NOW)
      .then();
  });

  it.each([
    ['labels', { team: 'billing' }, {}],
    ['calendars', ['7d0a0c8e-0d3f-4c55-9d1e-2f4f7c1b9a10'], []],
    ['jitterMs', 3000, 0],
    ['concurrency', { key: 'billing-db', limit: 2 }, null],
  ] as const)(
    'records the removal of %s by its removed value, which the fold leaves out',
    (field, set, gone) => {
      const added = given(...dailyRegistered)
        .when(update({ [field]: set }), NOW)
        .events();
      expect(added).toEqual([{ type: 'TaskUpdated', data: { changes: { [field]: set }, updatedAt: NOW } }]);
      const removed = given(...dailyRegistered, ...added)
        .when(update({ [field]: gone }), NOW)
        .events();
      expect(removed).toEqual([
        { type: 'TaskUpdated', data: { changes: { [field]: gone }, updatedAt: NOW } },
      ]);
      const state = foldTaskEvents([...dailyRegistered, ...added, ...removed]);
      expect(state.status !== 'none' && field in state.definition).toBe(false);
      given(...dailyRegistered)
        .when(update({ [field]: gone }), NOW)
        .then();
    },
  );

  it('keeps a failure alert’s secret header when an edit sends the masked value back', () => {
    const onFailure = {
      kind: 'http',
      url: 'https://a.example.com/',
      headers: { Authorization: 's3cret' },
    } as const;
    const withAlert = given(...dailyRegistered)
      .when(update({ onFailure }), NOW)
      .events();
    given(...dailyRegistered, ...withAlert)
      .when(update({ onFailure: { ...onFailure, headers: { Authorization: MASKED_VALUE } } }), NOW)
      .then();
  });

  it('refuses a failure alert whose URL is not http(s)', () => {
    given(...dailyRegistered)
      .when(update({ onFailure: { kind: 'http', url: 'ftp://example.com/' } }), NOW)
      .thenFails('invalid_definition');
  });

  it('merges a partial retry policy into the current one', () => {
    given(...dailyRegistered)
      .when(update({ retry: { maxAttempts: 5 } }), NOW)
      .then({
        type: 'TaskUpdated',
        data: {
          changes: { retry: { maxAttempts: 5, backoffMs: 1000, backoffFactor: 2, maxBackoffMs: 300_000 } },
          updatedAt: NOW,
        },
      });
  });

  it('replaces the pending regular occurrence when the schedule changes', () => {
    const schedule = { kind: 'cron', expression: '30 12 * * *', timezone: 'UTC' } as const;
    const events = given(...dailyRegistered)
      .when(update({ schedule }), NOW)
      .events();
    expect(events).toEqual([
      { type: 'TaskUpdated', data: { changes: { schedule }, updatedAt: NOW } },
      scheduled(2, 1, '2026-01-05T12:30:00.000Z', 'updated'),
    ]);
    const state = foldTaskEvents([...dailyRegistered, ...events]);
    expect(state.status !== 'none' && state.scheduled.map((s) => s.occurrence)).toEqual([2]);
  });

  it('keeps a pending manual run when the schedule changes', () => {
    const schedule = { kind: 'interval', everySeconds: 600 } as const;
    const events = given(...dailyRegistered, scheduled(2, 1, NOW, 'manual'))
      .when(update({ schedule }), NOW)
      .events();
    const state = foldTaskEvents([...dailyRegistered, scheduled(2, 1, NOW, 'manual'), ...events]);
    expect(state.status !== 'none' && state.scheduled).toEqual([
      { occurrence: 2, attempt: 1, dueAt: NOW, reason: 'manual' },
      { occurrence: 3, attempt: 1, dueAt: '2026-01-05T11:10:00.000Z', reason: 'updated' },
    ]);
  });

  it('does not schedule while paused: resume will', () => {
    const schedule = { kind: 'interval', everySeconds: 600 } as const;
    given(...dailyRegistered, paused(NOW))
      .when(update({ schedule }), NOW)
      .then({ type: 'TaskUpdated', data: { changes: { schedule }, updatedAt: NOW } });
  });

  it('completes the task when the new schedule has nothing left', () => {
    const schedule = {
      kind: 'cron',
      expression: '0 3 * * *',
      timezone: 'UTC',
      endAt: '2026-01-01T00:00:00Z',
    } as const;
    given(...dailyRegistered)
      .when(update({ schedule }), NOW)
      .then({ type: 'TaskUpdated', data: { changes: { schedule }, updatedAt: NOW } }, completed(NOW));
  });

  it('refuses a change that makes the definition invalid', () => {
    given(...dailyRegistered)
      .when(update({ timeoutMs: 0 }), NOW)
      .thenFails('invalid_definition');
  });
});

// ---- PauseTask, ResumeTask -----------------------------------------------------------------------

describe('PauseTask', () => {
  const NOW = '2026-01-05T11:00:00.000Z';

  it('pauses an active task', () => {
    given(...dailyRegistered)
      .when(pause, NOW)
      .then(paused(NOW));
  });

  it.each([
    ['paused', [...dailyRegistered, paused(NOW)]],
    ['completed', [registered(once, REG), completed(REG)]],
  ])('refuses to pause a %s task', (_status, history) => {
    given(...history)
      .when(pause, NOW)
      .thenFails('invalid_transition');
  });

  it('fails for an unknown or deleted task', () => {
    given().when(pause, NOW).thenFails('task_not_found');
    given(...dailyRegistered, deleted(NOW))
      .when(pause, NOW)
      .thenFails('task_deleted');
  });
});

describe('ResumeTask', () => {
  // Hourly at :00 UTC, registered 10:00, so occurrence 1 is due 11:00; paused at 10:30.
  const hourlyPaused = (policies: Partial<TaskDefinition> = {}) => [
    registered(with_(hourlyInput, policies), REG),
    scheduled(1, 1, '2026-01-05T11:00:00.000Z', 'registered'),
    paused('2026-01-05T10:30:00.000Z'),
  ];

  it('refuses to resume an active task', () => {
    given(...dailyRegistered)
      .when(resume, REG)
      .thenFails('invalid_transition');
  });

  it('fire_once: one run now stands for everything missed', () => {
    given(...hourlyPaused())
      .when(resume, '2026-01-05T13:20:00.000Z')
      .then(resumed('2026-01-05T13:20:00.000Z'), scheduled(2, 1, '2026-01-05T13:20:00.000Z', 'resumed'));
  });

  it('fire_once: nothing missed, the dropped occurrence is scheduled again', () => {
    given(...hourlyPaused())
      .when(resume, '2026-01-05T10:45:00.000Z')
      .then(resumed('2026-01-05T10:45:00.000Z'), scheduled(2, 1, '2026-01-05T11:00:00.000Z', 'resumed'));
  });

  it('an occurrence only a little late (within the misfire threshold) keeps its due time', () => {
    given(...hourlyPaused())
      .when(resume, '2026-01-05T11:00:30.000Z')
      .then(resumed('2026-01-05T11:00:30.000Z'), scheduled(2, 1, '2026-01-05T11:00:00.000Z', 'resumed'));
    given(...hourlyPaused({ misfire: 'skip' }))
      .when(resume, '2026-01-05T11:00:30.000Z')
      .then(resumed('2026-01-05T11:00:30.000Z'), scheduled(2, 1, '2026-01-05T11:00:00.000Z', 'resumed'));
  });

  it('skip: the missed occurrences are passed over, the next one after now is scheduled', () => {
    given(...hourlyPaused({ misfire: 'skip' }))
      .when(resume, '2026-01-05T13:20:00.000Z')
      .then(resumed('2026-01-05T13:20:00.000Z'), scheduled(2, 1, '2026-01-05T14:00:00.000Z', 'resumed'));
  });

  it('fire_all: each missed occurrence, then the next one', () => {
    given(...hourlyPaused({ misfire: 'fire_all' }))
      .when(resume, '2026-01-05T13:20:00.000Z')
      .then(
        resumed('2026-01-05T13:20:00.000Z'),
        scheduled(2, 1, '2026-01-05T11:00:00.000Z', 'resumed'),
        scheduled(3, 1, '2026-01-05T12:00:00.000Z', 'resumed'),
        scheduled(4, 1, '2026-01-05T13:00:00.000Z', 'resumed'),
        scheduled(5, 1, '2026-01-05T14:00:00.000Z', 'resumed'),
      );
  });

  it('what a skip passed over stays passed over, even after another pause and a change of policy', () => {
    given(
      ...hourlyPaused({ misfire: 'skip' }),
      resumed('2026-01-05T13:20:00.000Z'),
      scheduled(2, 1, '2026-01-05T14:00:00.000Z', 'resumed'),
      paused('2026-01-05T13:30:00.000Z'),
      {
        type: 'TaskUpdated',
        data: { changes: { misfire: 'fire_all' }, updatedAt: '2026-01-05T13:31:00.000Z' },
      },
    )
      .when(resume, '2026-01-05T13:40:00.000Z')
      .then(resumed('2026-01-05T13:40:00.000Z'), scheduled(3, 1, '2026-01-05T14:00:00.000Z', 'resumed'));
  });

  it('fire_all catches up at most 100, the most recent ones', () => {
    const events = given(...hourlyPaused({ misfire: 'fire_all' }))
      .when(resume, '2026-01-15T10:30:00.000Z')
      .events();
    const due = events.flatMap((e) => (e.type === 'TaskScheduled' ? [e.data.dueAt] : []));
    expect(due).toHaveLength(101);
    // 100 hours back from 2026-01-15T10:00Z (the last missed) is 2026-01-11T07:00Z.
    expect(due[0]).toBe('2026-01-11T07:00:00.000Z');
    expect(due[99]).toBe('2026-01-15T10:00:00.000Z');
    expect(due[100]).toBe('2026-01-15T11:00:00.000Z');
  });

  it('a once task whose instant passed during the pause runs now (fire_once)', () => {
    given(...onceRegistered, paused('2026-01-05T11:00:00.000Z'))
      .when(resume, '2026-01-05T15:00:00.000Z')
      .then(resumed('2026-01-05T15:00:00.000Z'), scheduled(2, 1, '2026-01-05T15:00:00.000Z', 'resumed'));
  });

  it('a once task whose instant passed during the pause completes (skip)', () => {
    given(registered({ ...once, misfire: 'skip' }, REG, ONCE_FIRST), paused('2026-01-05T11:00:00.000Z'))
      .when(resume, '2026-01-05T15:00:00.000Z')
      .then(resumed('2026-01-05T15:00:00.000Z'), completed('2026-01-05T15:00:00.000Z'));
  });

  it('a once task that ran to its end while paused completes on resume', () => {
    given(
      ...onceRegistered,
      started(1, 1, '2026-01-05T12:00:00.000Z', '2026-01-05T12:00:01.000Z'),
      paused('2026-01-05T12:00:02.000Z'),
      executed(1, 1, 'succeeded', '2026-01-05T12:00:01.000Z', '2026-01-05T12:00:03.000Z'),
    )
      .when(resume, '2026-01-05T13:00:00.000Z')
      .then(resumed('2026-01-05T13:00:00.000Z'), completed('2026-01-05T13:00:00.000Z'));
  });
});

// ---- TriggerTask, DeleteTask ---------------------------------------------------------------------

describe('TriggerTask', () => {
  const NOW = '2026-01-05T10:30:00.000Z';

  it('schedules an extra manual occurrence due now, the regular one stays', () => {
    given(...dailyRegistered)
      .when(trigger, NOW)
      .then(scheduled(2, 1, NOW, 'manual'));
  });

  it('is allowed on a paused task', () => {
    given(...dailyRegistered, paused(NOW))
      .when(trigger, NOW)
      .then(scheduled(2, 1, NOW, 'manual'));
  });

  it('is refused on a completed, deleted or unknown task', () => {
    given(registered(once, REG), completed(REG)).when(trigger, NOW).thenFails('invalid_transition');
    given(...dailyRegistered, deleted(NOW))
      .when(trigger, NOW)
      .thenFails('task_deleted');
    given().when(trigger, NOW).thenFails('task_not_found');
  });
});

describe('DeleteTask', () => {
  const NOW = '2026-01-05T10:30:00.000Z';

  it('deletes a task in any status', () => {
    given(...dailyRegistered)
      .when(del, NOW)
      .then(deleted(NOW));
    given(...dailyRegistered, paused(NOW))
      .when(del, NOW)
      .then(deleted(NOW));
    given(registered(once, REG), completed(REG)).when(del, NOW).then(deleted(NOW));
  });

  it('is idempotent', () => {
    given(...dailyRegistered, deleted(NOW))
      .when(del, NOW)
      .then();
  });

  it('fails for an unknown task', () => {
    given().when(del, NOW).thenFails('task_not_found');
  });
});

// ---- FireOccurrence ------------------------------------------------------------------------------

describe('FireOccurrence', () => {
  const DUE = '2026-01-06T02:00:00.000Z';
  const NEXT = '2026-01-07T02:00:00.000Z';

  it('starts a due regular occurrence and schedules the next one in the same decision', () => {
    given(...dailyRegistered)
      .when(fire(1), '2026-01-06T02:00:00.020Z')
      .then(started(1, 1, DUE, '2026-01-06T02:00:00.020Z'), scheduled(2, 1, NEXT, 'next'));
  });

  it('refuses an occurrence that is not scheduled, not yet due, or already fired', () => {
    given(...dailyRegistered)
      .when(fire(9), DUE)
      .thenFails('occurrence_not_due');
    given(...dailyRegistered)
      .when(fire(1, 2), DUE)
      .thenFails('occurrence_not_due');
    given(...dailyRegistered)
      .when(fire(1), '2026-01-06T01:59:59.999Z')
      .thenFails('occurrence_not_due');
    given(...dailyRegistered, started(1, 1, DUE, DUE), scheduled(2, 1, NEXT, 'next'))
      .when(fire(1, 1, 'w2'), DUE)
      .thenFails('occurrence_not_due');
  });

  it('refuses on a deleted or unknown task', () => {
    given(...dailyRegistered, deleted(REG))
      .when(fire(1), DUE)
      .thenFails('task_deleted');
    given().when(fire(1), DUE).thenFails('task_not_found');
  });

  it('a once task schedules nothing after its occurrence', () => {
    given(...onceRegistered)
      .when(fire(1), '2026-01-05T12:00:01.000Z')
      .then(started(1, 1, '2026-01-05T12:00:00.000Z', '2026-01-05T12:00:01.000Z'));
  });

  describe('overlap', () => {
    const running = [...dailyRegistered, scheduled(2, 1, '2026-01-05T11:00:00.000Z', 'manual')];
    const runningManual = [...running, started(2, 1, '2026-01-05T11:00:00.000Z', '2026-01-05T11:00:00.000Z')];

    it('skip: an occurrence due while an execution runs is skipped and recorded, the next one scheduled', () => {
      given(...runningManual)
        .when(fire(1), DUE)
        .then(skipped(1, DUE, 'overlap', DUE), scheduled(3, 1, NEXT, 'next'));
    });

    it('skip: catching up a backlog is not overlapping; each late occurrence fires, in order', () => {
      // Every second; the worker was away from 10:00:01 and finds the backlog at 10:00:16.
      const everySecond = with_(
        { ...hourlyInput, schedule: { kind: 'cron', expression: '* * * * * *', timezone: 'UTC' } },
        { overlap: 'skip' },
      );
      const backlog = [
        registered(everySecond, '2026-01-05T10:00:00.000Z'),
        scheduled(1, 1, '2026-01-05T10:00:01.000Z', 'registered'),
        started(1, 1, '2026-01-05T10:00:01.000Z', '2026-01-05T10:00:16.000Z'),
        scheduled(2, 1, '2026-01-05T10:00:02.000Z', 'next'),
      ];
      given(...backlog)
        .when(fire(2), '2026-01-05T10:00:16.010Z')
        .then(
          started(2, 1, '2026-01-05T10:00:02.000Z', '2026-01-05T10:00:16.010Z'),
          scheduled(3, 1, '2026-01-05T10:00:03.000Z', 'next'),
        );
      // Occurrence 1 started on time and still runs when 2 comes due: that is an overlap.
      const onTime = [
        ...backlog.slice(0, 2),
        started(1, 1, '2026-01-05T10:00:01.000Z', '2026-01-05T10:00:01.000Z'),
        backlog[3],
      ];
      given(...onTime)
        .when(fire(2), '2026-01-05T10:00:02.000Z')
        .then(
          skipped(2, '2026-01-05T10:00:02.000Z', 'overlap', '2026-01-05T10:00:02.000Z'),
          scheduled(3, 1, '2026-01-05T10:00:03.000Z', 'next'),
        );
    });

    it('allow: it starts anyway', () => {
      const allowing = [
        registered({ ...daily, overlap: 'allow' }, REG, DAILY_FIRST),
        ...runningManual.slice(1),
      ];
      given(...allowing)
        .when(fire(1), DUE)
        .then(started(1, 1, DUE, DUE), scheduled(3, 1, NEXT, 'next'));
    });
  });

  describe('misfire (found more than 60 s late)', () => {
    const withPolicy = (misfire: TaskDefinition['misfire']) => [
      registered({ ...daily, misfire }, REG, DAILY_FIRST),
    ];
    const LATE = '2026-01-08T05:00:00.000Z'; // two more days were missed

    it('within the threshold every occurrence fires, even under skip', () => {
      given(...withPolicy('skip'))
        .when(fire(1), '2026-01-06T02:01:00.000Z')
        .then(started(1, 1, DUE, '2026-01-06T02:01:00.000Z'), scheduled(2, 1, NEXT, 'next'));
    });

    it('skip: records the skip and schedules the next occurrence after now', () => {
      given(...withPolicy('skip'))
        .when(fire(1), LATE)
        .then(skipped(1, DUE, 'misfire', LATE), scheduled(2, 1, '2026-01-09T02:00:00.000Z', 'next'));
    });

    it('fire_once: fires, and the next occurrence is after now, so the missed ones collapse', () => {
      given(...withPolicy('fire_once'))
        .when(fire(1), LATE)
        .then(started(1, 1, DUE, LATE), scheduled(2, 1, '2026-01-09T02:00:00.000Z', 'next'));
    });

    it('fire_all: fires, and the next one is the following missed one', () => {
      given(...withPolicy('fire_all'))
        .when(fire(1), LATE)
        .then(started(1, 1, DUE, LATE), scheduled(2, 1, NEXT, 'next'));
    });

    it('fire_all: never more than 100 behind', () => {
      const everyMinute = [
        registered(with_(everyMinuteInput, { misfire: 'fire_all' }), REG),
        scheduled(1, 1, '2026-01-05T10:01:00.000Z', 'registered'),
      ];
      // Ten hours later: 600 minutes are behind; the 100th before now (20:00) is 18:21.
      given(...everyMinute)
        .when(fire(1), '2026-01-05T20:00:30.000Z')
        .then(
          started(1, 1, '2026-01-05T10:01:00.000Z', '2026-01-05T20:00:30.000Z'),
          scheduled(2, 1, '2026-01-05T18:21:00.000Z', 'next'),
        );
    });

    it('skip on a once task: skipped, and the task completes', () => {
      given(registered({ ...once, misfire: 'skip' }, REG, ONCE_FIRST))
        .when(fire(1), '2026-01-05T13:00:00.000Z')
        .then(
          skipped(1, '2026-01-05T12:00:00.000Z', 'misfire', '2026-01-05T13:00:00.000Z'),
          completed('2026-01-05T13:00:00.000Z'),
        );
    });
  });

  it('while fire_all catches up, only the last pending regular occurrence extends the timeline', () => {
    const catchingUp = [
      registered(with_(hourlyInput, { misfire: 'fire_all' }), REG),
      scheduled(1, 1, '2026-01-05T11:00:00.000Z', 'registered'),
      paused('2026-01-05T10:30:00.000Z'),
      resumed('2026-01-05T12:30:00.000Z'),
      scheduled(2, 1, '2026-01-05T11:00:00.000Z', 'resumed'),
      scheduled(3, 1, '2026-01-05T12:00:00.000Z', 'resumed'),
      scheduled(4, 1, '2026-01-05T13:00:00.000Z', 'resumed'),
    ];
    given(...catchingUp)
      .when(fire(2), '2026-01-05T12:30:00.000Z')
      .then(started(2, 1, '2026-01-05T11:00:00.000Z', '2026-01-05T12:30:00.000Z'));
  });

  it('manual runs and retries start without scheduling a next occurrence, and ignore overlap', () => {
    const manualWhilePaused = [
      ...dailyRegistered,
      paused(REG),
      scheduled(2, 1, '2026-01-05T10:10:00.000Z', 'manual'),
    ];
    given(...manualWhilePaused)
      .when(fire(2), '2026-01-05T10:10:00.000Z')
      .then(started(2, 1, '2026-01-05T10:10:00.000Z', '2026-01-05T10:10:00.000Z'));

    const retryWhileOtherRuns = [
      ...dailyRegistered,
      scheduled(2, 1, '2026-01-05T10:10:00.000Z', 'manual'),
      started(2, 1, '2026-01-05T10:10:00.000Z', '2026-01-05T10:10:00.000Z'),
      executed(2, 1, 'failed', '2026-01-05T10:10:00.000Z', '2026-01-05T10:10:01.000Z'),
      scheduled(2, 2, '2026-01-05T10:10:02.000Z', 'retry'),
      scheduled(3, 1, '2026-01-05T10:10:00.000Z', 'manual'),
      started(3, 1, '2026-01-05T10:10:00.000Z', '2026-01-05T10:10:00.000Z'),
    ];
    given(...retryWhileOtherRuns)
      .when(fire(2, 2), '2026-01-05T10:10:03.000Z')
      .then(started(2, 2, '2026-01-05T10:10:02.000Z', '2026-01-05T10:10:03.000Z'));
  });
});

// ---- RecordExecutionOutcome, CloseLostExecution --------------------------------------------------

describe('RecordExecutionOutcome', () => {
  const DUE = '2026-01-06T02:00:00.000Z';
  const S = '2026-01-06T02:00:00.010Z';
  const F = '2026-01-06T02:00:01.510Z';
  const runningDaily = [
    ...dailyRegistered,
    started(1, 1, DUE, S),
    scheduled(2, 1, '2026-01-07T02:00:00.000Z', 'next'),
  ];

  it('records a success with its duration and output', () => {
    given(...runningDaily)
      .when(outcome(1, 1, 'succeeded', S, F, { output: 'ok' }), F)
      .then(executed(1, 1, 'succeeded', S, F, { output: 'ok' }));
  });

  it('keeps at most 4 KiB of output', () => {
    const [event] = given(...runningDaily)
      .when(outcome(1, 1, 'succeeded', S, F, { output: 'x'.repeat(10_000) }), F)
      .events();
    expect(event.type === 'TaskExecuted' && event.data.output?.length).toBeLessThanOrEqual(MAX_OUTPUT_BYTES);
  });

  it('schedules a retry of the same occurrence after the backoff', () => {
    given(...runningDaily)
      .when(outcome(1, 1, 'failed', S, F, { error: 'HTTP 503' }), F)
      .then(
        executed(1, 1, 'failed', S, F, { error: 'HTTP 503' }),
        scheduled(1, 2, '2026-01-06T02:00:02.510Z', 'retry'),
      );
  });

  it('backs off exponentially: the second retry waits twice as long', () => {
    const secondAttempt = [
      ...runningDaily,
      executed(1, 1, 'timed_out', S, F),
      scheduled(1, 2, '2026-01-06T02:00:02.510Z', 'retry'),
      started(1, 2, '2026-01-06T02:00:02.510Z', '2026-01-06T02:00:02.600Z'),
    ];
    given(...secondAttempt)
      .when(
        outcome(1, 2, 'timed_out', '2026-01-06T02:00:02.600Z', '2026-01-06T02:00:32.600Z'),
        '2026-01-06T02:00:32.600Z',
      )
      .then(
        executed(1, 2, 'timed_out', '2026-01-06T02:00:02.600Z', '2026-01-06T02:00:32.600Z'),
        scheduled(1, 3, '2026-01-06T02:00:34.600Z', 'retry'),
      );
  });

  it('does not retry after the last attempt, nor while paused, and marks the failure final', () => {
    const lastAttempt = [
      registered({ ...daily, retry: { ...daily.retry, maxAttempts: 1 } }, REG, DAILY_FIRST),
      ...runningDaily.slice(1),
    ];
    given(...lastAttempt)
      .when(outcome(1, 1, 'failed', S, F), F)
      .then(executed(1, 1, 'failed', S, F, { final: true }));
    given(...runningDaily, paused(S))
      .when(outcome(1, 1, 'failed', S, F), F)
      .then(executed(1, 1, 'failed', S, F, { final: true }));
  });

  it('marks neither a success nor a failure that is retried as final (failure alerts go by it)', () => {
    const lastAttempt = [
      registered({ ...daily, retry: { ...daily.retry, maxAttempts: 1 } }, REG, DAILY_FIRST),
      ...runningDaily.slice(1),
    ];
    given(...lastAttempt)
      .when(outcome(1, 1, 'succeeded', S, F), F)
      .then(executed(1, 1, 'succeeded', S, F));
    given(...runningDaily)
      .when(outcome(1, 1, 'timed_out', S, F), F)
      .then(executed(1, 1, 'timed_out', S, F), scheduled(1, 2, '2026-01-06T02:00:02.510Z', 'retry'));
  });

  it('completes a once task when its execution ends', () => {
    given(...onceRegistered, started(1, 1, '2026-01-05T12:00:00.000Z', '2026-01-05T12:00:00.000Z'))
      .when(
        outcome(1, 1, 'succeeded', '2026-01-05T12:00:00.000Z', '2026-01-05T12:00:02.000Z'),
        '2026-01-05T12:00:02.000Z',
      )
      .then(
        executed(1, 1, 'succeeded', '2026-01-05T12:00:00.000Z', '2026-01-05T12:00:02.000Z'),
        completed('2026-01-05T12:00:02.000Z'),
      );
  });

  it('completes a cron task after the last occurrence before its end', () => {
    const ending = withDefaults({
      ...dailyInput,
      schedule: {
        kind: 'cron',
        expression: '0 3 * * *',
        timezone: 'Europe/Berlin',
        endAt: '2026-01-06T12:00:00Z',
      },
    });
    given(registered(ending, REG, DAILY_FIRST))
      .when(fire(1), DUE)
      .then(started(1, 1, DUE, DUE));
    given(registered(ending, REG, DAILY_FIRST), started(1, 1, DUE, S))
      .when(outcome(1, 1, 'succeeded', S, F), F)
      .then(executed(1, 1, 'succeeded', S, F), completed(F));
  });

  it('refuses an outcome recorded twice, or for an execution never started', () => {
    given(...runningDaily, executed(1, 1, 'succeeded', S, F))
      .when(outcome(1, 1, 'succeeded', S, F), F)
      .thenFails('execution_not_running');
    given(...dailyRegistered)
      .when(outcome(1, 1, 'succeeded', S, F), F)
      .thenFails('execution_not_running');
    given()
      .when(outcome(1, 1, 'succeeded', S, F), F)
      .thenFails('task_not_found');
  });

  it('still records the outcome of a run that outlived the deletion of its task (audit), without retry', () => {
    given(...runningDaily, deleted(S))
      .when(outcome(1, 1, 'failed', S, F), F)
      .then(executed(1, 1, 'failed', S, F, { final: true }));
  });
});

describe('CloseLostExecution', () => {
  const DUE = '2026-01-06T02:00:00.000Z';
  const runningDaily = [
    ...dailyRegistered,
    started(1, 1, DUE, DUE, 'w9'),
    scheduled(2, 1, '2026-01-07T02:00:00.000Z', 'next'),
  ];
  // timeout 30 s + grace 30 s after the start
  const OVERDUE_AT = '2026-01-06T02:01:00.000Z';

  it('refuses before the timeout plus grace has passed', () => {
    expect(LOST_GRACE_MS).toBe(30_000);
    given(...runningDaily)
      .when(closeLost(1), OVERDUE_AT)
      .thenFails('execution_not_overdue');
  });

  it('closes the execution as lost and retries it', () => {
    const now = '2026-01-06T02:01:00.001Z';
    const events = given(...runningDaily)
      .when(closeLost(1), now)
      .events();
    expect(events).toEqual([
      {
        type: 'TaskExecuted',
        data: {
          occurrence: 1,
          attempt: 1,
          outcome: 'lost',
          startedAt: DUE,
          finishedAt: now,
          durationMs: 60_001,
          error: expect.stringContaining('w9'),
        },
      },
      scheduled(1, 2, '2026-01-06T02:01:01.001Z', 'retry'),
    ]);
  });

  it('marks a lost last attempt final', () => {
    const lastAttempt = [
      registered({ ...daily, retry: { ...daily.retry, maxAttempts: 1 } }, REG, DAILY_FIRST),
      ...runningDaily.slice(1),
    ];
    const events = given(...lastAttempt)
      .when(closeLost(1), '2026-01-06T02:01:00.001Z')
      .events();
    expect(events).toEqual([
      { type: 'TaskExecuted', data: expect.objectContaining({ outcome: 'lost', final: true }) },
    ]);
  });

  it('closes at once, and retries, when the worker that started it is gone', () => {
    const now = '2026-01-06T02:00:07.000Z';
    const events = given(...runningDaily)
      .when(closeLost(1, 1, true), now)
      .events();
    expect(events[0]).toMatchObject({
      type: 'TaskExecuted',
      data: {
        occurrence: 1,
        attempt: 1,
        outcome: 'lost',
        error: 'Worker w9 stopped before reporting an outcome',
      },
    });
    expect(events[1]).toEqual(scheduled(1, 2, '2026-01-06T02:00:08.000Z', 'retry'));
  });

  it('refuses an execution that is not running', () => {
    given(...dailyRegistered)
      .when(closeLost(1), OVERDUE_AT)
      .thenFails('execution_not_running');
  });
});

describe('retryDelayMs', () => {
  const policy = { maxAttempts: 10, backoffMs: 1000, backoffFactor: 2, maxBackoffMs: 300_000 };

  it('grows by the factor from the base delay and stops at the cap', () => {
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(policy, attempt))).toEqual([1000, 2000, 4000, 8000]);
    expect(retryDelayMs(policy, 9)).toBe(256_000);
    expect(retryDelayMs(policy, 10)).toBe(300_000);
    expect(retryDelayMs(policy, 5000)).toBe(300_000);
  });

  it('a factor of 1 keeps the delay constant', () => {
    expect(retryDelayMs({ ...policy, backoffFactor: 1 }, 7)).toBe(1000);
  });
});
