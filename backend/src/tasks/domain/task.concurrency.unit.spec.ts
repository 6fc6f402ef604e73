import { decide } from './task.decider';
import { type TaskDefinition, validateDefinition, withDefaults } from './task';
import type { FireOccurrence } from './task.commands';
import { TaskDomainError } from './task.errors';
import { assertTaskEvent, type TaskEvent } from './task.events';
import { foldTaskEvents } from './task.state';

// Concurrency limits (ADR 019) as the decider sees them: a start needs the slot's key; a wait is no misfire.

const TASK_ID = '0b6f3a52-5d0e-4c4e-9a57-6f1b9f1d2c11';
const DUE = '2026-01-06T02:00:00.000Z';
const NEXT = '2026-01-07T02:00:00.000Z';
const REG = '2026-01-05T10:00:00.000Z';

const limited = (overrides: Partial<TaskDefinition> = {}): TaskDefinition => ({
  ...withDefaults({
    name: 'billing-export',
    schedule: { kind: 'cron', expression: '0 3 * * *', timezone: 'Europe/Berlin' },
    action: { kind: 'log', message: 'export' },
    concurrency: { key: 'billing-db', limit: 1 },
  }),
  ...overrides,
});

const history = (definition: TaskDefinition, reason: 'registered' | 'manual' = 'registered'): TaskEvent[] => [
  { type: 'TaskRegistered', data: { definition, bucket: 3, registeredAt: REG } },
  { type: 'TaskScheduled', data: { occurrence: 1, attempt: 1, dueAt: DUE, reason } },
];

const fire = (extra: Partial<FireOccurrence['data']> = {}): FireOccurrence => ({
  type: 'FireOccurrence',
  data: { taskId: TASK_ID, occurrence: 1, attempt: 1, workerId: 'w1', ...extra },
});

const decideAt = (events: TaskEvent[], command: FireOccurrence, now: string) =>
  decide(command, foldTaskEvents(events), new Date(now));

const refusal = (run: () => unknown): string | undefined => {
  try {
    run();
  } catch (error) {
    if (error instanceof TaskDomainError) return error.code;
    throw error;
  }
  return undefined;
};

describe('FireOccurrence of a task with a concurrency limit', () => {
  it('starts only with a slot of the task’s current key', () => {
    const events = history(limited());
    expect(refusal(() => decideAt(events, fire(), DUE))).toBe('concurrency_slot_required');
    expect(refusal(() => decideAt(events, fire({ concurrencyKey: 'other' }), DUE))).toBe(
      'concurrency_slot_required',
    );
    expect(decideAt(events, fire({ concurrencyKey: 'billing-db' }), DUE)[0]).toEqual({
      type: 'TaskExecutionStarted',
      data: { occurrence: 1, attempt: 1, dueAt: DUE, startedAt: DUE, workerId: 'w1' },
    });
  });

  it('a manual run needs the slot too', () => {
    const events = history(limited(), 'manual');
    expect(refusal(() => decideAt(events, fire(), DUE))).toBe('concurrency_slot_required');
  });

  it('records when the wait began, and a long wait is not a misfire (the next keeps its timeline)', () => {
    const tenMinutesLater = '2026-01-06T02:10:00.000Z';
    const events = decideAt(
      history(limited({ misfire: 'skip' })),
      fire({ concurrencyKey: 'billing-db', waitingSince: '2026-01-06T02:00:00.050Z' }),
      tenMinutesLater,
    );
    expect(events).toEqual([
      {
        type: 'TaskExecutionStarted',
        data: {
          occurrence: 1,
          attempt: 1,
          dueAt: DUE,
          startedAt: tenMinutesLater,
          workerId: 'w1',
          waitingSince: '2026-01-06T02:00:00.050Z',
        },
      },
      { type: 'TaskScheduled', data: { occurrence: 2, attempt: 1, dueAt: NEXT, reason: 'next' } },
    ]);
  });

  it('an occurrence already late when it began to wait is misfired as any other', () => {
    const events = decideAt(
      history(limited({ misfire: 'skip' })),
      fire({ concurrencyKey: 'billing-db', waitingSince: '2026-01-06T02:05:00.000Z' }),
      '2026-01-06T02:10:00.000Z',
    );
    expect(events[0]).toMatchObject({ type: 'TaskOccurrenceSkipped', data: { reason: 'misfire' } });
  });

  it('keeps the wait within [dueAt, now] and ignores it for a task without a limit', () => {
    const [early] = decideAt(
      history(limited()),
      fire({ concurrencyKey: 'billing-db', waitingSince: '2020-01-01T00:00:00.000Z' }),
      '2026-01-06T02:00:01.000Z',
    );
    expect(early.data).toMatchObject({ waitingSince: DUE });
    const [unlimited] = decideAt(
      history(limited({ concurrency: undefined })),
      fire({ waitingSince: DUE }),
      '2026-01-06T02:00:01.000Z',
    );
    expect(unlimited.data).not.toHaveProperty('waitingSince');
  });

  it('a skip needs no slot', () => {
    const running: TaskEvent = {
      type: 'TaskExecutionStarted',
      data: { occurrence: 9, attempt: 1, dueAt: REG, startedAt: REG, workerId: 'w1' },
    };
    const [skip] = decideAt([...history(limited()), running], fire(), DUE);
    expect(skip).toMatchObject({ type: 'TaskOccurrenceSkipped', data: { reason: 'overlap' } });
  });
});

