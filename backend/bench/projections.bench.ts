/**
 * Projection throughput on a durable PostgreSQL (fsync on) started for the run. Each scenario appends
 * its log with appendMany into a fresh database, then times the live projector catching up from
 * position 0, and a rebuild of the same log.
 * - `mixed`: 40,000 tasks × registered, scheduled, started, next scheduled, executed = 200,000 events.
 * - `registration`: a registration backlog as the batch API writes it (1,000 tasks per appendMany, a
 *   mix of cron, interval and once tasks with HTTP actions): 100,000 tasks × TaskRegistered +
 *   TaskScheduled = 200,000 events.
 * Run: npm run bench:projections. BENCH_SCENARIO=mixed|registration (default both, in that order),
 * BENCH_TASKS to change the number of tasks, BENCH_REBUILD=0 to skip the rebuild, BENCH_CPU_PROFILE=dir
 * to write a .cpuprofile of each live catch-up (only that phase) into dir and print its top self times,
 * BENCH_MAX_BATCH to set the projector's maxBatchSize. The log's dirty pages are checkpointed before the
 * projector starts, so it does not pay for the appends' writes.
 */
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector';
import { join } from 'node:path';
import { Pool } from 'pg';
import { rebuildReadModel } from '../src/projections/rebuild/rebuild';
import { Projector } from '../src/projections/projector/projector';
import { migrateReadModel } from '../src/projections/read-model/read-model-schema';
import { waitForPosition } from '../src/projections/read-model/read-model-position';
import type { StreamAppend } from '../src/event-store/event-store';
import { PostgresEventStore } from '../src/event-store/postgres/postgres-event-store';
import { bucketOf } from '../src/tasks/domain/bucket';
import type { TaskDefinitionInput } from '../src/tasks/domain/task';
import type { TaskCommand } from '../src/tasks/domain/task.commands';
import { decide } from '../src/tasks/domain/task.decider';
import { taskStreamId } from '../src/tasks/domain/task.events';
import { type TaskState, foldTaskEvents, initialTaskState } from '../src/tasks/domain/task.state';
import { toNewEvent } from '../src/tasks/decide-and-append';
import { startTestPostgres } from '../test/test-servers';
import { formatRate, machineDescription } from './bench-support';

const SCENARIOS = (process.env.BENCH_SCENARIO ?? 'mixed,registration').split(',').map((s) => s.trim());
const REBUILD = process.env.BENCH_REBUILD !== '0';
const CPU_PROFILE_DIR = process.env.BENCH_CPU_PROFILE;
const MAX_BATCH = process.env.BENCH_MAX_BATCH ? Number(process.env.BENCH_MAX_BATCH) : undefined;
const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };
const START = new Date('2026-11-24T08:00:00Z');

interface Task {
  id: string;
  state: TaskState;
  revision: number;
}

interface Log {
  tasks: number;
  events: number;
  appendMs: number;
  description: string;
}

/** Decides `command` for each task and appends the events, `chunk` streams per appendMany. */
async function step(
  store: PostgresEventStore,
  tasks: Task[],
  command: (task: Task, index: number) => TaskCommand,
  now: Date,
  chunk = 500,
) {
  let events = 0;
  for (let i = 0; i < tasks.length; i += chunk) {
    const appends: StreamAppend[] = tasks.slice(i, i + chunk).map((task, j) => {
      const decided = decide(command(task, i + j), task.state, now);
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

const newTasks = (count: number): Task[] =>
  Array.from({ length: count }, () => ({ id: randomUUID(), state: initialTaskState, revision: -1 }));

/** 40,000 interval tasks, each registered, fired once and finished: 5 events per task. */
async function mixedLog(store: PostgresEventStore): Promise<Log> {
  const count = Number(process.env.BENCH_TASKS ?? 40_000);
  const tasks = newTasks(count);
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
    START,
  );
  const fireAt = new Date(START.getTime() + 60_100);
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
  return {
    tasks: count,
    events,
    appendMs: Date.now() - appendStarted,
    description: 'mixed: registered, scheduled, started, next scheduled, executed',
  };
}

/** The definitions the registration bench (bench:register) posts: cron, interval and once, HTTP. */
function registrationDefinition(i: number): TaskDefinitionInput {
  const schedule: TaskDefinitionInput['schedule'] =
    i % 3 === 0
      ? { kind: 'cron', expression: '0 */5 * * * *', timezone: 'Europe/Berlin' }
      : i % 3 === 1
        ? { kind: 'interval', everySeconds: 30 }
        : { kind: 'once', at: new Date(START.getTime() + 3_600_000 + i * 1000).toISOString() };
  return {
    name: `bench-${Math.floor(i / 1000)}-${i % 1000}`,
    schedule,
    action: { kind: 'http', url: 'http://127.0.0.1:9/hook', method: 'POST', body: { n: i % 1000 } },
  };
}

/** New tasks registered through the batch API: TaskRegistered + TaskScheduled, 1,000 per append. */
async function registrationLog(store: PostgresEventStore): Promise<Log> {
  const count = Number(process.env.BENCH_TASKS ?? 100_000);
  const tasks = newTasks(count);
  const appendStarted = Date.now();
  const events = await step(
    store,
    tasks,
    (task, i) => ({
      type: 'RegisterTask',
      data: { taskId: task.id, bucket: bucketOf(task.id), definition: registrationDefinition(i) },
    }),
    START,
    1000,
  );
  return {
    tasks: count,
    events,
    appendMs: Date.now() - appendStarted,
    description: 'registration backlog: TaskRegistered + TaskScheduled of new tasks',
  };
}

/** Profiles `work` (this process's CPU only) into `file` when BENCH_CPU_PROFILE is set. */
async function profiled<T>(name: string, work: () => Promise<T>): Promise<T> {
  if (!CPU_PROFILE_DIR) return work();
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))),
    );
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 200 });
  await post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = (await post('Profiler.stop')) as { profile: CpuProfile };
    const file = join(CPU_PROFILE_DIR, `${name}-${Date.now()}.cpuprofile`);
    await writeFile(file, JSON.stringify(profile));
    session.disconnect();
    console.log(`CPU profile of the live catch-up: ${file}\n${selfTimes(profile, 15)}`);
  }
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

