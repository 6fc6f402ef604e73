/**
 * Properties of the occurrence arithmetic for random cron expressions, zones and instants, plus a
 * brute-force oracle: scan real time minute by minute with Intl and apply the daylight-saving rule
 * of ADR 004 directly, then compare with what nextOccurrences computes.
 */
import { Cron } from 'croner';
import fc from 'fast-check';
import { nextOccurrenceAfter, nextOccurrences, previousOccurrenceBefore } from './occurrences';
import type { Schedule } from './task';
import { intlWallTime } from './time-zones';

/** Zones with interesting offset changes, and roughly when (UTC hour) they change in 2026. */
const ZONE_TRANSITIONS: Record<string, string[]> = {
  UTC: [],
  'Asia/Kolkata': [],
  'Asia/Tokyo': [],
  'America/New_York': ['2026-03-08T07', '2026-11-01T06'],
  'Europe/Berlin': ['2026-03-29T01', '2026-10-25T01'],
  'Europe/London': ['2026-03-29T01', '2026-10-25T01'],
  'Australia/Lord_Howe': ['2026-04-04T15', '2026-10-03T15'], // 30-minute daylight saving
  'America/Santiago': ['2026-04-05T03', '2026-09-06T04'], // transitions at midnight
  'America/Havana': ['2026-03-08T05', '2026-11-01T05'], // gap at midnight
  'Pacific/Chatham': ['2026-04-04T14', '2026-09-26T14'], // +12:45 / +13:45
  'America/St_Johns': ['2026-03-08T06', '2026-11-01T05'], // -03:30 / -02:30
  'Australia/Adelaide': ['2026-04-04T16', '2026-10-03T16'],
  'Africa/Casablanca': ['2026-02-15T02', '2026-03-22T02'], // daylight saving suspended for Ramadan
};
const ZONES = Object.keys(ZONE_TRANSITIONS);

const HOUR = 3_600_000;

// ---- generators ----------------------------------------------------------------------------------

const fieldArb = (min: number, max: number, { wild = true } = {}) => {
  const value = fc.integer({ min, max });
  const options = [
    value.map(String),
    fc.uniqueArray(value, { minLength: 2, maxLength: 4 }).map((vs) => vs.sort((a, b) => a - b).join(',')),
    fc.tuple(value, value).map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
  ];
  if (wild) {
    options.push(
      fc.constant('*'),
      fc.integer({ min: 1, max: Math.max(1, Math.floor((max - min + 1) / 2)) }).map((k) => `*/${k}`),
      fc
        .tuple(value, value, fc.integer({ min: 1, max: 6 }))
        .map(([a, b, k]) => `${Math.min(a, b)}-${Math.max(a, b)}/${k}`),
    );
  }
  return fc.oneof(...options);
};

/** Hours around the usual transition times are the interesting ones. */
const hourArb = fc.oneof(fieldArb(0, 23), fieldArb(0, 4));
const dayFieldsArb = fc.oneof(
  { weight: 4, arbitrary: fc.constant('* * *') },
  { weight: 1, arbitrary: fc.tuple(fieldArb(1, 28), fieldArb(0, 6)).map(([dom, dow]) => `${dom} * ${dow}`) },
  { weight: 1, arbitrary: fieldArb(1, 5).map((dow) => `* * ${dow}`) },
);
const fiveFieldArb = fc.tuple(fieldArb(0, 59), hourArb, dayFieldsArb).map((fields) => fields.join(' '));
/** Fixed-time expressions (no wildcard or step in minute and hour): the ones whose gaps and repeats differ. */
const fixedFiveFieldArb = fc
  .tuple(
    fieldArb(0, 59, { wild: false }),
    fc.oneof(fieldArb(0, 4, { wild: false }), fieldArb(22, 23, { wild: false })),
    dayFieldsArb,
  )
  .map((fields) => fields.join(' '));
const sixFieldArb = fc
  .tuple(fieldArb(0, 59), fieldArb(0, 59), hourArb, dayFieldsArb)
  .map((fields) => fields.join(' '));
