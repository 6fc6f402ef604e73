import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { migrateReadModel } from '../../projections/read-model/read-model-schema';
import { createTestDatabase } from '../../../test/test-database';
import type { EventStore, StreamAppend } from '../../event-store/event-store';
import { PostgresEventStore } from '../../event-store/postgres/postgres-event-store';
import { assertTaskEvent, scheduledBy, taskStreamId } from '../../tasks/domain/task.events';
import { type CommandOutcome, TaskCommandBatcher } from './task-command-batcher';
import { TaskSnapshots } from './task-snapshots';
import { FiringLead } from '../timers/firing-lead';

/** What the next appendMany calls do, in order: pass, fail before the store sees them, or commit and lose the answer. */
type Fault = 'fail-before' | 'lose-answer';

/** The real store, with the connection faults a PostgreSQL restart causes injected around its appends. */
function withFaults(store: EventStore, faults: Fault[]): EventStore {
  const lost = (): Error => new Error('Connection terminated unexpectedly');
  return Object.assign(Object.create(store) as EventStore, {
    appendMany: async (appends: StreamAppend[]) => {
      const fault = faults.shift();
      if (fault === 'fail-before')
        throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
      const results = await store.appendMany(appends);
      if (fault === 'lose-answer') throw lost();
      return results;
    },
  });
}

// One real event store and read model for the file: every test works on tasks of its own.
let store: PostgresEventStore;
let readModel: Pool;
beforeAll(async () => {
  const url = await createTestDatabase('batcher');
  store = await PostgresEventStore.connect(url);
  readModel = new Pool({ connectionString: url, max: 2 });
  await migrateReadModel(readModel);
});
afterAll(async () => {
  await readModel.end();
  await store.close();
});

