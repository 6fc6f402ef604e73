import { withDefaults } from './task';
import { InvalidTaskEventError } from './task.errors';
import {
  assertTaskEvent,
  MAX_OUTPUT_BYTES,
  TASK_EVENT_SCHEMA_VERSION,
  TASK_EVENT_TYPES,
  scheduledBy,
  taskStreamId,
  truncateOutput,
  type TaskEvent,
} from './task.events';

const definition = withDefaults({
  name: 'n',
  schedule: { kind: 'cron', expression: '0 * * * *', timezone: 'UTC' },
  action: { kind: 'http', url: 'https://x.io', method: 'POST', headers: { a: 'b' }, body: { k: 1 } },
});
const I = '2026-01-05T10:00:00.000Z';

const oneOfEach: TaskEvent[] = [
  { type: 'TaskRegistered', data: { definition, bucket: 0, registeredAt: I, firstOccurrence: { dueAt: I } } },
  { type: 'TaskUpdated', data: { changes: { name: 'm', retry: definition.retry }, updatedAt: I } },
  { type: 'TaskScheduled', data: { occurrence: 1, attempt: 1, dueAt: I, reason: 'registered' } },
  {
    type: 'TaskExecutionStarted',
    data: { occurrence: 1, attempt: 1, dueAt: I, startedAt: I, workerId: 'w' },
  },
  {
    type: 'TaskExecuted',
    data: {
      occurrence: 1,
      attempt: 1,
      outcome: 'failed',
      startedAt: I,
      finishedAt: I,
      durationMs: 0,
      error: 'e',
    },
  },
  { type: 'TaskOccurrenceSkipped', data: { occurrence: 2, dueAt: I, reason: 'overlap', skippedAt: I } },
  {
    type: 'TaskOccurrenceWaiting',
    data: { occurrence: 3, attempt: 1, dueAt: I, concurrencyKey: 'billing-db', waitingSince: I },
  },
  { type: 'TaskPaused', data: { pausedAt: I } },
  { type: 'TaskResumed', data: { resumedAt: I } },
  { type: 'TaskCompleted', data: { completedAt: I } },
  { type: 'TaskDeleted', data: { deletedAt: I } },
  { type: 'TaskHistoryTruncated', data: { throughRevision: 41, throughPosition: 977, olderThan: I } },
];

describe('task events', () => {
  it('name the stream and the schema version', () => {
    expect(taskStreamId('abc')).toBe('task-abc');
    expect(TASK_EVENT_SCHEMA_VERSION).toBe(2);
  });

  it('list every event type once', () => {
    expect([...TASK_EVENT_TYPES].sort()).toEqual(oneOfEach.map((e) => e.type).sort());
  });
});

describe('scheduledBy', () => {
  it('is a TaskScheduled’s occurrence, a registration’s first, or none', () => {
    const scheduled = oneOfEach.find((e) => e.type === 'TaskScheduled')!;
    expect(scheduledBy(scheduled)).toBe(scheduled.data);
    expect(scheduledBy(oneOfEach[0])).toEqual({ occurrence: 1, attempt: 1, dueAt: I, reason: 'registered' });
    const jittered = { dueAt: I, plannedAt: '2026-01-05T10:00:02.000Z' };
    expect(
      scheduledBy({
        type: 'TaskRegistered',
        data: { definition, bucket: 0, registeredAt: I, firstOccurrence: jittered },
      }),
    ).toEqual({ occurrence: 1, attempt: 1, reason: 'registered', ...jittered });
    expect(
      scheduledBy({ type: 'TaskRegistered', data: { definition, bucket: 0, registeredAt: I } }),
    ).toBeUndefined();
    expect(oneOfEach.slice(3).map(scheduledBy)).toEqual(oneOfEach.slice(3).map(() => undefined));
  });
});

