import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from '../../../test/test-app';
import { cronTaskBody, httpActionWithSecret, registerTask } from '../../../test/task-registration';
import { taskStreamId } from '../domain/task.events';
import { TYPE_SCAN_WINDOW } from './task-events.query';

interface EventItem {
  type: string;
  revision: number;
  data: unknown;
}

/** GET /api/tasks/{id}/events: the audit trail a page at a time, newest first, from the event log. */
describe('GET /api/tasks/{id}/events', () => {
  let api: TestApp;
  let id: string;
  let revisions: number; // the stream's length
  beforeAll(async () => {
    api = await startTestApp();
    const action = httpActionWithSecret('https://example.com/h', 'k3y');
    id = await registerTask(api, cronTaskBody('paged', { action }));
    await api.request('PATCH', `/api/tasks/${id}`, { body: { name: 'paged-2' } });
    await api.request('POST', `/api/tasks/${id}/pause`);
    await api.request('POST', `/api/tasks/${id}/resume`);
    for (let i = 0; i < 30; i++) await api.request('POST', `/api/tasks/${id}/trigger`);
    revisions = (await api.store.readStream(taskStreamId(id))).length;
  });
  afterAll(() => api.close());

  /** Every page of a walk from the first, following nextCursor. */
  async function walk(query: string): Promise<EventItem[][]> {
    const pages: EventItem[][] = [];
    let cursor: string | null = null;
    do {
      const after: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const response = await api.request('GET', `/api/tasks/${id}/events?${query}${after}`);
      expect(response.status).toBe(200);
      pages.push(response.body.items as EventItem[]);
      cursor = response.body.nextCursor as string | null;
      expect(pages.length).toBeLessThan(100);
    } while (cursor);
    return pages;
  }

  it('pages newest first by default, 50 a page, every event once, to a last page without a cursor', async () => {
    expect(revisions).toBe(35);
    const first = await api.request('GET', `/api/tasks/${id}/events`);
    expect(first.body.items.map((e: EventItem) => e.revision)).toEqual(
      Array.from({ length: 35 }, (_, i) => 34 - i),
    );
    expect(first.body.nextCursor ?? null).toBeNull();
    const pages = await walk('limit=6');
    expect(pages.map((p) => p.length)).toEqual([6, 6, 6, 6, 6, 5]);
    expect(pages.flat().map((e) => e.revision)).toEqual(Array.from({ length: 35 }, (_, i) => 34 - i));
  });

  it('pages oldest first with order=asc, the same events as the stream', async () => {
    const pages = await walk('order=asc&limit=10');
    const stream = await api.store.readStream(taskStreamId(id));
    expect(pages.flat().map((e) => [e.revision, e.type])).toEqual(stream.map((e) => [e.revision, e.type]));
    expect(pages.flat()[0]).toMatchObject({ type: 'TaskRegistered', revision: 0 });
  });

  it('filters by type, comma-separated or repeated, and masks secret headers', async () => {
    const comma = await walk('type=TaskUpdated,TaskPaused,TaskRegistered&limit=2');
    expect(comma.flat().map((e) => e.type)).toEqual(['TaskPaused', 'TaskUpdated', 'TaskRegistered']);
    const repeated = await walk('type=TaskRegistered&type=TaskPaused&order=asc');
    expect(repeated.flat().map((e) => e.revision)).toEqual([0, 2]);
    expect(JSON.stringify(repeated)).not.toContain('k3y');
    expect(repeated.flat()[0].data).toMatchObject({
      definition: { action: { headers: { Authorization: '••••••' } } },
    });
  });

  it('looks at a bounded window per filtered page: a rare type deep in a long stream takes short pages', async () => {
    const longId = await registerTask(api, cronTaskBody('long'));
    await api.request('PATCH', `/api/tasks/${longId}`, { body: { name: 'renamed early' } }); // revision 1
    const filler = Array.from({ length: TYPE_SCAN_WINDOW + 500 }, (_, i) => ({
      type: 'TaskScheduled',
      data: { occurrence: i + 2, attempt: 1, dueAt: '2030-01-01T09:00:00.000Z', reason: 'manual' },
    }));
    await api.store.append(taskStreamId(longId), filler, 1);
    const first = await api.request('GET', `/api/tasks/${longId}/events?type=TaskUpdated`);
    expect(first.body.items).toEqual([]); // the newest 5,000 events hold no TaskUpdated
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await api.request(
      'GET',
      `/api/tasks/${longId}/events?type=TaskUpdated&cursor=${first.body.nextCursor as string}`,
    );
    expect(second.body.items.map((e: EventItem) => [e.type, e.revision])).toEqual([['TaskUpdated', 1]]);
    expect(second.body.nextCursor ?? null).toBeNull();
  });

  it('answers 404 for an unknown task, with or without filters', async () => {
    for (const query of ['', '?type=TaskRegistered', '?order=asc&type=TaskPaused', '?order=asc']) {
      const response = await api.request('GET', `/api/tasks/${randomUUID()}/events${query}`);
      expect(response).toMatchObject({ status: 404, body: { code: 'task_not_found' } });
    }
  });

  it('refuses a bad limit, cursor, order or type with a problem naming the field', async () => {
    const ascCursor = (await api.request('GET', `/api/tasks/${id}/events?order=asc&limit=1`)).body.nextCursor;
    const cases: [string, string, RegExp][] = [
      ['limit=0', 'limit', /must be at least 1/],
      ['limit=201', 'limit', /must be at most 200/],
      ['limit=ten', 'limit', /must be a whole number/],
      ['cursor=nonsense', 'cursor', /not a cursor/],
      [`cursor=${ascCursor as string}`, 'cursor', /not a cursor/], // made for the other order
      ['order=sideways', 'order', /must be one of desc, asc/],
      ['type=TaskRegistered,TaskExploded', 'type', /TaskExploded/],
      ['type=', 'type', /unknown event types/],
      ['fromRevision=3', 'fromRevision', /not a known field/],
    ];
    for (const [query, field, reason] of cases) {
      const response = await api.request('GET', `/api/tasks/${id}/events?${query}`);
      expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(response).toMatchObject({ status: 400, body: { code: 'validation_failed', field } });
      expect(response.body.errors.map((e: { reason: string }) => e.reason).join('; ')).toMatch(reason);
    }
  });

  it('is one contract in the OpenAPI document', async () => {
    const { body } = await api.request('GET', '/api/docs/openapi.json');
    const operation = body.paths['/api/tasks/{id}/events'].get;
    expect(operation.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['id', 'limit', 'cursor', 'order', 'type']),
    );
    expect(body.components.schemas.TaskEventPage.properties).toHaveProperty('nextCursor');
    expect(body.paths['/api/tasks/{id}/diff'].get).toBeDefined();
  });
});
