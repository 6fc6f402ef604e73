import { decide } from './task.decider';
import { withDefaults } from './task';
import type { TaskCommand } from './task.commands';
import { assertTaskEvent, type TaskEvent } from './task.events';
import { foldTaskEvents } from './task.state';

const TASK_ID = '0b6f3a52-5d0e-4c4e-9a57-6f1b9f1d2c11';
const CALENDAR = '7d0e3c52-1f4a-4c1b-9e55-0d6f7a8b9c01';
const definition = withDefaults({
  name: 'hourly',
  schedule: { kind: 'cron', expression: '0 * * * *', timezone: 'UTC' },
  action: { kind: 'log', message: 'x' },
  calendars: [CALENDAR],
});
const history = (reason: 'next' | 'manual' = 'next'): TaskEvent[] => [
  { type: 'TaskRegistered', data: { definition, bucket: 1, registeredAt: '2026-01-05T09:30:00.000Z' } },
  { type: 'TaskScheduled', data: { occurrence: 1, attempt: 1, dueAt: '2026-01-05T10:00:00.000Z', reason } },
];
const fire = (excludedBy?: { calendarId: string; revision: number }): TaskCommand => ({
  type: 'FireOccurrence',
  data: { taskId: TASK_ID, occurrence: 1, attempt: 1, workerId: 'w', ...(excludedBy && { excludedBy }) },
});
const NOW = new Date('2026-01-05T10:00:00.100Z');

describe('FireOccurrence with a calendar exclusion', () => {
  it('skips a regular occurrence with reason calendar, the calendar and its revision, and schedules the next', () => {
    const events = decide(fire({ calendarId: CALENDAR, revision: 4 }), foldTaskEvents(history()), NOW);
    expect(events).toEqual([
      {
        type: 'TaskOccurrenceSkipped',
        data: {
          occurrence: 1,
          dueAt: '2026-01-05T10:00:00.000Z',
          reason: 'calendar',
          skippedAt: NOW.toISOString(),
          calendarId: CALENDAR,
          calendarRevision: 4,
        },
      },
      {
        type: 'TaskScheduled',
        data: { occurrence: 2, attempt: 1, dueAt: '2026-01-05T11:00:00.000Z', reason: 'next' },
      },
    ]);
    // the recorded events pass the shape checks of events read back
    for (const event of events) expect(() => assertTaskEvent(event.type, event.data)).not.toThrow();
  });

  it('runs a manual occurrence, and ignores a calendar the task does not name', () => {
    const manual = decide(
      fire({ calendarId: CALENDAR, revision: 0 }),
      foldTaskEvents(history('manual')),
      NOW,
    );
    expect(manual.map((e) => e.type)).toEqual(['TaskExecutionStarted']);
    const other = decide(
      fire({ calendarId: '11111111-2222-4333-8444-555555555555', revision: 0 }),
      foldTaskEvents(history()),
      NOW,
    );
    expect(other.map((e) => e.type)).toEqual(['TaskExecutionStarted', 'TaskScheduled']);
  });

  it('old skip events (without calendar fields) still read back; a bad calendar revision does not', () => {
    const old = {
      occurrence: 1,
      dueAt: '2026-01-05T10:00:00Z',
      reason: 'misfire',
      skippedAt: '2026-01-05T10:02:00Z',
    };
    expect(() => assertTaskEvent('TaskOccurrenceSkipped', old)).not.toThrow();
    expect(() =>
      assertTaskEvent('TaskOccurrenceSkipped', { ...old, reason: 'calendar', calendarRevision: -1 }),
    ).toThrow(/calendarRevision/);
  });

  it('an update removing every calendar records [] and folds to no calendars', () => {
    const events = decide(
      { type: 'UpdateTask', data: { taskId: TASK_ID, changes: { calendars: [] } } },
      foldTaskEvents(history()),
      NOW,
    );
    expect(events[0]).toMatchObject({ type: 'TaskUpdated', data: { changes: { calendars: [] } } });
    const state = foldTaskEvents([...history(), ...events]);
    expect(state.status !== 'none' && state.definition.calendars).toBeUndefined();
  });
});
