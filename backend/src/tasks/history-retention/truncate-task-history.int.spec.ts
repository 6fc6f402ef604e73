import { randomUUID } from 'node:crypto';
import { writeLongHistory } from '../../../test/long-history';
import { createTestDatabase } from '../../../test/test-database';
import { PostgresEventStore } from '../../event-store/postgres/postgres-event-store';
import { taskStreamId } from '../domain/task.events';
import { truncateTaskHistory } from './truncate-task-history';

/** How a sweep bounds one task's cut: the cutoff, the read model's progress, events folded per sweep. */
describe('truncateTaskHistory', () => {
  let store: PostgresEventStore;
  beforeAll(async () => {
    store = await PostgresEventStore.connect(await createTestDatabase('truncate_task'));
  });
  afterAll(() => store.close());

  const longTask = async (cycles: number) => {
    const taskId = randomUUID();
    const { revision } = await writeLongHistory(store, taskId, cycles, { chunk: 10_000 });
    return { taskId, last: revision, stream: taskStreamId(taskId) };
  };
  const future = new Date(Date.now() + 3_600_000);

  it('cuts nothing when nothing is older than the cutoff', async () => {
    const { taskId, stream } = await longTask(20);
    expect(await truncateTaskHistory(store, taskId, new Date(Date.now() - 3_600_000))).toEqual({
      kind: 'nothing',
    });
    expect(await store.readStreamBase(stream)).toBeUndefined();
  });

  it('cuts a long history in steps of at most maxEvents, never its last event', async () => {
    const { taskId, last, stream } = await longTask(100); // 1 + 100 × 3 events, all recorded now
    const cuts: number[] = [];
    for (let sweep = 0; sweep < 10; sweep++) {
      const outcome = await truncateTaskHistory(store, taskId, future, { maxEvents: 120 });
      if (outcome.kind !== 'cut') break;
      cuts.push(outcome.throughRevision);
    }
    expect(cuts.length).toBeGreaterThanOrEqual(3);
    for (const [i, cut] of cuts.entries())
      expect(cut - (i === 0 ? -1 : cuts[i - 1])).toBeLessThanOrEqual(120);
    const [head] = await store.readStream(stream, { direction: 'backwards', maxCount: 1 });
    // Each cut appended a marker; the stream's last event always stayed.
    expect(head.revision).toBe(last + cuts.length);
    expect((await store.readStreamBase(stream))!.revision).toBe(cuts.at(-1));
    expect(cuts.at(-1)!).toBeLessThan(head.revision);
  });

  it('stays at or before the revision the read model applied', async () => {
    const { taskId } = await longTask(30);
    const outcome = await truncateTaskHistory(store, taskId, future, { appliedRevision: 40 });
    expect(outcome).toMatchObject({ kind: 'cut' });
    expect((outcome as { throughRevision: number }).throughRevision).toBeLessThanOrEqual(40);
  });
});