/** The functions that took the most self time, one line each. */
function selfTimes(profile: CpuProfile, top: number): string {
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const micros = profile.timeDeltas[i + 1] ?? 0;
    const frame = frames.get(id);
    const where = frame?.url
      ? ` ${frame.url.replace(/^.*?\/(node_modules|backend)\//, '$1/')}:${frame.lineNumber + 1}`
      : '';
    const key = `${frame?.functionName || '(anonymous)'}${where}`;
    self.set(key, (self.get(key) ?? 0) + micros);
    total += micros;
  });
  return [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(
      ([key, micros]) =>
        `${(micros / 1000).toFixed(0).padStart(7)} ms ${((100 * micros) / total).toFixed(1).padStart(5)}%  ${key}`,
    )
    .join('\n');
}

async function runScenario(name: string): Promise<void> {
  const build = { mixed: mixedLog, registration: registrationLog }[name];
  if (!build) throw new Error(`unknown BENCH_SCENARIO ${name} (mixed, registration)`);
  const postgres = await startTestPostgres({ durable: true });
  const store = await PostgresEventStore.connect(postgres.url);
  const pool = new Pool({ connectionString: postgres.url, max: 4 });
  try {
    await migrateReadModel(pool);
    const log = await build(store);
    const head = await store.headPosition();
    await pool.query('CHECKPOINT'); // the appends' dirty pages are not the projector's to write out

    const projector = new Projector({ pool, store, logger: quiet, maxBatchSize: MAX_BATCH });
    const liveStarted = Date.now();
    const liveMs = await profiled(name, async () => {
      projector.start();
      await waitForPosition(pool, head, 30 * 60_000, { maxPollMs: 20 });
      return Date.now() - liveStarted;
    });
    await projector.stop();

    const rebuild = REBUILD ? await rebuildReadModel({ pool, store, logger: quiet }) : undefined;

    const { rows } = await pool.query<{ tasks: string; executions: string }>(
      'SELECT (SELECT count(*) FROM read_model.tasks) AS tasks, (SELECT count(*) FROM read_model.executions) AS executions',
    );
    console.log(`\nScenario ${log.description}`);
    console.log(
      `Log: ${log.events.toLocaleString('en-US')} task events (${log.tasks.toLocaleString('en-US')} tasks), appended in ${(log.appendMs / 1000).toFixed(1)} s; read model: ${rows[0].tasks} tasks, ${rows[0].executions} executions\n`,
    );
    console.log('| measurement | rate | time |\n| --- | --- | --- |');
    console.log(
      `| ${name}: live projector catching up from 0 | ${formatRate(log.events, liveMs).replace('/s', ' events/s')} | ${(liveMs / 1000).toFixed(1)} s |`,
    );
    if (rebuild) {
      console.log(
        `| ${name}: rebuild into a fresh schema + swap | ${formatRate(rebuild.events, rebuild.elapsedMs).replace('/s', ' events/s')} | ${(rebuild.elapsedMs / 1000).toFixed(1)} s |`,
      );
    }
  } finally {
    await pool.end();
    await store.close();
    await postgres.stop();
  }
}

async function main(): Promise<void> {
  console.log(`Machine: ${machineDescription()}; PostgreSQL 17 (embedded, fsync on)`);
  for (const name of SCENARIOS) await runScenario(name);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
