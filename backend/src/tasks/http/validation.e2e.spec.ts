import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from '../../../test/test-app';

/** Bad input gets a 400 problem+json that names the field and the reason, and nothing is stored. */
describe('request validation', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp();
  });
  afterAll(() => api.close());

  const valid = {
    name: 'ok',
    schedule: { kind: 'cron', expression: '*/5 * * * * *', timezone: 'UTC' },
    action: { kind: 'http', url: 'https://example.com/hook', method: 'POST' },
  };
  const withSchedule = (schedule: object) => ({ ...valid, schedule });
  const withAction = (action: object) => ({ ...valid, action });

  const cases: [string, unknown, string][] = [
    ['an unknown top-level field', { ...valid, colour: 'red' }, 'colour'],
    ['an unknown nested field', withSchedule({ ...valid.schedule, every: 3 }), 'schedule.every'],
    ['a missing name', { schedule: valid.schedule, action: valid.action }, 'name'],
    ['a name of the wrong type', { ...valid, name: 42 }, 'name'],
    ['a name over 200 characters', { ...valid, name: 'x'.repeat(201) }, 'name'],
    ['an unknown schedule kind', withSchedule({ kind: 'sometimes' }), 'schedule.kind'],
    ['a missing schedule', { name: 'x', action: valid.action }, 'schedule'],
    [
      'an invalid cron expression',
      withSchedule({ kind: 'cron', expression: '61 * * * *', timezone: 'UTC' }),
      'schedule.expression',
    ],
    [
      'a cron expression with 4 fields',
      withSchedule({ kind: 'cron', expression: '* * * *', timezone: 'UTC' }),
      'schedule.expression',
    ],
    [
      'an unknown time zone',
      withSchedule({ kind: 'cron', expression: '* * * * *', timezone: 'Mars/Olympus' }),
      'schedule.timezone',
    ],
    ['an interval under 1 s', withSchedule({ kind: 'interval', everySeconds: 0 }), 'schedule.everySeconds'],
    ['a fractional interval', withSchedule({ kind: 'interval', everySeconds: 1.5 }), 'schedule.everySeconds'],
    [
      'a once with an unparsable instant',
      withSchedule({ kind: 'once', at: 'tomorrow at nine' }),
      'schedule.at',
    ],
    [
      'a once instant without an offset',
      withSchedule({ kind: 'once', at: '2026-11-24T09:00:00' }),
      'schedule.at',
    ],
    [
      'an end before the start',
      withSchedule({
        kind: 'cron',
        expression: '* * * * *',
        timezone: 'UTC',
        startAt: '2027-01-02T00:00:00Z',
        endAt: '2027-01-01T00:00:00Z',
      }),
      'schedule.endAt',
    ],
    ['a URL that is not http(s)', withAction({ kind: 'http', url: 'ftp://example.com/x' }), 'action.url'],
    ['a relative URL', withAction({ kind: 'http', url: '/hook' }), 'action.url'],
    [
      'an unknown HTTP method',
      withAction({ kind: 'http', url: 'https://example.com', method: 'BREW' }),
      'action.method',
    ],
    [
      'headers with a non-string value',
      withAction({ kind: 'http', url: 'https://example.com', headers: { 'X-N': 1 } }),
      'action.headers.X-N',
    ],
    ['an unknown action kind', withAction({ kind: 'email' }), 'action.kind'],
    ['a log action without a message', withAction({ kind: 'log' }), 'action.message'],
    ['maxAttempts of 0', { ...valid, retry: { maxAttempts: 0 } }, 'retry.maxAttempts'],
    ['a negative timeout', { ...valid, timeoutMs: -5 }, 'timeoutMs'],
    ['an unknown overlap policy', { ...valid, overlap: 'sometimes' }, 'overlap'],
    ['an unknown misfire policy', { ...valid, misfire: 'panic' }, 'misfire'],
  ];

  it.each(cases)('refuses %s, naming %s', async (_what, body, field) => {
    const before = await api.store.headPosition();
    const response = await api.request('POST', '/api/tasks', { body });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body).toMatchObject({ status: 400, code: 'validation_failed' });
    const fields = (response.body.errors as { field: string; reason: string }[]).map((e) => e.field);
    expect(fields).toContain(field);
    for (const error of response.body.errors) expect(error.reason).toEqual(expect.any(String));
    expect(await api.store.headPosition()).toBe(before);
  });

  it('refuses malformed JSON with 400', async () => {
    const response = await api.request('POST', '/api/tasks', {
      rawBody: '{"name": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'malformed_json', field: 'body' });
  });

  it('refuses a body over 64 KiB with 413', async () => {
    const response = await api.request('POST', '/api/tasks', {
      body: { ...valid, description: 'x'.repeat(70_000) },
    });
    expect(response.status).toBe(413);
    expect(response.body).toMatchObject({ status: 413, code: 'payload_too_large' });
  });

  it('refuses a task id that is not a UUID', async () => {
    const response = await api.request('PUT', '/api/tasks/not-a-uuid', { body: valid });
    expect(response.status).toBe(400);
    expect(response.body.field).toBe('id');
  });

  it('refuses a malformed If-Match', async () => {
    const id = randomUUID();
    await api.request('PUT', `/api/tasks/${id}`, { body: valid });
    const response = await api.request('PATCH', `/api/tasks/${id}`, {
      body: { name: 'n' },
      headers: { 'if-match': 'yesterday' },
    });
    expect(response.status).toBe(400);
    expect(response.body.field).toBe('If-Match');
  });
});
