import { Redis } from 'ioredis';
import { startHttpReceiver, type HttpReceiver } from '../../../test/http-receiver';
import { spawnKairos, type KairosProcess } from '../../../test/spawn-kairos';
import { eventsOf } from '../../../test/task-events';
import { createTestDatabase } from '../../../test/test-database';
import { startTestApp, type TestApp } from '../../../test/test-app';
import { sleep, waitFor } from '../../../test/wait-for';

/**
 * A concurrency slot across three worker processes (real Redis leases, one PostgreSQL): the worker
 * holding a key's only slot is SIGKILLed mid-call; the tasks waiting for that key start only after the
 * lost sweep closed its execution and gave the slot back, one at a time. The lost run's failure
 * alert (ADR 020) arrives once.
 */
describe('a concurrency slot in a cluster', () => {
  jest.setTimeout(90_000);
  let api: TestApp;
  let workers: KairosProcess[] = [];
  let receiver: HttpReceiver;

  beforeAll(async () => {
    const redisUrl = `${process.env.KAIROS_TEST_REDIS_URL}/5`;
    const redis = new Redis(redisUrl);
    await redis.flushdb();
    redis.disconnect();
    receiver = await startHttpReceiver();
    receiver.respond('/hold', { delayMs: 60_000 }); // the holder dies long before it is answered
    receiver.respond('/quick', { delayMs: 300 });
    const databaseUrl = await createTestDatabase('concurrency-cluster');
    // The projector role sends failure alerts (ADR 020): the holder's lost run is one.
    api = await startTestApp(
      { REDIS_URL: redisUrl, KAIROS_HTTP_ALLOW: '127.0.0.1' },
      { roles: 'api,projector', databaseUrl },
    );
    const env = { DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, KAIROS_HTTP_ALLOW: '127.0.0.1' };
    workers = await Promise.all([1, 2, 3].map(() => spawnKairos('worker', env)));
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop('SIGKILL')));
    await api.close();
    await receiver.close();
  });

  it('the slot of a SIGKILLed holder comes back with the lost sweep; the waiters then run one at a time', async () => {
    await waitFor(
      async () => {
        const { body } = await api.request('GET', '/api/workers');
        const items = body.items as { buckets: number[] }[];
        return items.length === 3 && items.reduce((sum, w) => sum + w.buckets.length, 0) === 256;
      },
      20_000,
      'three workers sharing the buckets',
    );
    const task = (name: string, path: string, inMs: number) => ({
      name,
      schedule: { kind: 'once', at: new Date(Date.now() + inMs).toISOString() },
      action: { kind: 'http', method: 'POST', url: `${receiver.url}${path}` },
      retry: { maxAttempts: 1 },
      concurrency: { key: 'cluster-db', limit: 1 },
      onFailure: { kind: 'http', url: `${receiver.url}/alerts` },
    });
    const { body } = await api.request('POST', '/api/tasks/batch', {
      body: {
        items: [
          task('holder', '/hold', 1500),
          task('waiter-1', '/quick', 2000),
          task('waiter-2', '/quick', 2000),
        ],
      },
    });
    const [holder, ...waiters] = (body.items as { id: string }[]).map((item) => item.id);

    const [start] = await waitFor(
      async () =>
        (await eventsOf(api.store, holder, 'TaskExecutionStarted')).length === 1 &&
        eventsOf(api.store, holder, 'TaskExecutionStarted'),
      10_000,
      'the holder started',
    );
    await waitFor(() => receiver.requests.some((r) => r.path === '/hold'), 5000, 'the holder’s call');
    await sleep(1500); // the waiters are due by now, and wait
    for (const id of waiters) expect(await eventsOf(api.store, id, 'TaskExecutionStarted')).toEqual([]);

    const { body: list } = await api.request('GET', '/api/workers');
    const pid = (list.items as { workerId: string; pid: number }[]).find(
      (w) => w.workerId === start.workerId,
    )?.pid;
    const victim = workers.find((w) => w.child.pid === pid)!;
    expect(victim).toBeDefined();
    victim.child.kill('SIGKILL');
    await victim.exited;

    // The holder's execution is closed as lost (its worker gone); only then do the waiters start.
    const [lost] = await waitFor(
      async () =>
        (await eventsOf(api.store, holder, 'TaskExecuted')).length === 1 &&
        eventsOf(api.store, holder, 'TaskExecuted'),
      20_000,
      'the holder closed as lost',
    );
    expect(lost.outcome).toBe('lost');
    // Its last attempt was lost: one failure alert says so (none for the waiters, which succeed).
    const alert = await waitFor(
      () => receiver.requests.find((r) => r.path === '/alerts'),
      15_000,
      'the lost run’s alert',
    );
    expect(alert.headers['idempotency-key']).toBe(`alert:${holder}:1:1`);
    expect(JSON.parse(alert.body)).toMatchObject({
      task: { id: holder, name: 'holder' },
      occurrence: 1,
      attempt: 1,
      outcome: 'lost',
    });
    await waitFor(
      async () =>
        (await Promise.all(waiters.map((id) => eventsOf(api.store, id, 'TaskExecuted')))).every(
          (e) => e.length === 1,
        ),
      15_000,
      'both waiters ran',
    );
    const starts = (
      await Promise.all(waiters.map((id) => eventsOf(api.store, id, 'TaskExecutionStarted')))
    ).flat();
    expect(starts).toHaveLength(2);
    for (const s of starts) {
      expect(Date.parse(s.startedAt)).toBeGreaterThanOrEqual(Date.parse(lost.finishedAt));
      expect(s.waitingSince).toBeDefined();
    }
    const quick = receiver.requests
      .filter((r) => r.path === '/quick')
      .map((r) => r.at)
      .sort((a, b) => a - b);
    expect(quick).toHaveLength(2);
    expect(quick[1] - quick[0]).toBeGreaterThanOrEqual(295); // one at a time
    expect(receiver.requests.filter((r) => r.path === '/alerts')).toHaveLength(1);
  });
});
