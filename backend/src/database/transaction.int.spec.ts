import { Pool } from 'pg';
import { createTestDatabase } from '../../test/test-database';
import { survivingConnectionLoss } from './connection-loss';
import { inTransaction } from './transaction';

describe('inTransaction', () => {
  let pool: Pool;
  const rows = async (): Promise<number[]> =>
    (await pool.query<{ n: number }>('SELECT n FROM t ORDER BY n')).rows.map((row) => row.n);

  beforeAll(async () => {
    pool = survivingConnectionLoss(new Pool({ connectionString: await createTestDatabase('tx'), max: 2 }));
    await pool.query('CREATE TABLE t (n int PRIMARY KEY)');
  });
  beforeEach(() => pool.query('TRUNCATE t'));
  afterAll(() => pool.end());

  it('commits what the work wrote and returns its result', async () => {
    const result = await inTransaction(pool, async (client) => {
      await client.query('INSERT INTO t VALUES (1)');
      return 'done';
    });
    expect(result).toBe('done');
    expect(await rows()).toEqual([1]);
    expect(pool.idleCount).toBe(pool.totalCount);
  });

  it('rolls back and rethrows when the work throws, and the client goes back to the pool', async () => {
    const failure = inTransaction(pool, async (client) => {
      await client.query('INSERT INTO t VALUES (1)');
      await client.query('INSERT INTO t VALUES (1)');
    });
    await expect(failure).rejects.toMatchObject({ code: '23505' });
    expect(await rows()).toEqual([]);
    expect(pool.totalCount).toBeGreaterThan(0);
    expect(pool.idleCount).toBe(pool.totalCount);
  });

  it('rolls back a result that `commit` refuses, and still returns it', async () => {
    const result = await inTransaction(
      pool,
      async (client) => {
        await client.query('INSERT INTO t VALUES (1)');
        return { keep: false };
      },
      { commit: ({ keep }) => keep },
    );
    expect(result).toEqual({ keep: false });
    expect(await rows()).toEqual([]);
  });

  it('opens the transaction with `begin`', async () => {
    const begin = 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY';
    const level = await inTransaction(
      pool,
      async (client) => (await client.query('SHOW transaction_isolation')).rows[0].transaction_isolation,
      { begin },
    );
    expect(level).toBe('repeatable read');
    const write = inTransaction(pool, (client) => client.query('INSERT INTO t VALUES (1)'), { begin });
    await expect(write).rejects.toMatchObject({ code: '25006' }); // read_only_sql_transaction
  });

  it('destroys the client when even the rollback fails', async () => {
    await pool.query('SELECT 1'); // at least one idle client, which the work takes and loses
    const before = pool.totalCount;
    const lost = inTransaction(pool, (client) =>
      client.query('SELECT pg_terminate_backend(pg_backend_pid())'),
    );
    await expect(lost).rejects.toThrow();
    expect(pool.totalCount).toBe(before - 1);
    expect(await rows()).toEqual([]); // the pool serves working connections still
  });
});
