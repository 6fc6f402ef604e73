import { randomUUID } from 'node:crypto';
import { type EventStore, type NewEvent, WrongExpectedRevisionError } from './event-store';

/**
 * Retention, part of the event store contract (ADR 012): a stream cut at a revision keeps a base beside
 * it and only its later events, with their revisions; appends and reads of what is kept are unchanged.
 */
export function truncateStreamContract(storeOf: () => EventStore): void {
  describe('truncateStream and readStreamBase', () => {
    const newStream = (): string => `cut-${randomUUID()}`;
    const events = (from: number, count: number): NewEvent[] =>
      Array.from({ length: count }, (_, i) => ({ type: 'Counted', data: { n: from + i } }));
    const revisions = (read: { revision: number }[]): number[] => read.map((e) => e.revision);

    it('keeps the base and the events after the cut, with their revisions, in both directions', async () => {
      const store = storeOf();
      const stream = newStream();
      await store.append(stream, events(0, 10), 'no_stream');
      expect(await store.readStreamBase(stream)).toBeUndefined();
      const before = Date.now();
      await store.truncateStream(stream, { throughRevision: 5, base: { total: 15, nested: { a: [1] } } });
      const base = await store.readStreamBase(stream);
      expect(base).toMatchObject({ revision: 5, base: { total: 15, nested: { a: [1] } } });
      expect(base!.truncatedAt.getTime()).toBeGreaterThanOrEqual(before - 5000);
      expect(revisions(await store.readStream(stream))).toEqual([6, 7, 8, 9]);
      expect(revisions(await store.readStream(stream, { fromRevision: 2, maxCount: 2 }))).toEqual([6, 7]);
      expect(revisions(await store.readStream(stream, { direction: 'backwards', fromRevision: 7 }))).toEqual([
        7, 6,
      ]);
      expect((await store.readStream(stream, { fromRevision: 6, maxCount: 1 }))[0].data).toEqual({ n: 6 });
    });

    it('appends after a cut with the expected revision as before, and refuses a stale one', async () => {
      const store = storeOf();
      const stream = newStream();
      await store.append(stream, events(0, 4), 'no_stream');
      await store.truncateStream(stream, { throughRevision: 2, base: { n: 2 } });
      await expect(store.append(stream, events(4, 2), 3)).resolves.toMatchObject({ nextRevision: 5 });
      await expect(store.append(stream, events(6, 1), 3)).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      await expect(store.append(stream, events(6, 1), 'no_stream')).rejects.toMatchObject({ actual: 5 });
      expect(revisions(await store.readStream(stream))).toEqual([3, 4, 5]);
    });

    it('replaces the base with a later cut and ignores one at or before it', async () => {
      const store = storeOf();
      const stream = newStream();
      await store.append(stream, events(0, 10), 'no_stream');
      await store.truncateStream(stream, { throughRevision: 3, base: { cut: 3 } });
      await store.truncateStream(stream, { throughRevision: 6, base: { cut: 6 } });
      expect(await store.readStreamBase(stream)).toMatchObject({ revision: 6, base: { cut: 6 } });
      await store.truncateStream(stream, { throughRevision: 4, base: { cut: 4 } });
      expect(await store.readStreamBase(stream)).toMatchObject({ revision: 6, base: { cut: 6 } });
      expect(revisions(await store.readStream(stream))).toEqual([7, 8, 9]);
    });

    it("never removes a stream's last event, nor cuts a stream that does not exist", async () => {
      const store = storeOf();
      const stream = newStream();
      await store.append(stream, events(0, 3), 'no_stream');
      await expect(store.truncateStream(stream, { throughRevision: 2, base: {} })).rejects.toThrow(
        /last event/,
      );
      await expect(store.truncateStream(newStream(), { throughRevision: 0, base: {} })).rejects.toThrow();
      expect(revisions(await store.readStream(stream))).toEqual([0, 1, 2]);
      expect(await store.readStreamBase(stream)).toBeUndefined();
    });
  });
}
