import { startTestApp, type TestApp } from '../../../test/test-app';
import { taskStreamId } from '../domain/task.events';

describe('updating a task over HTTP', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp({}, { roles: 'api,projector' });
  });
  afterAll(() => api.close());

  async function register(): Promise<{ id: string; revision: number }> {
    const response = await api.request('POST', '/api/tasks', {
      body: {
        name: 'u',
        schedule: { kind: 'interval', everySeconds: 3600 },
        action: { kind: 'log', message: 'x' },
      },
    });
    return response.body;
  }

  it('of two PATCHes with the same If-Match, one succeeds and the other gets 412 with the current revision', async () => {
    const { id, revision } = await register();
    const [a, b] = await Promise.all([
      api.request('PATCH', `/api/tasks/${id}`, {
        body: { name: 'a' },
        headers: { 'if-match': `"${revision}"` },
      }),
      api.request('PATCH', `/api/tasks/${id}`, {
        body: { name: 'b' },
        headers: { 'if-match': `"${revision}"` },
      }),
    ]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual([200, 412]);
    const winner = a.status === 200 ? a : b;
    const loser = a.status === 200 ? b : a;
    expect(loser.body).toMatchObject({ code: 'revision_mismatch', currentRevision: winner.body.revision });
    expect(loser.headers.get('etag')).toBe(`"${winner.body.revision}"`);
    const events = await api.store.readStream(taskStreamId(id));
    expect(events.filter((e) => e.type === 'TaskUpdated')).toHaveLength(1);
  });

  it('a changed schedule reschedules the task at once', async () => {
    const { id } = await register();
    const response = await api.request('PATCH', `/api/tasks/${id}`, {
      body: { schedule: { kind: 'once', at: '2031-05-01T10:00:00Z' } },
    });
    expect(response.status).toBe(200);
    const events = await api.store.readStream(taskStreamId(id));
    expect(events.slice(-2).map((e) => e.type)).toEqual(['TaskUpdated', 'TaskScheduled']);
    expect(events.at(-1)?.data).toMatchObject({ dueAt: '2031-05-01T10:00:00.000Z', reason: 'updated' });
    const task = await api.request('GET', `/api/tasks/${id}?minPosition=${response.body.position}`);
    expect(task.body.nextDueAt).toBe('2031-05-01T10:00:00.000Z');
    expect(task.body.schedule).toEqual({ kind: 'once', at: '2031-05-01T10:00:00Z' });
  });

  it('an update that changes nothing appends nothing', async () => {
    const { id, revision } = await register();
    const response = await api.request('PATCH', `/api/tasks/${id}`, { body: { name: 'u' } });
    expect(response.status).toBe(200);
    expect(response.body.revision).toBe(revision);
  });

  it('refuses an empty PATCH and an invalid field', async () => {
    const { id } = await register();
    expect((await api.request('PATCH', `/api/tasks/${id}`, { body: {} })).status).toBe(400);
    const bad = await api.request('PATCH', `/api/tasks/${id}`, { body: { timeoutMs: 'soon' } });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('timeoutMs');
  });

  it('accepts an If-Match older than the events workers appended since (firings do not make an edit stale)', async () => {
    const { id, revision } = await register();
    // What a worker appends (here a scheduled occurrence) does not change what the person edits.
    await api.store.append(
      `task-${id}`,
      [
        {
          type: 'TaskScheduled',
          data: { occurrence: 99, attempt: 1, dueAt: '2030-01-01T00:00:00.000Z', reason: 'manual' },
        },
      ],
      revision,
    );
    const response = await api.request('PATCH', `/api/tasks/${id}`, {
      body: { name: 'still mine' },
      headers: { 'if-match': `"${revision}"` },
    });
    expect(response.status).toBe(200);
    const paused = await api.request('POST', `/api/tasks/${id}/pause`, {
      headers: { 'if-match': `"${revision}"` },
    });
    expect(paused.status).toBe(412); // the PATCH above was a person's change after that revision
  });
});
