import { randomUUID } from 'node:crypto';
import { calendarStreamId } from '../../calendars/domain/calendar.events';
import { PostgresEventStore } from '../../event-store/postgres/postgres-event-store';
import { createTestDatabase } from '../../../test/test-database';
import { CalendarCache } from './calendar-cache';

/** The firing path's calendars: read from their streams, kept for the TTL, then read again. */
describe('CalendarCache (PostgreSQL event store)', () => {
  let store: PostgresEventStore;
  beforeAll(async () => {
    store = await PostgresEventStore.connect(await createTestDatabase('calendar-cache'));
  });
  afterAll(() => store.close());

  const definition = { name: 'c', timezone: 'UTC', exclude: [{ date: '2026-12-25' }] };
  const at = '2026-06-01T10:00:00.000Z';

  it('answers live calendars in the order asked, each at its revision; an edit shows after the TTL', async () => {
    const [a, b, gone, missing] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    await store.append(
      calendarStreamId(a),
      [{ type: 'CalendarCreated', data: { definition, createdAt: at } }],
      'no_stream',
    );
    await store.append(
      calendarStreamId(b),
      [{ type: 'CalendarCreated', data: { definition, createdAt: at } }],
      'no_stream',
    );
    await store.append(
      calendarStreamId(gone),
      [
        { type: 'CalendarCreated', data: { definition, createdAt: at } },
        { type: 'CalendarDeleted', data: { deletedAt: at } },
      ],
      'no_stream',
    );
    let now = 0;
    const cache = new CalendarCache(store, 1000, () => now);
    const first = await cache.get([b, missing, gone, a]);
    expect(first.map((c) => [c.id, c.revision])).toEqual([
      [b, 0],
      [a, 0],
    ]);

    const edited = { ...definition, exclude: [] };
    await store.append(
      calendarStreamId(a),
      [{ type: 'CalendarUpdated', data: { definition: edited, updatedAt: at } }],
      0,
    );
    now = 999;
    expect((await cache.get([a]))[0]).toMatchObject({ revision: 0, definition });
    now = 1000;
    expect((await cache.get([a]))[0]).toMatchObject({ revision: 1, definition: edited });
  });

  it('reads a calendar once for concurrent callers', async () => {
    const id = randomUUID();
    await store.append(
      calendarStreamId(id),
      [{ type: 'CalendarCreated', data: { definition, createdAt: at } }],
      'no_stream',
    );
    const cache = new CalendarCache(store);
    const reads = jest.spyOn(store, 'readStream');
    await Promise.all([cache.get([id]), cache.get([id]), cache.get([id])]);
    expect(reads).toHaveBeenCalledTimes(1);
    reads.mockRestore();
  });
});
