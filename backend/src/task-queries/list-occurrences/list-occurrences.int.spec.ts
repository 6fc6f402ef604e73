import { Pool } from 'pg';
import { Projector } from '../../projections/projector/projector';
import { WORKLOAD_START, runMixedWorkload } from '../../projections/projector/test/mixed-workload';
import { waitForPosition } from '../../projections/read-model/read-model-position';
import { migrateReadModel } from '../../projections/read-model/read-model-schema';
import { createTestDatabase } from '../../../test/test-database';
import { PostgresEventStore } from '../../event-store/postgres/postgres-event-store';
import { taskStreamId } from '../../tasks/domain/task.events';
import { ListOccurrencesQuery } from './list-occurrences.query';
import { buildLedger, dueInstants } from './occurrence-ledger';
import { projectedLedgerInput } from './test/projected-input';

const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * The ledger as the API reads it from PostgreSQL, projected in batches of a few events (so schedule
 * changes, pauses and resumes land in other batches than what they end), against the ledger of the
 * same log projected in one go: the same, for every task of a workload with every event type.
 */
describe('the occurrence ledger read from the read model', () => {
  let store: PostgresEventStore;
  let pool: Pool;

  beforeAll(async () => {
    const url = await createTestDatabase('ledger');
    store = await PostgresEventStore.connect(url);
    pool = new Pool({ connectionString: url, max: 4 });
    await migrateReadModel(pool);
  });
  afterAll(async () => {
    await store.close();
    await pool.end();
  });

  it('matches the pure ledger of each task’s log, and explains every instant', async () => {
    const { taskIds, clock } = await runMixedWorkload(store, { steps: 30 });
    const projector = new Projector({ pool, store, logger: quiet, batchSize: 3, maxBatchSize: 3 });
    projector.start();
    try {
      await waitForPosition(pool, await store.headPosition(), 30_000);
    } finally {
      await projector.stop();
    }
    const query = new ListOccurrencesQuery(pool);
    const window = { from: WORKLOAD_START.getTime() - 60_000, to: clock.now().getTime() + 60_000 };
    const now = clock.now().getTime();
    let instants = 0;
    for (const taskId of taskIds) {
      const read = await query.run(taskId, {
        from: new Date(window.from),
        to: new Date(window.to),
        now: new Date(now),
      });
      const input = projectedLedgerInput(await store.readStream(taskStreamId(taskId)), { ...window, now });
      const expected = buildLedger(input, dueInstants(input.versions, window.from, window.to, 100_000)!);
      expect(read?.items.map((i) => `${i.dueAt} ${i.kind} ${i.status} ${i.occurrence ?? ''}`)).toEqual(
        expected.map((i) => `${new Date(i.dueAt).toISOString()} ${i.kind} ${i.status} ${i.occurrence ?? ''}`),
      );
      expect(read?.counts.missing).toBe(0);
      instants += read?.items.length ?? 0;
    }
    expect(instants).toBeGreaterThan(50);
  }, 60_000);
});
