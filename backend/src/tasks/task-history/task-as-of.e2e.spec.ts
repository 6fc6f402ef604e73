import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from '../../../test/test-app';
import { cronTaskBody, httpActionWithSecret, registerTask } from '../../../test/task-registration';
import { taskStreamId } from '../domain/task.events';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** GET /api/tasks/{id}?asOf= and GET /api/tasks/{id}/diff: the task as it was, from its event log. */
describe('time travel over HTTP', () => {
  let api: TestApp;
  let id: string;
  let recordedAt: Date[]; // by revision
  beforeAll(async () => {
    api = await startTestApp();
    const action = httpActionWithSecret('https://example.com/a', 's3cret');
    // Revision 0: registered, its first occurrence in the same event (ADR 021).
    id = await registerTask(api, cronTaskBody('traveller', { timezone: 'Europe/Berlin', action }));
    await pause(20); // instants between revisions tell them apart
    await api.request('PATCH', `/api/tasks/${id}`, { body: { name: 'renamed', timeoutMs: 5000 } }); // 1
    await pause(20);
    await api.request('POST', `/api/tasks/${id}/pause`); // 2
    await pause(20);
    await api.request('PATCH', `/api/tasks/${id}`, {
      body: { schedule: { kind: 'interval', everySeconds: 3600 } }, // 3
    });
    recordedAt = (await api.store.readStream(taskStreamId(id))).map((e) => e.recordedAt);
  });
  afterAll(() => api.close());

  const asOf = (value: string) => api.request('GET', `/api/tasks/${id}?asOf=${encodeURIComponent(value)}`);

  it('shows the task at each revision: definition, status, next due, revision and when it was recorded', async () => {
    expect(recordedAt).toHaveLength(4);
    const registered = await asOf('0');
    expect(registered.status).toBe(200);
    expect(registered.body).toMatchObject({
      id,
      name: 'traveller',
      status: 'active',
      revision: 0,
      timeoutMs: 30000,
    });
    expect(registered.body.recordedAt).toBe(recordedAt[0].toISOString());
    // No revision ETag (Express's own weak one may be there): not a revision to send in If-Match.
    expect(registered.headers.get('etag') ?? '').not.toMatch(/^"\d+"$/);
    // The registration carries the first occurrence: already scheduled at revision 0.
    expect(new Date(registered.body.nextDueAt as string).getUTCMinutes()).toBe(0);
    expect(registered.body.nextOccurrences).toHaveLength(5);
    expect((await asOf('1')).body).toMatchObject({
      name: 'renamed',
      timeoutMs: 5000,
      revision: 1,
      status: 'active',
    });
    expect((await asOf('2')).body).toMatchObject({ status: 'paused', nextDueAt: null, revision: 2 });
    expect((await asOf('3')).body).toMatchObject({ schedule: { kind: 'interval', everySeconds: 3600 } });
    expect(JSON.stringify((await asOf('0')).body)).not.toContain('s3cret');
  });

  it('takes an instant: the last revision recorded at or before it, whatever its offset', async () => {
    expect((await asOf(recordedAt[1].toISOString())).body.revision).toBe(1);
    const justBefore = new Date(recordedAt[2].getTime() - 1).toISOString();
    expect((await asOf(justBefore)).body).toMatchObject({ revision: 1, status: 'active' });
    const berlin = new Date(recordedAt[2].getTime() + 3_600_000).toISOString().replace('Z', '+01:00');
    expect((await asOf(berlin)).body).toMatchObject({ revision: 2, status: 'paused' });
    expect((await asOf('2999-01-01T00:00:00Z')).body.revision).toBe(3);
    const before = await asOf(new Date(recordedAt[0].getTime() - 1).toISOString());
    expect(before).toMatchObject({ status: 404, body: { code: 'task_not_found' } });
    expect(before.body.detail).toMatch(/did not exist yet/);
  });

  it('refuses a malformed asOf or a revision beyond the stream, naming asOf; 404 for an unknown task', async () => {
    for (const value of ['soon', '-1', '2026-12-01', '2026-12-01T09:00:00', '1.5', '4']) {
      const response = await asOf(value);
      expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(response).toMatchObject({ status: 400, body: { code: 'validation_failed', field: 'asOf' } });
    }
    expect((await asOf('4')).body.errors[0].reason).toMatch(/beyond the task's last revision, 3/);
    const unknown = await api.request('GET', `/api/tasks/${randomUUID()}?asOf=0`);
    expect(unknown).toMatchObject({ status: 404, body: { code: 'task_not_found' } });
  });

  it('diffs the definition between two revisions, field by field, secrets masked', async () => {
    const diff = await api.request('GET', `/api/tasks/${id}/diff?from=0&to=1`);
    expect(diff.status).toBe(200);
    expect(diff.body).toEqual({
      from: { revision: 0, recordedAt: recordedAt[0].toISOString() },
      to: { revision: 1, recordedAt: recordedAt[1].toISOString() },
      changes: [
        { field: 'name', before: 'traveller', after: 'renamed' },
        { field: 'timeoutMs', before: 30000, after: 5000 },
      ],
    });
    expect((await api.request('GET', `/api/tasks/${id}/diff?from=1&to=2`)).body.changes).toEqual([]);
    const all = await api.request('GET', `/api/tasks/${id}/diff?from=0&to=3`);
    expect(all.body.changes.map((c: { field: string }) => c.field)).toEqual([
      'name',
      'schedule',
      'timeoutMs',
    ]);
    expect(JSON.stringify(all.body)).not.toContain('s3cret');
  });

  it('refuses a bad diff, naming the field; 404 for an unknown task', async () => {
    const cases: [string, string][] = [
      ['from=2&to=1', 'from'],
      ['from=0&to=9', 'to'],
      ['to=1', 'from'],
      ['from=a&to=1', 'from'],
      ['from=0&to=-1', 'to'],
    ];
    for (const [query, field] of cases) {
      const response = await api.request('GET', `/api/tasks/${id}/diff?${query}`);
      expect(response).toMatchObject({ status: 400, body: { code: 'validation_failed', field } });
    }
    const unknown = await api.request('GET', `/api/tasks/${randomUUID()}/diff?from=0&to=0`);
    expect(unknown).toMatchObject({ status: 404, body: { code: 'task_not_found' } });
  });
});
