import { eventsOf } from '../../test/task-events';
import { createTestDatabase } from '../../test/test-database';
import { startTestApp, type TestApp } from '../../test/test-app';
import { sleep } from '../../test/wait-for';

/**
 * The worker stops for 30 s while cron tasks every 2 s fall due; with a misfire threshold of 5 s the
 * occurrences it finds on restart are misfired, and each policy does what it promises:
 * fire_once runs the missed ones as one run, skip records a skip and runs none of them, fire_all runs
 * each. Occurrences within the threshold always fire (late); that is covered by the cluster test.
 */
describe('misfire policies after a 30 s stop', () => {
  jest.setTimeout(90_000);
  const env = { KAIROS_MISFIRE_THRESHOLD_MS: '5000' };
  let api: TestApp;
  let worker: TestApp | undefined;
  afterAll(async () => {
    await worker?.close();
    await api.close();
  });

  it('fires once, skips, or fires all as each task says', async () => {
    const databaseUrl = await createTestDatabase('misfire');
    api = await startTestApp(env, { roles: 'api,projector', databaseUrl });
    worker = await startTestApp(env, { roles: 'worker', databaseUrl });
    const ids: Record<string, string> = {};
    for (const misfire of ['fire_once', 'skip', 'fire_all']) {
      const { body } = await api.request('POST', '/api/tasks', {
        body: {
          name: misfire,
          schedule: { kind: 'cron', expression: '*/2 * * * * *', timezone: 'UTC' },
          action: { kind: 'log', message: misfire },
          overlap: 'allow',
          misfire,
        },
      });
      ids[misfire] = body.id;
    }
    await sleep(4500);
    await worker.close();
    await sleep(30_000);
    worker = await startTestApp(env, { roles: 'worker', databaseUrl });
    const restartedAt = Date.now();
    await sleep(5000);
    await worker.close();
    worker = undefined;

    // Starts after the restart of occurrences that were due more than the threshold before it.
    const misfired = async (id: string) =>
      (await eventsOf(api.store, id, 'TaskExecutionStarted')).filter(
        (s) => Date.parse(s.startedAt) >= restartedAt && Date.parse(s.dueAt) < restartedAt - 5000,
      );

    // fire_once: the missed occurrences collapse into one run.
    expect(await misfired(ids.fire_once)).toHaveLength(1);
    // skip: none of them runs; the skip is recorded.
    expect(await misfired(ids.skip)).toHaveLength(0);
    const skips = await eventsOf(api.store, ids.skip, 'TaskOccurrenceSkipped');
    expect(skips.map((s) => s.reason)).toContain('misfire');
    // fire_all: each one runs (about 15 in 30 s; the window above excludes the edges).
    expect((await misfired(ids.fire_all)).length).toBeGreaterThanOrEqual(10);
    // And all three are back on schedule after the restart.
    for (const id of Object.values(ids)) {
      const after = (await eventsOf(api.store, id, 'TaskExecutionStarted')).filter(
        (s) => Date.parse(s.dueAt) > restartedAt,
      );
      expect(after.length).toBeGreaterThanOrEqual(1);
    }
  });
});
