import fc from 'fast-check';
import type { CalendarDefinition } from './calendar-definition';
import { excludedBy, excludedThrough, exclusionAt } from './exclusions';
import { nextRunsOutsideCalendars } from './calendar-timeline';

const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata'];
const YEAR_2026 = Date.UTC(2026, 0, 1);
const instant = fc.integer({ min: YEAR_2026, max: YEAR_2026 + 365 * 86_400_000 });
const zone = fc.constantFrom(...ZONES);
const day = fc
  .integer({ min: 1, max: 364 })
  .map((d) => new Date(YEAR_2026 + d * 86_400_000).toISOString().slice(0, 10));
const exclusion = fc.oneof(
  day.map((date) => ({ date })),
  fc.tuple(instant, fc.integer({ min: 1, max: 5 * 86_400_000 })).map(([from, length]) => ({
    from: new Date(from).toISOString(),
    to: new Date(from + length).toISOString(),
  })),
  fc.constantFrom('* * * * 0,6', '0-29 12 * * *', '30-59 * * * * *', '0 0 1 * *').map((cron) => ({ cron })),
);
const calendar = fc.record({
  name: fc.constant('c'),
  timezone: zone,
  exclude: fc.array(exclusion, { maxLength: 5 }),
});

describe('calendar exclusions (properties)', () => {
  it('an instant is excluded by a calendar iff some single exclusion of it excludes it', () => {
    fc.assert(
      fc.property(calendar, instant, (c: CalendarDefinition, t) => {
        const alone = c.exclude.some((e) => excludedBy({ ...c, exclude: [e] }, t));
        expect(excludedBy(c, t)).toBe(alone);
      }),
    );
  });

  it('everything from an excluded instant up to excludedThrough is excluded by the same exclusion', () => {
    fc.assert(
      fc.property(
        calendar,
        instant,
        fc.double({ min: 0, max: 1, noNaN: true }),
        (c: CalendarDefinition, t, f) => {
          const e = exclusionAt(c, t);
          fc.pre(e !== null);
          const end = excludedThrough(c, e, t);
          expect(end).toBeGreaterThan(t);
          const between = Math.floor(t + (end - 1 - t) * f);
          expect(excludedBy({ ...c, exclude: [e] }, between)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('the next runs are exactly the schedule instants no calendar excludes, in order', () => {
    const schedule = { kind: 'cron', expression: '0 */10 * * * *', timezone: 'UTC' } as const;
    fc.assert(
      fc.property(calendar, instant, (c: CalendarDefinition, t) => {
        const runs = nextRunsOutsideCalendars(schedule, new Date(t), 5, [
          { id: 'c', revision: 0, definition: c },
        ]);
        let previous = t;
        for (const run of runs) {
          expect(run.getTime()).toBeGreaterThan(previous);
          expect(excludedBy(c, run)).toBe(false);
          // no allowed instant of the schedule was passed over in between
          for (let m = Math.floor(previous / 600_000) * 600_000 + 600_000; m < run.getTime(); m += 600_000) {
            if (new Date(m).getUTCSeconds() === 0) expect(excludedBy(c, m)).toBe(true);
          }
          previous = run.getTime();
        }
      }),
      { numRuns: 60 },
    );
  });
});
