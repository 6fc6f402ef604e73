/** Firing ahead (ADR 022): a start decided within the lead is decided as of its start time. */
import fc from 'fast-check';
import { DEFAULT_DECIDE_SETTINGS, type DecideSettings, decide } from './task.decider';
import type { TaskDefinitionInput } from './task';
import type { TaskCommand } from './task.commands';
import { TaskDomainError } from './task.errors';
import type { TaskEvent } from './task.events';
import { foldTaskEvents } from './task.state';

const TASK_ID = '0b6f3a52-5d0e-4c4e-9a57-6f1b9f1d2c11';
const REG = '2026-01-05T10:00:00.000Z';
const DUE = '2026-01-05T10:00:01.000Z';
const NEXT = '2026-01-05T10:00:02.000Z';
const LEAD: DecideSettings = { ...DEFAULT_DECIDE_SETTINGS, firingLeadMs: 50 };

const everySecond = (extra: Partial<TaskDefinitionInput> = {}): TaskDefinitionInput => ({
  name: 'every-second',
  schedule: { kind: 'cron', expression: '* * * * * *', timezone: 'UTC' },
  action: { kind: 'log', message: 'x' },
  ...extra,
});
const command = (type: TaskCommand['type'], extra: object = {}) =>
  ({ type, data: { taskId: TASK_ID, ...extra } }) as TaskCommand;
const fire = (occurrence: number) => command('FireOccurrence', { occurrence, attempt: 1, workerId: 'w1' });

/** Decides each command at its time on the state so far, with the lead; answers the log. */
function live(...steps: [TaskCommand, string][]): TaskEvent[] {
  const log: TaskEvent[] = [];
  for (const [cmd, at] of steps) log.push(...decide(cmd, foldTaskEvents(log), new Date(at), LEAD));
  return log;
}
const registered = (definition = everySecond()): [TaskCommand, string] => [
  command('RegisterTask', { definition, bucket: 1 }),
  REG,
];
const after = (log: TaskEvent[], n: number) => log.slice(n);

describe('firing within the lead', () => {
  it('starts the run at its due time, not at the decision, and schedules the next from it', () => {
    const log = live(registered(), [fire(1), '2026-01-05T10:00:00.950Z']);
    expect(after(log, 1)).toEqual([
      {
        type: 'TaskExecutionStarted',
        data: { occurrence: 1, attempt: 1, dueAt: DUE, startedAt: DUE, workerId: 'w1' },
      },
      {
        type: 'TaskScheduled',
        data: { occurrence: 2, attempt: 1, dueAt: NEXT, reason: 'next' },
      },
    ]);
  });

  it('refuses a firing earlier than the lead, and any firing before due without one', () => {
    expect(() => live(registered(), [fire(1), '2026-01-05T10:00:00.949Z'])).toThrow(TaskDomainError);
    const withoutLead = () =>
      decide(fire(1), foldTaskEvents(live(registered())), new Date('2026-01-05T10:00:00.999Z'));
    expect(withoutLead).toThrow(/not due before/);
  });

  it('counts from the jittered plan, not the schedule’s instant', () => {
    // jitterOffsetMs(TASK_ID, 1, 3000) = 2021: planned at 11:00:02.021.
    const jittered = registered(everySecond({ schedule: hourlyUtc, jitterMs: 3000 }));
    expect(() => live(jittered, [fire(1), '2026-01-05T11:00:01.970Z'])).toThrow(TaskDomainError);
    const log = live(jittered, [fire(1), '2026-01-05T11:00:01.971Z']);
    expect(log[1].data).toMatchObject({ startedAt: '2026-01-05T11:00:02.021Z' });
  });

  it('judges overlap by the record when it decides: a run whose outcome is not in yet overlaps', () => {
    const first = live(registered(everySecond({ overlap: 'skip' })), [fire(1), '2026-01-05T10:00:00.950Z']);
    expect(decide(fire(2), foldTaskEvents(first), at('01.950'), LEAD)[0]).toEqual({
      type: 'TaskOccurrenceSkipped',
      data: { occurrence: 2, dueAt: NEXT, reason: 'overlap', skippedAt: NEXT },
    });
    const outcome = command('RecordExecutionOutcome', {
      occurrence: 1,
      attempt: 1,
      outcome: 'succeeded',
      startedAt: DUE,
      finishedAt: '2026-01-05T10:00:01.020Z',
    });
    const finished = [...first, ...decide(outcome, foldTaskEvents(first), at('01.030'), LEAD)];
    expect(decide(fire(2), foldTaskEvents(finished), at('01.950'), LEAD)[0]).toMatchObject({
      type: 'TaskExecutionStarted',
      data: { occurrence: 2, startedAt: NEXT },
    });
  });
});

describe('firing with a lead, by property', () => {
  it('never starts a run before its due time, and starts it at the later of due and decision', () => {
    fc.assert(
      fc.property(fc.integer({ min: -200, max: 5000 }), fc.integer({ min: 0, max: 500 }), (offset, lead) => {
        const state = foldTaskEvents(live(registered()));
        const decidedAt = new Date(Date.parse(DUE) + offset);
        const settings = { ...DEFAULT_DECIDE_SETTINGS, firingLeadMs: lead };
        if (offset < -lead) {
          expect(() => decide(fire(1), state, decidedAt, settings)).toThrow(TaskDomainError);
          return;
        }
        const started = decide(fire(1), state, decidedAt, settings)[0];
        expect(started.type).toBe('TaskExecutionStarted');
        const startedAt = Date.parse((started.data as { startedAt: string }).startedAt);
        expect(startedAt).toBe(Math.max(Date.parse(DUE), decidedAt.getTime()));
      }),
    );
  });
});

const hourlyUtc = { kind: 'cron', expression: '0 * * * *', timezone: 'UTC' } as const;
const at = (secondsAndMs: string) => new Date(`2026-01-05T10:00:${secondsAndMs}Z`);
