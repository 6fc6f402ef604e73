import { eventsOf } from '../../test/task-events';
import { startTestApp, type TestApp } from '../../test/test-app';
import { sleep, waitFor } from '../../test/wait-for';

const DAY_MS = 86_400_000;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Issue 17's acceptance for calendars: a calendar that excludes today stops a per-second cron (only
 * skips on record, with reason `calendar`, the calendar's id and revision; nothing runs); editing the
 * calendar to remove the exclusion makes it fire again, from the occurrences not yet fired.
 */
describe('calendars on the firing path', () => {
  jest.setTimeout(60_000);
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp({}, { roles: 'api,projector,worker' });
  });
  afterAll(() => api.close());

  it('a calendar excluding today stops a per-second cron; removing the exclusion lets it fire again', async () => {
    // Today and tomorrow (UTC), so a run across midnight still finds every instant excluded.
    const exclude = [{ date: dayOf(Date.now()) }, { date: dayOf(Date.now() + DAY_MS) }];
    const calendar = await api.request('POST', '/api/calendars', {
      body: { name: 'blackout', timezone: 'UTC', exclude },
    });
    expect(calendar.status).toBe(201);
    const calendarId = calendar.body.id as string;
    const registered = await api.request('POST', '/api/tasks', {
      body: {
        name: 'every second',
        schedule: { kind: 'cron', expression: '* * * * * *', timezone: 'UTC' },
        action: { kind: 'log', message: 'tick' },
        calendars: [calendarId],
      },
    });
    expect(registered.status).toBe(201);
    const taskId = registered.body.id as string;

    await sleep(3500);
    const skips = await eventsOf(api.store, taskId, 'TaskOccurrenceSkipped');
    expect(skips.length).toBeGreaterThanOrEqual(2);
    for (const skip of skips) {
      expect(skip).toMatchObject({ reason: 'calendar', calendarId, calendarRevision: 0 });
    }
    expect(await eventsOf(api.store, taskId, 'TaskExecutionStarted')).toEqual([]);
    const executions = await api.request('GET', `/api/tasks/${taskId}/executions`);
    expect(executions.body.items).toEqual([]);
    // The ledger shows the skips with their reason.
    const position = await api.store.headPosition();
    const ledger = await api.request('GET', `/api/tasks/${taskId}/occurrences?minPosition=${position}`);
    expect(ledger.status).toBe(200);
    const skipped = (ledger.body.items as { status: string; reason?: string }[]).filter(
      (item) => item.status === 'skipped',
    );
    expect(skipped.length).toBeGreaterThanOrEqual(2);
    expect(skipped.every((item) => item.reason === 'calendar')).toBe(true);
    expect(skipped.every((item) => (item as { calendarId?: string }).calendarId === calendarId)).toBe(true);
    expect(ledger.body.items.some((item: { status: string }) => item.status === 'executed')).toBe(false);

    // A manual trigger is not subject to the calendar.
    const triggered = await api.request('POST', `/api/tasks/${taskId}/trigger`);
    expect(triggered.status).toBe(200);
    await waitFor(
      async () => (await eventsOf(api.store, taskId, 'TaskExecuted')).length > 0,
      5000,
      'manual run',
    );

    const edited = await api.request('PATCH', `/api/calendars/${calendarId}`, {
      body: { exclude: [] },
      headers: { 'if-match': '"0"' },
    });
    expect(edited.status).toBe(200);
    const editedAt = Date.now();
    const regularStarts = await waitFor(
      async () => {
        const starts = await eventsOf(api.store, taskId, 'TaskExecutionStarted');
        const regular = starts.filter((s) => Date.parse(s.dueAt) >= editedAt);
        return regular.length >= 2 ? regular : false;
      },
      8000,
      'the task firing again',
    );
    expect(regularStarts.length).toBeGreaterThanOrEqual(2);
    // No occurrence due after the edit took effect (the cache's second) was skipped for the calendar.
    const lateSkips = (await eventsOf(api.store, taskId, 'TaskOccurrenceSkipped')).filter(
      (s) => Date.parse(s.dueAt) > editedAt + 1500,
    );
    expect(lateSkips).toEqual([]);
  });
});
