import { randomUUID } from 'node:crypto';
import type { RecordedEvent } from '../../event-store/event-store';
import { jitterOffsetMs } from '../../tasks/domain/jitter';
import { decide } from '../../tasks/domain/task.decider';
import type { TaskCommand } from '../../tasks/domain/task.commands';
import { type TaskEvent, taskStreamId } from '../../tasks/domain/task.events';
import {
  type ExistingTaskState,
  type TaskState,
  foldTaskEvents,
  initialTaskState,
} from '../../tasks/domain/task.state';
import { LAG_HISTOGRAM_CELLS } from '../read-model/lag-histogram';
import { type LoadedTask, projectEvents, tasksOfBatch } from './project-events';

const T0 = new Date('2026-11-24T09:00:00Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

/** A task's history built with the domain's decide, recorded as a store would. */
class History {
  readonly taskId = randomUUID();
  readonly events: RecordedEvent[] = [];
  state: TaskState = initialTaskState;
  private static position = 0;

  run(command: Omit<TaskCommand, 'data'> & { data: Record<string, unknown> }, now: Date): RecordedEvent[] {
    const full = { ...command, data: { taskId: this.taskId, ...command.data } } as TaskCommand;
    const decided: TaskEvent[] = decide(full, this.state, now);
    this.state = foldTaskEvents(decided, this.state);
    const recorded = decided.map((event) => ({
      streamId: taskStreamId(this.taskId),
      type: event.type,
      data: event.data,
      metadata: {},
      revision: this.events.length,
      position: ++History.position,
      recordedAt: now,
    }));
    recorded.forEach((event, i) => (event.revision = this.events.length + i));
    this.events.push(...recorded);
    return recorded;
  }
}

const interval = (h: History) =>
  h.run(
    {
      type: 'RegisterTask',
      data: {
        bucket: 7,
        definition: {
          name: 'every-10',
          schedule: { kind: 'interval', everySeconds: 10 },
          action: { kind: 'log', message: 'x' },
        },
      },
    },
    T0,
  );

describe('projectEvents', () => {
  it('folds a new task into its row and due occurrences', () => {
    const h = new History();
    const events = interval(h);
    const batch = projectEvents(new Map(), events);
    expect(batch.tasks).toHaveLength(1);
    expect(batch.tasks[0]).toMatchObject({
      task_id: h.taskId,
      name: 'every-10',
      status: 'active',
      bucket: 7,
      schedule_kind: 'interval',
      revision: 0, // one event: the registration carries its first occurrence (ADR 021)
      next_due_at: at(10).toISOString(),
      last_outcome: null,
    });
    expect(batch.tasks[0].state).toEqual(h.state);
    expect(batch.dueRows).toEqual([
      {
        task_id: h.taskId,
        occurrence: 1,
        attempt: 1,
        bucket: 7,
        due_at: at(10).toISOString(),
        reason: 'registered',
        // the position of the event that scheduled it: the registration, which carries it (ADR 021)
        position: events[0].position,
      },
    ]);
    expect(batch.buckets).toEqual([7]);
    expect(batch.statusDeltas).toEqual([{ status: 'active', delta: 1 }]);
  });

  it('skips what the row already reflects, so a replayed batch changes nothing', () => {
    const h = new History();
    const events = interval(h);
    const loaded = new Map<string, LoadedTask>([
      [h.taskId, { state: h.state as ExistingTaskState, revision: 1, changedRevision: 0 }],
    ]);
    const batch = projectEvents(loaded, events);
    expect(batch.tasks).toEqual([]);
    expect(batch.dueTaskIds).toEqual([]);
    expect(batch.statusDeltas).toEqual([]);
  });

  it('records executions with their lag and counts finished ones per minute', () => {
    const h = new History();
    const events = [...interval(h)];
    events.push(
      ...h.run({ type: 'FireOccurrence', data: { occurrence: 1, attempt: 1, workerId: 'w1' } }, at(10.25)),
    );
    events.push(
      ...h.run(
        {
          type: 'RecordExecutionOutcome',
          data: {
            occurrence: 1,
            attempt: 1,
            outcome: 'failed',
            startedAt: at(10.25).toISOString(),
            finishedAt: at(11).toISOString(),
            error: 'boom',
          },
        },
        at(11),
      ),
    );
    const batch = projectEvents(new Map(), events);
    expect(batch.executions).toEqual([
      {
        task_id: h.taskId,
        occurrence: 1,
        attempt: 1,
        bucket: 7,
        due_at: at(10).toISOString(),
        planned_at: null,
        started_at: at(10.25).toISOString(),
        finished_at: at(11).toISOString(),
        outcome: 'failed',
        lag_ms: 250,
        duration_ms: 750,
        worker_id: 'w1',
        output: null,
        error: 'boom',
        schedule_reason: 'registered',
        position: events[3].position,
      },
    ]);
    expect(batch.stats).toHaveLength(1);
    expect(batch.stats[0]).toMatchObject({
      minute: '2026-11-24T09:00:00.000Z',
      outcome: 'failed',
      count: 1,
      lag_sum_ms: 250,
      lag_max_ms: 250,
    });
    expect(batch.stats[0].lag_histogram).toHaveLength(LAG_HISTOGRAM_CELLS);
    expect(batch.tasks[0]).toMatchObject({ last_outcome: 'failed', last_execution_at: at(11).toISOString() });
    // The retry and the next regular occurrence are due now.
    expect(batch.dueRows.map((row) => [row.occurrence, row.attempt, row.reason])).toEqual([
      [2, 1, 'next'],
      [1, 2, 'retry'],
    ]);
  });

  it('keeps only manual occurrences of a paused task, since only those may fire', () => {
    const h = new History();
    const events = [...interval(h)];
    events.push(...h.run({ type: 'PauseTask', data: {} }, at(1)));
    events.push(...h.run({ type: 'TriggerTask', data: {} }, at(2)));
    const batch = projectEvents(new Map(), events);
    expect(batch.tasks[0]).toMatchObject({ status: 'paused', next_due_at: at(2).toISOString() });
    expect(batch.dueRows.map((row) => row.reason)).toEqual(['manual']);
    expect(batch.statusDeltas).toEqual([{ status: 'paused', delta: 1 }]);
  });

  it('keeps backfill occurrences of a paused task due, and counts their runs without a lag', () => {
    const h = new History();
    const events = [...interval(h)];
    events.push(...h.run({ type: 'PauseTask', data: {} }, at(25)));
    const window = { from: at(0).toISOString(), to: at(25).toISOString() };
    events.push(...h.run({ type: 'BackfillTask', data: window }, at(30)));
    const paused = projectEvents(new Map(), events);
    expect(paused.dueRows.map((row) => [row.occurrence, row.reason])).toEqual([
      [2, 'backfill'],
      [3, 'backfill'],
    ]);
    events.push(
      ...h.run({ type: 'FireOccurrence', data: { occurrence: 2, attempt: 1, workerId: 'w1' } }, at(31)),
    );
    const finished = {
      occurrence: 2,
      attempt: 1,
      startedAt: at(31).toISOString(),
      finishedAt: at(32).toISOString(),
    };
    events.push(
      ...h.run({ type: 'RecordExecutionOutcome', data: { ...finished, outcome: 'succeeded' } }, at(32)),
    );
    const batch = projectEvents(new Map(), events);
    expect(batch.executions).toEqual([
      expect.objectContaining({
        occurrence: 2,
        due_at: at(10).toISOString(),
        lag_ms: null,
        schedule_reason: 'backfill',
      }),
    ]);
    expect(batch.stats[0]).toMatchObject({ count: 1, lag_sum_ms: 0, lag_max_ms: 0 });
    expect(batch.stats[0].lag_histogram.every((cell) => cell === 0)).toBe(true);
  });

  it('remembers the revision of the last change by a person, for If-Match, across batches', () => {
    const h = new History();
    const events = [...interval(h)]; // registered (0), scheduled (1)
    const paused = h.run({ type: 'PauseTask', data: {} }, at(1)); // 2
    const triggered = h.run({ type: 'TriggerTask', data: {} }, at(2)); // a worker's kind of change: 3
    const first = projectEvents(new Map(), [...events, ...paused]).tasks[0];
    expect(first.changed_revision).toBe(paused[0].revision);
    const loaded = new Map<string, LoadedTask>([
      [h.taskId, { state: first.state, revision: first.revision, changedRevision: first.changed_revision }],
    ]);
    expect(projectEvents(loaded, triggered).tasks[0]).toMatchObject({
      revision: triggered[triggered.length - 1].revision,
      changed_revision: paused[0].revision,
    });
    // A row from before the column: unknown stays unknown until a person changes the task again.
    loaded.set(h.taskId, { state: first.state, revision: first.revision, changedRevision: null });
    expect(projectEvents(loaded, triggered).tasks[0].changed_revision).toBeNull();
  });

  it('parks a malformed event and still moves the row to its revision', () => {
    const h = new History();
    const events = [...interval(h)];
    events.push({
      ...events[0],
      type: 'TaskScheduled',
      data: { occurrence: 0 },
      revision: 1,
      position: events[0].position + 1,
    });
    const batch = projectEvents(new Map(), events);
    expect(batch.parked).toEqual([
      expect.objectContaining({
        position: events[1].position,
        type: 'TaskScheduled',
        error: expect.stringMatching(/occurrence/),
      }),
    ]);
    expect(batch.tasks[0]).toMatchObject({ revision: 1, position: events[1].position });
    expect(batch.tasks[0].state).toEqual(h.state);
  });

  it('ignores streams that are not tasks', () => {
    const event: RecordedEvent = {
      streamId: 'worker-1',
      type: 'Heartbeat',
      data: {},
      metadata: {},
      revision: 0,
      position: 1,
      recordedAt: T0,
    };
    const batch = projectEvents(new Map(), [event]);
    expect(batch.tasks).toEqual([]);
    expect(batch.parked).toEqual([]);
  });

  it('replaces stored due occurrences only of tasks that had a row', () => {
    const old = new History();
    interval(old);
    const loaded = new Map<string, LoadedTask>([
      [old.taskId, { state: old.state as ExistingTaskState, revision: 0, changedRevision: 0 }],
    ]);
    const fresh = new History();
    const events = [...old.run({ type: 'TriggerTask', data: {} }, at(1)), ...interval(fresh)];
    const batch = projectEvents(loaded, events);
    expect(batch.dueTaskIds).toEqual([old.taskId]);
    expect(new Set(batch.dueRows.map((row) => row.task_id))).toEqual(new Set([old.taskId, fresh.taskId]));
  });
});

describe('tasksOfBatch', () => {
  const event = (streamId: string, revision: number): RecordedEvent => ({
    streamId,
    type: 'TaskPaused',
    data: {},
    metadata: {},
    revision,
    position: revision + 1,
    recordedAt: T0,
  });

  it('takes a task for new only where its stream starts in the batch under its own name', () => {
    const [starts, goesOn, shouting, twice] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const batch = tasksOfBatch([
      event(taskStreamId(starts), 0),
      event(taskStreamId(starts), 1),
      event(taskStreamId(goesOn), 3),
      event(`task-${shouting.toUpperCase()}`, 0),
      event('worker-1', 0),
      event(taskStreamId(twice), 4),
      event(taskStreamId(starts), 2),
      event(taskStreamId(twice), 5),
    ]);
    expect(batch).toEqual({ fresh: [starts], existing: [goesOn, shouting, twice] });
  });

  it('does not take a task for new when another spelling of its stream came first', () => {
    const id = randomUUID();
    const batch = tasksOfBatch([event(`task-${id.toUpperCase()}`, 0), event(taskStreamId(id), 0)]);
    expect(batch).toEqual({ fresh: [], existing: [id] });
  });
});

describe('projectEvents with jitter (ADR 016)', () => {
  it('stores a due row at the planned time, and an execution with it and the lag from it', () => {
    // A fixed id (the domain's tests pin its offsets), so the offset is not 0 by chance.
    const h = Object.assign(new History(), { taskId: '0b6f3a52-5d0e-4c4e-9a57-6f1b9f1d2c11' });
    const events = h.run(
      {
        type: 'RegisterTask',
        data: {
          bucket: 7,
          definition: {
            name: 'jittered',
            schedule: { kind: 'interval', everySeconds: 10 },
            action: { kind: 'log', message: 'x' },
            jitterMs: 5000,
          },
        },
      },
      T0,
    );
    const plannedAt = (h.state as ExistingTaskState).scheduled[0].plannedAt;
    const offset = Date.parse(plannedAt ?? '') - at(10).getTime();
    expect(offset).toBe(jitterOffsetMs(h.taskId, 1, 5000));
    expect(offset).toBeGreaterThan(0);
    let batch = projectEvents(new Map(), events);
    expect(batch.dueRows[0].due_at).toBe(plannedAt);
    expect(batch.tasks[0].next_due_at).toBe(plannedAt);

    const startedAt = new Date(Date.parse(plannedAt ?? '') + 40);
    const more = h.run(
      { type: 'FireOccurrence', data: { occurrence: 1, attempt: 1, workerId: 'w1' } },
      startedAt,
    );
    batch = projectEvents(new Map(), [...events, ...more]);
    expect(batch.executions[0]).toMatchObject({
      due_at: at(10).toISOString(),
      planned_at: plannedAt,
      started_at: startedAt.toISOString(),
      lag_ms: 40,
    });
  });
});
