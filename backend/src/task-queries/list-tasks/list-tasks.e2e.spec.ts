import { type QueryTestApp, startQueryTestApp } from '../test/query-test-app';

interface Item {
  id: string;
  name: string;
  status: string;
  nextDueAt: string | null;
}

const NAMES = ['alpha', 'Bravo', 'charlie', 'delta_1', 'echo%'];

describe('GET /api/tasks', () => {
  let api: QueryTestApp;
  let position = 0;
  const ids: Record<string, string[]> = { paused: [], deleted: [], completed: [] };

  beforeAll(async () => {
    api = await startQueryTestApp();
    const future = Date.parse('2030-01-01T00:00:00Z');
    const items = Array.from({ length: 130 }, (_, i) => ({
      name: `${NAMES[i % NAMES.length]}-${String(i).padStart(3, '0')}`,
      schedule:
        i % 2 === 0
          ? { kind: 'once', at: new Date(future + (i % 17) * 60_000).toISOString() } // ties in next due
          : { kind: 'interval', everySeconds: 3600 + i },
      action: { kind: 'log', message: 'x' },
    }));
    const batch = await api.request('POST', '/api/tasks/batch', { items });
    const created: string[] = batch.body.items.map((item: { id: string }) => item.id);
    for (const id of created.slice(0, 10))
      position = (await api.request('POST', `/api/tasks/${id}/pause`)).body.position;
    for (const id of created.slice(10, 15))
      position = (await api.request('DELETE', `/api/tasks/${id}`)).body.position;
    ids.paused = created.slice(0, 10);
    ids.deleted = created.slice(10, 15);
  });
  afterAll(() => api.close());

  const all = async (query: string, limit: number): Promise<Item[]> => {
    const items: Item[] = [];
    let cursor: string | null = null;
    do {
      const page = await api.request(
        'GET',
        `/api/tasks?${query}&limit=${limit}&minPosition=${position}${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(limit);
      items.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    return items;
  };

  it('lists every task but deleted ones by next due, then id, across pages without gaps or repeats', async () => {
    const items = await all('', 7);
    expect(items).toHaveLength(125);
    expect(new Set(items.map((item) => item.id)).size).toBe(125);
    expect(items.some((item) => ids.deleted.includes(item.id))).toBe(false);
    const key = (item: Item) => item.nextDueAt ?? '9999';
    const sorted = [...items].sort((a, b) => key(a).localeCompare(key(b)) || a.id.localeCompare(b.id));
    expect(items.map((item) => item.id)).toEqual(sorted.map((item) => item.id));
    expect(items.slice(-10).every((item) => item.status === 'paused' && item.nextDueAt === null)).toBe(true);
    expect(items[0]).toEqual({
      id: expect.any(String),
      name: expect.any(String),
      status: 'active',
      schedule: expect.objectContaining({ kind: expect.any(String) }),
      nextDueAt: expect.any(String),
      lastOutcome: null,
      lastExecutionAt: null,
      revision: 0,
      labels: {},
    });
  });

  it('filters by status', async () => {
    expect((await all('status=paused', 4)).map((item) => item.id).sort()).toEqual([...ids.paused].sort());
    expect((await all('status=deleted', 50)).map((item) => item.id).sort()).toEqual([...ids.deleted].sort());
    expect(await all('status=active', 200)).toHaveLength(115);
  });

  it('searches names case-insensitively, taking % and _ literally', async () => {
    const bravo = await all('q=BRAV', 10);
    expect(bravo).toHaveLength(25);
    expect(bravo.every((item) => item.name.startsWith('Bravo-'))).toBe(true);
    expect((await all('q=%25', 10)).every((item) => item.name.startsWith('echo%'))).toBe(true);
    expect((await all('q=a_1', 10)).every((item) => item.name.startsWith('delta_1'))).toBe(true);
    expect(await all('q=lta_1-00', 50)).toHaveLength(2); // delta_1-003, delta_1-008; -013 is deleted
    expect(await all('q=nothing-like-it', 10)).toHaveLength(0);
  });

  it('sorts by name and by registration, either way', async () => {
    const byName = await all('sort=name', 9);
    const names = byName.map((item) => item.name);
    const { rows } = await api.pool.query<{ name: string }>(
      "SELECT name FROM read_model.tasks WHERE status <> 'deleted' ORDER BY name, task_id",
    );
    expect(names).toEqual(rows.map((row) => row.name)); // the database's collation decides
    const descending = await all('sort=-name', 11);
    expect(descending.map((item) => item.id)).toEqual(byName.map((item) => item.id).reverse());
    const registered = await all('sort=registered', 13);
    expect(registered).toHaveLength(125);
    expect((await all('sort=-registered&status=paused', 3)).map((item) => item.id)).toEqual(
      registered
        .filter((item) => item.status === 'paused')
        .map((item) => item.id)
        .reverse(),
    );
  });

  it('answers 400 naming the parameter', async () => {
    const cases: [string, string][] = [
      ['status=sleeping', 'status'],
      ['limit=0', 'limit'],
      ['limit=201', 'limit'],
      ['limit=ten', 'limit'],
      ['sort=size', 'sort'],
      ['cursor=not-a-cursor', 'cursor'],
      ['page=2', 'page'],
      ['q=', 'q'],
    ];
    for (const [query, field] of cases) {
      const response = await api.request('GET', `/api/tasks?${query}`);
      expect({ query, status: response.status, field: response.body.field }).toEqual({
        query,
        status: 400,
        field,
      });
    }
    const page = await api.request('GET', '/api/tasks?limit=2');
    const other = await api.request('GET', `/api/tasks?sort=name&cursor=${page.body.nextCursor}`);
    expect(other).toMatchObject({ status: 400, body: { field: 'cursor' } });
    const forged = Buffer.from(
      JSON.stringify({ s: 'nextDue', k: ['not-a-time', '00000000-0000-0000-0000-000000000000'] }),
    ).toString('base64url');
    expect(await api.request('GET', `/api/tasks?cursor=${forged}`)).toMatchObject({
      status: 400,
      body: { field: 'cursor' },
    });
  });
});