describe('assertTaskEvent', () => {
  it.each(oneOfEach.map((e) => [e.type, e] as const))(
    'accepts a well-formed %s read back from JSON',
    (_type, event) => {
      const data = JSON.parse(JSON.stringify(event.data)) as unknown;
      expect(assertTaskEvent(event.type, data)).toEqual(event);
    },
  );

  it('accepts a failure alert, its removal (null) and a final failed attempt; old events without them too', () => {
    const onFailure = { kind: 'http', url: 'https://a.example.com/', headers: { 'X-Team': 'ops' } };
    const registered = { definition: { ...definition, onFailure }, bucket: 0, registeredAt: I };
    expect(assertTaskEvent('TaskRegistered', registered).data).toEqual(registered);
    expect(assertTaskEvent('TaskUpdated', { changes: { onFailure }, updatedAt: I })).toBeTruthy();
    expect(assertTaskEvent('TaskUpdated', { changes: { onFailure: null }, updatedAt: I })).toBeTruthy();
    const executed = {
      occurrence: 1,
      attempt: 2,
      outcome: 'lost',
      startedAt: I,
      finishedAt: I,
      durationMs: 0,
    };
    expect(assertTaskEvent('TaskExecuted', { ...executed, final: true }).data).toMatchObject({ final: true });
    expect(assertTaskEvent('TaskExecuted', executed)).toBeTruthy();
  });

  it('refuses an unknown type', () => {
    expect(() => assertTaskEvent('TaskExploded', {})).toThrow(/unknown event type/);
    expect(() => assertTaskEvent('toString', {})).toThrow(InvalidTaskEventError);
  });

  it.each<[string, string, unknown, RegExp]>([
    ['data that is not an object', 'TaskPaused', 'x', /not an object/],
    ['a missing field', 'TaskPaused', {}, /pausedAt/],
    ['an instant without offset', 'TaskPaused', { pausedAt: '2026-01-05T10:00:00' }, /pausedAt/],
    [
      'an occurrence of 0',
      'TaskScheduled',
      { occurrence: 0, attempt: 1, dueAt: I, reason: 'next' },
      /occurrence/,
    ],
    ['an unknown reason', 'TaskScheduled', { occurrence: 1, attempt: 1, dueAt: I, reason: 'whim' }, /reason/],
    [
      'an unknown outcome',
      'TaskExecuted',
      { occurrence: 1, attempt: 1, outcome: 'meh', startedAt: I, finishedAt: I, durationMs: 1 },
      /outcome/,
    ],
    [
      'a definition without schedule',
      'TaskRegistered',
      { definition: { ...definition, schedule: undefined }, bucket: 1, registeredAt: I },
      /definition/,
    ],
    [
      'a first occurrence without its instant',
      'TaskRegistered',
      { definition, bucket: 1, registeredAt: I, firstOccurrence: { plannedAt: I } },
      /firstOccurrence/,
    ],
    [
      'an unknown action kind',
      'TaskRegistered',
      { definition: { ...definition, action: { kind: 'email' } }, bucket: 1, registeredAt: I },
      /definition/,
    ],
    [
      'a failure alert of an unknown kind',
      'TaskRegistered',
      { definition: { ...definition, onFailure: { kind: 'email', url: 'x' } }, bucket: 1, registeredAt: I },
      /definition/,
    ],
    [
      'a failure alert without a URL',
      'TaskUpdated',
      { changes: { onFailure: { kind: 'http' } }, updatedAt: I },
      /changes/,
    ],
    [
      'a final flag that is not true',
      'TaskExecuted',
      {
        occurrence: 1,
        attempt: 1,
        outcome: 'failed',
        startedAt: I,
        finishedAt: I,
        durationMs: 1,
        final: false,
      },
      /final/,
    ],
    ['a change to an unknown field', 'TaskUpdated', { changes: { colour: 'red' }, updatedAt: I }, /changes/],
    [
      'a malformed changed field',
      'TaskUpdated',
      { changes: { overlap: 'sometimes' }, updatedAt: I },
      /changes/,
    ],
  ])('refuses %s, naming the field', (_case, type, data, message) => {
    expect(() => assertTaskEvent(type, data)).toThrow(message);
  });

  it('reports every problem at once', () => {
    let caught: unknown;
    try {
      assertTaskEvent('TaskExecutionStarted', { occurrence: 1 });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidTaskEventError);
    expect((caught as InvalidTaskEventError).problems).toHaveLength(4);
  });
});

describe('truncateOutput', () => {
  const utf8 = (text: string) => new TextEncoder().encode(text).length;

  it('leaves short output alone', () => {
    expect(truncateOutput('hello')).toBe('hello');
    const exactly = 'é'.repeat(MAX_OUTPUT_BYTES / 2);
    expect(truncateOutput(exactly)).toBe(exactly);
  });

  it('cuts long output to 4 KiB of UTF-8, on a character boundary, and says so', () => {
    for (const char of ['a', 'é', '€', '😀']) {
      const cut = truncateOutput(char.repeat(5000));
      expect(utf8(cut)).toBeLessThanOrEqual(MAX_OUTPUT_BYTES);
      expect(utf8(cut)).toBeGreaterThan(MAX_OUTPUT_BYTES - 4 - utf8('…[truncated]'));
      expect(cut.endsWith('…[truncated]')).toBe(true);
      expect(cut.replace('…[truncated]', '').split('').join('')).toMatch(new RegExp(`^(${char})+$`, 'u'));
    }
  });
});
