import { Redis } from 'ioredis';
import { startHttpReceiver, type HttpReceiver } from '../../test/http-receiver';
import { spawnKairos, type KairosProcess } from '../../test/spawn-kairos';
import { eventsOf } from '../../test/task-events';
import { createTestDatabase } from '../../test/test-database';
import { startTestApp, type TestApp } from '../../test/test-app';
import { sleep, waitFor } from '../../test/wait-for';
import { bucketOf } from '../tasks/domain/bucket';

/**
 * Three worker processes sharing buckets through real Redis leases. One is killed with SIGKILL; its
 * buckets move, and over the whole run every occurrence starts exactly once, none later than 10 s.
 */
describe('a cluster of worker processes', () => {
  jest.setTimeout(120_000);
  let api: TestApp;
  let workers: KairosProcess[] = [];
  let redisUrl: string;
  let receiver: HttpReceiver;

  beforeAll(async () => {
    redisUrl = `${process.env.KAIROS_TEST_REDIS_URL}/3`;
    const redis = new Redis(redisUrl);
    await redis.flushdb();
    redis.disconnect();
    receiver = await startHttpReceiver();
    receiver.respond('/slow', { delayMs: 3000 }); // so that the victim dies with calls in flight
    const databaseUrl = await createTestDatabase('cluster');
    api = await startTestApp({ REDIS_URL: redisUrl }, { roles: 'api,projector', databaseUrl });
    workers = await Promise.all(
      [1, 2, 3].map(() =>
        spawnKairos('worker', {
          DATABASE_URL: databaseUrl,
          REDIS_URL: redisUrl,
          KAIROS_HTTP_ALLOW: '127.0.0.1',
        }),
      ),
    );
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop('SIGKILL')));
    await api.close();
    await receiver.close();
  });

  it('splits buckets, survives a SIGKILL, and fires every occurrence exactly once', async () => {
    const members = await waitFor(
      async () => {
        const { body } = await api.request('GET', '/api/workers');
        const items = body.items as { workerId: string; pid: number; buckets: number[] }[];
        const total = items.reduce((sum, w) => sum + w.buckets.length, 0);
        // Split about evenly (rendezvous hashing), once the first worker handed over what is no longer its.
        const even = items.every((w) => Math.abs(w.buckets.length - 256 / 3) < 30);
        return items.length === 3 && total === 256 && even && items;
      },
      20_000,
      'three workers sharing 256 buckets about evenly',
    );
    expect(new Set(members.flatMap((m) => m.buckets)).size).toBe(256);

    const items = Array.from({ length: 60 }, (_, i) => ({
      name: `cluster-${i}`,
      schedule: { kind: 'cron', expression: '* * * * * *', timezone: 'UTC' },
      action: { kind: 'log', message: `tick ${i}` },
      overlap: 'allow', // every occurrence must start: no skip for an outcome recorded late under load
    }));
    const slow = Array.from({ length: 30 }, (_, i) => ({
      name: `cluster-slow-${i}`,
      schedule: { kind: 'cron', expression: '*/2 * * * * *', timezone: 'UTC' },
      action: { kind: 'http', method: 'POST', url: `${receiver.url}/slow` },
      overlap: 'allow',
    }));
    const registered = await api.request('POST', '/api/tasks/batch', { body: { items } });
    const ids: string[] = registered.body.items.map((item: { id: string }) => item.id);
    const slowRegistered = await api.request('POST', '/api/tasks/batch', { body: { items: slow } });
    const slowIds: string[] = slowRegistered.body.items.map((item: { id: string }) => item.id);
    await sleep(5000);

    const victim = workers[0];
    const victimBuckets = new Set(members.find((m) => m.pid === victim.child.pid)?.buckets);
    victim.child.kill('SIGKILL');
    await victim.exited;
    const killedAt = Date.now();
    await sleep(14_000);
    await Promise.all(workers.slice(1).map((w) => w.stop('SIGTERM')));

    let orphaned = 0;
    for (const id of ids) {
      const starts = await eventsOf(api.store, id, 'TaskExecutionStarted');
      const occurrences = starts.map((s) => s.occurrence);
      expect(new Set(occurrences).size).toBe(occurrences.length); // never twice
      const skips = await eventsOf(api.store, id, 'TaskOccurrenceSkipped');
      expect(skips).toEqual([]);
      const dues = starts.map((s) => Date.parse(s.dueAt)).sort((a, b) => a - b);
      for (let i = 1; i < dues.length; i++) expect(dues[i] - dues[i - 1]).toBe(1000); // none missed
      for (const start of starts)
        expect(Date.parse(start.startedAt) - Date.parse(start.dueAt)).toBeLessThan(10_000);
      if (victimBuckets.has(bucketOf(id, 256))) {
        orphaned++;
        // The victim's tasks went on: they have occurrences due well after the kill.
        expect(dues.at(-1)).toBeGreaterThan(killedAt + 8000);
      }
    }
    expect(orphaned).toBeGreaterThan(0);

    // The victim's calls in flight were closed as lost by the buckets' new owners as soon as they took
    // them (not after the 30 s timeout plus grace), and went out again.
    let closedEarly = 0;
    for (const id of slowIds.filter((taskId) => victimBuckets.has(bucketOf(taskId, 256)))) {
      const events = await api.store.readStream(`task-${id}`);
      for (const event of events.filter((e) => e.type === 'TaskExecuted')) {
        const data = event.data as { outcome: string; error?: string; occurrence: number };
        if (data.outcome !== 'lost') continue;
        expect(data.error).toMatch(/stopped before reporting/);
        expect(event.recordedAt.getTime() - killedAt).toBeLessThan(12_000);
        const retried = events.some(
          (e) =>
            e.type === 'TaskExecutionStarted' &&
            (e.data as { occurrence: number; attempt: number }).occurrence === data.occurrence &&
            (e.data as { attempt: number }).attempt === 2,
        );
        expect(retried).toBe(true);
        closedEarly++;
      }
    }
    expect(closedEarly).toBeGreaterThan(0);
  });
});
