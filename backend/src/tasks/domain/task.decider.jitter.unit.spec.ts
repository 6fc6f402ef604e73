/** Jitter in decide and evolve (ADR 016): regular occurrences carry a plannedAt, which firing honours. */
import { jitterOffsetMs } from './jitter';
import { decide } from './task.decider';
import { type TaskDefinitionInput, sameDefinition, validateDefinition, withDefaults } from './task';
import type { TaskCommand } from './task.commands';
import { TaskDomainError } from './task.errors';
import { assertTaskEvent, type TaskEvent } from './task.events';
import { type ExistingTaskState, foldTaskEvents } from './task.state';

const TASK_ID = '0b6f3a52-5d0e-4c4e-9a57-6f1b9f1d2c11';
// jitterOffsetMs(TASK_ID, 1, 3000) = 2021 and (…, 2, 3000) = 922 (pinned in jitter.unit.spec.ts).
const hourly: TaskDefinitionInput = {
  name: 'hourly',
  schedule: { kind: 'cron', expression: '0 * * * *', timezone: 'UTC' },
  action: { kind: 'log', message: 'x' },
  jitterMs: 3000,
};
const REG = '2026-01-05T10:00:00.000Z';

const command = (type: TaskCommand['type'], extra: object = {}) =>
  ({ type, data: { taskId: TASK_ID, ...extra } }) as TaskCommand;
const fire = (occurrence: number, attempt = 1) =>
  command('FireOccurrence', { occurrence, attempt, workerId: 'w1' });

/** Decides each command at its time on the state so far; answers the log. */
function live(...steps: [TaskCommand, string][]): TaskEvent[] {
  const log: TaskEvent[] = [];
  for (const [cmd, at] of steps) log.push(...decide(cmd, foldTaskEvents(log), new Date(at)));
  return log;
}
const registered = (definition: TaskDefinitionInput = hourly): [TaskCommand, string] => [
  command('RegisterTask', { definition, bucket: 1 }),
  REG,
];
const lastOf = (log: TaskEvent[], type: TaskEvent['type']) => log.filter((e) => e.type === type).at(-1);