describe('TaskCommandBatcher when the store fails', () => {
  jest.setTimeout(30_000);
  const NOW = new Date('2030-01-01T00:00:00.000Z');
  const LATER = new Date('2030-01-01T00:00:05.000Z');

  /** A task due at NOW + 1 s, registered through the batcher itself; returns a batcher at LATER. */
  async function dueTask(faults: Fault[]): Promise<{ taskId: string; batcher: TaskCommandBatcher }> {
    const taskId = randomUUID();
    const registering = new TaskCommandBatcher(
      store,
      new TaskSnapshots(store, readModel),
      undefined,
      () => NOW,
    );
    const registered = await registering.submit({
      type: 'RegisterTask',
      data: {
        taskId,
        bucket: 0,
        definition: {
          name: 'faulty',
          schedule: { kind: 'interval', everySeconds: 1, startAt: NOW.toISOString() },
          action: { kind: 'log', message: 'x' },
        },
      },
    });
    expect(registered.ok).toBe(true);
    const snapshots = new TaskSnapshots(withFaults(store, faults), readModel);
    return {
      taskId,
      batcher: new TaskCommandBatcher(withFaults(store, faults), snapshots, undefined, () => LATER),
    };
  }

  const fire = (taskId: string) =>
    ({ type: 'FireOccurrence', data: { taskId, occurrence: 1, attempt: 1, workerId: 'w1' } }) as const;

  async function recorded(taskId: string) {
    return store.readStream(taskStreamId(taskId));
  }

  /** When occurrence 1 is due: the registration carries it (ADR 021). */
  async function firstDueAt(taskId: string): Promise<Date> {
    const [registration] = await recorded(taskId);
    const first = scheduledBy(assertTaskEvent(registration.type, registration.data));
    if (!first) throw new Error('the registration scheduled no first occurrence');
    expect(first).toMatchObject({ occurrence: 1, attempt: 1, reason: 'registered' });
    return new Date(first.dueAt);
  }

  it('finds a firing whose commit answer was lost on record, and starts it once', async () => {
    const { taskId, batcher } = await dueTask(['lose-answer']);
    const outcome = await batcher.submit(fire(taskId), { urgent: true });
    expect(outcome.ok && outcome.events.map((e) => e.type)).toEqual([
      'TaskExecutionStarted',
      'TaskScheduled',
    ]);
    const events = await recorded(taskId);
    const starts = events.filter((e) => e.type === 'TaskExecutionStarted');
    expect(starts).toHaveLength(1);
    expect(typeof starts[0].metadata.decisionId).toBe('string');
    expect(outcome.ok && outcome.position).toBe(events[events.length - 1].position);
    expect(outcome.ok && outcome.snapshot.revision).toBe(events[events.length - 1].revision);
  });

  it('tries a firing the store never saw again until it answers', async () => {
    const { taskId, batcher } = await dueTask(['fail-before', 'fail-before', 'fail-before']);
    const outcome = await batcher.submit(fire(taskId), { urgent: true });
    expect(outcome.ok).toBe(true);
    const starts = (await recorded(taskId)).filter((e) => e.type === 'TaskExecutionStarted');
    expect(starts).toHaveLength(1);
  });

  it("records a task's waiting outcome before deciding its next firing", async () => {
    const { taskId } = await dueTask([]);
    let now = await firstDueAt(taskId); // occurrence 1 starts on time
    const batcher = new TaskCommandBatcher(store, new TaskSnapshots(store, readModel), undefined, () => now);
    const first = await batcher.submit(fire(taskId), { urgent: true });
    expect(first.ok).toBe(true);
    const [startedEvent] = (await recorded(taskId)).filter((e) => e.type === 'TaskExecutionStarted');
    const { startedAt } = startedEvent.data as { startedAt: string };
    now = LATER; // the run ended long ago; its outcome and the next firing wait in the same queue
    const outcome = batcher.submit({
      type: 'RecordExecutionOutcome',
      data: { taskId, occurrence: 1, attempt: 1, outcome: 'succeeded', startedAt, finishedAt: startedAt },
    });
    const second = batcher.submit(
      { type: 'FireOccurrence', data: { taskId, occurrence: 2, attempt: 1, workerId: 'w1' } },
      { urgent: true },
    );
    expect((await outcome).ok).toBe(true);
    const fired = await second;
    // Decided before the outcome, occurrence 2 would be skipped as an overlap with a run that had ended.
    expect(fired.ok && fired.events.map((e) => e.type)).toEqual(['TaskExecutionStarted', 'TaskScheduled']);
  });

  it('holds the next firing after a start found on record late until that start has its outcome', async () => {
    // The commit of occurrence 1's start lands as the database goes down; its answer is lost. When the
    // store is back the start is found on record with the instant it was decided, and its action goes
    // out only now: occurrence 2, due in between, must not count that run as one already going.
    const { taskId } = await dueTask([]);
    let now = await firstDueAt(taskId);
    const faulty = withFaults(store, ['lose-answer']);
    const batcher = new TaskCommandBatcher(
      faulty,
      new TaskSnapshots(faulty, readModel),
      undefined,
      () => now,
    );
    const firing = batcher.submit(fire(taskId), { urgent: true });
    await new Promise((resolve) => setTimeout(resolve, 30)); // decided and committed; the retry waits 100 ms
    now = LATER; // the outage lasted until after occurrence 2's due instant
    const first = await firing;
    expect(first.ok && first.events.map((e) => e.type)).toEqual(['TaskExecutionStarted', 'TaskScheduled']);
    const startedAt = (first.ok && (first.events[0].data as { startedAt: string }).startedAt) || '';
    expect(Date.parse(startedAt)).toBeLessThan(LATER.getTime() - 3000);

    const second = batcher.submit(
      { type: 'FireOccurrence', data: { taskId, occurrence: 2, attempt: 1, workerId: 'w1' } },
      { urgent: true },
    );
    await new Promise((resolve) => setTimeout(resolve, 100)); // the action runs meanwhile
    const outcome = await batcher.submit({
      type: 'RecordExecutionOutcome',
      data: {
        taskId,
        occurrence: 1,
        attempt: 1,
        outcome: 'succeeded',
        startedAt,
        finishedAt: LATER.toISOString(),
      },
    });
    expect(outcome.ok).toBe(true);
    const fired = await second;
    expect(fired.ok && fired.events.map((e) => e.type)).toEqual(['TaskExecutionStarted', 'TaskScheduled']);
  });

  it('gives up at once on an error that does not pass', async () => {
    const { taskId } = await dueTask([]);
    const broken = Object.assign(Object.create(store) as EventStore, {
      appendMany: async () => {
        throw new TypeError('a bug');
      },
    });
    const batcher = new TaskCommandBatcher(
      broken,
      new TaskSnapshots(store, readModel),
      undefined,
      () => LATER,
    );
    await expect(batcher.submit(fire(taskId), { urgent: true })).rejects.toThrow('a bug');
  });
});