/** A zone and an instant: anywhere in 2020–2029, or in the 28 hours before one of its transitions. */
const zoneAndInstantArb = fc.constantFrom(...ZONES).chain((zone) => {
  const anywhere = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) });
  const transitions = ZONE_TRANSITIONS[zone].map((hour) => Date.parse(`${hour}:00:00Z`));
  const beforeTransition = fc
    .tuple(
      fc.constantFrom(...(transitions.length ? transitions : [Date.UTC(2026, 0, 1)])),
      fc.integer({ min: 0, max: 28 * HOUR }),
    )
    .map(([transition, lead]) => transition - lead);
  return fc.tuple(fc.constant(zone), fc.oneof(anywhere, beforeTransition, beforeTransition));
});

// ---- properties ----------------------------------------------------------------------------------

describe('cron occurrences (random expressions, zones and instants)', () => {
  it('strictly increase, stay strictly after the reference, and within startAt and endAt', () => {
    fc.assert(
      fc.property(
        fc.oneof(fiveFieldArb, sixFieldArb),
        zoneAndInstantArb,
        fc.option(fc.integer({ min: -10 * 86_400_000, max: 10 * 86_400_000 })),
        fc.option(fc.integer({ min: 0, max: 30 * 86_400_000 })),
        (expression, [timezone, after], startShift, span) => {
          const startAt = startShift === null ? undefined : after + startShift;
          const endAt = span === null ? undefined : (startAt ?? after) + span;
          const schedule: Schedule = {
            kind: 'cron',
            expression,
            timezone,
            ...(startAt === undefined ? {} : { startAt: new Date(startAt).toISOString() }),
            ...(endAt === undefined ? {} : { endAt: new Date(endAt).toISOString() }),
          };
          const found = nextOccurrences(schedule, new Date(after), 12).map((d) => d.getTime());
          found.forEach((t, i) => {
            expect(t).toBeGreaterThan(i === 0 ? after : found[i - 1]);
            if (startAt !== undefined) expect(t).toBeGreaterThanOrEqual(startAt);
            if (endAt !== undefined) expect(t).toBeLessThanOrEqual(endAt);
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('next and previous agree: nothing lies between an instant and its next occurrence', () => {
    fc.assert(
      fc.property(fc.oneof(fiveFieldArb, sixFieldArb), zoneAndInstantArb, (expression, [timezone, after]) => {
        const schedule: Schedule = { kind: 'cron', expression, timezone };
        const next = nextOccurrenceAfter(schedule, new Date(after));
        if (!next) return;
        const before = previousOccurrenceBefore(schedule, next);
        if (before) {
          expect(before.getTime()).toBeLessThanOrEqual(after);
          expect(nextOccurrenceAfter(schedule, before)).toEqual(next);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('are deterministic: any reference between two occurrences leads to the same next one', () => {
    fc.assert(
      fc.property(
        fc.oneof(fiveFieldArb, sixFieldArb),
        zoneAndInstantArb,
        fc.double({ min: 0, max: 1, noNaN: true }),
        (expression, [timezone, after], fraction) => {
          const schedule: Schedule = { kind: 'cron', expression, timezone };
          const next = nextOccurrenceAfter(schedule, new Date(after));
          expect(nextOccurrenceAfter(schedule, new Date(after))).toEqual(next);
          if (!next) return;
          const between = after + Math.floor((next.getTime() - 1 - after) * fraction);
          expect(nextOccurrenceAfter(schedule, new Date(between))).toEqual(next);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('match a minute-by-minute scan of real time (the oracle)', () => {
    fc.assert(
      fc.property(
        fc.oneof(fiveFieldArb, fixedFiveFieldArb),
        zoneAndInstantArb,
        (expression, [timezone, from]) => {
          expectOracle(expression, timezone, from, from + 30 * HOUR);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('match the oracle in the hours around each transition, where gaps and repeats happen', () => {
    const transitionWindows = Object.entries(ZONE_TRANSITIONS).flatMap(([zone, hours]) =>
      hours.map((hour) => [zone, Date.parse(`${hour}:00:00Z`)] as const),
    );
    fc.assert(
      fc.property(
        fc.oneof(fixedFiveFieldArb, fiveFieldArb),
        fc.constantFrom(...transitionWindows),
        fc.integer({ min: 0, max: 4 * HOUR }),
        (expression, [timezone, transition], lead) => {
          const from = transition - lead;
          expectOracle(expression.replace(/ \S+ \S+ \S+$/, ' * * *'), timezone, from, from + 8 * HOUR);
        },
      ),
      { numRuns: 250 },
    );
  });
});

function expectOracle(expression: string, timezone: string, from: number, to: number) {
  const schedule: Schedule = { kind: 'cron', expression, timezone };
  const actual: number[] = [];
  let cursor = nextOccurrenceAfter(schedule, new Date(from));
  while (cursor && cursor.getTime() <= to && actual.length < 2000) {
    // A cursor that does not advance would loop for ever: fail instead.
    expect(cursor.getTime()).toBeGreaterThan(actual.at(-1) ?? from);
    actual.push(cursor.getTime());
    cursor = nextOccurrenceAfter(schedule, cursor);
  }
  const expected = oracle(expression, timezone, from, to).map(iso);
  expect(actual.map(iso)).toEqual(expected);

  // previousOccurrenceBefore must walk the same instants back.
  const backward: number[] = [];
  let back = previousOccurrenceBefore(schedule, new Date(to + 1));
  while (back && back.getTime() > from && backward.length < 2000) {
    expect(back.getTime()).toBeLessThan(backward[0] ?? to + 1);
    backward.unshift(back.getTime());
    back = previousOccurrenceBefore(schedule, back);
  }
  expect(backward.map(iso)).toEqual(expected);
}

describe('interval occurrences', () => {
  it('keep an exact cadence on the anchor grid', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 86_400 * 3 }),
        fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }),
        fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }),
        (everySeconds, anchor, after) => {
          const schedule: Schedule = { kind: 'interval', everySeconds };
          const found = nextOccurrences(schedule, new Date(after), 5, new Date(anchor)).map((d) =>
            d.getTime(),
          );
          expect(found).toHaveLength(5);
          expect(found[0]).toBeGreaterThan(after);
          expect(found[0] - everySeconds * 1000 <= Math.max(after, anchor - 1)).toBe(true);
          found.forEach((t) => expect((t - anchor) % (everySeconds * 1000)).toBe(0));
          found.slice(1).forEach((t, i) => expect(t - found[i]).toBe(everySeconds * 1000));
          expect(Math.min(...found)).toBeGreaterThanOrEqual(anchor);
        },
      ),
    );
  });
});

// ---- the oracle ----------------------------------------------------------------------------------

const iso = (t: number) => new Date(t).toISOString();

/**
 * Occurrences in (from, to] by scanning every minute of real time; written without occurrences.ts and
 * the offset tables, from the wall clock as Intl reads it.
 */
function oracle(expression: string, timezone: string, from: number, to: number): number[] {
  const [minute, hour] = expression.split(' ');
  const fixed = /^[\d,-]+$/.test(minute) && /^[\d,-]+$/.test(hour);
  const matcher = new Cron(expression, { utcOffset: 0, mode: '5-or-6-parts' });
  const matches = (wall: number) => matcher.match(new Date(wall));
  const wallOf = (instant: number) => intlWallTime(timezone, instant);
  const found = new Set<number>();
  const seenWalls = new Set<number>();
  // Start early enough that the first pass of a repeated hour (at most 2 h long) is seen before its second.
  const start = Math.floor(from / 60_000) * 60_000 - 3 * HOUR;
  let previousWall = wallOf(start - 60_000);
  for (let instant = start; instant <= to + 60_000; instant += 60_000) {
    const wall = wallOf(instant);
    // Wall minutes the clock jumped over: a fixed time among them fires shifted by the jump.
    for (let skipped = previousWall + 60_000; skipped < wall; skipped += 60_000) {
      if (fixed && matches(skipped)) found.add(instant - 60_000 + (skipped - previousWall));
    }
    const repeated = seenWalls.has(wall);
    if (matches(wall) && !(fixed && repeated)) found.add(instant);
    seenWalls.add(wall);
    previousWall = wall;
  }
  return [...found].filter((t) => t > from && t <= to).sort((a, b) => a - b);
}
