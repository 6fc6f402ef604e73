import { randomUUID } from 'node:crypto';
import {
  type AppendResult,
  type EventStore,
  type RecordedEvent,
  WrongExpectedRevisionError,
} from './event-store';
import { readStreamContract } from './read-stream.contract';
import { truncateStreamContract } from './truncate-stream.contract';

/**
 * The behaviour every event store must show. Run against PostgreSQL always, and against EventStoreDB
 * when EVENTSTORE_URL is set. Stream ids are unique per test, and global-log checks look only at this
 * test's streams, so the suite also runs on a store shared with other data.
 */
export function eventStoreContract(name: string, connect: () => Promise<EventStore>): void {
  describe(`${name} event store contract`, () => {
    let store: EventStore;
    beforeAll(async () => {
      store = await connect();
    });
    afterAll(async () => {
      await store.close();
    });

    const newStream = (prefix = 'contract'): string => `${prefix}-${randomUUID()}`;
    const event = (n: number, extra: Record<string, unknown> = {}) => ({
      type: 'Counted',
      data: { n, ...extra },
    });

    it('appends several events atomically to a new stream and reads them back in order', async () => {
      const stream = newStream();
      const result = await store.append(
        stream,
        [event(1), event(2), { ...event(3), metadata: { by: 'test' } }],
        'no_stream',
      );
      expect(result.nextRevision).toBe(2);
      const read = await store.readStream(stream);
      expect(read.map((e) => [e.revision, e.type, e.data])).toEqual([
        [0, 'Counted', { n: 1 }],
        [1, 'Counted', { n: 2 }],
        [2, 'Counted', { n: 3 }],
      ]);
      expect(read[2].metadata).toMatchObject({ by: 'test' });
      expect(read[2].position).toBe(result.position);
      expect(read[0].position).toBeLessThan(read[1].position);
      expect(read[0].recordedAt).toBeInstanceOf(Date);
    });

    it('continues a stream at the expected revision and refuses a wrong one with the actual revision', async () => {
      const stream = newStream();
      await store.append(stream, [event(1)], 'no_stream');
      await expect(store.append(stream, [event(2)], 0)).resolves.toMatchObject({ nextRevision: 1 });
      const stale = store.append(stream, [event(3)], 0);
      await expect(stale).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      await expect(stale).rejects.toMatchObject({ streamId: stream, expected: 0, actual: 1 });
      await expect(store.append(stream, [event(3)], 'no_stream')).rejects.toMatchObject({ actual: 1 });
      await expect(store.append(newStream(), [event(1)], 4)).rejects.toMatchObject({ actual: -1 });
      expect((await store.readStream(stream)).map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }]);
    });

    it("appends with 'any' whatever the stream's revision", async () => {
      const stream = newStream();
      await store.append(stream, [event(1)], 'any');
      await expect(store.append(stream, [event(2)], 'any')).resolves.toMatchObject({ nextRevision: 1 });
    });

    it('reads a stream from a revision, a page at a time, and an unknown stream as empty', async () => {
      const stream = newStream();
      await store.append(
        stream,
        [1, 2, 3, 4, 5].map((n) => event(n)),
        'no_stream',
      );
      const page = await store.readStream(stream, { fromRevision: 2, maxCount: 2 });
      expect(page.map((e) => e.revision)).toEqual([2, 3]);
      expect(await store.readStream(newStream())).toEqual([]);
    });

    readStreamContract(() => store);
    truncateStreamContract(() => store);

    it('lets exactly one of two racing appenders with the same expected revision win', async () => {
      for (let round = 0; round < 25; round++) {
        const stream = newStream('race');
        await store.append(stream, [event(0)], 'no_stream');
        const outcomes = await Promise.allSettled([
          store.append(stream, [event(1, { writer: 'a' })], 0),
          store.append(stream, [event(1, { writer: 'b' })], 0),
        ]);
        const won = outcomes.filter((o) => o.status === 'fulfilled');
        const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(1);
        expect(lost[0].reason).toBeInstanceOf(WrongExpectedRevisionError);
        expect(await store.readStream(stream)).toHaveLength(2);
      }
    });

    it('lets exactly one of several racing creators of a new stream win', async () => {
      const stream = newStream('create-race');
      const outcomes = await Promise.allSettled(
        Array.from({ length: 8 }, (_, i) => store.append(stream, [event(i)], 'no_stream')),
      );
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      expect(await store.readStream(stream)).toHaveLength(1);
    });

    // Single appends that overlap in time (on PostgreSQL they share commits: group commit, ADR 002).
    it('lands many concurrent single appends across streams, each with its revisions and positions', async () => {
      const streams = Array.from({ length: 24 }, () => newStream('singles'));
      const rounds = 6;
      const results = await Promise.all(
        streams.map(async (stream) => {
          const mine: AppendResult[] = [];
          for (let i = 0; i < rounds; i++) {
            mine.push(await store.append(stream, [event(i)], i === 0 ? 'no_stream' : i - 1));
          }
          return mine;
        }),
      );
      const positions = new Set<number>();
      for (const [s, stream] of streams.entries()) {
        const read = await store.readStream(stream);
        expect(read.map((e) => [e.revision, e.data])).toEqual(read.map((_, i) => [i, { n: i }]));
        expect(read).toHaveLength(rounds);
        expect(results[s].map((r) => r.nextRevision)).toEqual(read.map((e) => e.revision));
        expect(results[s].map((r) => r.position)).toEqual(read.map((e) => e.position));
        for (let k = 1; k < read.length; k++) expect(read[k].position).toBeGreaterThan(read[k - 1].position);
        for (const e of read) positions.add(e.position);
      }
      expect(positions.size).toBe(streams.length * rounds);
    });

    it('lets exactly one of many concurrent appends to one stream win, failing no append to another', async () => {
      for (let round = 0; round < 5; round++) {
        const stream = newStream('contested');
        await store.append(stream, [event(0)], 'no_stream');
        const contenders: Promise<AppendResult>[] = [];
        const bystanders: Promise<AppendResult>[] = [];
        for (let i = 0; i < 8; i++) {
          contenders.push(store.append(stream, [event(1, { writer: i })], 0));
          bystanders.push(store.append(newStream('bystander'), [event(i)], 'no_stream'));
        }
        const outcomes = await Promise.allSettled(contenders);
        const won = outcomes.flatMap((o, writer) => (o.status === 'fulfilled' ? [writer] : []));
        const lost = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(7);
        for (const error of lost) {
          expect(error).toBeInstanceOf(WrongExpectedRevisionError);
          expect(error).toMatchObject({ streamId: stream, expected: 0, actual: 1 });
        }
        expect((await Promise.all(bystanders)).every((r) => r.nextRevision === 0)).toBe(true);
        const read = await store.readStream(stream);
        expect(read.map((e) => e.data)).toEqual([{ n: 0 }, { n: 1, writer: won[0] }]);
      }
    });

    it('appends to many streams in one call, each with its own expectation and result', async () => {
      const existing = newStream('batch');
      await store.append(existing, [event(0)], 'no_stream');
      const fresh = newStream('batch');
      const stale = newStream('batch');
      await store.append(stale, [event(0), event(1)], 'no_stream');
      const results = await store.appendMany([
        { streamId: fresh, events: [event(1), event(2)], expectedRevision: 'no_stream' },
        { streamId: stale, events: [event(9)], expectedRevision: 0 },
        { streamId: existing, events: [event(1)], expectedRevision: 0 },
      ]);
      expect(results.map((r) => [r.streamId, r.ok])).toEqual([
        [fresh, true],
        [stale, false],
        [existing, true],
      ]);
      expect(results[0]).toMatchObject({ nextRevision: 1 });
      expect(results[2]).toMatchObject({ nextRevision: 1 });
      const refused = results[1];
      if (refused.ok) throw new Error('expected a refusal');
      expect(refused.error).toBeInstanceOf(WrongExpectedRevisionError);
      expect(refused.error.actual).toBe(1);
      expect(await store.readStream(fresh)).toHaveLength(2);
      expect(await store.readStream(stale)).toHaveLength(2);
      expect(await store.readStream(existing)).toHaveLength(2);
    });

    it('refuses, in a batch, only the streams whose expectation is wrong, with their actual revisions', async () => {
      const existing = newStream('bulk');
      await store.append(existing, [event(0), event(1)], 'no_stream');
      const continued = newStream('bulk');
      await store.append(continued, [event(0)], 'no_stream');
      const [a, b, c, absent, anyNew] = Array.from({ length: 5 }, () => newStream('bulk'));
      const results = await store.appendMany([
        { streamId: a, events: [event(1)], expectedRevision: 'no_stream' },
        { streamId: existing, events: [event(9)], expectedRevision: 'no_stream' },
        { streamId: b, events: [event(1), event(2), event(3)], expectedRevision: 'no_stream' },
        { streamId: absent, events: [event(1)], expectedRevision: 3 },
        { streamId: anyNew, events: [event(1), event(2)], expectedRevision: 'any' },
        { streamId: continued, events: [event(1)], expectedRevision: 'any' },
        { streamId: c, events: [event(1)], expectedRevision: 'no_stream' },
      ]);
      expect(results.map((r) => [r.streamId, r.ok])).toEqual([
        [a, true],
        [existing, false],
        [b, true],
        [absent, false],
        [anyNew, true],
        [continued, true],
        [c, true],
      ]);
      const refusals = results.flatMap((r) => (r.ok ? [] : [r.error]));
      expect(refusals.map((e) => [e.streamId, e.expected, e.actual])).toEqual([
        [existing, 'no_stream', 1],
        [absent, 3, -1],
      ]);
      expect(refusals.every((e) => e instanceof WrongExpectedRevisionError)).toBe(true);
      const revisions = results.map((r) => (r.ok ? r.nextRevision : null));
      expect(revisions).toEqual([0, null, 2, null, 1, 1, 0]);
      expect((await store.readStream(existing)).map((e) => e.data)).toEqual([{ n: 0 }, { n: 1 }]);
      expect(await store.readStream(absent)).toEqual([]);
      for (const [i, stream] of [a, b, anyNew, continued, c].entries()) {
        const read = await store.readStream(stream);
        const result = results.find((r) => r.streamId === stream);
        if (!result?.ok) throw new Error(`stream ${i} was refused`);
        expect(read.map((e) => e.revision)).toEqual(read.map((_, revision) => revision));
        expect(read.at(-1)?.position).toBe(result.position);
        for (let k = 1; k < read.length; k++) expect(read[k].position).toBeGreaterThan(read[k - 1].position);
      }
    });

    it('creates the new streams of a batch of new streams even when one of them already exists', async () => {
      const streams = Array.from({ length: 6 }, () => newStream('all-new'));
      await store.append(streams[3], [event(0), event(1), event(2)], 'no_stream');
      const results = await store.appendMany(
        streams.map((streamId, i) => ({
          streamId,
          events: [event(10 + i)],
          expectedRevision: 'no_stream' as const,
        })),
      );
      expect(results.map((r) => r.ok)).toEqual([true, true, true, false, true, true]);
      const refused = results[3];
      if (refused.ok) throw new Error('expected a refusal');
      expect([refused.error.streamId, refused.error.actual]).toEqual([streams[3], 2]);
      for (const [i, streamId] of streams.entries()) {
        const read = await store.readStream(streamId);
        if (i === 3) expect(read.map((e) => e.data)).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }]);
        else expect(read.map((e) => [e.revision, e.data])).toEqual([[0, { n: 10 + i }]]);
      }
    });

    it('lets exactly one of several concurrent batches create each new stream they share', async () => {
      // Large enough batches, in different orders, that the writers are inside their appends together:
      // a store that took its per-stream locks in request order would deadlock here.
      const writers = 4;
      for (let round = 0; round < 8; round++) {
        const shared = Array.from({ length: 500 }, () => newStream('overlap'));
        const outcomes = await Promise.all(
          Array.from({ length: writers }, (_, w) =>
            store.appendMany(
              rotate(w % 2 === 0 ? shared : [...shared].reverse(), w * 97).map((streamId) => ({
                streamId,
                events: [event(w), event(w)],
                expectedRevision: 'no_stream' as const,
              })),
            ),
          ),
        );
        const winners = new Map<string, number[]>();
        outcomes.forEach((results, w) =>
          results.forEach((r) => r.ok && winners.set(r.streamId, [...(winners.get(r.streamId) ?? []), w])),
        );
        for (const stream of shared) expect(winners.get(stream)).toHaveLength(1);
        for (const stream of shared.slice(0, 20)) {
          const [winner] = winners.get(stream) ?? [];
          const read = await store.readStream(stream);
          expect(read.map((e) => e.data)).toEqual([{ n: winner }, { n: winner }]);
        }
      }
    }, 60_000);

    it('lets concurrent batches append to the same existing streams in any order, losing none', async () => {
      const streams = Array.from({ length: 25 }, () => newStream('shared'));
      await store.appendMany(
        streams.map((streamId) => ({ streamId, events: [event(0)], expectedRevision: 'no_stream' as const })),
      );
      const writers = 4;
      const rounds = 3;
      await Promise.all(
        Array.from({ length: writers }, async (_, w) => {
          for (let round = 0; round < rounds; round++) {
            const order = rotate(w % 2 === 0 ? streams : [...streams].reverse(), w * 5 + round * 3);
            const results = await store.appendMany(
              order.map((streamId) => ({
                streamId,
                events: [event(1, { w, round })],
                expectedRevision: 'any' as const,
              })),
            );
            expect(results.every((r) => r.ok)).toBe(true);
          }
        }),
      );
      for (const stream of streams) {
        const read = await store.readStream(stream);
        expect(read.map((e) => e.revision)).toEqual(read.map((_, revision) => revision));
        expect(read).toHaveLength(1 + writers * rounds);
      }
    });

    it('delivers every event of concurrent batch writers to a live subscriber once, in position order', async () => {
      const writers = 6;
      const batchesPerWriter = 8;
      const streamsPerBatch = 5;
      const prefix = `fanin-batch-${randomUUID().slice(0, 8)}`;
      const from = await store.headPosition();
      const expected = writers * batchesPerWriter * streamsPerBatch * 2;
      const live = followLive(store, from, prefix, expected);
      await Promise.all(
        Array.from({ length: writers }, async (_, w) => {
          for (let b = 0; b < batchesPerWriter; b++) {
            await store.appendMany(
              Array.from({ length: streamsPerBatch }, (_, s) => ({
                streamId: `${prefix}-w${w}-b${b}-s${s}`,
                events: [event(0, { w }), event(1, { w })],
                expectedRevision: 'no_stream' as const,
              })),
            );
          }
        }),
      );
      const seen = await live.collect();
      expect(seen).toHaveLength(expected);
      for (let i = 1; i < seen.length; i++) expect(seen[i].position).toBeGreaterThan(seen[i - 1].position);
      expect(new Set(seen.map((e) => `${e.streamId}@${e.revision}`)).size).toBe(expected);
    });

    it('reads the global log in position order, strictly after a position', async () => {
      const stream = newStream('log');
      const before = await store.headPosition();
      await store.append(stream, [event(1), event(2), event(3)], 'no_stream');
      expect(await store.headPosition()).toBeGreaterThan(before);
      const ours = (await readAllOf(store, before)).filter((e) => e.streamId === stream);
      expect(ours.map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
      const afterFirst = (await readAllOf(store, ours[0].position)).filter((e) => e.streamId === stream);
      expect(afterFirst.map((e) => e.revision)).toEqual([1, 2]);
    });

    it('delivers every event of 20 concurrent writers to a live subscriber once, in position order', async () => {
      const writers = 20;
      const appendsPerWriter = 15;
      for (let round = 0; round < 4; round++) {
        const prefix = `fanin${round}-${randomUUID().slice(0, 8)}`;
        const from = await store.headPosition();
        const expected = writers * appendsPerWriter;
        const live = followLive(store, from, prefix, expected);
        await Promise.all(
          Array.from({ length: writers }, async (_, w) => {
            const stream = `${prefix}-w${w}`;
            for (let i = 0; i < appendsPerWriter; i++) {
              await store.append(stream, [event(i, { w })], i === 0 ? 'no_stream' : i - 1);
            }
          }),
        );
        const seen = await live.collect();
        expect(seen).toHaveLength(expected);
        const positions = seen.map((e) => e.position);
        for (let i = 1; i < positions.length; i++) expect(positions[i]).toBeGreaterThan(positions[i - 1]);
        const keys = new Set(seen.map((e) => `${e.streamId}@${e.revision}`));
        expect(keys.size).toBe(expected);
      }
    });

    it('delivers every event of bursts of concurrent single appends to a live subscriber once, in order', async () => {
      const streams = 40;
      const rounds = 4;
      const prefix = `burst-${randomUUID().slice(0, 8)}`;
      const from = await store.headPosition();
      const expected = streams * rounds * 2;
      const live = followLive(store, from, prefix, expected);
      for (let round = 0; round < rounds; round++) {
        await Promise.all(
          Array.from({ length: streams }, (_, s) =>
            store.append(
              `${prefix}-s${s}`,
              [event(round, { s }), event(round, { s })],
              round === 0 ? 'no_stream' : round * 2 - 1,
            ),
          ),
        );
      }
      const seen = await live.collect();
      expect(seen).toHaveLength(expected);
      for (let i = 1; i < seen.length; i++) expect(seen[i].position).toBeGreaterThan(seen[i - 1].position);
      expect(new Set(seen.map((e) => `${e.streamId}@${e.revision}`)).size).toBe(expected);
      const lastRevision = new Map<string, number>();
      for (const e of seen) {
        expect(e.revision).toBe((lastRevision.get(e.streamId) ?? -1) + 1);
        lastRevision.set(e.streamId, e.revision);
      }
    });

    it('resumes a subscription from a checkpoint without repeating or skipping', async () => {
      const stream = newStream('resume');
      const from = await store.headPosition();
      await store.append(
        stream,
        [1, 2, 3, 4, 5, 6].map((n) => event(n)),
        'no_stream',
      );
      const first: RecordedEvent[] = [];
      for await (const e of store.subscribeToAll({ after: from })) {
        if (e.streamId !== stream) continue;
        first.push(e);
        if (first.length === 3) break;
      }
      const checkpoint = first[2].position;
      const rest: RecordedEvent[] = [];
      const abort = new AbortController();
      for await (const e of store.subscribeToAll({ after: checkpoint, signal: abort.signal })) {
        if (e.streamId !== stream) continue;
        rest.push(e);
        if (rest.length === 3) break;
      }
      expect([...first, ...rest].map((e) => (e.data as { n: number }).n)).toEqual([1, 2, 3, 4, 5, 6]);
    });

    it('wakes a caught-up subscriber when a new event is appended, and ends it on abort', async () => {
      const stream = newStream('live');
      const abort = new AbortController();
      const received: RecordedEvent[] = [];
      const from = await store.headPosition();
      const subscriber = (async () => {
        for await (const e of store.subscribeToAll({ after: from, signal: abort.signal })) {
          if (e.streamId === stream) received.push(e);
        }
      })();
      await new Promise((resolve) => setTimeout(resolve, 200));
      await store.append(stream, [event(42)], 'no_stream');
      await waitFor(() => received.length === 1, 5000);
      abort.abort();
      await subscriber; // finishes: the abort ended the iteration
      expect(received[0].data).toEqual({ n: 42 });
    });

    it('with settleMs, delivers an event after a quiet spell at once and close commits together', async () => {
      const stream = newStream('settle');
      const abort = new AbortController();
      const from = await store.headPosition();
      const events = store.subscribeToAll({ after: from, signal: abort.signal, settleMs: 1000 });
      const iterator = events[Symbol.asyncIterator]();
      const dataOf = (result: IteratorResult<RecordedEvent> | 'waiting') =>
        result === 'waiting' || result.done ? result : result.value.data;
      const first = iterator.next();
      await new Promise((resolve) => setTimeout(resolve, 1200)); // caught up, quiet for longer than 1 s
      const appended = Date.now();
      await store.append(`${stream}-1`, [event(1)], 'no_stream');
      expect(dataOf(await first)).toEqual({ n: 1 });
      expect(Date.now() - appended).toBeLessThan(900); // not held for the settle time
      const second = iterator.next();
      for (const n of [2, 3]) {
        await store.append(`${stream}-${n}`, [event(n)], 'no_stream'); // close commits, 20 ms apart
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(dataOf(await second)).toEqual({ n: 2 });
      // The one after it came within the settle time: at hand at once, not read after more waiting.
      const atHand = await Promise.race([
        iterator.next(),
        new Promise<'waiting'>((resolve) => setImmediate(() => resolve('waiting'))),
      ]);
      expect(dataOf(atHand)).toEqual({ n: 3 });
      abort.abort();
      await iterator.return?.();
    });
  });
}

/** The list started at `by` (wrapping around): the same items in another order. */
/**
 * A live subscriber from `after`, keeping the events of streams starting with `prefix` until it has
 * `expected` of them. `collect()` waits for it, giving up 15 s after being called (once writers are done).
 */
function followLive(store: EventStore, after: number, prefix: string, expected: number) {
  const abort = new AbortController();
  const seen: RecordedEvent[] = [];
  const subscriber = (async () => {
    for await (const e of store.subscribeToAll({ after, signal: abort.signal, pageSize: 7 })) {
      if (!e.streamId.startsWith(prefix)) continue;
      seen.push(e);
      if (seen.length === expected) break;
    }
  })();
  return {
    async collect(): Promise<RecordedEvent[]> {
      const timeout = setTimeout(() => abort.abort(), 15_000);
      await subscriber;
      clearTimeout(timeout);
      return seen;
    },
  };
}

function rotate<T>(items: T[], by: number): T[] {
  const shift = by % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}

async function readAllOf(store: EventStore, after: number): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  for (;;) {
    const page = await store.readAll({ after: all.at(-1)?.position ?? after, maxCount: 100 });
    all.push(...page);
    if (page.length < 100) return all;
  }
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
