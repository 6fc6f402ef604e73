import { Pool } from 'pg';
import { Projector } from '../../projections/projector/projector';
import { registerMany } from '../../projections/projector/test/mixed-workload';
import { waitForPosition } from '../../projections/read-model/read-model-position';
import { migrateReadModel } from '../../projections/read-model/read-model-schema';
import { PostgresEventStore } from '../../event-store/postgres/postgres-event-store';
import { DEFAULT_BUCKET_COUNT } from '../../tasks/domain/bucket';
import { createTestDatabase } from '../../../test/test-database';
import { TaskSnapshots } from '../firing/task-snapshots';
import { ReadModelDueSource } from './read-model-due-source';

const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };
const everyBucket = Array.from({ length: DEFAULT_BUCKET_COUNT }, (_, bucket) => bucket);

describe('due changes from the read model', () => {
  let store: PostgresEventStore;
  let pool: Pool;
  let projector: Projector;
  let source: ReadModelDueSource;

  beforeAll(async () => {
    const url = await createTestDatabase('due-source');
    store = await PostgresEventStore.connect(url);
    pool = new Pool({ connectionString: url, max: 4 });
    await migrateReadModel(pool);
    projector = new Projector({ pool, store, logger: quiet });
    projector.start();
    source = new ReadModelDueSource(pool, new TaskSnapshots(store, pool));
  });
  afterAll(async () => {
    await projector.stop();
    await store.close();
    await pool.end();
  });

  it('sends only what falls due by the horizon, and moves past what it looked at', async () => {
    const since = await source.head();
    const now = new Date();
    // Interval tasks of 60 to 659 seconds: each first falls due that long after now.
    const ids = await registerMany(store, 600, now);
    await waitForPosition(pool, await store.headPosition(), 20_000);
    const until = new Date(now.getTime() + 300_000);

    const changes = await source.changesSince(everyBucket, since, until);

    const { rows } = await pool.query<{ task_id: string; due_at: Date; position: string }>(
      'SELECT task_id, due_at, position FROM read_model.due_occurrences WHERE position > $1',
      [since],
    );
    const soon = rows.filter((row) => row.due_at <= until).map((row) => row.task_id);
    expect(soon.length).toBeGreaterThan(100);
    expect(soon.length).toBeLessThan(ids.length);
    expect(changes.due.map((due) => due.taskId).sort()).toEqual(soon.sort());
    expect(changes.due.every((due) => due.dueAt <= until.getTime())).toBe(true);
    expect(changes.head).toBe(Math.max(...rows.map((row) => Number(row.position))));
    expect(changes.more).toBe(false);

    // Nothing new since: nothing sent, and the place to continue from stays.
    const after = await source.changesSince(everyBucket, changes.head, until);
    expect(after).toEqual({ due: [], head: changes.head, more: false });
  });

  it('looks only at the buckets asked for', async () => {
    const since = await source.head();
    const now = new Date();
    await registerMany(store, 1000, now);
    await waitForPosition(pool, await store.headPosition(), 20_000);
    const changes = await source.changesSince([0, 1, 2], since, new Date(now.getTime() + 3_600_000));
    expect(changes.due.length).toBeGreaterThan(0);
    expect(changes.due.every((due) => due.bucket <= 2)).toBe(true);
  });
});
