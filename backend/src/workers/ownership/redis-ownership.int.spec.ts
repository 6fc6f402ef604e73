import { startRestartableRedis, type RestartableRedis } from '../../../test/faults/servers/redis-server';
import { sleep, waitFor } from '../../../test/wait-for';
import { RedisOwnership, leaseStoreClient } from './redis-ownership';

const BUCKETS = 16;
const TTL_MS = 1000;

/**
 * Leases are an efficiency, never a reason to stop firing: two workers on a real redis-server that is
 * SIGKILLed and comes back empty. Sampled every 25 ms, every bucket always has an owner.
 */
describe('RedisOwnership when Redis goes away', () => {
  jest.setTimeout(30_000);
  let redis: RestartableRedis;
  const workers: RedisOwnership[] = [];
  const clients: ReturnType<typeof leaseStoreClient>[] = [];

  beforeAll(async () => {
    redis = await startRestartableRedis();
  });
  afterAll(async () => {
    for (const worker of workers) await worker.stop().catch(() => undefined);
    for (const client of clients) client.disconnect();
    await redis.stop();
  });

  function worker(id: string): RedisOwnership {
    const client = leaseStoreClient(redis.url);
    clients.push(client);
    const ownership = new RedisOwnership(client, id, {
      bucketCount: BUCKETS,
      ttlMs: TTL_MS,
      heartbeatMs: 200,
      prefix: `test-${process.pid}:`,
    });
    workers.push(ownership);
    return ownership;
  }

  it('keeps every bucket owned through the outage and hands back the shares when Redis returns empty', async () => {
    const a = worker('a');
    const b = worker('b');
    await Promise.all([a.start(() => undefined), b.start(() => undefined)]);
    const shared = () =>
      a.owned().length + b.owned().length === BUCKETS &&
      new Set([...a.owned(), ...b.owned()]).size === BUCKETS;
    await waitFor(
      async () => shared() && a.owned().length > 0 && b.owned().length > 0,
      5000,
      'shared buckets',
    );
    const shareOfA = a.owned().join();

    const orphaned: string[] = [];
    const sampler = setInterval(() => {
      const covered = new Set([...a.owned(), ...b.owned()]).size;
      if (covered < BUCKETS) orphaned.push(`${Date.now()}: ${covered} of ${BUCKETS} owned`);
    }, 25);
    try {
      await redis.kill();
      await sleep(TTL_MS / 2);
      expect(a.owned().join()).toBe(shareOfA); // within a lease: each keeps what it had
      await waitFor(
        async () => a.owned().length === BUCKETS && b.owned().length === BUCKETS,
        TTL_MS + 2000,
        'both firing every bucket',
      );
      expect(a.seesAllMembers).toBe(false); // the sweeper must not call anyone dead now

      await redis.start(); // empty: no members, no leases
      // Each back to its share (a handed-over bucket stays with its old owner for two heartbeats too).
      const both = async () => shared() && a.owned().length > 0 && b.owned().length > 0;
      await waitFor(both, 5000, 'the buckets shared again');
      await sleep(500);
      expect(await both()).toBe(true);
    } finally {
      clearInterval(sampler);
    }
    expect(orphaned).toEqual([]);
  });
});
