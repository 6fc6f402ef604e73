import { type QueryTestApp, startQueryTestApp } from '../task-queries/test/query-test-app';

/** The calendar API: create, list, get, PATCH with If-Match, delete, the 400s; tasks naming calendars. */
describe('calendars API', () => {
  let api: QueryTestApp;
  beforeAll(async () => {
    api = await startQueryTestApp();
  });
  afterAll(() => api.close());

  const holidays = {
    name: 'holidays',
    timezone: 'Europe/Berlin',
    exclude: [
      { date: '2026-12-25' },
      { from: '2026-12-31T12:00:00Z', to: '2027-01-01T12:00:00Z' },
      { cron: '* * * * 0,6' },
    ],
  };

  it('creates, lists, gets, updates with If-Match and deletes a calendar', async () => {
    const created = await api.request('POST', '/api/calendars', holidays);
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: expect.any(String), revision: 0, position: expect.any(Number) });
    const { id } = created.body as { id: string; position: number };

    const listed = await api.request('GET', `/api/calendars?minPosition=${created.body.position}`);
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual([
      expect.objectContaining({ id, ...holidays, revision: 0, status: 'active' }),
    ]);

    const got = await api.request('GET', `/api/calendars/${id}`);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ id, ...holidays, revision: 0 });
    expect(got.headers.get('etag')).toBe('"0"');

    const patch = (body: unknown, ifMatch: string) =>
      fetch(`${baseUrl()}/api/calendars/${id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', 'if-match': ifMatch },
        body: JSON.stringify(body),
      });
    const updated = await patch({ exclude: [{ date: '2026-12-26' }] }, '"0"');
    expect(updated.status).toBe(200);
    expect(await updated.json()).toMatchObject({ id, revision: 1 });
    const stale = await patch({ name: 'other' }, '"0"');
    expect(stale.status).toBe(412);
    expect(await stale.json()).toMatchObject({ code: 'revision_mismatch', currentRevision: 1 });
    expect((await api.request('GET', `/api/calendars/${id}`)).body).toMatchObject({
      name: 'holidays',
      exclude: [{ date: '2026-12-26' }],
      revision: 1,
    });

    const deleted = await api.request('DELETE', `/api/calendars/${id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body.revision).toBe(2);
    const after = await api.request('GET', `/api/calendars?minPosition=${deleted.body.position}`);
    expect(after.body.items.map((c: { id: string }) => c.id)).not.toContain(id);
    expect((await api.request('GET', `/api/calendars/${id}`)).body.status).toBe('deleted');
    expect((await api.request('PATCH', `/api/calendars/${id}`, { name: 'x' })).status).toBe(409);
  });

  it('refuses bad calendars with 400 naming the field', async () => {
    const cases: [unknown, string][] = [
      [{ ...holidays, name: '' }, 'name'],
      [{ ...holidays, timezone: 'Mars/Olympus' }, 'timezone'],
      [{ ...holidays, exclude: [{ date: '2026-02-30' }] }, 'exclude[0]'],
      [{ ...holidays, exclude: [{ cron: 'not a cron' }] }, 'exclude[0]'],
      [
        { ...holidays, exclude: [{ from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' }] },
        'exclude[0]',
      ],
      [{ ...holidays, exclude: Array.from({ length: 1001 }, () => ({ date: '2026-01-01' })) }, 'exclude'],
      [{ ...holidays, colour: 'red' }, 'colour'],
    ];
    for (const [body, field] of cases) {
      const response = await api.request('POST', '/api/calendars', body);
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      const fields = (response.body.errors as { field: string }[]).map((e) => e.field).join(' ');
      expect(fields).toContain(field);
      if (field === 'exclude[0]') expect(response.body.detail).not.toMatch(/must match/);
    }
    expect((await api.request('GET', '/api/calendars/not-a-uuid')).status).toBe(400);
    expect((await api.request('GET', '/api/calendars/7d0e3c52-1f4a-4c1b-9e55-0d6f7a8b9c01')).status).toBe(
      404,
    );
  });

  it('a task names calendars that exist; a calendar in use is not deleted', async () => {
    const calendar = (await api.request('POST', '/api/calendars', { ...holidays, exclude: [] })).body as {
      id: string;
    };
    const unknown = '7d0e3c52-1f4a-4c1b-9e55-0d6f7a8b9c01';
    const task = (calendars: string[]) => ({
      name: 'with calendars',
      schedule: { kind: 'interval', everySeconds: 3600 },
      action: { kind: 'log', message: 'x' },
      calendars,
    });
    const refused = await api.request('POST', '/api/tasks', task([calendar.id, unknown]));
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([
      { field: 'calendars[1]', reason: expect.stringContaining(unknown) },
    ]);
    expect((await api.request('POST', '/api/tasks', task(['nope']))).status).toBe(400);

    const registered = await api.request('POST', '/api/tasks', task([calendar.id.toUpperCase()]));
    expect(registered.status).toBe(201);
    const shown = await api.request(
      'GET',
      `/api/tasks/${registered.body.id}?minPosition=${registered.body.position}`,
    );
    expect(shown.body.calendars).toEqual([calendar.id]); // kept in lower case, as the stream is named

    const inUse = await api.request('DELETE', `/api/calendars/${calendar.id}`);
    expect(inUse.status).toBe(409);
    expect(inUse.body).toMatchObject({ code: 'calendar_in_use', detail: expect.stringContaining('1 task') });

    const cleared = await api.request('PATCH', `/api/tasks/${registered.body.id}`, { calendars: [] });
    expect(cleared.status).toBe(200);
    const without = await api.request(
      'GET',
      `/api/tasks/${registered.body.id}?minPosition=${cleared.body.position}`,
    );
    expect(without.body.calendars).toBeUndefined();
    expect((await api.request('DELETE', `/api/calendars/${calendar.id}`)).status).toBe(200);
  });

  it('the preview and the task next runs leave out what the calendars exclude', async () => {
    const created = await api.request('POST', '/api/calendars', {
      name: 'no new year',
      timezone: 'UTC',
      exclude: [{ date: '2030-01-01' }, { cron: '* * * * 0,6' }],
    });
    const schedule = { kind: 'cron', expression: '0 9 * * *', timezone: 'UTC' };
    const preview = await api.request('POST', '/api/schedules/preview', {
      schedule,
      after: '2029-12-31T10:00:00Z',
      count: 3,
      calendars: [created.body.id],
    });
    expect(preview.status).toBe(200);
    // 1 January 2030 is excluded by date; 5 and 6 January are a weekend.
    expect(preview.body.occurrences).toEqual([
      '2030-01-02T09:00:00.000Z',
      '2030-01-03T09:00:00.000Z',
      '2030-01-04T09:00:00.000Z',
    ]);
    const unknown = await api.request('POST', '/api/schedules/preview', {
      schedule,
      calendars: ['7d0e3c52-1f4a-4c1b-9e55-0d6f7a8b9c01'],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.field).toBe('calendars[0]');

    const weekdays = await api.request('POST', '/api/calendars', {
      name: 'weekends off',
      timezone: 'UTC',
      exclude: [{ cron: '* * * * 0,6' }],
    });
    const task = await api.request('POST', '/api/tasks', {
      name: 'daily',
      schedule,
      action: { kind: 'log', message: 'x' },
      calendars: [weekdays.body.id],
    });
    const shown = await api.request('GET', `/api/tasks/${task.body.id}?minPosition=${task.body.position}`);
    expect(shown.body.nextOccurrences).toHaveLength(5);
    for (const run of shown.body.nextOccurrences as string[]) {
      expect([0, 6]).not.toContain(new Date(run).getUTCDay());
    }
  });

  it('checks the calendars of every item of a batch, refusing only the items naming an unknown one', async () => {
    const known = await api.request('POST', '/api/calendars', { ...holidays, name: 'batch holidays' });
    const unknown = '7d0e3c52-1f4a-4c1b-9e55-0d6f7a8b9c02';
    const item = (name: string, calendars?: string[]) => ({
      name,
      schedule: { kind: 'cron', expression: '0 0 9 * * *', timezone: 'UTC' },
      action: { kind: 'log', message: name },
      ...(calendars ? { calendars } : {}),
    });
    const response = await api.request('POST', '/api/tasks/batch', {
      items: [
        item('with a known calendar', [known.body.id]),
        item('with an unknown calendar', [unknown]),
        item('with none'),
        item('with both', [known.body.id.toUpperCase(), unknown]),
        item('with the known one again', [known.body.id]),
      ],
    });
    expect(response.status).toBe(200);
    expect(response.body.items.map((i: { status: number }) => i.status)).toEqual([201, 400, 201, 400, 201]);
    expect(response.body.items[1]).toMatchObject({ field: 'calendars[0]' });
    expect(response.body.items[3]).toMatchObject({ field: 'calendars[1]' });
    const shown = await api.request(
      'GET',
      `/api/tasks/${response.body.items[4].id}?minPosition=${response.body.items[4].position}`,
    );
    expect(shown.body.calendars).toEqual([known.body.id]);
  });

  function baseUrl(): string {
    const { port } = (api.app.getHttpServer() as import('node:http').Server).address() as { port: number };
    return `http://127.0.0.1:${port}`;
  }
});
