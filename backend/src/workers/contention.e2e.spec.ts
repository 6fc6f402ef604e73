import { eventsOf } from '../../test/task-events';
import { refusedFirings } from '../metrics/metrics';
import { createTestDatabase } from '../../test/test-database';
import { startTestApp, type TestApp } from '../../test/test-app';
import { sleep } from '../../test/wait-for';

/**
 * Safety never rests on leases: two workers without Redis each believe they own every bucket, and
 * still every occurrence starts exactly once, because each firing appends with an expected revision.
 */
describe('two workers owning the same buckets', () => {
  jest.setTimeout(60_000);
  const apps: TestApp[] = [];
  afterAll(async () => {
    for (const app of apps.reverse()) await app.close();
  });

  it('fire every occurrence exactly once', async () => {
    const databaseUrl = await createTestDatabase('contention');
    const api = await startTestApp({}, { roles: 'api,projector', databaseUrl });
    apps.push(api);
    apps.push(await startTestApp({}, { roles: 'worker', databaseUrl }));
    apps.push(await startTestApp({}, { roles: 'worker', databaseUrl }));
    const items = Array.from({ length: 40 }, (_, i) => ({
      name: `contended-${i}`,
      schedule: { kind: 'cron', expression: '* * * * * *', timezone: 'UTC' },
      action: { kind: 'log', message: 'x' },
      overlap: 'allow', // this test is about firing once; an outcome recorded late must not skip
    }));
    const { body } = await api.request('POST', '/api/tasks/batch', { body: { items } });
    const ids: string[] = body.items.map((item: { id: string }) => item.id);
    const lostRaces = async () =>
      (await refusedFirings.get()).values.find((v) => v.labels.code === 'occurrence_not_due')?.value ?? 0;
    const lostBefore = await lostRaces();
    await sleep(8000);
    await Promise.all(ids.map((id) => api.request('POST', `/api/tasks/${id}/pause`)));
    let total = 0;
    for (const id of ids) {
      const starts = await eventsOf(api.store, id, 'TaskExecutionStarted');
      expect(new Set(starts.map((s) => s.occurrence)).size).toBe(starts.length);
      const dues = starts.map((s) => Date.parse(s.dueAt)).sort((a, b) => a - b);
      for (let i = 1; i < dues.length; i++) expect(dues[i] - dues[i - 1]).toBe(1000);
      expect(starts.length).toBeGreaterThanOrEqual(6);
      total += starts.length;
    }
    expect(total).toBeGreaterThan(40 * 6);
    // The race was real: for most starts the other worker's firing was refused (it lost the race).
    expect((await lostRaces()) - lostBefore).toBeGreaterThanOrEqual(total / 2);
  });
});