describe('TaskCommandBatcher gathering firings decided ahead (ADR 022)', () => {
  jest.setTimeout(30_000);
  // A long lead keeps these timings far above a loaded machine's delays (in one CI run a commit
  // started 300 ms late).
  const settings = { misfireThresholdMs: 60_000 };
  const lead = new FiringLead(2000, 2000);
  // Due this far ahead: registering the tasks took over a second on a loaded CI machine, and each case
  // must submit its firings before their lead begins.
  const REGISTERED_WITHIN_MS = 5000;

  /** The real store, noting when each appendMany (one commit) begins. */
  function timed(commits: number[]): EventStore {
    return Object.assign(Object.create(store) as EventStore, {
      appendMany: (appends: StreamAppend[]) => {
        commits.push(Date.now());
        return store.appendMany(appends);
      },
    });
  }

  /** A batcher on the timed store, gathering within `firingLead`'s lone lead. */
  const gathering = (commits: number[], firingLead = lead) =>
    new TaskCommandBatcher(
      timed(commits),
      new TaskSnapshots(store, readModel),
      settings,
      undefined,
      firingLead,
    );

  /** One-time tasks due at the given instants, registered through a batcher of their own. */
  async function dueAt(instants: number[]): Promise<string[]> {
    const registering = new TaskCommandBatcher(store, new TaskSnapshots(store, readModel));
    return Promise.all(
      instants.map(async (at) => {
        const taskId = randomUUID();
        const definition = {
          name: 'gathered',
          schedule: { kind: 'once', at: new Date(at).toISOString() },
          action: { kind: 'log', message: 'x' },
        } as const;
        const registered = await registering.submit({
          type: 'RegisterTask',
          data: { taskId, bucket: 0, definition },
        });
        expect(registered.ok).toBe(true);
        return taskId;
      }),
    );
  }

  const fire = (batcher: TaskCommandBatcher, taskId: string, due: number) =>
    batcher.submit(
      { type: 'FireOccurrence', data: { taskId, occurrence: 1, attempt: 1, workerId: 'w1' } },
      { urgent: true, dueAt: due },
    );
  const startedAt = (outcome: CommandOutcome) =>
    outcome.ok ? outcome.events.find((e) => e.type === 'TaskExecutionStarted')?.data : undefined;

  it('commits firings submitted one by one together, once the first has half the lead left', async () => {
    const first = Date.now() + REGISTERED_WITHIN_MS;
    const dues = [0, 5, 10, 15, 20].map((offset) => first + offset);
    const ids = await dueAt(dues);
    const commits: number[] = [];
    const batcher = gathering(commits);
    await new Promise((resolve) => setTimeout(resolve, first - 2000 - Date.now()));
    const outcomes: Promise<CommandOutcome>[] = [];
    for (let i = 0; i < ids.length; i++) {
      outcomes.push(fire(batcher, ids[i], dues[i]));
      await new Promise((resolve) => setTimeout(resolve, 2)); // as timers would, turn by turn
    }
    const settled = await Promise.all(outcomes);
    expect(settled.map((outcome) => startedAt(outcome))).toEqual(
      dues.map((due) => expect.objectContaining({ startedAt: new Date(due).toISOString() })),
    );
    expect(commits).toHaveLength(1);
    expect(commits[0]).toBeGreaterThanOrEqual(first - 1000 - 2); // timers may fire a ms early by Date
  });

  it('commits at once when enough firings wait, however far ahead they are due, and the stragglers after them', async () => {
    const due = Date.now() + REGISTERED_WITHIN_MS;
    const ids = await dueAt(Array.from({ length: 65 }, () => due));
    const commits: number[] = [];
    const batcher = gathering(commits);
    await new Promise((resolve) => setTimeout(resolve, due - 2000 - Date.now()));
    const burst = ids.slice(0, 64).map((taskId) => fire(batcher, taskId, due));
    await new Promise((resolve) => setTimeout(resolve, 2)); // a bucket timer expiring a little later
    const straggler = fire(batcher, ids[64], due);
    const settled = await Promise.all([...burst, straggler]);
    expect(settled.every((outcome) => startedAt(outcome)?.startedAt === new Date(due).toISOString())).toBe(
      true,
    );
    expect(commits).toHaveLength(2);
    expect(Math.max(...commits)).toBeLessThan(due - 1000);
  });

  it("commits at once a firing fired further ahead than a lone one: its timer gave it a burst's lead", async () => {
    const due = Date.now() + REGISTERED_WITHIN_MS;
    const [id] = await dueAt([due]);
    const commits: number[] = [];
    // A lone firing goes 50 ms ahead, a burst up to 2,000.
    const batcher = gathering(commits, new FiringLead(2000));
    await new Promise((resolve) => setTimeout(resolve, due - 1500 - Date.now()));
    const outcome = await fire(batcher, id, due);
    expect(startedAt(outcome)?.startedAt).toBe(new Date(due).toISOString());
    expect(commits).toHaveLength(1);
    expect(commits[0]).toBeLessThan(due - 1000); // not held until half a lone lead before due
  });
});

