import { startHttpReceiver, type HttpReceiver } from '../../../test/http-receiver';
import { eventsOf } from '../../../test/task-events';
import { startTestApp, type TestApp } from '../../../test/test-app';
import { sleep, waitFor } from '../../../test/wait-for';

/**
 * Backfill against the real server (api, projector and worker in one process, real PostgreSQL): the
 * past instants of a window run once each, with their own due times, even while paused. Counts come
 * from the event store.
 */
describe('POST /api/tasks/{id}/backfill', () => {
  let api: TestApp;
  let receiver: HttpReceiver;
  beforeAll(async () => {
    receiver = await startHttpReceiver();
    api = await startTestApp({ KAIROS_HTTP_ALLOW: '127.0.0.1' }, { roles: 'api,projector,worker' });
  });
  afterAll(async () => {
    await api.close();
    await receiver.close();
  });

  const everyTwoSeconds = async (name: string): Promise<string> => {
    const response = await api.request('POST', '/api/tasks', {
      body: {
        name,
        schedule: { kind: 'cron', expression: '*/2 * * * * *', timezone: 'UTC' },
        action: { kind: 'log', message: name },
      },
    });
    expect(response.status).toBe(201);
    return response.body.id as string;
  };
  const backfill = (id: string, from: number, to: number, headers: Record<string, string> = {}) =>
    api.request('POST', `/api/tasks/${id}/backfill`, {
      body: { from: new Date(from).toISOString(), to: new Date(to).toISOString() },
      headers,
    });
  /** An even second some time ago: the start of a window wholly in the past. */
  const evenSecondAgo = (seconds: number) => Math.floor((Date.now() - seconds * 1000) / 2000) * 2000;

  /** The backfill occurrences on record: scheduled (reason backfill) and how often each started. */
  const backfillRuns = async (id: string) => {
    const scheduled = (await eventsOf(api.store, id, 'TaskScheduled')).filter((s) => s.reason === 'backfill');
    const started = await eventsOf(api.store, id, 'TaskExecutionStarted');
    return scheduled.map((s) => ({
      occurrence: s.occurrence,
      dueAt: s.dueAt,
      starts: started.filter((e) => e.occurrence === s.occurrence && e.attempt === 1),
    }));
  };
  const allStarted = async (id: string, count: number) => {
    const runs = await backfillRuns(id);
    return runs.length === count && runs.every((run) => run.starts.length === 1) && runs;
  };

  it('runs exactly the 10 past occurrences of 20 s of a */2 cron, once each; a repeat runs nothing', async () => {
    const id = await everyTwoSeconds('backfill-me');
    const from = evenSecondAgo(40);
    const first = await backfill(id, from, from + 20_000);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ id, scheduled: 10, alreadyBackfilled: 0 });
    expect(first.headers.get('etag')).toBe(`"${first.body.revision}"`);

    const runs = await waitFor(() => allStarted(id, 10), 10_000, '10 backfill runs started');
    expect(runs.map((run) => run.dueAt)).toEqual(
      Array.from({ length: 10 }, (_, i) => new Date(from + i * 2000).toISOString()),
    );
    for (const run of runs) {
      expect(new Date(run.dueAt).getUTCSeconds() % 2).toBe(0);
      expect(run.starts[0]).toMatchObject({ dueAt: run.dueAt, reason: 'backfill' });
    }

    const again = await backfill(id, from, from + 20_000);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ scheduled: 0, alreadyBackfilled: 10 });
    expect(again.body.revision).toBeGreaterThanOrEqual(first.body.revision);
    await sleep(1500);
    expect(await backfillRuns(id)).toHaveLength(10);
    expect((await backfillRuns(id)).every((run) => run.starts.length === 1)).toBe(true);

    // The executions say so, without a lag (late by design); the ledger shows them as backfill items.
    const executions = await waitFor(
      async () => {
        const page = await api.request('GET', `/api/tasks/${id}/executions?limit=200`);
        const mine = (page.body.items as { reason: string | null; outcome: string | null }[]).filter(
          (e) => e.reason === 'backfill' && e.outcome !== null,
        );
        return mine.length === 10 && mine;
      },
      10_000,
      'backfill executions projected',
    );
    for (const execution of executions)
      expect(execution).toMatchObject({ lagMs: null, outcome: 'succeeded' });
    const ledger = await api.request(
      'GET',
      `/api/tasks/${id}/occurrences?from=${new Date(from).toISOString()}&to=${new Date(from + 20_000).toISOString()}`,
    );
    expect(ledger.status).toBe(200);
    const kinds = (ledger.body.items as { kind: string }[]).map((item) => item.kind);
    expect(kinds.filter((kind) => kind === 'backfill')).toHaveLength(10);
  });

  it('runs while the task is paused, which stays paused', async () => {
    const id = await everyTwoSeconds('paused-backfill');
    const paused = await api.request('POST', `/api/tasks/${id}/pause`);
    expect(paused.status).toBe(200);
    const from = evenSecondAgo(30);
    // The pause is the last change by a person (a firing just before it would move its revision on).
    const response = await backfill(id, from, from + 10_000, { 'if-match': `"${paused.body.revision}"` });
    expect(response.status).toBe(200);
    expect(response.body.scheduled).toBe(5);
    await waitFor(() => allStarted(id, 5), 10_000, '5 backfill runs started while paused');
    await waitFor(
      async () => (await eventsOf(api.store, id, 'TaskExecuted')).length === 5,
      10_000,
      'their outcomes',
    );
    const task = await api.request('GET', `/api/tasks/${id}?minPosition=${response.body.position}`);
    expect(task.body.status).toBe('paused');
  });

  it('retries a failing backfill run of a paused task by its policy, with one Idempotency-Key', async () => {
    receiver.respond('/failing', { status: 500 });
    const created = await api.request('POST', '/api/tasks', {
      body: {
        name: 'failing-backfill',
        schedule: { kind: 'cron', expression: '*/2 * * * * *', timezone: 'UTC' },
        action: { kind: 'http', url: `${receiver.url}/failing` },
        retry: { maxAttempts: 3, backoffMs: 100, backoffFactor: 1 },
      },
    });
    const id = created.body.id as string;
    expect((await api.request('POST', `/api/tasks/${id}/pause`)).status).toBe(200);
    const from = evenSecondAgo(30);
    expect((await backfill(id, from, from + 2000)).body.scheduled).toBe(1);

    const outcomes = await waitFor(
      async () => {
        const executed = await eventsOf(api.store, id, 'TaskExecuted');
        return executed.length === 3 && executed;
      },
      10_000,
      'three attempts',
    );
    expect(outcomes.map((e) => [e.attempt, e.outcome])).toEqual([
      [1, 'failed'],
      [2, 'failed'],
      [3, 'failed'],
    ]);
    const retries = (await eventsOf(api.store, id, 'TaskScheduled')).filter((s) => s.attempt > 1);
    expect(retries.map((s) => s.reason)).toEqual(['backfill', 'backfill']);
    const keys = receiver.requests
      .filter((r) => r.path === '/failing')
      .map((r) => r.headers['idempotency-key']);
    expect(keys).toEqual([`${id}:2`, `${id}:2`, `${id}:2`]);
    await sleep(500);
    expect(await eventsOf(api.store, id, 'TaskExecutionStarted')).toHaveLength(3);
  });

  it('answers 400 problem+json naming `to` for more than 1,000 occurrences and for an empty or reversed window', async () => {
    const id = await everyTwoSeconds('too-much');
    const from = evenSecondAgo(3000);
    const tooMany = await backfill(id, from, from + 2002_000);
    expect(tooMany.status).toBe(400);
    expect(tooMany.headers.get('content-type')).toContain('application/problem+json');
    expect(tooMany.body).toMatchObject({ code: 'invalid_backfill', field: 'to' });
    expect(tooMany.body.detail).toContain('1000');

    for (const [start, end] of [
      [from, from],
      [from + 10_000, from],
    ]) {
      const refused = await backfill(id, start, end);
      expect(refused.status).toBe(400);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(refused.body.field).toBe('to');
    }
    const malformed = await api.request('POST', `/api/tasks/${id}/backfill`, {
      body: { from: 'yesterday', to: new Date().toISOString(), extra: 1 },
    });
    expect(malformed.status).toBe(400);
    expect((malformed.body.errors as { field: string }[]).map((e) => e.field).sort()).toEqual([
      'extra',
      'from',
    ]);
    expect(await backfillRuns(id)).toEqual([]);
  });

  it('is refused on a deleted or unknown task', async () => {
    const id = await everyTwoSeconds('gone');
    expect((await api.request('DELETE', `/api/tasks/${id}`)).status).toBe(200);
    const from = evenSecondAgo(30);
    expect((await backfill(id, from, from + 4000)).body).toMatchObject({ status: 409, code: 'task_deleted' });
    expect((await backfill('7c1e1d2a-3b4c-4d5e-8f60-718293a4b5c6', from, from + 4000)).status).toBe(404);
  });
});
