/**
 * Random lives of a task, decided by the domain's own decide on a simulated clock (workers away for
 * minutes, pauses, schedule changes, triggers, deletions, overlapping runs) and projected as the
 * projector does: the ledger must explain every instant, and its instants must be the schedule's.
 */
import fc from 'fast-check';
import { nextOccurrenceAfter, previousOccurrenceBefore } from '../../tasks/domain/occurrences';
import type { MisfirePolicy, OverlapPolicy, Schedule, TaskDefinitionInput } from '../../tasks/domain/task';
import { buildLedger, dueInstants } from './occurrence-ledger';
import { projectedLedgerInput } from './test/projected-input';
import { type LifeStep, simulateLife } from './test/simulated-life';

const T0 = Date.parse('2026-03-29T00:59:00Z'); // Europe/Berlin springs forward at 01:00 UTC
const MINUTE = 60_000;

const scheduleArb: fc.Arbitrary<Schedule> = fc.oneof(
  fc.constant<Schedule>({ kind: 'cron', expression: '*/2 * * * * *', timezone: 'UTC' }),
  fc.constant<Schedule>({ kind: 'cron', expression: '*/5 * * * * *', timezone: 'Europe/Berlin' }),
  fc.constant<Schedule>({
    kind: 'cron',
    expression: '*/3 * * * * *',
    timezone: 'UTC',
    endAt: new Date(T0 + 2 * MINUTE).toISOString(),
  }),
  fc.integer({ min: 1, max: 9 }).map<Schedule>((everySeconds) => ({ kind: 'interval', everySeconds })),
  fc.integer({ min: -MINUTE, max: 3 * MINUTE }).map<Schedule>((shift) => ({
    kind: 'once',
    at: new Date(T0 + shift).toISOString(),
  })),
);

const definitionArb: fc.Arbitrary<TaskDefinitionInput> = fc.record({
  name: fc.constant('life'),
  schedule: scheduleArb,
  action: fc.constant({ kind: 'log', message: 'x' } as const),
  retry: fc.record({ maxAttempts: fc.integer({ min: 1, max: 3 }), backoffMs: fc.constantFrom(500, 5000) }),
  overlap: fc.constantFrom<OverlapPolicy>('skip', 'allow'),
  misfire: fc.constantFrom<MisfirePolicy>('fire_once', 'skip', 'fire_all'),
});

const advanceArb = fc.oneof(
  { weight: 12, arbitrary: fc.integer({ min: 0, max: 4000 }) },
  { weight: 1, arbitrary: fc.integer({ min: 30_000, max: 3 * MINUTE }) }, // a worker away, or a long pause
);
const stepArb: fc.Arbitrary<LifeStep> = fc.oneof(
  { weight: 8, arbitrary: advanceArb.map((advanceMs): LifeStep => ({ advanceMs, kind: 'fire' })) },
  {
    weight: 6,
    arbitrary: fc
      .tuple(advanceArb, fc.constantFrom('succeeded', 'failed', 'timed_out' as const))
      .map(([advanceMs, outcome]): LifeStep => ({ advanceMs, kind: 'finish', outcome })),
  },
  {
    weight: 3,
    arbitrary: fc
      .tuple(advanceArb, fc.constantFrom('pause', 'resume', 'resume', 'trigger' as const))
      .map(([advanceMs, kind]): LifeStep => ({ advanceMs, kind })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(advanceArb, scheduleArb)
      .map(([advanceMs, schedule]): LifeStep => ({ advanceMs, kind: 'update', changes: { schedule } })),
  },
  { weight: 1, arbitrary: advanceArb.map((advanceMs): LifeStep => ({ advanceMs, kind: 'delete' })) },
);

describe('the occurrence ledger over random lives', () => {
  it('explains every instant, shows every run, and reads any window alike', () => {
    fc.assert(
      fc.property(
        definitionArb,
        fc.array(stepArb, { maxLength: 60 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (definition, steps, a, b) => {
          const life = simulateLife(definition, steps, T0);
          const from = T0 - MINUTE;
          const to = life.now + MINUTE;
          const input = projectedLedgerInput(life.events, { from, to, now: life.now });
          const items = buildLedger(input, dueInstants(input.versions, from, to, 100_000)!);

          expect(items.filter((i) => i.status === 'missing')).toEqual([]);
          const shown = new Set(items.map((i) => i.occurrence));
          for (const execution of input.executions) expect(shown).toContain(execution.occurrence);
          for (const skip of input.skips) expect(shown).toContain(skip.occurrence);
          // Off the schedule, only a resume's catch-up run (which may have been skipped for overlap).
          const resumed = new Set([
            ...input.executions.filter((e) => e.scheduleReason === 'resumed').map((e) => e.occurrence),
            ...input.pending.filter((p) => p.reason === 'resumed').map((p) => p.occurrence),
            ...input.skips.map((k) => k.occurrence),
          ]);
          for (const item of items.filter((i) => i.kind === 'catch_up')) {
            expect(resumed).toContain(item.occurrence);
          }

          const [x, y] = [a, b].sort((p, q) => p - q).map((f) => Math.round(from + f * (to - from)));
          if (x === y) return;
          const part = projectedLedgerInput(life.events, { from: x, to: y, now: life.now });
          const partItems = buildLedger(part, dueInstants(part.versions, x, y, 100_000)!);
          expect(partItems).toEqual(items.filter((i) => i.dueAt >= x && i.dueAt < y));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('enumerates exactly the schedule’s instants in a window, as its own next and previous see them', () => {
    fc.assert(
      fc.property(
        scheduleArb,
        fc.integer({ min: -2 * MINUTE, max: 2 * MINUTE }),
        fc.integer({ min: 1, max: 3 * MINUTE }),
        (schedule, offset, length) => {
          const since = T0;
          const from = T0 + offset;
          const to = from + length;
          const version = { since, schedule, until: null, untilReason: null, droppedFrom: null };
          const instants = dueInstants([version], from, to, 100_000)!.map((i) => i.at);
          const lower = schedule.kind === 'once' ? -Infinity : since;
          // Each one is an instant of the schedule, in the window, after the schedule took effect …
          for (const at of instants) {
            expect(at >= from && at < to && at > lower).toBe(true);
            expect(previousOccurrenceBefore(schedule, new Date(at + 1), new Date(since))?.getTime()).toBe(at);
          }
          // … and none is left out: from each one (and from the window's start) the next is the following.
          const starts = [Math.max(from - 1, lower), ...instants];
          starts.forEach((start, i) => {
            const next = nextOccurrenceAfter(schedule, new Date(start), new Date(since))?.getTime();
            if (i < instants.length) expect(next).toBe(instants[i]);
            else expect(next === undefined || next >= to).toBe(true);
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});
