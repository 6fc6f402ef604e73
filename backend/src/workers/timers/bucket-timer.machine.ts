import { assign, fromPromise, setup } from 'xstate';
import { MinHeap } from './min-heap';
import { type DueOccurrence, type DueSource, type Firer, dueKey } from './due-occurrence';

/**
 * The timer actor of one bucket. It keeps the bucket's occurrences due within the lookahead window in
 * a min-heap, sleeps until the earliest and fires everything due (decided ahead by the lead of the
 * occurrences due together, but no action runs before its due time: ADR 022). It reads its whole
 * window at start, after a failure and every rescan period (the safety net); in between, new
 * occurrences arrive as OFFERs: the ones its own firings scheduled, and what the supervisor reads
 * from the projector's changes.
 *
 *   loading ──▶ scheduling ──▶ firing ──▶ scheduling
 *      ▲            │  ▲                      │
 *      │            ▼  │ (wake)               │ (changed meanwhile)
 *      └──────── sleeping ◀───────────────────┘
 */
export interface BucketTimerInput {
  bucket: number;
  source: DueSource;
  firer: Firer;
  lookaheadMs: number;
  rescanMs: number;
  /** Task states of occurrences due within this are fetched ahead, so firing needs no query. */
  prepareMs?: number;
  /**
   * How long before due this many occurrences of the bucket due together are fired: decided and
   * recorded ahead, called at due (FiringLead, ADR 022). None: at due.
   */
  lead?: (dueTogether: number) => number;
  now?: () => number;
}

interface Context extends BucketTimerInput {
  heap: MinHeap<DueOccurrence>;
  keys: Set<string>;
  loadedAt: number;
  /** This actor's rescan period, jittered so that actors started together do not rescan together. */
  rescanEveryMs: number;
  failures: number;
  /** Keys offered while a load was under way: the load may have read the bucket before they were written. */
  offeredWhileLoading: Set<string>;
}

/** OFFER: occurrences learnt elsewhere (its own firings, the supervisor's reading of changes). */
type TimerEvent = { type: 'OFFER'; due: DueOccurrence[] };

const clock = (context: Context): number => (context.now ?? Date.now)();
/** Occurrences due within this of the earliest count as due together (one burst, one lead). */
const TOGETHER_MS = 100;
const lead = (context: Context): number => {
  const next = context.heap.peek();
  if (!context.lead || !next) return 0;
  return context.lead(context.heap.countUpTo(next.dueAt + TOGETHER_MS));
};
/** Occurrences due up to this instant are fired now. */
const fireUpTo = (context: Context): number => clock(context) + lead(context);

/**
 * Occurrences due soon whose task state is not at hand yet. Waking to prepare one also prepares those
 * due within the next PREPARE_AHEAD_MS: one wake and one query per second, not per occurrence.
 */
const PREPARE_AHEAD_MS = 1000;
const unprepared = (context: Context): DueOccurrence[] =>
  context.heap
    .peekUpTo(clock(context) + (context.prepareMs ?? 0) + (context.prepareMs ? PREPARE_AHEAD_MS : 0))
    .filter((item) => !item.snapshot && !item.prepared);

function add(context: Context, items: DueOccurrence[]): void {
  const horizon = clock(context) + context.lookaheadMs;
  for (const item of items) {
    const key = dueKey(item);
    if (item.bucket !== context.bucket || item.dueAt > horizon || context.keys.has(key)) continue;
    context.keys.add(key);
    context.heap.push(item);
  }
}

/**
 * What a reload must not forget: the read model it reads may be behind this worker's own writes (the
 * projector lags, or holds while a burst is delivered), so an occurrence this worker scheduled after the
 * state the load saw stays. Replaced by the load, a per-second cron's next occurrence waited for the
 * projector: 3 s stalls and overlap skips with 1,000 such crons. So does one offered while the load was
 * under way: the change feed can offer a row written after the load's query read the bucket, and
 * dropped, it waited for the next rescan (a W5 run had an occurrence fire 23.6 s late). Kept items are
 * as safe as any other: firing appends with the expected revision, so one the task no longer has is
 * refused, not fired.
 */
function keptAcrossReload(
  held: readonly DueOccurrence[],
  loaded: DueOccurrence[],
  offeredWhileLoading: ReadonlySet<string>,
): DueOccurrence[] {
  const loadedRevision = new Map<string, number>();
  for (const item of loaded)
    loadedRevision.set(item.taskId, Math.max(item.revision, loadedRevision.get(item.taskId) ?? -1));
  return held.filter((item) => {
    const seen = loadedRevision.get(item.taskId);
    if (seen !== undefined) return item.revision >= seen;
    return item.snapshot !== undefined || offeredWhileLoading.has(dueKey(item));
  });
}

