import { startHttpReceiver, type HttpReceiver } from '../../test/http-receiver';
import { eventsOf } from '../../test/task-events';
import { startTestApp, type TestApp } from '../../test/test-app';
import { waitFor } from '../../test/wait-for';
import { jitterOffsetMs } from '../tasks/domain/jitter';
import { scheduledBy } from '../tasks/domain/task.events';

const JITTER_MS = 3000;
/**
 * Fixed ids, so the run is the same every time: their offsets (pinned below) run from 36 ms to
 * 2.24 s. That any ten tasks spread is the offset's property test; this one shows the workers keep
 * the plan end to end, timed where it matters: at the receiver.
 */
const IDS = Array.from(
  { length: 10 },
  (_, i) => `5e1d0c3a-7b2f-4c1e-9a0d-0004${String(i + 1).padStart(8, '0')}`,
);

/** An all-in-one process firing at a loopback receiver; plans and starts read from the event store. */
describe('jitter: tasks due at one instant start spread over their window', () => {
  jest.setTimeout(40_000);
  let api: TestApp;
  let receiver: HttpReceiver;
  beforeAll(async () => {
    receiver = await startHttpReceiver();
    api = await startTestApp({ KAIROS_HTTP_ALLOW: '127.0.0.1' }, { roles: 'api,projector,worker' });
  });
  afterAll(async () => {
    await api.close();
    await receiver.close();
  });

  it('starts 10 tasks with jitterMs 3000 over at least 0.5 s, each at its recorded plan, within 3 s', async () => {
    const offsets = IDS.map((id) => jitterOffsetMs(id, 1, JITTER_MS));
    expect(Math.max(...offsets)).toBe(2241);
    expect(Math.min(...offsets)).toBe(36);

    const dueAt = Math.ceil((Date.now() + 3000) / 1000) * 1000;
    const due = new Date(dueAt).toISOString();
    const { status, body } = await api.request('POST', '/api/tasks/batch', {
      body: {
        items: IDS.map((id, i) => ({
          id,
          name: `jittered-${i}`,
          schedule: { kind: 'once', at: due },
          action: { kind: 'http', url: `${receiver.url}/jitter/${id}` },
          jitterMs: JITTER_MS,
        })),
      },
    });
    expect(status).toBe(200);
    expect((body.items as { status: number }[]).map((r) => r.status)).toEqual(IDS.map(() => 201));

    await waitFor(() => receiver.requests.length >= IDS.length, 15_000, 'ten calls');
    const arrivals = IDS.map((id) => receiver.requests.find((r) => r.path === `/jitter/${id}`)?.at ?? NaN);
    // Spread over at least 0.5 s (the plans span 2.2 s), and all within 3 s of the due instant.
    expect(Math.max(...arrivals) - Math.min(...arrivals)).toBeGreaterThanOrEqual(500);
    for (const at of arrivals) {
      expect(at).toBeGreaterThanOrEqual(dueAt);
      expect(at - dueAt).toBeLessThan(3000);
    }

    for (const [i, id] of IDS.entries()) {
      // On record, in the registration (ADR 021): the schedule's instant stays dueAt; plannedAt is it
      // plus the task's offset.
      const planned = new Date(dueAt + offsets[i]).toISOString();
      const [registration] = await eventsOf(api.store, id, 'TaskRegistered');
      expect(scheduledBy({ type: 'TaskRegistered', data: registration })).toMatchObject({
        occurrence: 1,
        dueAt: due,
        plannedAt: planned,
        reason: 'registered',
      });
      const [started] = await eventsOf(api.store, id, 'TaskExecutionStarted');
      expect(started).toMatchObject({ dueAt: due, plannedAt: planned });
      expect(Date.parse(started.startedAt)).toBeGreaterThanOrEqual(Date.parse(planned)); // never early
      expect(arrivals[i]).toBeGreaterThanOrEqual(Date.parse(planned));
    }

    // The executions list shows the plan, and the lag from it (not the jitter) in lagMs.
    const executions = await waitFor(
      async () => {
        const page = await api.request('GET', `/api/tasks/${IDS[0]}/executions`);
        return page.body.items?.[0]?.outcome === 'succeeded' && page.body.items[0];
      },
      5000,
      'the execution projected',
    );
    expect(executions).toMatchObject({ dueAt: due, plannedAt: new Date(dueAt + offsets[0]).toISOString() });
    expect(executions.lagMs).toBeGreaterThanOrEqual(0);
    expect(executions.lagMs).toBeLessThan(1000);
  });

  it('refuses a jitter out of range naming it, shows it on the task, and removes it with 0', async () => {
    const body = (jitterMs: unknown) => ({
      name: 'hourly',
      schedule: { kind: 'cron', expression: '0 * * * *', timezone: 'UTC' },
      action: { kind: 'log', message: 'x' },
      jitterMs,
    });
    for (const jitterMs of [-1, 1.5, 3_600_001, '100']) {
      const refused = await api.request('POST', '/api/tasks', { body: body(jitterMs) });
      expect(refused.status).toBe(400);
      expect((refused.body.errors as { field: string }[]).map((e) => e.field)).toEqual(['jitterMs']);
    }
    const created = await api.request('POST', '/api/tasks', { body: body(60_000) });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const task = await api.request('GET', `/api/tasks/${id}?minPosition=${created.body.position}`);
    expect(task.body.jitterMs).toBe(60_000);
    // The next run is the planned start: within the jitter after the hour.
    const [registration] = await eventsOf(api.store, id, 'TaskRegistered');
    const first = scheduledBy({ type: 'TaskRegistered', data: registration }); // occurrence 1 (ADR 021)
    expect(first).toMatchObject({ occurrence: 1, reason: 'registered' });
    expect(task.body.nextDueAt).toBe(first?.plannedAt ?? first?.dueAt);
    expect(task.body.nextOccurrences[0]).toBe(first?.dueAt); // the schedule's own instants

    const removed = await api.request('PATCH', `/api/tasks/${id}`, { body: { jitterMs: 0 } });
    expect(removed.status).toBe(200);
    const after = await api.request('GET', `/api/tasks/${id}?minPosition=${removed.body.position}`);
    expect(after.body).not.toHaveProperty('jitterMs');
    const [update] = await eventsOf(api.store, id, 'TaskUpdated');
    expect(update.changes).toEqual({ jitterMs: 0 });
  });
});
