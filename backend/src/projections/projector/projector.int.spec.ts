import { randomUUID } from 'node:crypto';
import { Client, Pool } from 'pg';
import { PostgresEventStore } from '../../event-store/postgres/postgres-event-store';
import { TASK_EVENT_TYPES, assertTaskEvent, scheduledBy, taskStreamId } from '../../tasks/domain/task.events';
import { createTestDatabase } from '../../../test/test-database';
import { CHANGE_CHANNEL, type ReadModelChange, decodeChange } from '../change-feed/change-feed';
import { readModelPosition, waitForPosition } from '../read-model/read-model-position';
import { migrateReadModel } from '../read-model/read-model-schema';
import { dumpReadModel } from '../read-model/test/dump-read-model';
import { rebuildReadModel } from '../rebuild/rebuild';
import { Projector } from './projector';
import { registerMany, runMixedWorkload } from './test/mixed-workload';

const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };

describe('the projector (PostgreSQL)', () => {
  let store: PostgresEventStore;
  let pool: Pool;
  let url: string;
  const running: Projector[] = [];

  const startProjector = (options: Partial<ConstructorParameters<typeof Projector>[0]> = {}): Projector => {
    const projector = new Projector({ pool, store, logger: quiet, retryDelayMs: 10, ...options });
    projector.start();
    running.push(projector);
    return projector;
  };
  const caughtUp = async (): Promise<void> => {
    const head = await store.headPosition();
    expect(await waitForPosition(pool, head, 20_000)).toBeGreaterThanOrEqual(head);
  };
  /** The live read model, then a rebuild of it from position 0: they must be equal row for row. */
  const expectRebuildEqualsLive = async (): Promise<void> => {
    const live = await dumpReadModel(pool);
    expect(live.tasks.length).toBeGreaterThan(0);
    const schemaOid = async () =>
      (await pool.query("SELECT oid::int FROM pg_namespace WHERE nspname = 'read_model'")).rows[0].oid;
    const before = await schemaOid();
    await rebuildReadModel({ pool, store, batchSize: 333, logger: quiet });
    expect(await schemaOid()).not.toBe(before);
    expect(await dumpReadModel(pool)).toEqual(live);
  };

  beforeEach(async () => {
    url = await createTestDatabase('projector');
    store = await PostgresEventStore.connect(url);
    pool = new Pool({ connectionString: url, max: 8 });
    await migrateReadModel(pool);
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((projector) => projector.stop()));
    await store.close();
    await pool.end();
  });

  it('projects a mixed workload of every event type; a rebuild equals the live read model', async () => {
    startProjector({ batchSize: 40 });
    const { taskIds } = await runMixedWorkload(store);
    const log = await store.readAll({ maxCount: 100_000 });
    // Every type but retention's marker, which the next test covers.
    expect([...new Set(log.map((e) => e.type))].sort()).toEqual(
      TASK_EVENT_TYPES.filter((type) => type !== 'TaskHistoryTruncated').sort(),
    );
    const reasons = (type: string) =>
      new Set(log.filter((e) => e.type === type).map((e) => (e.data as { reason: string }).reason));
    // A registration's first occurrence is in its TaskRegistered (ADR 021), every other one a TaskScheduled.
    expect([...reasons('TaskScheduled')].sort()).toEqual([
      'backfill',
      'manual',
      'next',
      'resumed',
      'retry',
      'updated',
    ]);
    const scheduledReasons = new Set(
      log.flatMap((e) => {
        const scheduled = scheduledBy(assertTaskEvent(e.type, e.data));
        return scheduled ? [scheduled.reason] : [];
      }),
    );
    expect([...scheduledReasons].sort()).toEqual([
      'backfill',
      'manual',
      'next',
      'registered',
      'resumed',
      'retry',
      'updated',
    ]);
    expect([...reasons('TaskOccurrenceSkipped')].sort()).toEqual(['misfire', 'overlap']);
    await caughtUp();

    const { rows: tasks } = await pool.query(
      'SELECT task_id, status, revision, state FROM read_model.tasks ORDER BY name',
    );
    expect(tasks).toHaveLength(taskIds.length);
    for (const task of tasks) {
      const events = await store.readStream(taskStreamId(task.task_id));
      expect(Number(task.revision)).toBe(events.at(-1)?.revision);
    }
    const { rows: due } = await pool.query(
      `SELECT t.status, d.reason FROM read_model.due_occurrences d JOIN read_model.tasks t USING (task_id)`,
    );
    expect(due.every((row) => row.status === 'active' || row.reason === 'manual')).toBe(true);
    const { rows: outcomes } = await pool.query(
      'SELECT DISTINCT outcome FROM read_model.executions ORDER BY outcome',
    );
    expect(outcomes.map((row) => row.outcome)).toEqual(
      expect.arrayContaining(['succeeded', 'failed', 'timed_out', 'lost']),
    );
    const { rows: stats } = await pool.query('SELECT sum(count)::int AS n FROM read_model.stats_minute');
    const { rows: finished } = await pool.query(
      'SELECT count(*)::int AS n FROM read_model.executions WHERE outcome IS NOT NULL',
    );
    expect(stats[0].n).toBe(finished[0].n);
    // The limited task's runs waited for their slot from their due time: the wait is their lag.
    const { rows: waits } = await pool.query(
      'SELECT count(*)::int AS n, bool_and(waited_ms = lag_ms) AS same FROM read_model.executions WHERE waited_ms IS NOT NULL',
    );
    expect(waits[0]).toEqual({ n: expect.any(Number), same: true });
    expect(waits[0].n).toBeGreaterThan(0);
    await expectRebuildEqualsLive();
  });

  // Cut while interval-f is paused (steps 4-8; open at the cut, resumed after it) and after it.
  it.each([6, 12])(
    'applies a retention cut of what came before step %i: what was cut leaves the read model, a rebuild equals it',
    async (olderThanStep) => {
      startProjector({ batchSize: 40 });
      const { cuts } = await runMixedWorkload(store, {
        cut: { olderThanStep, atStep: 18, beforeCut: caughtUp },
      });
      expect(cuts.size).toBeGreaterThanOrEqual(3);
      await caughtUp();
      for (const [taskId, through] of cuts) {
        const stream = taskStreamId(taskId);
        expect((await store.readStream(stream, { maxCount: 1 }))[0].revision).toBe(through + 1);
        const [marker] = await store.readStream(stream, { types: ['TaskHistoryTruncated'] });
        const { throughPosition } = marker.data as { throughPosition: number };
        // Only executions (and skips) after the cut are left, and the task's row is at the head.
        const { rows } = await pool.query(
          `SELECT (SELECT count(*)::int FROM read_model.executions WHERE task_id = $1 AND position <= $2) AS executions,
                (SELECT count(*)::int FROM read_model.skipped_occurrences WHERE task_id = $1 AND position <= $2) AS skips,
                (SELECT revision::int FROM read_model.tasks WHERE task_id = $1) AS revision`,
          [taskId, throughPosition],
        );
        const [head] = await store.readStream(stream, { direction: 'backwards', maxCount: 1 });
        expect(rows[0]).toEqual({ executions: 0, skips: 0, revision: head.revision });
      }
      // stats_minute counts what ran (ADR 012): a rebuild counts only what the log kept.
      const live = await dumpReadModel(pool);
      await rebuildReadModel({ pool, store, batchSize: 333, logger: quiet });
      const rebuilt = await dumpReadModel(pool);
      expect({ ...rebuilt, stats_minute: [] }).toEqual({ ...live, stats_minute: [] });
    },
  );

  it('parks an event it cannot apply and goes on with the later ones', async () => {
    startProjector();
    const [id] = await registerMany(store, 1);
    const stream = taskStreamId(id);
    await store.append(stream, [{ type: 'TaskScheduled', data: { occurrence: 'soon' } }], 0);
    await store.append(stream, [{ type: 'TaskRenamedByMistake', data: {} }], 1);
    await store.append('task-not-a-uuid', [{ type: 'TaskPaused', data: { pausedAt: 'x' } }], 'no_stream');
    await store.append(stream, [{ type: 'TaskPaused', data: { pausedAt: '2026-11-24T08:00:05Z' } }], 2);
    await caughtUp();

    const { rows: parked } = await pool.query(
      'SELECT position, stream_id, type, error FROM read_model.parked_events ORDER BY position',
    );
    expect(parked.map((row) => [row.stream_id, row.type])).toEqual([
      [stream, 'TaskScheduled'],
      [stream, 'TaskRenamedByMistake'],
      ['task-not-a-uuid', 'TaskPaused'],
    ]);
    expect(parked[0].error).toMatch(/occurrence is missing or malformed/);
    const { rows } = await pool.query('SELECT status, revision FROM read_model.tasks WHERE task_id = $1', [
      id,
    ]);
    expect(rows).toEqual([{ status: 'paused', revision: '3' }]);
    await expectRebuildEqualsLive();
  });

  it('a batch that fails half-written leaves nothing behind; the retry equals a rebuild', async () => {
    await registerMany(store, 600);
    await runMixedWorkload(store, { steps: 12 });
    let failures = 0;
    const projector = startProjector({
      batchSize: 100,
      afterTaskRows: ({ position }) => {
        if (position > 500 && failures < 3) {
          failures++;
          throw new Error('injected failure after the task rows');
        }
      },
    });
    await caughtUp();
    expect(failures).toBe(3);
    expect(projector.position).toBe(await store.headPosition());
    await expectRebuildEqualsLive();
  });

  it('two projectors on one read model never apply an event twice', async () => {
    startProjector({ batchSize: 25 });
    startProjector({ batchSize: 60 });
    await registerMany(store, 400);
    await runMixedWorkload(store, { steps: 15 });
    await caughtUp();
    await expectRebuildEqualsLive();
  });

  it('NOTIFYs each committed batch: changed buckets, tasks and executions, or `all` when too large', async () => {
    const listener = new Client({ connectionString: url });
    await listener.connect();
    const changes: ReadModelChange[] = [];
    listener.on('notification', (message) => {
      const change = decodeChange(message.payload ?? '');
      if (change) changes.push(change);
    });
    await listener.query(`LISTEN ${CHANGE_CHANNEL}`);
    try {
      startProjector({ batchSize: 1000 });
      const [one] = await registerMany(store, 1);
      await caughtUp();
      await new Promise((resolve) => setTimeout(resolve, 50));
      const first = changes.at(-1)!;
      expect(first).toMatchObject({ position: await readModelPosition(pool), tasks: [one], executions: [] });
      expect(first.buckets).toHaveLength(1);

      await registerMany(store, 500); // 500 task ids do not fit a NOTIFY payload
      await caughtUp();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(changes.at(-1)).toEqual({
        position: await store.headPosition(),
        buckets: [],
        tasks: [],
        executions: [],
        all: true,
      });
    } finally {
      await listener.end();
    }
  });

  it('follows on from the checkpoint after a restart, skipping nothing and repeating nothing', async () => {
    const first = startProjector({ batchSize: 50 });
    await registerMany(store, 300);
    await caughtUp();
    await first.stop();
    await runMixedWorkload(store, { steps: 10 });
    await store.append(
      taskStreamId(randomUUID()),
      [{ type: 'TaskPaused', data: { pausedAt: '2026-11-24T08:00:00Z' } }],
      'no_stream',
    );
    startProjector({ batchSize: 50 });
    await caughtUp();
    await expectRebuildEqualsLive();
  });

  it("applies new tasks' registrations and their later events in one batch as it does event by event", async () => {
    await registerMany(store, 30);
    const { taskIds } = await runMixedWorkload(store, { steps: 12 });
    const [once] = taskIds;
    // One batch: every task's stream starts in it, with its later events.
    const projector = startProjector({ batchSize: 100_000 });
    await caughtUp();
    expect(projector.position).toBe(await store.headPosition());
    const { rows } = await pool.query(
      `SELECT t.status, t.revision, t.last_outcome, count(e.*)::int AS executions
       FROM read_model.tasks t LEFT JOIN read_model.executions e USING (task_id)
       WHERE task_id = $1 GROUP BY 1, 2, 3`,
      [once],
    );
    const stream = await store.readStream(taskStreamId(once));
    expect(rows).toEqual([
      {
        status: 'completed',
        revision: String(stream.at(-1)?.revision),
        last_outcome: expect.any(String),
        executions: stream.filter((e) => e.type === 'TaskExecutionStarted').length,
      },
    ]);
    expect(stream.length).toBeGreaterThan(3);
    // A rebuild one event per batch loads every task's row before each of its events.
    const live = await dumpReadModel(pool);
    await rebuildReadModel({ pool, store, batchSize: 1, logger: quiet });
    expect(await dumpReadModel(pool)).toEqual(live);
  });

  /** A TaskRegistered event in the form written before ADR 021 (no first occurrence), for streams written by hand. */
  const registered = (name: string, bucket = 3) => ({
    type: 'TaskRegistered',
    data: {
      definition: {
        name,
        schedule: { kind: 'interval', everySeconds: 60 },
        action: { kind: 'log', message: 'x' },
        retry: { maxAttempts: 3, backoffMs: 1000, backoffFactor: 2, maxBackoffMs: 300000 },
        timeoutMs: 30000,
        overlap: 'skip',
        misfire: 'fire_once',
      },
      bucket,
      registeredAt: '2026-11-24T08:00:00Z',
    },
  });

  it('applies a batch the careful way when a task it took for new has a row after all', async () => {
    startProjector({ batchSize: 10 });
    const id = randomUUID();
    // Another spelling of the stream writes the task's row first; the canonical stream then starts.
    await store.append(`task-${id.toUpperCase()}`, [registered('first')], 'no_stream');
    await caughtUp();
    await registerMany(store, 3);
    await store.append(
      taskStreamId(id),
      [registered('second'), { type: 'TaskPaused', data: { pausedAt: '2026-11-24T08:00:05Z' } }],
      'no_stream',
    );
    await caughtUp();
    // As event by event: revision 0 of the second stream is taken as already applied, the pause is not.
    const { rows } = await pool.query(
      'SELECT name, status, revision FROM read_model.tasks WHERE task_id = $1',
      [id],
    );
    expect(rows).toEqual([{ name: 'first', status: 'paused', revision: '1' }]);
    expect((await pool.query('SELECT count(*)::int AS n FROM read_model.tasks')).rows[0].n).toBe(4);
    await expectRebuildEqualsLive();
  });

  it('parks an event the database refuses and applies the rest of its batch', async () => {
    startProjector();
    await registerMany(store, 5);
    const refused = randomUUID();
    // A whole number, as TaskRegistered wants, but too large for the bucket column.
    await store.append(taskStreamId(refused), [registered('too-big-a-bucket', 2 ** 40)], 'no_stream');
    await registerMany(store, 5);
    await caughtUp();
    const { rows: parked } = await pool.query('SELECT stream_id, type, error FROM read_model.parked_events');
    expect(parked).toEqual([
      {
        stream_id: taskStreamId(refused),
        type: 'TaskRegistered',
        error: expect.stringMatching(/^refused by the database: .*out of range/),
      },
    ]);
    expect((await pool.query('SELECT count(*)::int AS n FROM read_model.tasks')).rows[0].n).toBe(10);
    await expectRebuildEqualsLive();
  });

  it('grows its batches while behind, up to maxBatchSize, and starts small again once live', async () => {
    await registerMany(store, 400); // a backlog of 400 events, one per registration
    const batches: number[] = [];
    startProjector({
      batchSize: 10,
      maxBatchSize: 80,
      afterTaskRows: ({ events }) => void batches.push(events),
    });
    await caughtUp();
    // (A batch can also end where a page of the log does, short of its limit.)
    expect(batches.slice(0, 3)).toEqual([10, 20, 40]);
    expect(Math.max(...batches)).toBe(80);
    expect(batches.reduce((sum, n) => sum + n, 0)).toBe(400);

    batches.length = 0;
    await registerMany(store, 100); // a burst while live
    await caughtUp();
    expect(batches[0]).toBeLessThanOrEqual(10);
    expect(batches.reduce((sum, n) => sum + n, 0)).toBe(100);
    await expectRebuildEqualsLive();
  });
});
