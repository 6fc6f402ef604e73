import { randomUUID } from 'node:crypto';
import type { EventStore, NewEvent } from './event-store';

/**
 * Bounded stream reads, part of the event store contract (event-store.contract.ts runs these for every
 * store): newest first, from and to a revision, only some types. Pages of an audit trail and as-of
 * folds are built on them, so a read costs what it returns, not what the stream holds.
 */
export function readStreamContract(storeOf: () => EventStore): void {
  describe('bounded stream reads', () => {
    const newStream = (): string => `read-${randomUUID()}`;
    /** Revision n gets type Rare when n is in `rare`, else Common; data says its revision. */
    const events = (count: number, rare: number[] = []): NewEvent[] =>
      Array.from({ length: count }, (_, n) => ({ type: rare.includes(n) ? 'Rare' : 'Common', data: { n } }));
    const revisions = (read: { revision: number }[]): number[] => read.map((e) => e.revision);

    let stream: string;
    beforeAll(async () => {
      stream = newStream();
      await storeOf().append(stream, events(10, [2, 5, 7]), 'no_stream');
    });

    it('reads backwards from the end, newest first, a page at a time', async () => {
      const store = storeOf();
      const first = await store.readStream(stream, { direction: 'backwards', maxCount: 4 });
      expect(revisions(first)).toEqual([9, 8, 7, 6]);
      expect(first[0].data).toEqual({ n: 9 });
      const next = await store.readStream(stream, { direction: 'backwards', fromRevision: 5, maxCount: 4 });
      expect(revisions(next)).toEqual([5, 4, 3, 2]);
      const last = await store.readStream(stream, { direction: 'backwards', fromRevision: 1, maxCount: 4 });
      expect(revisions(last)).toEqual([1, 0]);
      expect(revisions(await store.readStream(stream, { direction: 'backwards' }))).toEqual([
        9, 8, 7, 6, 5, 4, 3, 2, 1, 0,
      ]);
    });

    it('reads backwards from beyond the last event as from the last; an unknown stream as empty', async () => {
      const store = storeOf();
      const read = await store.readStream(stream, {
        direction: 'backwards',
        fromRevision: 1000,
        maxCount: 2,
      });
      expect(revisions(read)).toEqual([9, 8]);
      expect(await store.readStream(newStream(), { direction: 'backwards', maxCount: 5 })).toEqual([]);
      expect(await store.readStream(stream, { fromRevision: 10 })).toEqual([]);
    });

    it('stops at toRevision in either direction', async () => {
      const store = storeOf();
      expect(revisions(await store.readStream(stream, { fromRevision: 3, toRevision: 5 }))).toEqual([
        3, 4, 5,
      ]);
      expect(revisions(await store.readStream(stream, { toRevision: 1 }))).toEqual([0, 1]);
      const backwards = await store.readStream(stream, { direction: 'backwards', toRevision: 7 });
      expect(revisions(backwards)).toEqual([9, 8, 7]);
      const between = { direction: 'backwards', fromRevision: 6, toRevision: 4 } as const;
      expect(revisions(await store.readStream(stream, between))).toEqual([6, 5, 4]);
      expect(await store.readStream(stream, { fromRevision: 6, toRevision: 4 })).toEqual([]);
      expect(revisions(await store.readStream(stream, { fromRevision: 8, toRevision: 50 }))).toEqual([8, 9]);
    });

    it('returns only the types asked for, maxCount counting those', async () => {
      const store = storeOf();
      const rare = { types: ['Rare'] };
      expect(revisions(await store.readStream(stream, rare))).toEqual([2, 5, 7]);
      expect(
        revisions(await store.readStream(stream, { ...rare, direction: 'backwards', maxCount: 2 })),
      ).toEqual([7, 5]);
      expect(revisions(await store.readStream(stream, { ...rare, fromRevision: 3, maxCount: 1 }))).toEqual([
        5,
      ]);
      const window = { ...rare, direction: 'backwards', fromRevision: 6, toRevision: 3 } as const;
      expect(revisions(await store.readStream(stream, window))).toEqual([5]);
      const both = await store.readStream(stream, { types: ['Rare', 'Common'], maxCount: 3 });
      expect(revisions(both)).toEqual([0, 1, 2]);
      expect(await store.readStream(stream, { types: [] })).toEqual([]);
      expect(await store.readStream(stream, { types: ['Unheard'] })).toEqual([]);
    });

    it('finds a rare type far from where it starts reading, across any internal page size', async () => {
      const store = storeOf();
      const long = newStream();
      await store.append(long, events(5000, [10, 4990]), 'no_stream');
      const newest = await store.readStream(long, { direction: 'backwards', types: ['Rare'], maxCount: 5 });
      expect(revisions(newest)).toEqual([4990, 10]);
      const oldest = await store.readStream(long, { types: ['Rare'], fromRevision: 11 });
      expect(revisions(oldest)).toEqual([4990]);
      const window = { direction: 'backwards', types: ['Rare'], fromRevision: 4989, toRevision: 11 } as const;
      expect(await store.readStream(long, window)).toEqual([]);
      const page = await store.readStream(long, { direction: 'backwards', fromRevision: 4500, maxCount: 3 });
      expect(revisions(page)).toEqual([4500, 4499, 4498]);
    });
  });
}
