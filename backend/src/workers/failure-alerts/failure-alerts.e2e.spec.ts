import { createHmac } from 'node:crypto';
import { startHttpReceiver, type HttpReceiver, type ReceivedRequest } from '../../../test/http-receiver';
import { eventsOf } from '../../../test/task-events';
import { createTestDatabase } from '../../../test/test-database';
import { startTestApp, type TestApp } from '../../../test/test-app';
import { sleep, waitFor } from '../../../test/wait-for';

const SECRET = 'alert-signing-secret';
const PUBLIC_URL = 'https://kairos.example.test';

/**
 * Failure alerts against real processes: an api+worker process, and the projector role (where the
 * alerter runs) in processes of its own, two at first (the lock lets one of them send), then
 * restarted. The receiver is a loopback HTTP server; every count is taken at the receiver.
 */
describe('failure alerts', () => {
  jest.setTimeout(90_000);
  const env = {
    KAIROS_HTTP_ALLOW: '127.0.0.1',
    KAIROS_SIGNING_SECRET: SECRET,
    KAIROS_PUBLIC_URL: `${PUBLIC_URL}/`,
  };
  let databaseUrl: string;
  let receiver: HttpReceiver;
  let api: TestApp;
  let projectors: TestApp[] = [];
  const startProjector = async () => {
    projectors.push(await startTestApp(env, { roles: 'projector', databaseUrl }));
  };
  const stopProjectors = async () => {
    await Promise.all(projectors.map((p) => p.close()));
    projectors = [];
  };

  beforeAll(async () => {
    receiver = await startHttpReceiver();
    receiver.respond('/fail', { status: 500, body: 'broken' });
    databaseUrl = await createTestDatabase('alerts');
    api = await startTestApp(env, { roles: 'api,worker', databaseUrl });
    await startProjector();
    await startProjector();
  });
  afterAll(async () => {
    await stopProjectors();
    await api.close();
    await receiver.close();
  });

  const at = (path: string) => receiver.requests.filter((r) => r.path === path);
  const register = async (body: object): Promise<string> => {
    const response = await api.request('POST', '/api/tasks', { body });
    expect(response.status).toBe(201);
    return response.body.id;
  };
  const failingOnce = (name: string, alertPath: string, maxAttempts = 1) => ({
    name,
    schedule: { kind: 'once', at: new Date(Date.now() + 500).toISOString() },
    action: { kind: 'http', url: `${receiver.url}/fail` },
    retry: { maxAttempts, backoffMs: 1000 },
    onFailure: { kind: 'http', url: `${receiver.url}${alertPath}`, headers: { 'X-Team': 'ops' } },
  });
  const bodyOf = (request: ReceivedRequest) => JSON.parse(request.body);

  it('validates the alert, shows it with secrets masked, and removes it on null', async () => {
    const bad = await api.request('POST', '/api/tasks', {
      body: { ...failingOnce('bad', '/x'), onFailure: { kind: 'http', url: 'ftp://example.com/' } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toContainEqual({
      field: 'onFailure.url',
      reason: 'must be an absolute http or https URL',
    });
    const unknown = await api.request('POST', '/api/tasks', {
      body: { ...failingOnce('bad', '/x'), onFailure: { kind: 'email', url: 'https://example.com/' } },
    });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body.errors)).toContain('onFailure.kind');

    const id = await register({
      name: 'shown',
      schedule: { kind: 'interval', everySeconds: 3600 },
      action: { kind: 'log', message: 'x' },
      onFailure: { kind: 'http', url: 'https://example.com/a', headers: { Authorization: 'Bearer s3cret' } },
    });
    const shown = await api.request('GET', `/api/tasks/${id}?minPosition=1`);
    expect(shown.body.onFailure).toEqual({
      kind: 'http',
      url: 'https://example.com/a',
      headers: { Authorization: '••••••' },
    });
    const patched = await api.request('PATCH', `/api/tasks/${id}`, { body: { onFailure: null } });
    expect(patched.status).toBe(200);
    const after = await api.request('GET', `/api/tasks/${id}?minPosition=${patched.body.position}`);
    expect(after.body.onFailure).toBeUndefined();
  });

  it('alerts once when the last attempt fails, not after a failed attempt that is retried', async () => {
    const id = await register(failingOnce('flaky', '/alerts', 2));
    const alerts = await waitFor(() => at('/alerts').length > 0 && at('/alerts'), 15_000, 'an alert');
    const calls = at('/fail');
    expect(calls).toHaveLength(2);
    expect(alerts[0].at).toBeGreaterThan(calls[1].at);
    const [first, second] = await eventsOf(api.store, id, 'TaskExecuted');
    expect(first.final).toBeUndefined();
    expect(second.final).toBe(true);

    const [alert] = alerts;
    const body = bodyOf(alert);
    expect(body).toEqual({
      kind: 'occurrence_failed',
      task: { id, name: 'flaky' },
      occurrence: 1,
      attempt: 2,
      outcome: 'failed',
      dueAt: expect.any(String),
      error: 'HTTP 500',
      at: second.finishedAt,
      link: `${PUBLIC_URL}/tasks/${id}`,
    });
    const [started] = await eventsOf(api.store, id, 'TaskExecutionStarted');
    expect(Date.parse(body.dueAt)).toBe(Date.parse(started.dueAt));
    expect(alert.method).toBe('POST');
    expect(alert.headers['content-type']).toBe('application/json');
    expect(alert.headers['x-team']).toBe('ops');
    expect(alert.headers['idempotency-key']).toBe(`alert:${id}:1:2`);
    const [, t, mac] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(alert.headers['kairos-signature'])) ?? [];
    expect(mac).toBe(createHmac('sha256', SECRET).update(`${t}.${alert.body}`).digest('hex'));

    await sleep(2000); // two projector processes: still only one alert
    expect(at('/alerts')).toHaveLength(1);
  });

  it('alerts when an occurrence is misfired', async () => {
    const id = await register({
      name: 'late',
      // Due two minutes ago: found later than the misfire threshold (60 s), skipped by its policy.
      schedule: { kind: 'once', at: new Date(Date.now() - 120_000).toISOString() },
      action: { kind: 'log', message: 'never' },
      misfire: 'skip',
      onFailure: { kind: 'http', url: `${receiver.url}/misfires` },
    });
    const [alert] = await waitFor(() => at('/misfires').length > 0 && at('/misfires'), 15_000, 'an alert');
    const [skip] = await eventsOf(api.store, id, 'TaskOccurrenceSkipped');
    expect(bodyOf(alert)).toEqual({
      kind: 'occurrence_misfired',
      task: { id, name: 'late' },
      occurrence: 1,
      attempt: 0,
      outcome: 'misfired',
      dueAt: skip.dueAt,
      at: skip.skippedAt,
      link: `${PUBLIC_URL}/tasks/${id}`,
    });
  });

  it('sends no alert for a task without one, or whose failure is retried and then succeeds', async () => {
    receiver.respond('/second-time', { status: 500 });
    const id = await register({
      ...failingOnce('recovers', '/recovered', 2),
      action: { kind: 'http', url: `${receiver.url}/second-time` },
    });
    await waitFor(() => at('/second-time').length === 1, 10_000, 'the first attempt');
    receiver.respond('/second-time', { status: 200 });
    await waitFor(
      async () => (await eventsOf(api.store, id, 'TaskExecuted')).some((e) => e.outcome === 'succeeded'),
      10_000,
      'the second attempt',
    );
    await register({ ...failingOnce('quiet', '/unused'), onFailure: undefined });
    await sleep(3000);
    expect(at('/recovered')).toHaveLength(0);
  });

  it('neither repeats a delivered alert after a restart nor loses one cut short by a stop', async () => {
    await stopProjectors();
    await startProjector();
    await sleep(3000);
    expect(at('/alerts')).toHaveLength(1);
    expect(at('/misfires')).toHaveLength(1);

    // The receiver holds the alert's answer; the alerter stops meanwhile, with the alert unanswered.
    receiver.respond('/slow', { delayMs: 60_000 });
    const id = await register(failingOnce('cut-short', '/slow'));
    await waitFor(() => at('/slow').length === 1, 15_000, 'the alert in flight');
    await stopProjectors();
    receiver.respond('/slow', { status: 200 });
    await startProjector();
    const [first, again] = await waitFor(() => at('/slow').length === 2 && at('/slow'), 15_000, 'a resend');
    expect(again.headers['idempotency-key']).toBe(`alert:${id}:1:1`);
    expect(again.headers['idempotency-key']).toBe(first.headers['idempotency-key']);
    expect(again.body).toBe(first.body);
    await sleep(2000);
    expect(at('/slow')).toHaveLength(2);
    expect(at('/alerts')).toHaveLength(1);
  });

  it('gives an alert up after 3 attempts, counts it, and goes on to the next', async () => {
    receiver.respond('/refusing', { status: 503 });
    await register(failingOnce('refused', '/refusing'));
    await waitFor(() => at('/refusing').length === 3, 20_000, 'three attempts');
    const id = await register(failingOnce('next', '/after-refusal'));
    const [alert] = await waitFor(
      () => at('/after-refusal').length > 0 && at('/after-refusal'),
      15_000,
      'next',
    );
    expect(bodyOf(alert).task.id).toBe(id);
    const metrics = await projectors[0].request('GET', '/metrics');
    expect(metrics.body).toMatch(/kairos_failure_alerts_total\{result="failed"\} 1\b/);
    await sleep(1500);
    expect(at('/refusing')).toHaveLength(3);
  });
});
