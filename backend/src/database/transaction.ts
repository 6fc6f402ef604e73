import type { Pool, PoolClient } from 'pg';

export interface TransactionOptions<T> {
  /** The statement that opens the transaction (default 'BEGIN'), e.g. to choose an isolation level. */
  begin?: string;
  /**
   * Whether to commit what `work` returned (default: always). A result it refuses is rolled back and
   * still returned: the projector rolls back a batch that found its checkpoint moved, and follows on.
   */
  commit?: (result: T) => boolean;
}

/**
 * Runs `work` in a transaction on a client of its own from `pool`: BEGIN, `work`, COMMIT. If anything
 * throws (`work`, or the COMMIT), it rolls back and rethrows. The client then goes back to the pool,
 * unless even the ROLLBACK failed: a connection left in an unknown state (lost, or still inside the
 * transaction) is destroyed rather than handed to the next caller.
 */
export async function inTransaction<T>(
  pool: Pool,
  work: (client: PoolClient) => Promise<T>,
  { begin = 'BEGIN', commit }: TransactionOptions<T> = {},
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query(begin);
    const result = await work(client);
    await client.query(!commit || commit(result) ? 'COMMIT' : 'ROLLBACK');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
    throw error;
  } finally {
    client.release(broken);
  }
}