describe('TaskSnapshots: what a worker remembers beyond the read model', () => {
  const NOW = new Date('2030-01-01T00:00:00.000Z');

  /** A batcher on the real store and its snapshots, and a registered one-time task. */
  function worker() {
    const snapshots = new TaskSnapshots(store, readModel);
    const batcher = new TaskCommandBatcher(store, snapshots, undefined, () => NOW);
    const register = async (taskId: string) => {
      const outcome = await batcher.submit({
        type: 'RegisterTask',
        data: {
          taskId,
          bucket: 0,
          definition: {
            name: 'once',
            schedule: { kind: 'once', at: '2030-01-01T00:00:01.000Z' },
            action: { kind: 'log', message: 'x' },
          },
        },
      });
      if (!outcome.ok) throw outcome.error;
      return outcome;
    };
    const remove = async (taskId: string) => {
      const outcome = await batcher.submit({ type: 'DeleteTask', data: { taskId } });
      if (!outcome.ok) throw outcome.error;
      return outcome;
    };
    return { snapshots, register, remove };
  }

  it('forgets a finished task once the read model has projected it, and keeps one still to fire', async () => {
    const { snapshots, register, remove } = worker();
    const [first, second, active] = [randomUUID(), randomUUID(), randomUUID()];
    await Promise.all([register(first), register(second)]);
    const activeOutcome = await register(active);
    const firstDeleted = await remove(first);
    const secondDeleted = await remove(second);
    expect(snapshots.known(first)?.revision).toBe(firstDeleted.snapshot.revision);
    expect(snapshots.size).toBe(3);

    snapshots.caughtUp(firstDeleted.position); // the projector has written the first deletion
    expect(snapshots.known(first)).toBeUndefined();
    expect(snapshots.known(second)?.revision).toBe(secondDeleted.snapshot.revision);

    snapshots.caughtUp(secondDeleted.position);
    expect(snapshots.known(second)).toBeUndefined();
    // Still to fire: its next firing decides on what this worker knows rather than loading it.
    expect(snapshots.known(active)?.revision).toBe(activeOutcome.snapshot.revision);
    expect(snapshots.size).toBe(1);
  });

  it('keeps a newer snapshot of a task when an older, finished one is projected', async () => {
    const { snapshots, register, remove } = worker();
    const taskId = randomUUID();
    await register(taskId);
    const deleted = await remove(taskId);
    const newer = { state: deleted.snapshot.state, revision: deleted.snapshot.revision + 1 };
    snapshots.remember(taskId, newer, deleted.position + 10);
    snapshots.caughtUp(deleted.position);
    expect(snapshots.known(taskId)?.revision).toBe(newer.revision);
    snapshots.caughtUp(deleted.position + 10);
    expect(snapshots.known(taskId)).toBeUndefined();
  });

  it('remembers at most 50,000 tasks, forgetting the least recently remembered first', async () => {
    const snapshots = new TaskSnapshots(store, readModel);
    const active = { status: 'none' } as const;
    for (let i = 0; i <= 50_000; i++) snapshots.remember(`task-${i}`, { state: active, revision: 1 }, i);
    expect(snapshots.size).toBe(50_000);
    expect(snapshots.known('task-0')).toBeUndefined();
    expect(snapshots.known('task-1')?.revision).toBe(1);
    expect(snapshots.known('task-50000')?.revision).toBe(1);
  });
});
