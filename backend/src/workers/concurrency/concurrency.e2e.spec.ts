import { Pool } from 'pg';
import { startHttpReceiver, type HttpReceiver } from '../../../test/http-receiver';
import { eventsOf } from '../../../test/task-events';
import { startTestApp, type TestApp } from '../../../test/test-app';
import { waitFor } from '../../../test/wait-for';

const CALL_MS = 700;

/**
 * Concurrency limits end to end (ADR 019): one all-in-one process on a real PostgreSQL, http actions
 * timed at a loopback receiver; starts and waits read from the event store and the executions API.
 */
describe('concurrency limits', () => {
  let api: TestApp;
  let receiver: HttpReceiver;
  beforeAll(async () => {
    receiver = await startHttpReceiver();
    receiver.respond('/billing', { delayMs: CALL_MS });
    api = await startTestApp({ KAIROS_HTTP_ALLOW: '127.0.0.1' }, { roles: 'api,projector,worker' });
  });
  afterAll(async () => {
    await api.close();
    await receiver.close();
  });

  it('4 tasks sharing { key, limit: 1 } due at one instant never overlap, all run, the later ones wait on record', async () => {
    const at = new Date(Date.now() + 2000).toISOString();
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const response = await api.request('POST', '/api/tasks', {
        body: {
          name: `billing-${i}`,
          schedule: { kind: 'once', at },
          action: { kind: 'http', url: `${receiver.url}/billing`, method: 'POST' },
          concurrency: { key: 'billing-db', limit: 1 },
        },
      });
      expect(response.status).toBe(201);
      ids.push(response.body.id);
    }
    const task = await api.request('GET', `/api/tasks/${ids[0]}?minPosition=0`);
    expect(task.body.concurrency).toEqual({ key: 'billing-db', limit: 1 });

    await waitFor(
      async () =>
        (await Promise.all(ids.map((id) => eventsOf(api.store, id, 'TaskExecuted')))).every(
          (e) => e.length === 1,
        ),
      4 * CALL_MS + 10_000,
      'every task executed',
    );
    // At the receiver: four calls, each begun after the one before was answered.
    const calls = receiver.requests
      .filter((r) => r.path === '/billing')
      .map((r) => r.at)
      .sort((a, b) => a - b);
    expect(calls).toHaveLength(4);
    for (let i = 1; i < calls.length; i++)
      expect(calls[i] - calls[i - 1]).toBeGreaterThanOrEqual(CALL_MS - 5);

    // On record: one start each, succeeded; three of them waited (waitingSince), none misfired or skipped.
    const starts = (
      await Promise.all(ids.map((id) => eventsOf(api.store, id, 'TaskExecutionStarted')))
    ).flat();
    expect(starts).toHaveLength(4);
    const waited = starts.filter((s) => s.waitingSince !== undefined);
    expect(waited).toHaveLength(3);
    for (const start of waited) {
      expect(Date.parse(start.waitingSince!)).toBeGreaterThanOrEqual(Date.parse(at));
      expect(Date.parse(start.startedAt)).toBeGreaterThan(Date.parse(start.waitingSince!));
    }
    // The waits were on record while they lasted: TaskOccurrenceWaiting, with the start's waitingSince.
    const waits = (
      await Promise.all(ids.map((id) => eventsOf(api.store, id, 'TaskOccurrenceWaiting')))
    ).flat();
    expect(waits.map((w) => w.waitingSince).sort()).toEqual(waited.map((s) => s.waitingSince).sort());
    expect(waits.every((w) => w.concurrencyKey === 'billing-db')).toBe(true);
    const outcomes = (await Promise.all(ids.map((id) => eventsOf(api.store, id, 'TaskExecuted')))).flat();
    expect(outcomes.map((o) => o.outcome)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);

    // The executions API shows the wait.
    const shown = await waitFor(
      async () => {
        const pages = await Promise.all(ids.map((id) => api.request('GET', `/api/tasks/${id}/executions`)));
        const items = pages.flatMap(
          (page) => page.body.items as { waitedMs: number | null; outcome: string }[],
        );
        return items.length === 4 && items.every((item) => item.outcome === 'succeeded') && items;
      },
      5000,
      'executions projected',
    );
    const waitedMs = shown.map((item) => item.waitedMs).filter((ms) => ms !== null);
    expect(waitedMs).toHaveLength(3);
    // The last of them waited at least for two whole calls before it (three, when all came due together).
    expect(Math.max(...waitedMs)).toBeGreaterThanOrEqual(2 * CALL_MS);

    // Nobody waits any more, on this worker's gauge.
    const metrics = await (await fetch(`${api.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/^kairos_concurrency_waiting 0$/m);

    // Every slot came back.
    const pool = new Pool({ connectionString: api.databaseUrl, max: 1 });
    try {
      const { rows } = await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM concurrency.slots WHERE key = 'billing-db'`,
      );
      expect(rows[0].n).toBe(0);
    } finally {
      await pool.end();
    }
  });

  it('overlap: skip still skips a run due while the task’s own run goes on (it does not queue behind it)', async () => {
    receiver.respond('/own', { delayMs: 1500 });
    const response = await api.request('POST', '/api/tasks', {
      body: {
        name: 'own-overlap',
        schedule: { kind: 'cron', expression: '* * * * * *', timezone: 'UTC' },
        action: { kind: 'http', url: `${receiver.url}/own`, method: 'POST' },
        concurrency: { key: 'own-db', limit: 1 },
      },
    });
    const id = response.body.id as string;
    await waitFor(
      async () => (await eventsOf(api.store, id, 'TaskOccurrenceSkipped')).length >= 1,
      8000,
      'an overlap skip',
    );
    await api.request('POST', `/api/tasks/${id}/pause`);
    const skips = await eventsOf(api.store, id, 'TaskOccurrenceSkipped');
    expect(skips.every((skip) => skip.reason === 'overlap')).toBe(true);
    const calls = receiver.requests.filter((r) => r.path === '/own').map((r) => r.at);
    for (let i = 1; i < calls.length; i++) expect(calls[i] - calls[i - 1]).toBeGreaterThanOrEqual(1495);
  });

  it('refuses a malformed concurrency with 400 naming the field', async () => {
    const base = { name: 'x', schedule: { kind: 'once', at: new Date(Date.now() + 60_000).toISOString() } };
    for (const concurrency of [
      { key: 'billing db', limit: 1 },
      { key: 'billing-db', limit: 0 },
      { key: 'billing-db', limit: 1001 },
      { key: 'billing-db' },
    ]) {
      const response = await api.request('POST', '/api/tasks', {
        body: { ...base, action: { kind: 'log', message: 'x' }, concurrency },
      });
      expect(response.status).toBe(400);
      expect(JSON.stringify(response.body)).toContain('concurrency');
    }
    // A PATCH changes the key and limit (and refuses a bad one the same way), null removes them.
    const created = await api.request('POST', '/api/tasks', {
      body: { ...base, action: { kind: 'log', message: 'x' }, concurrency: { key: 'a', limit: 1 } },
    });
    const path = `/api/tasks/${created.body.id}`;
    expect((await api.request('PATCH', path, { body: { concurrency: { key: 'b', limit: 0 } } })).status).toBe(
      400,
    );
    const patched = await api.request('PATCH', path, { body: { concurrency: { key: 'b', limit: 3 } } });
    expect(patched.status).toBe(200);
    const task = await api.request('GET', `${path}?minPosition=${patched.body.position}`);
    expect(task.body.concurrency).toEqual({ key: 'b', limit: 3 });
    // null removes the limit (leaving the field out keeps it).
    const removed = await api.request('PATCH', path, { body: { concurrency: null } });
    expect(removed.status).toBe(200);
    const unlimited = await api.request('GET', `${path}?minPosition=${removed.body.position}`);
    expect(unlimited.body).not.toHaveProperty('concurrency');
  });
});
