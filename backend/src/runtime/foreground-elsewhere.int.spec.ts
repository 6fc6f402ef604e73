import { Pool } from 'pg';
import { createTestDatabase } from '../../test/test-database';
import { PgListener } from '../database/pg-listener';
import { FOREGROUND_CHANNEL, ForegroundAnnouncer, ForegroundElsewhere } from './foreground-elsewhere';
import { Foreground } from './foreground';

/** A worker process's burst reaches the projector process's Foreground through PostgreSQL. */
describe('the foreground heard across processes', () => {
  it('makes the projector’s foreground busy while another process’s is, and frees it after', async () => {
    const url = await createTestDatabase('foreground_elsewhere');
    const pool = new Pool({ connectionString: url, max: 2 });
    const listener = new PgListener({ connectionString: url });
    const workerSide = new Foreground();
    let executions = 0;
    workerSide.add(() => executions);
    const announcer = new ForegroundAnnouncer(
      () => workerSide.count(),
      (payload) => pool.query('SELECT pg_notify($1, $2)', [FOREGROUND_CHANNEL, payload]),
    );
    try {
      const elsewhere = new ForegroundElsewhere();
      await listener.listen(FOREGROUND_CHANNEL, (payload) => elsewhere.receive(payload));
      const projectorSide = new Foreground();
      projectorSide.add(() => elsewhere.count());
      expect(projectorSide.busy()).toBe(false);
      executions = 10_000; // a burst begins in the worker process
      await waitUntil(() => projectorSide.busy());
      executions = 0;
      await waitUntil(() => !projectorSide.busy());
    } finally {
      announcer.close();
      await listener.close();
      await pool.end();
    }
  });
});

async function waitUntil(condition: () => boolean): Promise<void> {
  for (const until = Date.now() + 2000; !condition(); await new Promise((r) => setTimeout(r, 5)))
    if (Date.now() > until) throw new Error('condition not met within 2 s');
}
