import type { Pool } from 'pg';
import type { EventStore } from '../../event-store/event-store';
import { initialTaskState, type TaskState } from '../../tasks/domain/task.state';
import { foldTaskStream } from '../../tasks/task-stream-fold';

/** A task's state as of a stream revision. */
export interface TaskSnapshot {
  state: TaskState;
  revision: number;
}

type Remembered = TaskSnapshot & { position: number };

/** The most snapshots remembered: tasks that fire again soon and finished ones not yet projected. */
const MAX_REMEMBERED = 50_000;

/**
 * Where a worker gets task state without folding whole streams: the read model keeps each task's folded
 * state (a snapshot at some revision); the events after it come from the stream's tail. Snapshots this
 * worker produced itself (after its own appends) are remembered, since the read model trails them.
 */
export class TaskSnapshots {
  private readonly newer = new Map<string, Remembered>();
  /**
   * Finished tasks (completed or deleted) remembered, in order, with the log position of the snapshot:
   * once the projector's checkpoint passes it the read model holds that state, and it is forgotten. A
   * finished task is never loaded again, so nothing else would replace it: every one-time task a
   * worker fired stayed here for good (RSS of the all-in-one after W1-W3: 387, 517, 551 MiB). Tasks
   * that will fire again stay: their next firing decides on this snapshot instead of loading one
   * (forgetting them too took a fifth more CPU at 1,000 every-second crons, and doubled their lag).
   */
  private readonly finished: { taskId: string; position: number }[] = [];
  /** The query the loadMany calls of this turn will share, and the ids it will ask for. */
  private loading: { ids: Set<string>; rows: Promise<Map<string, TaskSnapshot>> } | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly readModel: Pool,
  ) {}

  /** The freshest of what we know and `candidate` (e.g. a row just read from the read model). */
  best(taskId: string, candidate?: TaskSnapshot): TaskSnapshot | undefined {
    const known = this.newer.get(taskId);
    if (!candidate) return known;
    if (!known || candidate.revision >= known.revision) {
      if (known) this.newer.delete(taskId); // the read model caught up: no need to remember it
      return candidate;
    }
    return known;
  }

  /** What this worker knows beyond the read model, if anything. */
  known(taskId: string): TaskSnapshot | undefined {
    return this.newer.get(taskId);
  }

  /**
   * The read model's states of many tasks, each replaced by a newer one we know. Calls made in the
   * same turn of the event loop (every bucket's timer preparing what is due soon) share one query.
   */
  async loadMany(taskIds: string[]): Promise<Map<string, TaskSnapshot>> {
    if (taskIds.length === 0) return new Map();
    if (!this.loading) {
      const ids = new Set<string>();
      const rows = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
        this.loading = undefined;
        return this.query([...ids]);
      });
      this.loading = { ids, rows };
    }
    for (const taskId of taskIds) this.loading.ids.add(taskId);
    const loaded = await this.loading.rows;
    const result = new Map<string, TaskSnapshot>();
    for (const taskId of taskIds) {
      const snapshot = this.best(taskId, loaded.get(taskId));
      if (snapshot) result.set(taskId, snapshot);
    }
    return result;
  }

  private async query(taskIds: string[]): Promise<Map<string, TaskSnapshot>> {
    const result = new Map<string, TaskSnapshot>();
    const { rows } = await this.readModel.query<{ task_id: string; state: TaskState; revision: string }>(
      'SELECT task_id, state, revision FROM read_model.tasks WHERE task_id = ANY($1::uuid[])',
      [taskIds],
    );
    for (const row of rows) result.set(row.task_id, { state: row.state, revision: Number(row.revision) });
    return result;
  }

  /** Remembers a snapshot this worker produced, recorded at log `position`. */
  remember(taskId: string, snapshot: TaskSnapshot, position: number): void {
    const known = this.newer.get(taskId);
    if (known && snapshot.revision <= known.revision) return;
    this.newer.delete(taskId); // set again below: the least recently remembered come first
    this.newer.set(taskId, { ...snapshot, position });
    const status = snapshot.state.status;
    if (status === 'completed' || status === 'deleted') this.finished.push({ taskId, position });
    // Bounded whatever happens: a task forgotten here is loaded from the read model when it fires.
    if (this.newer.size > MAX_REMEMBERED) this.newer.delete(this.newer.keys().next().value as string);
  }

  /** The read model has projected the log up to `position`: finished tasks it now holds are forgotten. */
  caughtUp(position: number): void {
    while (this.finished.length > 0 && this.finished[0].position <= position) {
      const { taskId, position: at } = this.finished.shift()!;
      // Only the snapshot this entry stands for: a newer one (the task triggered again) stays.
      if (this.newer.get(taskId)?.position === at) this.newer.delete(taskId);
    }
  }

  /** How many snapshots are remembered beyond the read model. */
  get size(): number {
    return this.newer.size;
  }

  /**
   * The current state: the best snapshot brought up to date with the stream's tail, read in pages so
   * that a long tail (a read model far behind a long history) never sits in memory at once.
   */
  async refresh(taskId: string, from?: TaskSnapshot): Promise<TaskSnapshot> {
    const start = this.best(taskId, from) ?? (await this.fromReadModel(taskId));
    let { state, revision } = start;
    let position = 0; // no event after `start`: nothing newer than what is remembered or projected
    // From the stream's base when retention cut what comes after `start` (ADR 012).
    for await (const step of foldTaskStream(this.store, taskId, start))
      ({ state, revision, position } = step);
    const snapshot = { state, revision };
    this.remember(taskId, snapshot, position);
    return snapshot;
  }

  private async fromReadModel(taskId: string): Promise<TaskSnapshot> {
    const { rows } = await this.readModel.query<{ state: TaskState; revision: string }>(
      'SELECT state, revision FROM read_model.tasks WHERE task_id = $1',
      [taskId],
    );
    const row = rows[0];
    return row
      ? { state: row.state, revision: Number(row.revision) }
      : { state: initialTaskState, revision: -1 };
  }
}
