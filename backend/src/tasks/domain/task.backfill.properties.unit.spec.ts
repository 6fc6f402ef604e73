/**
 * Backfill by property: over random schedules and random series of backfills (overlapping windows,
 * the clock moving on), the instants backfilled are exactly the schedule's instants in the union of
 * [from, min(to, now)) of the windows, each at most once. The expected instants come from a grid worked
 * out here (a `*∕n` seconds cron in UTC is every n seconds of the epoch; an interval is its anchor plus
 * multiples), not from the schedule arithmetic under test.
 */
import fc from 'fast-check';
import { MAX_BACKFILL_OCCURRENCES } from '../../../../contracts/limits';
import { withDefaults } from './task';
import { decide } from './task.decider';
import { TaskDomainError } from './task.errors';
import type { TaskEvent } from './task.events';
import { type TaskState, evolve, foldTaskEvents } from './task.state';

const TASK_ID = '0e2b3f4a-1c5d-4e6f-8a9b-0c1d2e3f4a5b';
const T0 = Date.parse('2026-04-01T12:00:00Z');

/** A schedule and its instants on a grid: `step` ms apart from `anchor`, none before `anchor`. */
const gridArb = fc.oneof(
  fc.constantFrom(1, 2, 3, 5, 10, 15, 30).map((n) => ({
    schedule: { kind: 'cron' as const, expression: `*/${n} * * * * *`, timezone: 'UTC' },
    anchor: -Infinity,
    step: n * 1000,
  })),
  fc
    .record({ every: fc.integer({ min: 1, max: 90 }), offset: fc.integer({ min: -600_000, max: 0 }) })
    .map(({ every, offset }) => ({
      schedule: {
        kind: 'interval' as const,
        everySeconds: every,
        startAt: new Date(T0 + offset).toISOString(),
      },
      anchor: T0 + offset,
      step: every * 1000,
    })),
);

/** The grid's instants in [from, to). */
function gridInstants(grid: { anchor: number; step: number }, from: number, to: number): number[] {
  const base = Number.isFinite(grid.anchor) ? grid.anchor : 0;
  let k = Math.ceil((Math.max(from, grid.anchor) - base) / grid.step);
  const found: number[] = [];
  for (let at = base + k * grid.step; at < to; at = base + ++k * grid.step) found.push(at);
  return found;
}

const windowArb = fc.record({
  // Windows in the last 40 minutes, some reaching into the future, some holding more than the limit.
  fromOffset: fc.integer({ min: -2_400_000, max: 60_000 }),
  lengthMs: fc.oneof(fc.integer({ min: 1, max: 400_000 }), fc.integer({ min: 1, max: 2_400_000 })),
  advanceMs: fc.integer({ min: 0, max: 30_000 }),
});

describe('backfill over random schedules and windows', () => {
  it('backfills exactly the schedule’s past instants of the windows, each at most once', () => {
    fc.assert(
      fc.property(gridArb, fc.array(windowArb, { minLength: 1, maxLength: 6 }), (grid, windows) => {
        const definition = withDefaults({
          name: 'p',
          schedule: grid.schedule,
          action: { kind: 'log', message: 'x' },
        });
        let state: TaskState = foldTaskEvents([
          {
            type: 'TaskRegistered',
            data: { definition, bucket: 0, registeredAt: new Date(T0).toISOString() },
          },
          {
            type: 'TaskScheduled',
            data: { occurrence: 1, attempt: 1, dueAt: '2026-04-02T00:00:00.000Z', reason: 'registered' },
          },
        ]);
        let now = T0;
        const expected = new Set<number>();
        const backfilled: number[] = [];
        for (const window of windows) {
          now += window.advanceMs;
          const from = now + window.fromOffset;
          const to = from + window.lengthMs;
          const inWindow = gridInstants(grid, from, Math.min(to, now));
          let events: TaskEvent[];
          try {
            events = decide(
              {
                type: 'BackfillTask',
                data: { taskId: TASK_ID, from: new Date(from).toISOString(), to: new Date(to).toISOString() },
              },
              state,
              new Date(now),
            );
          } catch (error) {
            // Refused only for holding too many, and then nothing changes.
            expect(error).toBeInstanceOf(TaskDomainError);
            expect((error as TaskDomainError).code).toBe('invalid_backfill');
            expect(inWindow.length).toBeGreaterThan(MAX_BACKFILL_OCCURRENCES);
            continue;
          }
          expect(inWindow.length).toBeLessThanOrEqual(MAX_BACKFILL_OCCURRENCES);
          inWindow.forEach((at) => expected.add(at));
          for (const event of events) {
            expect(event.type).toBe('TaskScheduled');
            if (event.type === 'TaskScheduled') {
              expect(event.data.reason).toBe('backfill');
              expect(event.data.attempt).toBe(1);
              backfilled.push(Date.parse(event.data.dueAt));
            }
            state = evolve(state, event);
          }
        }
        expect(new Set(backfilled).size).toBe(backfilled.length); // each instant at most once
        expect([...backfilled].sort((a, b) => a - b)).toEqual([...expected].sort((a, b) => a - b));
        if (state.status !== 'none') {
          expect(state.backfilled ?? []).toEqual(
            [...expected].sort((a, b) => a - b).map((at) => new Date(at).toISOString()),
          );
        }
      }),
      { numRuns: 150 },
    );
  });
});
