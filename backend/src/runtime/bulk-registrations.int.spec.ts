import { Pool } from 'pg';
import { createTestDatabase } from '../../test/test-database';
import { PgListener } from '../database/pg-listener';
import {
  BULK_REGISTRATIONS_CHANNEL,
  BulkRegistrationsAnnouncer,
  OtherProcessesRegistrations,
} from './bulk-registrations';
import { Foreground } from './foreground';

/** An API process's bulk registrations reach another process's Foreground through PostgreSQL. */
describe('bulk registrations heard across processes', () => {
  it('make the projector’s foreground busy while they run, and free it after', async () => {
    const url = await createTestDatabase('bulk_registrations');
    const pool = new Pool({ connectionString: url, max: 2 });
    const listener = new PgListener({ connectionString: url });
    try {
      const others = new OtherProcessesRegistrations();
      await listener.listen(BULK_REGISTRATIONS_CHANNEL, (payload) => others.receive(payload));
      const projectorSide = new Foreground();
      projectorSide.add(() => others.total(), { ownWorkers: false });
      const announcer = new BulkRegistrationsAnnouncer((payload) =>
        pool.query('SELECT pg_notify($1, $2)', [BULK_REGISTRATIONS_CHANNEL, payload]),
      );
      expect(projectorSide.busy()).toBe(false);
      announcer.changed(1000); // a batch of 1,000 begins in the API process
      await waitUntil(() => projectorSide.busy());
      expect(projectorSide.tracksWorkers()).toBe(false); // still no worker backlog of its own
      announcer.changed(0);
      await waitUntil(() => !projectorSide.busy());
      announcer.close();
    } finally {
      await listener.close();
      await pool.end();
    }
  });
});

async function waitUntil(condition: () => boolean): Promise<void> {
  for (const until = Date.now() + 2000; !condition(); await new Promise((r) => setTimeout(r, 5)))
    if (Date.now() > until) throw new Error('condition not met within 2 s');
}
