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
