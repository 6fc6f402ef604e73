import { randomUUID } from 'node:crypto';
import { type QueryTestApp, startQueryTestApp } from '../test/query-test-app';
import { runTasks } from '../test/simulated-worker';

interface Execution {
  taskId: string;
  occurrence: number;
  attempt: number;
  startedAt: string;
  outcome: string | null;
}

describe('GET /api/executions and /api/tasks/{id}/executions', () => {
  let api: QueryTestApp;
  let position = 0;
  const tasks: string[] = [];

  beforeAll(async () => {
    api = await startQueryTestApp();
    const plan = ['succeeded', 'failed', 'succeeded', 'timed_out', 'succeeded', 'failed', 'succeeded', null];
    const run = await runTasks(api.store, 3, plan);
    tasks.push(...run.taskIds);
    position = run.position;
  });
  afterAll(() => api.close());

  const all = async (path: string, limit: number): Promise<Execution[]> => {
    const items: Execution[] = [];
    let cursor: string | null = null;
    do {
      const separator = path.includes('?') ? '&' : '?';
      const page = await api.request(
        'GET',
        `${path}${separator}limit=${limit}&minPosition=${position}${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      items.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    return items;
  };
  const newestFirst = (items: Execution[]) =>
    items.every(
      (item, i) =>
        i === 0 ||
        items[i - 1].startedAt > item.startedAt ||
        (items[i - 1].startedAt === item.startedAt && items[i - 1].taskId >= item.taskId),
    );

  it('lists every execution newest first across pages', async () => {
    const items = await all('/api/executions', 5);
    expect(items).toHaveLength(24);
    expect(new Set(items.map((e) => `${e.taskId}/${e.occurrence}/${e.attempt}`)).size).toBe(24);
    expect(newestFirst(items)).toBe(true);
    const running = items.find((e) => e.outcome === null)!;
    expect(running).toMatchObject({ finishedAt: null, durationMs: null, workerId: 'worker-1', output: null });
    const failed = items.find((e) => e.outcome === 'failed')!;
    expect(failed).toMatchObject({ error: 'boom', durationMs: 250, dueAt: expect.any(String) });
    expect((failed as unknown as { lagMs: number }).lagMs).toBeGreaterThanOrEqual(0);
  });

  it('filters by outcome, task and start time', async () => {
    expect(await all('/api/executions?outcome=failed', 2)).toHaveLength(6);
    expect(await all('/api/executions?outcome=running', 2)).toHaveLength(3);
    const ofTask = await all(`/api/executions?taskId=${tasks[1]}`, 3);
    expect(ofTask).toHaveLength(8);
    expect(ofTask.every((e) => e.taskId === tasks[1])).toBe(true);
    expect(newestFirst(ofTask)).toBe(true);
    expect(await all(`/api/executions?taskId=${tasks[1]}&outcome=succeeded`, 3)).toHaveLength(4);
    const since = ofTask[2].startedAt;
    const recent = await all(`/api/executions?since=${encodeURIComponent(since)}`, 4);
    expect(recent.every((e) => e.startedAt >= since)).toBe(true);
    expect(recent.length).toBeGreaterThanOrEqual(3);
  });

  it("lists one task's executions, and 404 for an unknown task", async () => {
    const items = await all(`/api/tasks/${tasks[2]}/executions`, 3);
    expect(items.map((e) => e.occurrence)).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
    expect(await all(`/api/tasks/${tasks[2]}/executions?outcome=timed_out`, 3)).toHaveLength(1);
    expect((await api.request('GET', `/api/tasks/${randomUUID()}/executions`)).status).toBe(404);
  });

  it('answers 400 naming the parameter', async () => {
    const cases: [string, string][] = [
      ['/api/executions?outcome=crashed', 'outcome'],
      ['/api/executions?taskId=42', 'taskId'],
      ['/api/executions?since=last-week', 'since'],
      ['/api/executions?limit=500', 'limit'],
      ['/api/executions?cursor=abc', 'cursor'],
      [`/api/tasks/${tasks[0]}/executions?taskId=${tasks[1]}`, 'taskId'],
    ];
    for (const [path, field] of cases) {
      const response = await api.request('GET', path);
      expect({ path, status: response.status, field: response.body.field }).toEqual({
        path,
        status: 400,
        field,
      });
    }
  });
});
