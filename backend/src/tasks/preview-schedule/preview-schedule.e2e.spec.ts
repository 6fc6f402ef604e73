import { startTestApp, type TestApp } from '../../../test/test-app';

/** POST /api/schedules/preview: the scheduler's own next runs of a schedule no task has yet. */
describe('schedule preview', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp();
  });
  afterAll(() => api.close());

  const preview = (body: unknown) => api.request('POST', '/api/schedules/preview', { body });

  it('gives a cron schedule its runs in its own time zone, across the change to summer time', async () => {
    const response = await preview({
      schedule: { kind: 'cron', expression: '0 30 2 * * *', timezone: 'Europe/Berlin' },
      after: '2026-03-27T12:00:00Z',
      count: 4,
    });
    expect(response.status).toBe(200);
    // 02:30 does not exist in Berlin on 29 March 2026: that day runs at 03:30 local (01:30 UTC).
    expect(response.body).toEqual({
      occurrences: [
        '2026-03-28T01:30:00.000Z',
        '2026-03-29T01:30:00.000Z',
        '2026-03-30T00:30:00.000Z',
        '2026-03-31T00:30:00.000Z',
      ],
    });
  });

  it('counts an interval from the instant given, and has one run for a one-time schedule', async () => {
    const interval = await preview({
      schedule: { kind: 'interval', everySeconds: 90 },
      after: '2026-12-01T00:00:00Z',
      count: 2,
    });
    expect(interval.body).toEqual({
      occurrences: ['2026-12-01T00:01:30.000Z', '2026-12-01T00:03:00.000Z'],
    });
    const once = await preview({ schedule: { kind: 'once', at: '2030-01-01T09:00:00+01:00' } });
    expect(once.body).toEqual({ occurrences: ['2030-01-01T08:00:00.000Z'] });
  });

  it.each([
    [{ schedule: { kind: 'cron', expression: '61 * * * *', timezone: 'UTC' } }, 'schedule.expression'],
    [{ schedule: { kind: 'cron', expression: '* * * * *', timezone: 'Mars/Olympus' } }, 'schedule.timezone'],
    [{ schedule: { kind: 'interval', everySeconds: 0 } }, 'schedule.everySeconds'],
    [{ schedule: { kind: 'interval', everySeconds: 60 }, count: 51 }, 'count'],
    [{ schedule: { kind: 'interval', everySeconds: 60 }, after: 'soon' }, 'after'],
    [{}, 'schedule'],
  ])('refuses %j with 400 problem+json naming %s', async (body, field) => {
    const response = await preview(body);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const fields = (response.body.errors as { field: string }[]).map((e) => e.field);
    expect(fields).toContain(field);
  });
});
