import fc from 'fast-check';
import type { RecordedEvent } from '../../event-store/event-store';
import { type LifeStep, simulateLife } from '../../task-queries/list-occurrences/test/simulated-life';
import { assertTaskEvent, CHANGES_BY_PEOPLE } from '../domain/task.events';
import { type TaskState, evolve, initialTaskState } from '../domain/task.state';
import type { FoldStep } from '../task-stream-fold';
import { chooseCut, isCutPoint } from './choose-cut';

const START = Date.parse('2026-11-24T08:00:00Z');

/** The fold of `events` from `start`, one step per event (what foldTaskStream yields). */
function* foldSteps(
  events: readonly RecordedEvent[],
  start: { state: TaskState; changedRevision: number | null } = {
    state: initialTaskState,
    changedRevision: null,
  },
): Generator<FoldStep> {
  let { state, changedRevision } = start;
  for (const event of events) {
    state = evolve(state, assertTaskEvent(event.type, event.data));
    if (CHANGES_BY_PEOPLE.has(event.type)) changedRevision = event.revision;
    yield {
      state,
      revision: event.revision,
      position: event.position,
      changedRevision,
      recordedAt: event.recordedAt,
    };
  }
}

/** An execution's key: its occurrence and attempt. */
const runKey = ({ data }: RecordedEvent): string => {
  const { occurrence, attempt } = data as { occurrence: number; attempt: number };
  return `${occurrence}/${attempt}`;
};

const last = <T>(items: Iterable<T>): T | undefined => {
  let found: T | undefined;
  for (const item of items) found = item;
  return found;
};

const lifeStep: fc.Arbitrary<LifeStep> = fc.oneof(
  fc.record({ advanceMs: fc.integer({ min: 0, max: 30_000 }), kind: fc.constant('fire' as const) }),
  fc.record({
    advanceMs: fc.integer({ min: 0, max: 30_000 }),
    kind: fc.constant('finish' as const),
    outcome: fc.constantFrom('succeeded' as const, 'failed' as const, 'timed_out' as const),
  }),
  fc.record({
    advanceMs: fc.integer({ min: 0, max: 30_000 }),
    kind: fc.constantFrom('pause' as const, 'resume' as const, 'trigger' as const),
  }),
  fc.record({
    advanceMs: fc.integer({ min: 0, max: 30_000 }),
    kind: fc.constant('update' as const),
    changes: fc.constantFrom(
      { name: 'renamed' },
      { schedule: { kind: 'interval' as const, everySeconds: 7 } },
    ),
  }),
);

describe('chooseCut', () => {
  const life = simulateLife(
    {
      name: 'every 10 s',
      schedule: { kind: 'interval', everySeconds: 10 },
      action: { kind: 'log', message: 'hi' },
      retry: { maxAttempts: 2, backoffMs: 1000 },
    },
    [
      { advanceMs: 10_000, kind: 'fire' },
      { advanceMs: 1000, kind: 'finish', outcome: 'succeeded' },
      { advanceMs: 9000, kind: 'fire' },
      { advanceMs: 5000, kind: 'fire' },
      { advanceMs: 1000, kind: 'finish', outcome: 'succeeded' },
    ],
    START,
  );
  const lastRevision = life.events.length - 1;

  it('cuts at the last revision before the cutoff with no run in progress', () => {
    const olderThan = new Date(START + 20_500); // after the second firing, before its outcome
    const chosen = chooseCut(foldSteps(life.events), { olderThan, lastRevision });
    expect(chosen).toBeDefined();
    expect(chosen!.state.status !== 'none' && chosen!.state.running).toEqual([]);
    // The first run's outcome (at 11 s) and what followed until the second firing (at 20 s).
    const types = life.events.slice(chosen!.revision + 1).map((e) => e.type);
    expect(types[0]).toBe('TaskExecutionStarted');
    expect(life.events[chosen!.revision].recordedAt.getTime()).toBeLessThan(olderThan.getTime());
  });

  it("never cuts the stream's last event, nor before the cutoff's first event", () => {
    const everything = new Date(START + 3_600_000);
    const chosen = chooseCut(foldSteps(life.events), { olderThan: everything, lastRevision });
    expect(chosen!.revision).toBeLessThan(lastRevision);
    expect(chooseCut(foldSteps(life.events), { olderThan: new Date(START), lastRevision })).toBeUndefined();
  });

  it('property: the base at the cut and the events after it fold to the task of the whole stream', () => {
    fc.assert(
      fc.property(
        fc.array(lifeStep, { minLength: 1, maxLength: 40 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (steps, where) => {
          const { events } = simulateLife(
            {
              name: 'prop',
              schedule: { kind: 'interval', everySeconds: 10 },
              action: { kind: 'log', message: 'hi' },
              retry: { maxAttempts: 2, backoffMs: 1000 },
              overlap: 'allow',
            },
            steps,
            START,
          );
          const lastRevision = events.length - 1;
          const span = events[lastRevision].recordedAt.getTime() - START;
          const olderThan = new Date(START + Math.round(span * where) + 1);
          const limits = { olderThan, lastRevision };
          const whole = last(foldSteps(events))!;
          const chosen = chooseCut(foldSteps(events), limits);
          if (!chosen) {
            // No cut: then no revision qualifies.
            expect([...foldSteps(events)].some((step) => isCutPoint(step, limits))).toBe(false);
            return;
          }
          expect(isCutPoint(chosen, limits)).toBe(true);
          // The last one that qualifies.
          expect([...foldSteps(events)].filter((s) => isCutPoint(s, limits)).at(-1)!.revision).toBe(
            chosen.revision,
          );
          const fromBase = last(foldSteps(events.slice(chosen.revision + 1), chosen))!;
          expect(fromBase.state).toEqual(whole.state);
          expect(fromBase.changedRevision).toBe(whole.changedRevision);
          // Every execution started at or before the cut also ended at or before it.
          const startedBefore = events
            .slice(0, chosen.revision + 1)
            .filter((e) => e.type === 'TaskExecutionStarted')
            .map(runKey);
          const endedAfter = events
            .slice(chosen.revision + 1)
            .filter((e) => e.type === 'TaskExecuted')
            .map(runKey);
          expect(endedAfter.filter((key) => startedBefore.includes(key))).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });
});
