import { type QueryTestApp, startQueryTestApp } from '../test/query-test-app';
import { runTasks } from '../test/simulated-worker';

describe('GET /api/stats', () => {
  let api: QueryTestApp;
  let position = 0;

  beforeAll(async () => {
    api = await startQueryTestApp();
    const run = await runTasks(api.store, 4, ['succeeded', 'failed', 'succeeded', 'lost', 'timed_out', null]);
    position = (await api.request('POST', `/api/tasks/${run.taskIds[0]}/pause`)).body.position;
    position = Math.max(position, run.position);
  });
  afterAll(() => api.close());

  it('counts tasks by status, running executions, and executions per minute by outcome', async () => {
    const response = await api.request('GET', `/api/stats?minPosition=${position}`);
    expect(response.status).toBe(200);
    const stats = response.body;
    expect(stats.position).toBeGreaterThanOrEqual(position);
    expect(stats.tasks).toEqual({ active: 3, paused: 1, completed: 0, deleted: 0, total: 4 });
    expect(stats.running).toBe(4);
    expect(stats.minutes).toHaveLength(60);
    expect(stats.totals.executions).toEqual({ succeeded: 8, failed: 4, timed_out: 4, lost: 4, total: 20 });
    const summed = stats.minutes.reduce(
      (sum: number, minute: { executions: { total: number } }) => sum + minute.executions.total,
      0,
    );
    expect(summed).toBe(20);
    const { p50, p95, p99, max, avg } = stats.totals.lagMs;
    expect(p50).toBeLessThanOrEqual(p95);
    expect(p95).toBeLessThanOrEqual(p99);
    expect(p99).toBeLessThanOrEqual(max);
    expect(avg).toBeGreaterThanOrEqual(0);
    const busy = stats.minutes.find(
      (minute: { executions: { total: number } }) => minute.executions.total > 0,
    );
    expect(busy.lagMs.p50).not.toBeNull();
    const idle = stats.minutes.find(
      (minute: { executions: { total: number } }) => minute.executions.total === 0,
    );
    expect(idle.lagMs).toEqual({ p50: null, p95: null, p99: null, max: null, avg: null });
    expect(Date.parse(stats.minutes[59].minute)).toBeLessThanOrEqual(Date.now());
    expect(Date.now() - Date.parse(stats.minutes[59].minute)).toBeLessThan(60_000);
  });

  it('takes the window in minutes', async () => {
    const recent = await api.request('GET', '/api/stats?minutes=5');
    expect(recent.body.minutes).toHaveLength(5);
    expect(recent.body.totals.executions.total).toBe(0); // the executions were 30 minutes ago
  });

  it('answers 400 naming the parameter', async () => {
    for (const query of ['minutes=0', 'minutes=1441', 'minutes=an-hour']) {
      expect(await api.request('GET', `/api/stats?${query}`)).toMatchObject({
        status: 400,
        body: { field: 'minutes' },
      });
    }
  });
});
