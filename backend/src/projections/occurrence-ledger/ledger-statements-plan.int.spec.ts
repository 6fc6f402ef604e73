import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { createTestDatabase } from '../../../test/test-database';
import { migrateReadModel, quoteIdentifier, READ_MODEL_SCHEMA } from '../read-model/read-model-schema';
import { ledgerStatements } from './ledger-statements';

interface PlanNode {
  'Node Type': string;
  'Actual Rows'?: number;
  Plans?: PlanNode[];
}

const nodesOf = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodesOf)];

/**
 * Closing a batch's schedule versions must cost what the batch closes, also on a read model grown from
 * empty and not yet analyzed (a fresh deployment's first hours): the planner then believes the table
 * nearly empty, and a join on the JSON rows alone read every open version (4.8 ms at 30,000).
 */
describe('closing schedule versions on a table never analyzed', () => {
  let pool: Pool;
  beforeAll(async () => {
    pool = new Pool({ connectionString: await createTestDatabase('ledger_plan'), max: 1 });
    await migrateReadModel(pool);
    await pool.query(`INSERT INTO read_model.schedule_versions (task_id, opened_position, since, schedule, position)
      SELECT gen_random_uuid(), g, now(), '{"kind":"once"}'::jsonb, g FROM generate_series(1, 30000) g`);
  }, 60_000);
  afterAll(() => pool.end());

  it('reads only the versions it closes', async () => {
    const { rows } = await pool.query<{ task_id: string }>(
      'SELECT task_id FROM read_model.schedule_versions ORDER BY random() LIMIT 5',
    );
    const closes = [...rows, { task_id: randomUUID() }].map(({ task_id }, i) => ({
      task_id,
      until: new Date().toISOString(),
      until_reason: 'completed' as const,
      dropped_from: null,
      position: 40_000 + i,
    }));
    const [close] = ledgerStatements(quoteIdentifier(READ_MODEL_SCHEMA), {
      closes,
      versions: [],
      pauses: [],
      skips: [],
    });
    await pool.query('BEGIN');
    const plan = await pool.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
      `EXPLAIN (ANALYZE, FORMAT JSON) ${close.text}`,
      close.values,
    );
    await pool.query('ROLLBACK');
    const rowsRead = nodesOf(plan.rows[0]['QUERY PLAN'][0].Plan).map((node) => node['Actual Rows'] ?? 0);
    expect(Math.max(...rowsRead)).toBeLessThanOrEqual(closes.length);
    const { rows: open } = await pool.query(
      'SELECT count(*)::int AS n FROM read_model.schedule_versions WHERE until IS NULL',
    );
    expect(open[0].n).toBe(30_000); // rolled back: nothing closed for good
  });
});
