import { randomUUID } from 'node:crypto';
import { createTestDatabase } from '../../../test/test-database';
import { eventStoreContract } from '../event-store.contract';
import { PostgresEventStore } from './postgres-event-store';

eventStoreContract('PostgreSQL', async () =>
  PostgresEventStore.connect(await createTestDatabase('event_store')),
);

/** What only the PostgreSQL store promises: a batch is one transaction with one block of positions. */
describe('PostgreSQL event store batches', () => {
  let store: PostgresEventStore;
  beforeAll(async () => {
    store = await PostgresEventStore.connect(await createTestDatabase('event_store_batch'));
  });
  afterAll(() => store.close());

  const stream = () => `batch-${randomUUID()}`;
  const events = (count: number, tag: string) =>
    Array.from({ length: count }, (_, n) => ({ type: 'Counted', data: { n, tag } }));

  it('numbers the accepted events of a batch with one block of positions, in request order', async () => {
    const taken = stream();
    await store.append(taken, events(1, 'first'), 'no_stream');
    const [a, b, c] = [stream(), stream(), stream()];
    const results = await store.appendMany([
      { streamId: a, events: events(2, 'a'), expectedRevision: 'no_stream' },
      { streamId: taken, events: events(3, 'refused'), expectedRevision: 'no_stream' },
      { streamId: b, events: events(1, 'b'), expectedRevision: 'no_stream' },
      { streamId: c, events: events(3, 'c'), expectedRevision: 'any' },
    ]);
    expect(results.map((r) => r.ok)).toEqual([true, false, true, true]);
    const written = [
      ...(await store.readStream(a)),
      ...(await store.readStream(b)),
      ...(await store.readStream(c)),
    ];
    const first = written[0].position;
    // a's two events, then b's, then c's three: consecutive, nothing taken by the refused stream.
    expect(written.map((e) => e.position)).toEqual([0, 1, 2, 3, 4, 5].map((i) => first + i));
    expect(written.map((e) => (e.data as { tag: string }).tag)).toEqual(['a', 'a', 'b', 'c', 'c', 'c']);
    expect(results.map((r) => (r.ok ? r.position : null))).toEqual([first + 1, null, first + 2, first + 5]);
    expect(await store.readAll({ after: first - 1, maxCount: 10 })).toHaveLength(6);
  });

  it('takes any text as a stream id or event type (quotes, backslashes, commas, braces, NULL)', async () => {
    const odd = [`q"uo"te-${randomUUID()}`, `back\\slash\\-${randomUUID()}`, `{a,b} NULL ${randomUUID()}`];
    const results = await store.appendMany(
      odd.map((streamId) => ({
        streamId,
        events: [{ type: streamId.slice(0, 12), data: { id: streamId } }],
        expectedRevision: 'no_stream' as const,
      })),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    for (const streamId of odd) {
      const [read] = await store.readStream(streamId);
      expect([read.streamId, read.type, read.data]).toEqual([
        streamId,
        streamId.slice(0, 12),
        { id: streamId },
      ]);
    }
  });

  it('keeps the data as written, key order included', async () => {
    const id = stream();
    const data = { zeta: 1, alpha: { y: [1, 'two', null, true], b: 1.5 }, mid: 'ü "quoted" \\ \n' };
    await store.append(id, [{ type: 'Kept', data, metadata: { z: 1, a: 2 } }], 'no_stream');
    const [read] = await store.readStream(id);
    expect(JSON.stringify(read.data)).toBe(JSON.stringify(data));
    expect(JSON.stringify(read.metadata)).toBe(JSON.stringify({ z: 1, a: 2 }));
  });

  it('still appends through the previous version’s function, in the same global order', async () => {
    const old = stream();
    const { rows } = await store.pool.query<{ ok: boolean; last_position: string }>(
      'SELECT * FROM event_store.append($1, $2, $3)',
      [[old], [-1], JSON.stringify([{ s: 0, t: 'Counted', d: { n: 0 }, m: {} }])],
    );
    expect(rows[0].ok).toBe(true);
    const next = await store.append(stream(), events(1, 'new'), 'no_stream');
    expect(next.position).toBeGreaterThan(Number(rows[0].last_position));
    expect((await store.readStream(old)).map((e) => e.data)).toEqual([{ n: 0 }]);
  });

  it('refuses a malformed call instead of guessing (counts that do not match the events)', async () => {
    await expect(
      store.pool.query('SELECT * FROM event_store.append_streams($1, $2, $3, $4, $5, $6)', [
        [stream()],
        [-1],
        [2],
        ['Counted'],
        '[{}]',
        '[null]',
      ]),
    ).rejects.toThrow(/append_streams/);
  });
});

/**
 * Group commit (ADR 002, issue 13): what only the PostgreSQL store shows. Which appends share a
 * transaction is decided by call order alone: appends issued together, while a batch is in flight,
 * go out as the next batch. Its own database, so the global log holds only these tests' events.
 */
describe('PostgreSQL event store group commit', () => {
  let store: PostgresEventStore;
  beforeAll(async () => {
    store = await PostgresEventStore.connect(await createTestDatabase('event_store_group_commit'));
  });
  afterAll(() => store.close());

  const stream = () => `group-${randomUUID()}`;
  const event = (n: number) => ({ type: 'Counted', data: { n } });

  it('commits single appends issued together in one transaction, with one block of positions', async () => {
    const streams = Array.from({ length: 20 }, () => stream());
    const results = await Promise.all(streams.map((id, n) => store.append(id, [event(n)], 'no_stream')));
    const { rows } = await store.pool.query<{ position: string; stream_id: string; tx: string }>(
      'SELECT position, stream_id, xmin::text AS tx FROM event_store.events WHERE stream_id = ANY($1) ORDER BY position',
      [streams],
    );
    // The first goes out alone at once; the other 19 wait for it and share the next commit.
    const transactions = new Map<string, number[]>();
    for (const row of rows)
      transactions.set(row.tx, [...(transactions.get(row.tx) ?? []), Number(row.position)]);
    expect(transactions.size).toBe(2);
    const [alone, together] = [...transactions.values()].sort((a, b) => a.length - b.length);
    expect(alone).toHaveLength(1);
    expect(together).toEqual(together.map((_, i) => together[0] + i));
    expect(results.map((r) => r.position)).toEqual(
      streams.map((id) => Number(rows.find((r) => r.stream_id === id)?.position)),
    );
  });

  it('commits appends to one stream issued together in call order, one batch each', async () => {
    const id = stream();
    await store.append(id, [event(0)], 'no_stream');
    // Each expects the revision the previous one creates: all succeed only in call order.
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => store.append(id, [event(i + 1)], i)),
    );
    expect(results.map((r) => r.nextRevision)).toEqual(results.map((_, i) => i + 1));
    expect((await store.readStream(id)).map((e) => e.data)).toEqual(
      Array.from({ length: 11 }, (_, n) => ({ n })),
    );
  });

  it('numbers concurrent single appends from many writers with contiguous positions', async () => {
    const before = await store.headPosition();
    const writers = 16;
    const appendsPerWriter = 10;
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        const id = `writer-${w}-${randomUUID()}`;
        for (let i = 0; i < appendsPerWriter; i++) {
          await store.append(id, [event(i)], i === 0 ? 'no_stream' : i - 1);
        }
      }),
    );
    const log = await store.readAll({ after: before, maxCount: 1000 });
    expect(log.map((e) => e.position)).toEqual(log.map((_, i) => before + 1 + i));
    expect(log).toHaveLength(writers * appendsPerWriter);
    const revisions = new Map<string, number[]>();
    for (const e of log) revisions.set(e.streamId, [...(revisions.get(e.streamId) ?? []), e.revision]);
    for (const seen of revisions.values()) expect(seen).toEqual(seen.map((_, i) => i));
  });
});

/** PostgreSQL deletes a cut stream's events at once: the global log no longer holds them either. */
describe('PostgreSQL event store retention', () => {
  let store: PostgresEventStore;
  beforeAll(async () => {
    store = await PostgresEventStore.connect(await createTestDatabase('event_store_cut'));
  });
  afterAll(() => store.close());

  it('removes the cut events from readAll, in the same transaction that keeps the base', async () => {
    const stream = `cut-${randomUUID()}`;
    const { position } = await store.append(
      stream,
      Array.from({ length: 5 }, (_, n) => ({ type: 'Counted', data: { n } })),
      'no_stream',
    );
    await store.truncateStream(stream, { throughRevision: 2, base: { n: 2 } });
    const all = (await store.readAll({ after: position - 5 })).filter((e) => e.streamId === stream);
    expect(all.map((e) => e.revision)).toEqual([3, 4]);
  });
});