describe('RecordOccurrenceWaiting', () => {
  const waiting = (waitingSince: string, occurrence = 1) =>
    ({
      type: 'RecordOccurrenceWaiting',
      data: { taskId: TASK_ID, occurrence, attempt: 1, concurrencyKey: 'billing-db', waitingSince },
    }) as const;

  it('records that a scheduled occurrence waits for a slot, which the fold marks on it', () => {
    const before = history(limited());
    const events = decide(waiting('2026-01-06T02:00:00.020Z'), foldTaskEvents(before), new Date(NEXT));
    expect(events).toEqual([
      {
        type: 'TaskOccurrenceWaiting',
        data: {
          occurrence: 1,
          attempt: 1,
          dueAt: DUE,
          concurrencyKey: 'billing-db',
          waitingSince: '2026-01-06T02:00:00.020Z',
        },
      },
    ]);
    // The fold marks the scheduled occurrence as waiting (the ledger says so), and nothing else.
    const was = foldTaskEvents(before);
    const now = foldTaskEvents(events, was);
    if (was.status === 'none' || now.status === 'none') throw new Error('registered');
    expect(now).toEqual({
      ...was,
      scheduled: was.scheduled.map((s) => ({ ...s, waitingSince: '2026-01-06T02:00:00.020Z' })),
    });
    expect(() => assertTaskEvent(events[0].type, events[0].data)).not.toThrow();
  });

  it('a wait found within the firing lead begins at the start time, as the start will say (ADR 022)', () => {
    const ahead = '2026-01-06T01:59:59.960Z';
    const [wait] = decide(waiting(ahead), foldTaskEvents(history(limited())), new Date(ahead));
    expect(wait.data).toMatchObject({ waitingSince: DUE });
  });

  it('refuses an occurrence that is not scheduled (fired meanwhile, or dropped)', () => {
    expect(refusal(() => decide(waiting(DUE, 7), foldTaskEvents(history(limited())), new Date(NEXT)))).toBe(
      'occurrence_not_due',
    );
  });
});

describe('the concurrency field', () => {
  it('is checked for its meaning: a key like a label value, a limit of 1 to 1000', () => {
    expect(validateDefinition(limited())).toBeNull();
    expect(validateDefinition(limited({ concurrency: { key: 'billing-db', limit: 1000 } }))).toBeNull();
    expect(validateDefinition(limited({ concurrency: { key: '', limit: 1 } }))?.field).toBe(
      'concurrency.key',
    );
    expect(validateDefinition(limited({ concurrency: { key: 'a:b', limit: 1 } }))?.field).toBe(
      'concurrency.key',
    );
    expect(validateDefinition(limited({ concurrency: { key: 'x'.repeat(64), limit: 1 } }))?.field).toBe(
      'concurrency.key',
    );
    for (const limit of [0, 1001, 1.5])
      expect(validateDefinition(limited({ concurrency: { key: 'k', limit } }))?.field).toBe(
        'concurrency.limit',
      );
  });

  it('event shapes: old events without it still read; a malformed one is refused', () => {
    const registered = (definition: unknown) => () =>
      assertTaskEvent('TaskRegistered', { definition, bucket: 1, registeredAt: REG });
    expect(registered(limited({ concurrency: undefined }))).not.toThrow();
    expect(registered(limited())).not.toThrow();
    expect(registered({ ...limited(), concurrency: { key: 'k' } })).toThrow();
    const started = (extra: object) => () =>
      assertTaskEvent('TaskExecutionStarted', {
        occurrence: 1,
        attempt: 1,
        dueAt: DUE,
        startedAt: DUE,
        workerId: 'w1',
        ...extra,
      });
    expect(started({})).not.toThrow();
    expect(started({ waitingSince: DUE })).not.toThrow();
    expect(started({ waitingSince: 'yesterday' })).toThrow();
  });
});
