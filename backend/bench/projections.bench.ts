/**
 * Projection throughput on a durable PostgreSQL (fsync on) started for the run: appends task events
 * with appendMany (40,000 tasks × registered, scheduled, started, next scheduled, executed = 200,000
 * events), then times the live projector catching up from position 0, and a rebuild of the same log.
 * Target (issue): >= 5,000 events/s. Run: npm run bench:projections (BENCH_TASKS to change the size)
 */
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { rebuildReadModel } from '../../projections/src/rebuild/rebuild';
import { Projector } from '../../projections/src/projector/projector';
import { migrateReadModel } from '../../projections/src/read-model/read-model-schema';
import { waitForPosition } from '../../projections/src/read-model/read-model-position';
import type { StreamAppend } from '../src/event-store/event-store';
import { PostgresEventStore } from '../src/event-store/postgres/postgres-event-store';
import { bucketOf } from '../src/tasks/domain/bucket';
import type { TaskCommand } from '../src/tasks/domain/task.commands';
import { decide } from '../src/tasks/domain/task.decider';
import { taskStreamId } from '../src/tasks/domain/task.events';
import { type TaskState, foldTaskEvents, initialTaskState } from '../src/tasks/domain/task.state';
import { toNewEvent } from '../src/tasks/task-repository';
import { startTestPostgres } from '../test/test-servers';
import { formatRate, machineDescription } from './bench-support';

const TASKS = Number(process.env.BENCH_TASKS ?? 40_000);
const CHUNK = 500;
const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };

interface Task {
  id: string;
  state: TaskState;
  revision: number;
}

/** Decides `command` for each task and appends the events, CHUNK streams per appendMany. */
async function step(
  store: PostgresEventStore,
  tasks: Task[],
  command: (task: Task) => TaskCommand,
  now: Date,
) {
  let events = 0;
  for (let i = 0; i < tasks.length; i += CHUNK) {
    const chunk = tasks.slice(i, i + CHUNK);
    const appends: StreamAppend[] = chunk.map((task) => {
      const decided = decide(command(task), task.state, now);
      task.state = foldTaskEvents(decided, task.state);
      const expectedRevision = task.revision < 0 ? ('no_stream' as const) : task.revision;
      task.revision += decided.length;
      events += decided.length;
      return { streamId: taskStreamId(task.id), events: decided.map(toNewEvent), expectedRevision };
    });
    const results = await store.appendMany(appends);
    if (results.some((result) => !result.ok)) throw new Error('an append was refused');
  }
  return events;
}

async function main(): Promise<void> {
  const postgres = await startTestPostgres({ durable: true });
  const store = await PostgresEventStore.connect(postgres.url);
  const pool = new Pool({ connectionString: postgres.url, max: 4 });
  try {
    await migrateReadModel(pool);
    const start = new Date('2026-11-24T08:00:00Z');
    const tasks: Task[] = Array.from({ length: TASKS }, () => ({
      id: randomUUID(),
      state: initialTaskState,
      revision: -1,
    }));
    const appendStarted = Date.now();
    let events = await step(
      store,
      tasks,
      (task) => ({
        type: 'RegisterTask',
        data: {
          taskId: task.id,
          bucket: bucketOf(task.id),
          definition: {
            name: `bench-${task.id.slice(0, 8)}`,
            schedule: { kind: 'interval', everySeconds: 60 },
            action: { kind: 'http', url: 'http://127.0.0.1:9/hook', method: 'POST', body: { n: 1 } },
          },
        },
      }),
      start,
    );
    const fireAt = new Date(start.getTime() + 60_100);
    events += await step(
      store,
      tasks,
      (task) => ({
        type: 'FireOccurrence',
        data: { taskId: task.id, occurrence: 1, attempt: 1, workerId: 'bench-worker' },
      }),
      fireAt,
    );
    events += await step(
      store,
      tasks,
      (task) => ({
        type: 'RecordExecutionOutcome',
        data: {
          taskId: task.id,
          occurrence: 1,
          attempt: 1,
          outcome: 'succeeded',
          startedAt: fireAt.toISOString(),
          finishedAt: new Date(fireAt.getTime() + 40).toISOString(),
          output: '{"ok":true}',
        },
      }),
      new Date(fireAt.getTime() + 40),
    );
    const appendMs = Date.now() - appendStarted;
    const head = await store.headPosition();

    const projector = new Projector({ pool, store, logger: quiet });
    const liveStarted = Date.now();
    projector.start();
    await waitForPosition(pool, head, 30 * 60_000, { maxPollMs: 20 });
    const liveMs = Date.now() - liveStarted;
    await projector.stop();

    const rebuild = await rebuildReadModel({ pool, store, logger: quiet });

    const { rows } = await pool.query<{ tasks: string; executions: string }>(
      'SELECT (SELECT count(*) FROM read_model.tasks) AS tasks, (SELECT count(*) FROM read_model.executions) AS executions',
    );
    console.log(`Machine: ${machineDescription()}; PostgreSQL 17 (embedded, fsync on)`);
    console.log(
      `Log: ${events.toLocaleString('en-US')} task events (${TASKS.toLocaleString('en-US')} tasks), appended in ${(appendMs / 1000).toFixed(1)} s; read model: ${rows[0].tasks} tasks, ${rows[0].executions} executions\n`,
    );
    console.log('| measurement | rate | time |\n| --- | --- | --- |');
    console.log(
      `| live projector catching up from 0 (batches of 500) | ${formatRate(events, liveMs).replace('/s', ' events/s')} | ${(liveMs / 1000).toFixed(1)} s |`,
    );
    console.log(
      `| rebuild into a fresh schema + swap (batches of 1,000) | ${formatRate(rebuild.events, rebuild.elapsedMs).replace('/s', ' events/s')} | ${(rebuild.elapsedMs / 1000).toFixed(1)} s |`,
    );
  } finally {
    await pool.end();
    await store.close();
    await postgres.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
