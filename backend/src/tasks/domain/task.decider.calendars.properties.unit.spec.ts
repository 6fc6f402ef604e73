import fc from 'fast-check';
import { decide } from './task.decider';
import { withDefaults } from './task';
import type { TaskCommand } from './task.commands';
import type { TaskEvent } from './task.events';
import { foldTaskEvents } from './task.state';

const TASK_ID = '0b6f3a52-5d0e-4c4e-9a57-6f1b9f1d2c11';
const NAMED = '7d0e3c52-1f4a-4c1b-9e55-0d6f7a8b9c01';
const OTHER = '11111111-2222-4333-8444-555555555555';
const DUE = Date.parse('2026-01-05T10:00:00Z');

const history = (
  reason: 'next' | 'manual' | 'retry',
  misfire: 'fire_once' | 'skip' | 'fire_all',
): TaskEvent[] => [
  {
    type: 'TaskRegistered',
    data: {
      definition: withDefaults({
        name: 't',
        schedule: { kind: 'cron', expression: '0 * * * *', timezone: 'UTC' },
        action: { kind: 'log', message: 'x' },
        misfire,
        calendars: [NAMED],
      }),
      bucket: 1,
      registeredAt: '2026-01-05T09:30:00.000Z',
    },
  },
  { type: 'TaskScheduled', data: { occurrence: 1, attempt: 1, dueAt: new Date(DUE).toISOString(), reason } },
];
const fire = (excludedBy?: { calendarId: string; revision: number }): TaskCommand => ({
  type: 'FireOccurrence',
  data: { taskId: TASK_ID, occurrence: 1, attempt: 1, workerId: 'w', ...(excludedBy && { excludedBy }) },
});

describe('FireOccurrence and calendars (properties)', () => {
  const arbitrary = fc.record({
    reason: fc.constantFrom('next' as const, 'manual' as const, 'retry' as const),
    misfire: fc.constantFrom('fire_once' as const, 'skip' as const, 'fire_all' as const),
    lateMs: fc.integer({ min: 0, max: 3 * 3_600_000 }),
    revision: fc.nat({ max: 1000 }),
  });

  it('a regular occurrence excluded by a named calendar never starts: one calendar skip naming it', () => {
    fc.assert(
      fc.property(arbitrary, ({ reason, misfire, lateMs, revision }) => {
        const state = foldTaskEvents(history(reason, misfire));
        const events = decide(fire({ calendarId: NAMED, revision }), state, new Date(DUE + lateMs));
        if (reason !== 'next') {
          // manual runs and retries are not subject to calendars: as without the exclusion
          expect(events).toEqual(decide(fire(), state, new Date(DUE + lateMs)));
          return;
        }
        expect(events.some((e) => e.type === 'TaskExecutionStarted')).toBe(false);
        const skips = events.filter((e) => e.type === 'TaskOccurrenceSkipped');
        expect(skips).toEqual([
          expect.objectContaining({
            data: expect.objectContaining({
              reason: 'calendar',
              calendarId: NAMED,
              calendarRevision: revision,
            }),
          }),
        ]);
        // the timeline goes on: a next regular occurrence after the skipped one
        const next = events.find((e) => e.type === 'TaskScheduled');
        expect(next && Date.parse(next.data.dueAt)).toBeGreaterThan(DUE);
      }),
    );
  });

  it('an exclusion by a calendar the task does not name changes nothing', () => {
    fc.assert(
      fc.property(arbitrary, ({ reason, misfire, lateMs, revision }) => {
        const state = foldTaskEvents(history(reason, misfire));
        const now = new Date(DUE + lateMs);
        expect(decide(fire({ calendarId: OTHER, revision }), state, now)).toEqual(decide(fire(), state, now));
      }),
    );
  });
});
