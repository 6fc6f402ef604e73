import { Pool } from 'pg';
import { createTestDatabase } from '../../test/test-database';
import { survivingConnectionLoss } from './connection-loss';

/**
 * The server ends a checked-out pipelined connection (as a restart does): the queries on it fail, the
 * process lives on, and the pool hands out a working connection again.
 */
describe('survivingConnectionLoss', () => {
  it('lets a checked-out pipelined connection die without an unhandled error event', async () => {
    const url = await createTestDatabase('connection_loss');
    const pool = survivingConnectionLoss(new Pool({ connectionString: url, max: 1, pipeline: true }));
    const admin = new Pool({ connectionString: url, max: 1 });
    const unhandled: unknown[] = [];
    const onUncaught = (error: unknown): void => {
      unhandled.push(error);
    };
    process.on('uncaughtException', onUncaught);
    try {
      const client = await pool.connect();
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      const queries = [client.query('SELECT pg_sleep(2)'), client.query('SELECT 1')];
      await admin.query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
      const settled = await Promise.allSettled(queries);
      expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected']);
      client.release(true);
      await new Promise((resolve) => setTimeout(resolve, 200)); // any late 'error' event would come now
      expect(unhandled).toEqual([]);
      expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows[0].one).toBe(1);
    } finally {
      process.off('uncaughtException', onUncaught);
      await admin.end();
      await pool.end();
    }
  });
});
