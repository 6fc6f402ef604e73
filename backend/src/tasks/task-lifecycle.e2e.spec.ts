import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from '../../test/test-app';

/** Pause, resume, trigger and delete, each seen in the task's audit trail (GET /events, oldest first). */
describe('task lifecycle over HTTP', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp({}, { roles: 'api,projector' });
  });
  afterAll(() => api.close());

  const eventTypes = async (id: string): Promise<string[]> =>
    (await api.request('GET', `/api/tasks/${id}/events?order=asc`)).body.items.map(
      (e: { type: string }) => e.type,
    );

  it('pauses, resumes, triggers and deletes, recording each step', async () => {
    const { body: created } = await api.request('POST', '/api/tasks', {
      body: {
        name: 'life',
        schedule: { kind: 'cron', expression: '0 * * * *', timezone: 'UTC' },
        action: { kind: 'log', message: 'x' },
      },
    });
    const id = created.id as string;

    const paused = await api.request('POST', `/api/tasks/${id}/pause`);
    expect(paused.status).toBe(200);
    expect(paused.body.revision).toBe(1);
    expect(
      (await api.request('GET', `/api/tasks/${id}?minPosition=${paused.body.position}`)).body,
    ).toMatchObject({
      status: 'paused',
      nextDueAt: null,
    });
    expect((await api.request('POST', `/api/tasks/${id}/pause`)).body.code).toBe('invalid_transition');

    const resumed = await api.request('POST', `/api/tasks/${id}/resume`);
    expect(resumed.status).toBe(200);
    const afterResume = (await api.request('GET', `/api/tasks/${id}?minPosition=${resumed.body.position}`))
      .body;
    expect(afterResume.status).toBe('active');
    expect(new Date(afterResume.nextDueAt).getUTCMinutes()).toBe(0);

    const triggered = await api.request('POST', `/api/tasks/${id}/trigger`);
    expect(triggered.status).toBe(200);

    const deleted = await api.request('DELETE', `/api/tasks/${id}`);
    expect(deleted.status).toBe(200);
    const again = await api.request('DELETE', `/api/tasks/${id}`);
    expect(again.status).toBe(200);
    expect(again.body.revision).toBe(deleted.body.revision);
    expect((await api.request('POST', `/api/tasks/${id}/trigger`)).body).toMatchObject({
      status: 409,
      code: 'task_deleted',
    });

    const events = (await api.request('GET', `/api/tasks/${id}/events?order=asc`)).body.items;
    expect(events.map((e: { type: string }) => e.type)).toEqual([
      'TaskRegistered',
      'TaskPaused',
      'TaskResumed',
      'TaskScheduled',
      'TaskScheduled',
      'TaskDeleted',
    ]);
    // The first occurrence is in the registration (ADR 021), on the hour like every other.
    expect(new Date(events[0].data.firstOccurrence.dueAt).getUTCMinutes()).toBe(0);
    expect(events[4].data).toMatchObject({ reason: 'manual' });
    expect(events.map((e: { revision: number }) => e.revision)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(
      (await api.request('GET', `/api/tasks/${id}?minPosition=${deleted.body.position}`)).body.status,
    ).toBe('deleted');
  });

  it('checks If-Match on pause too', async () => {
    const { body } = await api.request('POST', '/api/tasks', {
      body: {
        name: 'm',
        schedule: { kind: 'interval', everySeconds: 10 },
        action: { kind: 'log', message: 'x' },
      },
    });
    const renamed = await api.request('PATCH', `/api/tasks/${body.id}`, { body: { name: 'renamed' } });
    const stale = await api.request('POST', `/api/tasks/${body.id}/pause`, {
      headers: { 'if-match': `"${body.revision}"` },
    });
    expect(stale.status).toBe(412);
    expect(stale.body.currentRevision).toBe(renamed.body.revision);
    expect(await eventTypes(body.id)).toEqual(['TaskRegistered', 'TaskUpdated']);
  });

  it('answers 404 for commands on an unknown task', async () => {
    for (const path of ['pause', 'resume', 'trigger']) {
      const response = await api.request('POST', `/api/tasks/${randomUUID()}/${path}`);
      expect(response.status).toBe(404);
      expect(response.body.code).toBe('task_not_found');
    }
    expect((await api.request('DELETE', `/api/tasks/${randomUUID()}`)).status).toBe(404);
    expect((await api.request('GET', `/api/tasks/${randomUUID()}/events`)).status).toBe(404);
  });
});

describe('secret headers over HTTP', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp({}, { roles: 'api,projector' });
  });
  afterAll(() => api.close());

  it('are stored but shown masked in the task and its events, and survive an edit that sends the mask back', async () => {
    const action = {
      kind: 'http',
      url: 'https://example.com/hook',
      method: 'POST',
      headers: { Authorization: 'Bearer s3cret', 'X-Team': 'ops' },
    };
    const created = await api.request('POST', '/api/tasks', {
      body: { name: 'secretive', schedule: { kind: 'interval', everySeconds: 3600 }, action },
    });
    const id = created.body.id as string;
    const task = await api.request('GET', `/api/tasks/${id}?minPosition=${created.body.position}`);
    expect(task.body.action.headers).toEqual({ Authorization: '••••••', 'X-Team': 'ops' });
    const events = await api.request('GET', `/api/tasks/${id}/events`);
    expect(JSON.stringify(events.body)).not.toContain('s3cret');

    const edited = await api.request('PATCH', `/api/tasks/${id}`, {
      body: { action: { ...task.body.action, url: 'https://example.com/v2' } },
    });
    expect(edited.status).toBe(200);
    const stored = await api.store.readStream(`task-${id}`);
    const update = stored.find((e) => e.type === 'TaskUpdated')?.data as {
      changes: { action: { headers: Record<string, string> } };
    };
    expect(update.changes.action.headers.Authorization).toBe('Bearer s3cret');
  });
});
