import { createTestDatabase } from '../../../test/test-database';
import type { ReadStreamOptions } from '../event-store';
import { PostgresEventStore, readStreamQuery } from './postgres-event-store';

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Scan Direction'?: string;
  'Actual Rows'?: number;
  Plans?: PlanNode[];
}

/**
 * A page of a long stream must cost what it returns: PostgreSQL has to answer it with a range scan of
 * the (stream_id, revision) index in the page's direction, stopping at the LIMIT, never a sort of the
 * whole stream. Checked on the plan PostgreSQL really picks, with statistics of a long stream.
 */
describe('PostgreSQL stream reads use the (stream_id, revision) index', () => {
  let store: PostgresEventStore;
  const long = 'task-long';
  beforeAll(async () => {
    store = await PostgresEventStore.connect(await createTestDatabase('read_plan'));
    const batch = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ type: i % 500 === 0 ? 'Rare' : 'Common', data: { i } }));
    for (let revision = -1; revision < 39_999; revision += 10_000) {
      await store.append(long, batch(10_000), revision < 0 ? 'no_stream' : revision);
    }
    await store.appendMany(
      Array.from({ length: 200 }, (_, s) => ({
        streamId: `task-other-${s}`,
        events: batch(50),
        expectedRevision: 'no_stream' as const,
      })),
    );
    await store.pool.query('ANALYZE event_store.events');
  }, 60_000);
  afterAll(() => store.close());

  async function plan(options: ReadStreamOptions): Promise<PlanNode> {
    const query = readStreamQuery(long, options);
    if (!query) throw new Error('no query');
    const { rows } = await store.pool.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
      `EXPLAIN (ANALYZE, FORMAT JSON) ${query.text}`,
      query.values,
    );
    return rows[0]['QUERY PLAN'][0].Plan;
  }

  const leafOf = (node: PlanNode): PlanNode => (node.Plans ? leafOf(node.Plans[0]) : node);
  const scanOf = (node: PlanNode): PlanNode =>
    node['Node Type'] === 'Limit' && node.Plans ? scanOf(node.Plans[0]) : node;

  it('reads the newest page backwards along the index, touching only the page', async () => {
    const scan = scanOf(await plan({ direction: 'backwards', maxCount: 51 }));
    expect(scan).toMatchObject({ 'Node Type': 'Index Scan', 'Scan Direction': 'Backward' });
    expect(scan['Index Name']).toMatch(/stream_id_revision/);
    expect(scan['Actual Rows']).toBe(51);
  });

  it('reads an older page from a revision the same way', async () => {
    const scan = scanOf(await plan({ direction: 'backwards', fromRevision: 20_000, maxCount: 51 }));
    expect(scan).toMatchObject({ 'Node Type': 'Index Scan', 'Scan Direction': 'Backward' });
    expect(scan['Actual Rows']).toBe(51);
  });

  it('reads a bounded window, forwards or filtered, from the index range alone', async () => {
    // Over a range PostgreSQL may pick a bitmap scan and sort the window: still only the window's rows.
    const forwards = leafOf(await plan({ fromRevision: 30_000, toRevision: 30_999, maxCount: 1000 }));
    expect(forwards['Index Name']).toMatch(/stream_id_revision/);
    expect(forwards['Actual Rows']).toBeLessThanOrEqual(1000);
    const filtered = await plan({
      direction: 'backwards',
      types: ['Rare'],
      fromRevision: 39_999,
      toRevision: 35_000,
    });
    expect(leafOf(filtered)['Index Name']).toMatch(/stream_id_revision/);
    expect(leafOf(filtered)['Actual Rows']).toBeLessThanOrEqual(5000);
    expect(filtered['Actual Rows']).toBe(10); // revisions 35,000 to 39,999 hold ten Rare events
  });
});
