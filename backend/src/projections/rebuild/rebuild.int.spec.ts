import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Pool } from 'pg';
import { PostgresEventStore } from '../../event-store/postgres/postgres-event-store';
import { createTestDatabase } from '../../../test/test-database';
import { Projector } from '../projector/projector';
import { registerMany, runMixedWorkload } from '../projector/test/mixed-workload';
import { waitForPosition } from '../read-model/read-model-position';
import { migrateReadModel } from '../read-model/read-model-schema';
import { dumpReadModel } from '../read-model/test/dump-read-model';
import { type RebuildProgress, rebuildReadModel } from './rebuild';

const ROOT = join(__dirname, '..', '..', '..', '..');
const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };

describe('rebuilding the read model', () => {
  let store: PostgresEventStore;
  let pool: Pool;
  let url: string;

  beforeAll(async () => {
    url = await createTestDatabase('rebuild');
    store = await PostgresEventStore.connect(url);
    pool = new Pool({ connectionString: url, max: 8 });
    await migrateReadModel(pool);
  });
  afterAll(async () => {
    await store.close();
    await pool.end();
  });

  it('swaps in a fresh read model while the live one keeps answering and the log keeps growing', async () => {
    await registerMany(store, 3000);
    await runMixedWorkload(store, { steps: 20 });
    const live = new Projector({ pool, store, logger: quiet, batchSize: 100 });
    live.start();
    try {
      await waitForPosition(pool, await store.headPosition(), 20_000);
      const progress: RebuildProgress[] = [];
      let appending = true;
      let reads = 0;
      const writer = (async () => {
        while (appending) {
          await registerMany(store, 20);
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      })();
      const reader = (async () => {
        while (appending) {
          const { rows } = await pool.query(
            "SELECT count(*)::int AS n FROM read_model.tasks WHERE status <> 'deleted'",
          );
          expect(rows[0].n).toBeGreaterThanOrEqual(3000);
          reads++;
        }
      })();
      let result: Awaited<ReturnType<typeof rebuildReadModel>>;
      try {
        result = await rebuildReadModel({
          pool,
          store,
          batchSize: 200,
          logger: quiet,
          signal: AbortSignal.timeout(40_000),
          onProgress: (p) => progress.push(p),
        });
      } finally {
        appending = false;
        await Promise.all([writer, reader]);
      }

      expect(reads).toBeGreaterThan(0);
      // At least the 3000 registrations, one event each (ADR 021), with the workload's events after them.
      expect(result.events).toBeGreaterThan(3000);
      expect(progress.length).toBeGreaterThan(10);
      expect(progress.at(-1)?.position).toBe(result.position);
      const { rows: schemas } = await pool.query(
        "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'read_model%'",
      );
      expect(schemas.map((row) => row.nspname)).toEqual(['read_model']);

      // The live projector follows on from the swapped-in checkpoint: nothing lost, nothing twice.
      await registerMany(store, 10);
      await waitForPosition(pool, await store.headPosition(), 20_000);
      const after = await dumpReadModel(pool);
      expect(after.tasks.length).toBeGreaterThanOrEqual(3016);
      // The mixed workload changes a schedule, pauses and skips: the ledger's tables are compared too.
      expect(after.schedule_versions.length).toBeGreaterThan(after.tasks.length);
      expect(after.pause_intervals.length).toBeGreaterThan(0);
      expect(after.skipped_occurrences.length).toBeGreaterThan(0);
      await rebuildReadModel({ pool, store, logger: quiet });
      expect(await dumpReadModel(pool)).toEqual(after);
    } finally {
      await live.stop();
    }
  }, 60_000);

  it('runs as `npm run projections:rebuild` with a progress bar', async () => {
    const { stdout, stderr } = await promisify(execFile)('npm', ['run', '--silent', 'projections:rebuild'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: url },
    });
    expect(stderr).toMatch(/rebuild \|.*\| 100% \| position \d+\/\d+ \| [\d,]+ events \| [\d,]+ events\/s/);
    expect(stdout).toMatch(/read model rebuilt and swapped in: [\d,]+ events up to position \d+/);
  }, 60_000);
});
