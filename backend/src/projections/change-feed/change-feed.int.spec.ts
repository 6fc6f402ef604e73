import { Redis } from 'ioredis';
import { Pool } from 'pg';
import { PostgresEventStore } from '../../event-store/postgres/postgres-event-store';
import { createTestDatabase } from '../../../test/test-database';
import { Projector } from '../projector/projector';
import { registerMany } from '../projector/test/mixed-workload';
import { migrateReadModel } from '../read-model/read-model-schema';
import { rebuildReadModel } from '../rebuild/rebuild';
import {
  ChangeFeed,
  MAX_REDIS_PAYLOAD_BYTES,
  REDIS_CHANGE_CHANNEL,
  type ReadModelChange,
  encodeChange,
} from './change-feed';

const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };

describe('the ChangeFeed', () => {
  let url: string;
  let store: PostgresEventStore;
  let pool: Pool;
  let redis: Redis;
  const feeds: ChangeFeed[] = [];
  const projectors: Projector[] = [];

  beforeAll(async () => {
    url = await createTestDatabase('feed');
    store = await PostgresEventStore.connect(url);
    pool = new Pool({ connectionString: url, max: 6 });
    await migrateReadModel(pool);
    redis = new Redis(process.env.KAIROS_TEST_REDIS_URL!);
  });
  afterEach(async () => {
    await Promise.all(projectors.splice(0).map((projector) => projector.stop()));
    await Promise.all(feeds.splice(0).map((feed) => feed.close()));
  });
  afterAll(async () => {
    redis.disconnect();
    await store.close();
    await pool.end();
  });

  const listen = async (feed: ChangeFeed) => {
    feeds.push(feed);
    const changes: ReadModelChange[] = [];
    feed.subscribe((change) => changes.push(change));
    await feed.ready();
    const until = async (done: (change: ReadModelChange) => boolean): Promise<ReadModelChange> => {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const found = changes.find(done);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no such change in ${JSON.stringify(changes)}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };
    return { changes, until };
  };
  const project = (publish?: (change: ReadModelChange) => Promise<void>) => {
    const projector = new Projector({ pool, store, logger: quiet, publish });
    projector.start();
    projectors.push(projector);
  };

  it('hears the projector through PostgreSQL LISTEN', async () => {
    const { until } = await listen(new ChangeFeed({ databaseUrl: url }));
    project();
    const [id] = await registerMany(store, 1);
    const change = await until((c) => c.tasks.includes(id));
    expect(change.buckets).toHaveLength(1);

    await rebuildReadModel({ pool, store, logger: quiet });
    await until((c) => c.all === true);
  });

  it('hears the projector through Redis, with changes too large for NOTIFY in full', async () => {
    const { until } = await listen(
      new ChangeFeed({ databaseUrl: url, redisUrl: process.env.KAIROS_TEST_REDIS_URL }),
    );
    project(async (change) => {
      await redis.publish(REDIS_CHANGE_CHANNEL, encodeChange(change, MAX_REDIS_PAYLOAD_BYTES));
    });
    const ids = await registerMany(store, 300);
    const change = await until((c) => c.tasks.includes(ids[299]));
    expect(change.all).toBeUndefined();
  });

  it('keeps other listeners going when one throws, and stops calling after unsubscribe', async () => {
    const feed = new ChangeFeed({ databaseUrl: url });
    feeds.push(feed);
    const heard: number[] = [];
    feed.subscribe(() => {
      throw new Error('a bad listener');
    });
    const unsubscribe = feed.subscribe((change) => heard.push(change.position));
    await feed.ready();
    project();
    await registerMany(store, 1);
    for (let i = 0; heard.length === 0 && i < 500; i++)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(heard.length).toBeGreaterThan(0);
    unsubscribe();
    const count = heard.length;
    await registerMany(store, 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(heard).toHaveLength(count);
  });
});