export const bucketTimerMachine = setup({
  types: { input: {} as BucketTimerInput, context: {} as Context, events: {} as TimerEvent },
  actors: {
    load: fromPromise(({ input }: { input: Context }) =>
      input.source.load(input.bucket, new Date(clock(input) + input.lookaheadMs)),
    ),
    fire: fromPromise(({ input }: { input: { firer: Firer; due: DueOccurrence[] } }) =>
      input.firer.fire(input.due),
    ),
    prepare: fromPromise(({ input }: { input: { firer: Firer; due: DueOccurrence[] } }) =>
      input.firer.prepare(input.due),
    ),
  },
  guards: {
    somethingDue: ({ context }) => (context.heap.peek()?.dueAt ?? Infinity) <= fireUpTo(context),
    needsPreparing: ({ context }) => unprepared(context).length > 0,
    rescanDue: ({ context }) => clock(context) - context.loadedAt >= context.rescanEveryMs,
  },
  delays: {
    // Until the earliest due time, but wake for the next rescan at the latest.
    untilNext: ({ context }) => {
      const now = clock(context);
      const rescanAt = context.loadedAt + context.rescanEveryMs;
      const next = context.heap.peek();
      const prepareAt =
        next && !next.snapshot && !next.prepared ? next.dueAt - (context.prepareMs ?? 0) : Infinity;
      const fireAt = (next?.dueAt ?? Infinity) - lead(context);
      return Math.max(0, Math.min(fireAt, rescanAt, prepareAt) - now);
    },
    // Short: after a database restart the timers must be back within a second or two.
    retryBackoff: ({ context }) => Math.min(100 * 2 ** context.failures, 2000),
  },
}).createMachine({
  id: 'bucketTimer',
  context: ({ input }) => ({
    ...input,
    heap: new MinHeap<DueOccurrence>((due) => due.dueAt),
    keys: new Set(),
    loadedAt: 0,
    rescanEveryMs: input.rescanMs * (0.75 + Math.random() / 2),
    failures: 0,
    offeredWhileLoading: new Set(),
  }),
  initial: 'loading',
  on: {
    OFFER: { actions: ({ context, event }) => add(context, event.due), target: '.scheduling' },
  },
  states: {
    loading: {
      on: {
        OFFER: {
          actions: ({ context, event }) => {
            for (const item of event.due) context.offeredWhileLoading.add(dueKey(item));
            add(context, event.due);
          },
        },
      },
      invoke: {
        src: 'load',
        input: ({ context }) => context,
        onDone: {
          target: 'scheduling',
          actions: ({ context, event }) => {
            const learnt = keptAcrossReload(context.heap.values(), event.output, context.offeredWhileLoading);
            context.offeredWhileLoading = new Set();
            context.heap = new MinHeap<DueOccurrence>((due) => due.dueAt);
            context.keys = new Set();
            add(context, learnt); // first: at the same revision, the entry with the state at hand wins
            add(context, event.output);
            context.loadedAt = clock(context);
            context.failures = 0;
          },
        },
        onError: {
          target: 'retrying',
          actions: assign({ failures: ({ context }) => context.failures + 1 }),
        },
      },
    },
    scheduling: {
      always: [
        { guard: 'somethingDue', target: 'firing' },
        { guard: 'rescanDue', target: 'loading' },
        { guard: 'needsPreparing', target: 'preparing' },
        { target: 'sleeping' },
      ],
    },
    sleeping: {
      after: { untilNext: 'scheduling' },
    },
    firing: {
      on: {
        OFFER: { actions: ({ context, event }) => add(context, event.due) },
      },
      invoke: {
        src: 'fire',
        input: ({ context }) => {
          const due = context.heap.popUpTo(fireUpTo(context));
          for (const item of due) context.keys.delete(dueKey(item));
          return { firer: context.firer, due };
        },
        onDone: { target: 'scheduling', actions: ({ context, event }) => add(context, event.output) },
        // The firer failed as a whole (e.g. the database is down): reload everything, then try again.
        onError: {
          target: 'retrying',
          actions: assign({ failures: ({ context }) => context.failures + 1 }),
        },
      },
    },
    preparing: {
      on: {
        OFFER: { actions: ({ context, event }) => add(context, event.due) },
      },
      invoke: {
        src: 'prepare',
        input: ({ context }) => ({ firer: context.firer, due: unprepared(context) }),
        onDone: 'scheduling',
        // Not fatal: firing fetches what is still missing.
        onError: {
          target: 'scheduling',
          actions: ({ context }) => unprepared(context).forEach((item) => (item.prepared = true)),
        },
      },
    },
    retrying: {
      after: { retryBackoff: 'loading' },
    },
  },
});
