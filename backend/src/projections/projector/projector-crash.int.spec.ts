import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { Pool } from 'pg';
import { PostgresEventStore } from '../../event-store/postgres/postgres-event-store';
import { createTestDatabase } from '../../../test/test-database';
import { readModelPosition, waitForPosition } from '../read-model/read-model-position';
import { migrateReadModel } from '../read-model/read-model-schema';
import { dumpReadModel } from '../read-model/test/dump-read-model';
import { rebuildReadModel } from '../rebuild/rebuild';
import { Projector } from './projector';
import { registerMany, runMixedWorkload } from './test/mixed-workload';

const ROOT = join(__dirname, '..', '..', '..', '..');
const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };

/** A projector process killed with SIGKILL in the middle of a batch, then a new one started. */
describe('a projector killed mid-batch', () => {
  let store: PostgresEventStore;
  let pool: Pool;
  let url: string;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    url = await createTestDatabase('crash');
    store = await PostgresEventStore.connect(url);
    pool = new Pool({ connectionString: url, max: 6 });
    await migrateReadModel(pool);
  });
  afterAll(async () => {
    if (child?.exitCode === null) child.kill('SIGKILL');
    await store.close();
    await pool.end();
  });

  it('restarts into a read model identical, row for row, to a full rebuild', async () => {
    await registerMany(store, 2000);
    await runMixedWorkload(store, { steps: 25 });
    const head = await store.headPosition();

    child = spawn(
      process.execPath,
      [join(ROOT, 'scripts/run-ts.js'), 'backend/src/projections/projector/test/projector-child.ts', url],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    // Let it commit some batches, then kill it while a batch's transaction is open.
    const deadline = Date.now() + 60_000;
    while ((await readModelPosition(pool)) < head / 3 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // Its batch transaction is open (it lingers there after writing the task rows): kill it now.
    const inBatch = async () =>
      (
        await pool.query(
          "SELECT 1 FROM pg_stat_activity WHERE application_name = 'projector-child' AND state = 'idle in transaction'",
        )
      ).rowCount;
    while (!(await inBatch()) && Date.now() < deadline) await new Promise((resolve) => setImmediate(resolve));
    child.kill('SIGKILL');
    await exited;

    const killedAt = await readModelPosition(pool);
    expect(killedAt).toBeGreaterThan(0);
    expect(killedAt).toBeLessThan(head);
    const { rows } = await pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM read_model.tasks WHERE position > $1',
      [killedAt],
    );
    expect(rows[0].n).toBe(0); // nothing of the open batch survived

    const projector = new Projector({ pool, store, logger: quiet, batchSize: 200 });
    projector.start();
    try {
      expect(await waitForPosition(pool, head, 30_000)).toBe(head);
    } finally {
      await projector.stop();
    }
    const restarted = await dumpReadModel(pool);
    await rebuildReadModel({ pool, store, logger: quiet });
    expect(await dumpReadModel(pool)).toEqual(restarted);
  }, 120_000);
});