describe('jitter in decide', () => {
  it('plans a regular occurrence at its due instant plus the task’s offset', () => {
    expect(live(registered())[0].data).toMatchObject({
      firstOccurrence: { dueAt: '2026-01-05T11:00:00.000Z', plannedAt: '2026-01-05T11:00:02.021Z' },
    });
    const first = (foldTaskEvents(live(registered())) as ExistingTaskState).scheduled[0];
    expect(first).toEqual({
      occurrence: 1,
      attempt: 1,
      dueAt: '2026-01-05T11:00:00.000Z',
      reason: 'registered',
      plannedAt: '2026-01-05T11:00:02.021Z',
    });
    expect(jitterOffsetMs(TASK_ID, 1, 3000)).toBe(2021);
  });

  it('does not fire before the planned time; at it, starts with it and plans the next', () => {
    expect(() => live(registered(), [fire(1), '2026-01-05T11:00:02.020Z'])).toThrow(TaskDomainError);
    const log = live(registered(), [fire(1), '2026-01-05T11:00:02.021Z']);
    expect(log.slice(1)).toEqual([
      {
        type: 'TaskExecutionStarted',
        data: {
          occurrence: 1,
          attempt: 1,
          dueAt: '2026-01-05T11:00:00.000Z',
          plannedAt: '2026-01-05T11:00:02.021Z',
          startedAt: '2026-01-05T11:00:02.021Z',
          workerId: 'w1',
        },
      },
      {
        type: 'TaskScheduled',
        data: {
          occurrence: 2,
          attempt: 1,
          dueAt: '2026-01-05T12:00:00.000Z',
          reason: 'next',
          plannedAt: '2026-01-05T12:00:00.922Z',
        },
      },
    ]);
    const state = foldTaskEvents(log) as ExistingTaskState;
    expect(state.running[0].plannedAt).toBe('2026-01-05T11:00:02.021Z');
  });

  it('counts lateness from the planned time: 61.5 s after the due instant is 59.5 s late, not misfired', () => {
    const skipMisfired = registered({ ...hourly, misfire: 'skip' });
    expect(live(skipMisfired, [fire(1), '2026-01-05T11:01:01.500Z'])[1].type).toBe('TaskExecutionStarted');
    expect(live(skipMisfired, [fire(1), '2026-01-05T11:01:02.100Z'])[1]).toMatchObject({
      type: 'TaskOccurrenceSkipped',
      data: { occurrence: 1, dueAt: '2026-01-05T11:00:00.000Z', reason: 'misfire' },
    });
  });

  it('skips for overlap a run started between the due instant and the planned time', () => {
    const log = live(
      registered(),
      [command('TriggerTask'), '2026-01-05T11:00:00.500Z'],
      [fire(2), '2026-01-05T11:00:01.000Z'],
      [fire(1), '2026-01-05T11:00:02.500Z'],
    );
    expect(lastOf(log, 'TaskOccurrenceSkipped')).toMatchObject({
      data: { occurrence: 1, reason: 'overlap' },
    });
  });

  it('does not jitter a manual run or a retry', () => {
    const log = live(
      registered(),
      [command('TriggerTask'), '2026-01-05T10:30:00.000Z'],
      [fire(2), '2026-01-05T10:30:00.000Z'],
      [
        command('RecordExecutionOutcome', {
          occurrence: 2,
          attempt: 1,
          outcome: 'failed',
          startedAt: '2026-01-05T10:30:00.000Z',
          finishedAt: '2026-01-05T10:30:01.000Z',
        }),
        '2026-01-05T10:30:01.000Z',
      ],
    );
    const unjittered = log.filter(
      (e) => e.type === 'TaskScheduled' && (e.data.reason === 'manual' || e.data.reason === 'retry'),
    );
    expect(unjittered).toHaveLength(2);
    unjittered.forEach((e) => expect(e.data).not.toHaveProperty('plannedAt'));
    expect(lastOf(log, 'TaskExecutionStarted')?.data).not.toHaveProperty('plannedAt');
  });

  it('records removing jitter as 0, and the definition is then as if it never had any', () => {
    const log = live(registered(), [command('UpdateTask', { changes: { jitterMs: 0 } }), REG]);
    expect(log[1]).toEqual({ type: 'TaskUpdated', data: { changes: { jitterMs: 0 }, updatedAt: REG } });
    const state = foldTaskEvents(log) as ExistingTaskState;
    expect(state.definition).not.toHaveProperty('jitterMs');
    expect(sameDefinition(state.definition, withDefaults({ ...hourly, jitterMs: undefined }))).toBe(true);
    // The pending occurrence keeps the plan it was recorded with; the next ones are on time.
    expect(state.scheduled[0].plannedAt).toBe('2026-01-05T11:00:02.021Z');
    const next = decide(fire(1), state, new Date('2026-01-05T11:00:03Z'));
    expect(next[1].data).not.toHaveProperty('plannedAt');
  });

  it('takes a jitter of 0 for none, so a repeated registration without it is the same', () => {
    expect(withDefaults({ ...hourly, jitterMs: 0 })).not.toHaveProperty('jitterMs');
    const log = live([command('RegisterTask', { definition: { ...hourly, jitterMs: 0 }, bucket: 1 }), REG]);
    expect(log[0].data).toHaveProperty('firstOccurrence');
    expect(log[0].data).not.toHaveProperty('firstOccurrence.plannedAt');
    expect(
      decide(
        command('RegisterTask', { definition: { ...hourly, jitterMs: undefined }, bucket: 1 }),
        foldTaskEvents(log),
        new Date(REG),
      ),
    ).toEqual([]);
  });

  it.each([-1, 1.5, 3_600_001])('refuses a jitter of %p', (jitterMs) => {
    expect(validateDefinition({ ...withDefaults(hourly), jitterMs })?.field).toBe('jitterMs');
  });

  it('accepts events with and without plannedAt, and refuses a malformed one', () => {
    const data = { occurrence: 1, attempt: 1, dueAt: REG, reason: 'next' };
    expect(() => assertTaskEvent('TaskScheduled', data)).not.toThrow();
    expect(() => assertTaskEvent('TaskScheduled', { ...data, plannedAt: REG })).not.toThrow();
    expect(() => assertTaskEvent('TaskScheduled', { ...data, plannedAt: 'soon' })).toThrow(/plannedAt/);
    const started = { occurrence: 1, attempt: 1, dueAt: REG, startedAt: REG, workerId: 'w' };
    expect(() => assertTaskEvent('TaskExecutionStarted', { ...started, plannedAt: 5 })).toThrow(/plannedAt/);
    const definition = withDefaults(hourly);
    const registeredEvent = { definition, bucket: 0, registeredAt: REG };
    expect(() => assertTaskEvent('TaskRegistered', registeredEvent)).not.toThrow();
    expect(() =>
      assertTaskEvent('TaskRegistered', { ...registeredEvent, definition: { ...definition, jitterMs: 'x' } }),
    ).toThrow(/definition/);
    expect(() => assertTaskEvent('TaskUpdated', { changes: { jitterMs: -5 }, updatedAt: REG })).toThrow(
      /changes/,
    );
  });
});
