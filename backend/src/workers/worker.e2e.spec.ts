import { createHmac } from 'node:crypto';
import { startHttpReceiver, type HttpReceiver } from '../../test/http-receiver';
import { eventsOf } from '../../test/task-events';
import { startTestApp, type TestApp } from '../../test/test-app';
import { sleep, waitFor } from '../../test/wait-for';

const SECRET = 'test-signing-secret';

/**
 * One all-in-one process (api, projector, worker) on a real PostgreSQL, firing real tasks at a loopback
 * receiver. Every count is taken from the event store.
 */
describe('worker: firing on time, once', () => {
  let api: TestApp;
  let receiver: HttpReceiver;
  beforeAll(async () => {
    receiver = await startHttpReceiver();
    api = await startTestApp(
      { KAIROS_HTTP_ALLOW: '127.0.0.1', KAIROS_SIGNING_SECRET: SECRET },
      { roles: 'api,projector,worker' },
    );
  });
  afterAll(async () => {
    await api.close();
    await receiver.close();
  });

  const register = async (body: object): Promise<string> => {
    const response = await api.request('POST', '/api/tasks', {
      body: { action: { kind: 'log', message: 'x' }, ...body },
    });
    expect(response.status).toBe(201);
    return response.body.id;
  };
  const started = (id: string) => eventsOf(api.store, id, 'TaskExecutionStarted');
  const executed = (id: string) => eventsOf(api.store, id, 'TaskExecuted');

  it('fires a once task due in 2 s exactly once, less than 1 s late', async () => {
    const at = new Date(Date.now() + 2000).toISOString();
    const id = await register({ name: 'once', schedule: { kind: 'once', at } });
    const [start] = await waitFor(async () => (await started(id)).length > 0 && started(id), 6000, 'start');
    expect(Date.parse(start.startedAt)).toBeGreaterThanOrEqual(Date.parse(at));
    expect(Date.parse(start.startedAt) - Date.parse(at)).toBeLessThan(1000);
    await waitFor(
      async () => (await eventsOf(api.store, id, 'TaskCompleted')).length === 1,
      3000,
      'completion',
    );
    await sleep(500);
    expect(await started(id)).toHaveLength(1);
    expect((await executed(id)).map((e) => e.outcome)).toEqual(['succeeded']);
  });

  it('fires a cron task every second 10 times in 10 s, never twice for one occurrence', async () => {
    const id = await register({
      name: 'every-second',
      schedule: { kind: 'cron', expression: '* * * * * *', timezone: 'UTC' },
    });
    await sleep(10_000);
    await api.request('POST', `/api/tasks/${id}/pause`);
    const starts = await started(id);
    expect(starts.length).toBeGreaterThanOrEqual(9);
    expect(starts.length).toBeLessThanOrEqual(11);
    expect(new Set(starts.map((s) => s.occurrence)).size).toBe(starts.length);
    for (const start of starts) {
      expect(Date.parse(start.startedAt)).toBeGreaterThanOrEqual(Date.parse(start.dueAt));
      expect(new Date(start.dueAt).getUTCMilliseconds()).toBe(0);
    }
  });

  it('keeps an interval task on its cadence', async () => {
    const id = await register({ name: 'interval', schedule: { kind: 'interval', everySeconds: 1 } });
    await waitFor(async () => (await started(id)).length >= 4, 8000, '4 starts');
    await api.request('DELETE', `/api/tasks/${id}`);
    const dues = (await started(id)).map((s) => Date.parse(s.dueAt));
    for (let i = 1; i < dues.length; i++) expect(dues[i] - dues[i - 1]).toBe(1000);
  });

  it('calls an http receiver with the idempotency, task and signature headers', async () => {
    const id = await register({
      name: 'http',
      schedule: { kind: 'once', at: new Date(Date.now() + 500).toISOString() },
      action: {
        kind: 'http',
        url: `${receiver.url}/hook`,
        method: 'POST',
        headers: { 'X-Team': 'ops' },
        body: { hello: 'world' },
      },
    });
    const request = await waitFor(
      () => receiver.requests.find((r) => r.headers['kairos-task-id'] === id),
      5000,
      'request',
    );
    expect(request.method).toBe('POST');
    expect(request.body).toBe('{"hello":"world"}');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['x-team']).toBe('ops');
    expect(request.headers['idempotency-key']).toBe(`${id}:1`);
    expect(request.headers['kairos-occurrence']).toBe('1');
    const [start] = await started(id);
    expect(request.headers['kairos-due-at']).toBe(start.dueAt);
    const [, timestamp, mac] =
      /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(request.headers['kairos-signature'])) ?? [];
    expect(mac).toBe(createHmac('sha256', SECRET).update(`${timestamp}.${request.body}`).digest('hex'));
    const [done] = await waitFor(
      async () => (await executed(id)).length > 0 && executed(id),
      3000,
      'outcome',
    );
    expect(done).toMatchObject({ outcome: 'succeeded' });
    expect(done.output).toContain('HTTP 200');
  });

  it('retries a failing receiver with backoff up to maxAttempts, with the same Idempotency-Key', async () => {
    receiver.respond('/failing', { status: 503, body: 'down' });
    const id = await register({
      name: 'failing',
      schedule: { kind: 'once', at: new Date(Date.now() + 300).toISOString() },
      action: { kind: 'http', url: `${receiver.url}/failing`, method: 'POST' },
      retry: { maxAttempts: 3, backoffMs: 300, backoffFactor: 2 },
    });
    const outcomes = await waitFor(
      async () => ((await executed(id)).length === 3 ? executed(id) : undefined),
      8000,
      '3 attempts',
    );
    expect(outcomes.map((o) => [o.attempt, o.outcome])).toEqual([
      [1, 'failed'],
      [2, 'failed'],
      [3, 'failed'],
    ]);
    const calls = receiver.requests.filter((r) => r.headers['kairos-task-id'] === id);
    expect(calls.map((c) => c.headers['idempotency-key'])).toEqual([`${id}:1`, `${id}:1`, `${id}:1`]);
    expect(calls[1].at - calls[0].at).toBeGreaterThanOrEqual(300);
    expect(calls[2].at - calls[1].at).toBeGreaterThanOrEqual(600);
    const retries = (await eventsOf(api.store, id, 'TaskScheduled')).filter((s) => s.reason === 'retry');
    expect(retries.map((r) => r.attempt)).toEqual([2, 3]);
    await sleep(1500);
    expect(await executed(id)).toHaveLength(3);
  });

  it('records a slow receiver as timed_out', async () => {
    receiver.respond('/slow', { delayMs: 3000 });
    const id = await register({
      name: 'slow',
      schedule: { kind: 'once', at: new Date(Date.now() + 300).toISOString() },
      action: { kind: 'http', url: `${receiver.url}/slow`, method: 'GET' },
      timeoutMs: 400,
      retry: { maxAttempts: 1 },
    });
    const [outcome] = await waitFor(
      async () => (await executed(id)).length > 0 && executed(id),
      5000,
      'outcome',
    );
    expect(outcome.outcome).toBe('timed_out');
    expect(outcome.durationMs).toBeLessThan(2000);
  });

  it('skips and records an occurrence that comes while the last still runs (overlap skip)', async () => {
    receiver.respond('/busy', { delayMs: 2500 });
    const id = await register({
      name: 'overlap',
      schedule: { kind: 'cron', expression: '* * * * * *', timezone: 'UTC' },
      action: { kind: 'http', url: `${receiver.url}/busy`, method: 'GET' },
      timeoutMs: 5000,
    });
    const skipped = await waitFor(
      async () => {
        const events = await eventsOf(api.store, id, 'TaskOccurrenceSkipped');
        return events.length > 0 && events;
      },
      6000,
      'a skip',
    );
    await api.request('DELETE', `/api/tasks/${id}`);
    expect(skipped[0].reason).toBe('overlap');
  });

  it('stops on pause, restarts on resume, and stops for good on delete', async () => {
    const id = await register({
      name: 'lifecycle',
      schedule: { kind: 'cron', expression: '* * * * * *', timezone: 'UTC' },
    });
    await waitFor(async () => (await started(id)).length >= 2, 4000, '2 starts');
    await api.request('POST', `/api/tasks/${id}/pause`);
    await sleep(300);
    const atPause = (await started(id)).length;
    await sleep(2000);
    expect(await started(id)).toHaveLength(atPause);
    await api.request('POST', `/api/tasks/${id}/resume`);
    await waitFor(async () => (await started(id)).length >= atPause + 2, 4000, 'starts after resume');
    await api.request('DELETE', `/api/tasks/${id}`);
    await sleep(300);
    const atDelete = (await started(id)).length;
    await sleep(2000);
    expect(await started(id)).toHaveLength(atDelete);
  });

  it('takes an edit that moves the schedule into effect at once', async () => {
    const id = await register({ name: 'moved', schedule: { kind: 'once', at: '2035-01-01T00:00:00Z' } });
    const soon = new Date(Date.now() + 1000).toISOString();
    await api.request('PATCH', `/api/tasks/${id}`, { body: { schedule: { kind: 'once', at: soon } } });
    const [start] = await waitFor(async () => (await started(id)).length > 0 && started(id), 5000, 'start');
    expect(start.dueAt).toBe(new Date(soon).toISOString());
    expect(Date.parse(start.startedAt) - Date.parse(soon)).toBeLessThan(1000);
  });

  it('refuses an http action to a loopback address that KAIROS_HTTP_ALLOW does not name', async () => {
    const id = await register({
      name: 'guarded',
      schedule: { kind: 'once', at: new Date(Date.now() + 300).toISOString() },
      action: { kind: 'http', url: `${receiver.url.replace('127.0.0.1', '[::1]')}/guarded`, method: 'GET' },
      retry: { maxAttempts: 1 },
    });
    const [outcome] = await waitFor(
      async () => (await executed(id)).length > 0 && executed(id),
      5000,
      'outcome',
    );
    expect(outcome.outcome).toBe('failed');
    expect(outcome.error).toMatch(/refused to connect to ::1 .*loopback/);
    expect(receiver.requests.some((r) => r.path === '/guarded')).toBe(false);
  });

  it('exposes fire lag, outcomes and owned buckets at /metrics', async () => {
    const response = await fetch(`${api.baseUrl}/metrics`);
    const text = await response.text();
    expect(response.headers.get('content-type')).toContain('text/plain');
    const count = Number(/^kairos_fire_lag_seconds_count (\d+)/m.exec(text)?.[1]);
    expect(count).toBeGreaterThan(0);
    expect(text).toMatch(/^kairos_executions_total\{outcome="succeeded"\} [1-9]/m);
    expect(text).toMatch(/^kairos_owned_buckets 256$/m);
    expect(text).toMatch(/^kairos_timer_heap_size\{bucket="\d+"\} \d+/m);
  });
});
