import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from '../../../test/test-app';
import { IdGenerator } from '../clock';
import { taskStreamId } from '../domain/task.events';

describe('registering tasks over HTTP', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp({}, { roles: 'api,projector' });
  });
  afterAll(() => api.close());

  const storedEvents = (id: string) => api.store.readStream(taskStreamId(id));

  it('registers a once task: 201, Location, and one TaskRegistered carrying its first occurrence', async () => {
    const at = new Date(Date.now() + 3_600_000).toISOString();
    const response = await api.request('POST', '/api/tasks', {
      body: { name: 'report', schedule: { kind: 'once', at }, action: { kind: 'log', message: 'hi' } },
    });
    expect(response.status).toBe(201);
    const { id, revision, position } = response.body;
    expect(response.headers.get('location')).toBe(`/api/tasks/${id}`);
    expect(revision).toBe(0);
    expect(position).toBeGreaterThan(0);
    const events = await storedEvents(id);
    expect(events.map((e) => e.type)).toEqual(['TaskRegistered']);
    expect(events[0].data).toMatchObject({
      definition: {
        name: 'report',
        schedule: { kind: 'once', at },
        action: { kind: 'log', message: 'hi' },
        retry: { maxAttempts: 3, backoffMs: 1000, backoffFactor: 2, maxBackoffMs: 300000 },
        timeoutMs: 30000,
        overlap: 'skip',
        misfire: 'fire_once',
      },
    });
    expect((events[0].data as { bucket: number }).bucket).toEqual(expect.any(Number));
    // Occurrence 1 (attempt 1, reason 'registered') is in the registration itself (ADR 021); no jitter, no plannedAt.
    expect((events[0].data as { firstOccurrence?: unknown }).firstOccurrence).toEqual({ dueAt: at });
    expect(events[0].position).toBe(position);
  });

  it('registers a cron task in its time zone, first due at the next matching wall time', async () => {
    const response = await api.request('POST', '/api/tasks', {
      body: {
        name: 'berlin-noon',
        schedule: { kind: 'cron', expression: '0 0 12 * * *', timezone: 'Europe/Berlin' },
        action: {
          kind: 'http',
          url: 'http://127.0.0.1:9/hook',
          headers: { 'X-Team': 'ops' },
          body: { a: 1 },
        },
      },
    });
    expect(response.status).toBe(201);
    const events = await storedEvents(response.body.id);
    expect(events.map((e) => e.type)).toEqual(['TaskRegistered']);
    const first = (events[0].data as { firstOccurrence: { dueAt: string } }).firstOccurrence;
    const due = new Date(first.dueAt);
    expect(due.getTime()).toBeGreaterThan(Date.now());
    const berlinHour = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Berlin',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    }).format(due);
    expect(berlinHour).toBe('12:00:00');
    expect(events[0].data).toMatchObject({
      definition: {
        action: {
          kind: 'http',
          method: 'POST',
          url: 'http://127.0.0.1:9/hook',
          headers: { 'X-Team': 'ops' },
          body: { a: 1 },
        },
      },
    });
  });

  it('registers an interval task anchored at its startAt', async () => {
    const startAt = '2030-01-01T00:00:00Z';
    const response = await api.request('POST', '/api/tasks', {
      body: {
        name: 'tick',
        schedule: { kind: 'interval', everySeconds: 30, startAt },
        action: { kind: 'log', message: 'tick' },
      },
    });
    expect(response.status).toBe(201);
    const events = await storedEvents(response.body.id);
    expect(events.map((e) => e.type)).toEqual(['TaskRegistered']);
    expect(events[0].data).toMatchObject({ firstOccurrence: { dueAt: expect.any(String) } });
    const dueAt = new Date(
      (events[0].data as { firstOccurrence: { dueAt: string } }).firstOccurrence.dueAt,
    ).getTime();
    expect((dueAt - Date.parse(startAt)) % 30_000).toBe(0);
  });

  it('PUT under a client id creates once, answers the same result for the same body, 409 for another', async () => {
    const id = randomUUID();
    const body = {
      name: 'put-me',
      schedule: { kind: 'interval', everySeconds: 60 },
      action: { kind: 'log', message: 'x' },
    };
    const first = await api.request('PUT', `/api/tasks/${id}`, { body });
    expect(first.status).toBe(201);
    expect(first.body.id).toBe(id);
    const again = await api.request('PUT', `/api/tasks/${id}`, { body });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    const different = await api.request('PUT', `/api/tasks/${id}`, { body: { ...body, name: 'other' } });
    expect(different.status).toBe(409);
    expect(different.headers.get('content-type')).toContain('application/problem+json');
    expect(different.body.code).toBe('task_already_exists');
    expect(await storedEvents(id)).toHaveLength(1);
  });

  it('POST decides on an id it just made without reading its stream, and still refuses one that exists', async () => {
    const id = randomUUID();
    const body = {
      name: 'taken',
      schedule: { kind: 'interval', everySeconds: 60 },
      action: { kind: 'log', message: 'x' },
    };
    expect((await api.request('PUT', `/api/tasks/${id}`, { body })).status).toBe(201);
    // An id generator that repeats an existing id: the append expecting a new stream is refused,
    // and the ordinary path (read, decide) answers as for PUT.
    const ids = api.app.get(IdGenerator, { strict: false });
    jest.spyOn(ids, 'newId').mockReturnValueOnce(id);
    const clash = await api.request('POST', '/api/tasks', { body: { ...body, name: 'other' } });
    expect(clash.status).toBe(409);
    expect(clash.body.code).toBe('task_already_exists');
    expect(await storedEvents(id)).toHaveLength(1);
  });

  it('shows a registered task with its next occurrences and revision as ETag', async () => {
    const created = await api.request('POST', '/api/tasks', {
      body: {
        name: 'every-minute',
        schedule: { kind: 'cron', expression: '* * * * *', timezone: 'UTC' },
        action: { kind: 'log', message: 'm' },
      },
    });
    const response = await api.request(
      'GET',
      `/api/tasks/${created.body.id}?minPosition=${created.body.position}`,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toBe('"0"');
    expect(response.body).toMatchObject({
      id: created.body.id,
      name: 'every-minute',
      status: 'active',
      revision: 0,
    });
    const next: string[] = response.body.nextOccurrences;
    expect(next).toHaveLength(5);
    for (let i = 1; i < next.length; i++) expect(Date.parse(next[i]) - Date.parse(next[i - 1])).toBe(60_000);
    expect(response.body.nextDueAt).toBe(next[0]);
  });

  it('answers 404 problem+json for an unknown task', async () => {
    const response = await api.request('GET', `/api/tasks/${randomUUID()}`);
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ status: 404, code: 'task_not_found' });
  });

  it('reads a task id in any case as the same task', async () => {
    const id = randomUUID();
    const body = {
      name: 'cased',
      schedule: { kind: 'interval', everySeconds: 60 },
      action: { kind: 'log', message: 'x' },
    };
    expect((await api.request('PUT', `/api/tasks/${id.toUpperCase()}`, { body })).status).toBe(201);
    const again = await api.request('PUT', `/api/tasks/${id}`, { body });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(id);
  });
});
