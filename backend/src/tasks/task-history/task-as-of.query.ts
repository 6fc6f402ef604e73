import { Inject, Injectable, Optional } from '@nestjs/common';
import { ProblemException, validationProblem } from '../../api/problem';
import type { EventStore } from '../../event-store/event-store';
import { InjectEventStore } from '../../event-store/event-store.module';
import { taskStreamId } from '../domain/task.events';
import { type ExistingTaskState, initialTaskState } from '../domain/task.state';
import { foldTaskStream, type LoadedTaskBase, readTaskBase } from '../task-stream-fold';
import type { AsOf } from './as-of';

/** Events read per round trip while folding: memory stays bounded however long the stream is. */
export const AS_OF_PAGE_SIZE = Symbol('AS_OF_PAGE_SIZE');
const DEFAULT_PAGE_SIZE = 1000;

/** A task as it stood at one revision of its stream. */
export interface TaskAtRevision {
  state: ExistingTaskState;
  revision: number;
  recordedAt: Date;
}

/**
 * Time travel: a task as it was at a past revision, folded from its stream with the pure `evolve`
 * (the same fold the projector and the commands use), reading forwards a page at a time up to that
 * revision. An instant is first turned into the last revision recorded at or before it.
 */
@Injectable()
export class TaskAsOfQuery {
  private readonly pageSize: number;

  constructor(
    @InjectEventStore() private readonly store: EventStore,
    @Optional() @Inject(AS_OF_PAGE_SIZE) pageSize?: number,
  ) {
    this.pageSize = pageSize ?? DEFAULT_PAGE_SIZE;
  }

  /**
   * The revision `asOf` names: 404 when the task did not exist (yet), 400 beyond its last revision,
   * 410 before the revision retention cut its stream at (ADR 012).
   */
  async resolve(taskId: string, asOf: AsOf): Promise<number> {
    const last = await this.lastRevision(taskId);
    if (last < 0) throw notFound(`no task ${taskId}`);
    const base = await readTaskBase(this.store, taskId);
    if ('instant' in asOf) {
      if (base && asOf.instant.getTime() < Date.parse(base.recordedAt))
        throw historyRemoved(asOf.field, base);
      const revision = await this.revisionAt(taskId, asOf.instant, last, base?.revision ?? -1);
      if (revision < 0) throw notFound(`task ${taskId} did not exist yet at ${asOf.instant.toISOString()}`);
      return revision;
    }
    if (asOf.revision > last) {
      throw validationProblem([{ field: asOf.field, reason: `is beyond the task's last revision, ${last}` }]);
    }
    if (base && asOf.revision < base.revision) throw historyRemoved(asOf.field, base);
    return asOf.revision;
  }

  /**
   * The task at each of `revisions` (each at most the stream's last), folding the stream once up to
   * the highest of them, from its base when retention cut it (410 naming `fields[i]` for a revision
   * before the base).
   */
  async statesAt(
    taskId: string,
    revisions: readonly number[],
    fields: readonly string[] = [],
  ): Promise<Map<number, TaskAtRevision>> {
    const wanted = new Set(revisions);
    const through = Math.max(...revisions);
    const found = new Map<number, TaskAtRevision>();
    const base = await readTaskBase(this.store, taskId);
    if (base) {
      const index = revisions.findIndex((revision) => revision < base.revision);
      if (index >= 0) throw historyRemoved(fields[index] ?? 'asOf', base);
      if (wanted.has(base.revision)) {
        found.set(base.revision, {
          state: base.state,
          revision: base.revision,
          recordedAt: new Date(base.recordedAt),
        });
      }
    }
    const start = base ?? { state: initialTaskState, revision: -1 };
    for await (const { state, revision, recordedAt } of foldTaskStream(this.store, taskId, start, {
      toRevision: through,
      pageSize: this.pageSize,
    })) {
      if (wanted.has(revision) && state.status !== 'none')
        found.set(revision, { state, revision, recordedAt });
    }
    return found;
  }

  /** The stream's last revision; -1 when the task has no stream. */
  async lastRevision(taskId: string): Promise<number> {
    const [last] = await this.store.readStream(taskStreamId(taskId), { direction: 'backwards', maxCount: 1 });
    return last?.revision ?? -1;
  }

  /**
   * The last revision recorded at or before `instant` (-1 when none), by binary search over revisions:
   * about 20 one-event reads for a million events, however old the instant. Sound because recordedAt
   * never goes back within a stream: every task append names its expected revision, so an append
   * whose transaction started before another's commit is refused, never recorded after it.
   */
  async revisionAt(taskId: string, instant: Date, last: number, first = -1): Promise<number> {
    // Recorded at or before `instant`: low always is (`first`, the base, when the stream was cut),
    // beyond high none is.
    let [low, high] = [first, last];
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      const [event] = await this.store.readStream(taskStreamId(taskId), {
        fromRevision: middle,
        maxCount: 1,
      });
      if (event && event.recordedAt.getTime() <= instant.getTime()) low = middle;
      else high = middle - 1;
    }
    return low;
  }
}

/** 410: what was asked for is older than what retention kept of the task's stream. */
export function historyRemoved(field: string, base: LoadedTaskBase): ProblemException {
  return new ProblemException(
    410,
    'history_removed',
    'History removed',
    `${field}: history before revision ${base.revision} (recorded ${base.recordedAt}) was removed by ` +
      `retention on ${base.truncatedAt.toISOString()}`,
    { field, historyStartsAt: { revision: base.revision, truncatedAt: base.truncatedAt.toISOString() } },
  );
}

function notFound(detail: string): ProblemException {
  return new ProblemException(404, 'task_not_found', 'Task not found', detail);
}
