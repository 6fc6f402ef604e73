/**
 * The projection itself, without I/O: a batch of recorded events and the current rows of the tasks
 * they touch in, the rows to write out. Each task is folded with the domain's own `evolve`, so the
 * read model's `state` is exactly what the command side would compute. Events a row already reflects
 * (revision <= its revision) are skipped, which makes replaying a batch harmless.
 */
import type { RecordedEvent } from '../../event-store/event-store';
import { startTimeOf } from '../../tasks/domain/jitter';
import { calendarIdOfStream } from '../../calendars/domain/calendar.events';
import { applyCalendarEvent, type CalendarRow } from './calendar-rows';
import { assertTaskEvent, CHANGES_BY_PEOPLE } from '../../tasks/domain/task.events';
import {
  type ExistingTaskState,
  type ScheduledOccurrence,
  type TaskState,
  type TaskStatus,
  evolve,
  findRunning,
  findScheduled,
  firesWhenNotActive,
  initialTaskState,
} from '../../tasks/domain/task.state';
import { type LedgerBatch, LedgerRows } from '../occurrence-ledger/ledger-rows';
import type { Truncation } from '../occurrence-ledger/ledger-statements';
import { emptyLagHistogram, lagCell } from '../read-model/lag-histogram';
import type { ExecutionKey } from '../change-feed/change-feed';

/** A task's row as loaded at the start of a batch. */
export interface LoadedTask {
  state: ExistingTaskState;
  revision: number;
  /** Revision of the last change by a person (CHANGES_BY_PEOPLE); null when the row predates it. */
  changedRevision: number | null;
  /**
   * Set when there is no row and this is the stream's base (retention cut the stream, ADR 012): the
   * global position of the event at the cut. The task is then written as new, from the base.
   */
  basePosition?: number;
}

export interface TaskRow {
  task_id: string;
  name: string;
  status: TaskStatus;
  bucket: number;
  schedule_kind: string;
  definition: ExistingTaskState['definition'];
  state: ExistingTaskState;
  revision: number;
  position: number;
  /** The command side's If-Match check starts from it (ADR 011). */
  changed_revision: number | null;
  registered_at: string;
  updated_at: string;
  next_due_at: string | null;
  last_outcome: string | null;
  last_execution_at: string | null;
}

export interface DueRow {
  task_id: string;
  occurrence: number;
  attempt: number;
  bucket: number;
  /** When the occurrence is to start: its planned time when jittered (ADR 016), else its due instant. */
  due_at: string;
  reason: string;
  /** Log position of the task state this row was written from (timer actors read changes by it). */
  position: number;
}

/** Null fields mean "not known from this event"; the upsert keeps what the row has. */
export interface ExecutionRow {
  task_id: string;
  occurrence: number;
  attempt: number;
  bucket: number;
  due_at: string | null;
  /** Set when jitter planned the start after due_at (ADR 016); lag_ms counts from it. */
  planned_at: string | null;
  started_at: string;
  finished_at: string | null;
  outcome: string | null;
  lag_ms: number | null;
  duration_ms: number | null;
  worker_id: string | null;
  output: string | null;
  error: string | null;
  /** The ScheduleReason of the attempt (known from TaskExecutionStarted; null: keep the row's). */
  schedule_reason: string | null;
  /** How long it waited for a concurrency slot (from TaskExecutionStarted; absent: keep the row's). */
  waited_ms?: number | null;
  position: number;
}

export interface StatsRow {
  minute: string;
  outcome: string;
  count: number;
  lag_sum_ms: number;
  lag_max_ms: number;
  lag_histogram: number[];
}

export interface ParkedEvent {
  position: number;
  stream_id: string;
  revision: number;
  type: string;
  error: string;
  recorded_at: string;
}

export interface ProjectedBatch {
  /** Rows to upsert: every touched task that exists. */
  tasks: TaskRow[];
  /** Tasks whose stored due occurrences are replaced: delete theirs, then insert `dueRows`. Only a
   *  task that had a row can have stored ones, so a new task's rows are only inserted. */
  dueTaskIds: string[];
  dueRows: DueRow[];
  executions: ExecutionRow[];
  /** Increments per (minute, outcome), to add to the stored rows. */
  stats: StatsRow[];
  statusDeltas: { status: TaskStatus; delta: number }[];
  parked: ParkedEvent[];
  /** Rows of the occurrence ledger's own tables. */
  ledger: LedgerBatch;
  /** Calendar rows after the batch's calendar events (calendar-<id> streams). */
  calendars: CalendarRow[];
  /** TaskHistoryTruncated events: what retention removes from the read model (applied last). */
  truncations: Truncation[];
  /** What changed, for the change feed. */
  buckets: number[];
  changedTasks: string[];
  changedExecutions: ExecutionKey[];
}

const TASK_STREAM = /^task-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/** The task id of a task stream (lower case, as PostgreSQL's uuid prints it), or null for others. */
export function taskIdOfStream(streamId: string): string | null {
  const match = TASK_STREAM.exec(streamId);
  return match ? match[1].toLowerCase() : null;
}

/** The tasks a batch touches, in order of first appearance, split by whether they may have a row. */
export interface BatchTasks {
  /** Tasks whose stream starts in this batch (revision 0 of `task-<id>` as the id prints): nothing
   *  of theirs was applied before, so they have no row yet and need no loading. */
  fresh: string[];
  /** Every other task: its row (if any) is loaded first. */
  existing: string[];
}

export function tasksOfBatch(events: readonly RecordedEvent[]): BatchTasks {
  const seen = new Set<string>();
  const fresh: string[] = [];
  const existing: string[] = [];
  let lastStream = '';
  for (const event of events) {
    if (event.streamId === lastStream) continue; // a stream's events usually come together
    lastStream = event.streamId;
    const taskId = taskIdOfStream(event.streamId);
    if (taskId === null || seen.has(taskId)) continue;
    seen.add(taskId);
    // Only the canonical stream name: another spelling of the same id could have written a row.
    if (event.revision === 0 && event.streamId.length === 41 && event.streamId.endsWith(taskId)) {
      fresh.push(taskId);
    } else {
      existing.push(taskId);
    }
  }
  return { fresh, existing };
}

/** What a worker may fire: mirrors FireOccurrence, which accepts only manual runs and backfills unless active. */
export function dueOccurrencesOf(state: TaskState): ScheduledOccurrence[] {
  switch (state.status) {
    case 'active':
      return state.scheduled;
    case 'paused':
    case 'completed':
      return state.scheduled.filter((s) => firesWhenNotActive(s.reason));
    default:
      return [];
  }
}

interface TaskProgress {
  state: TaskState;
  revision: number;
  changedRevision: number | null;
  position: number;
  updatedAt: string;
  statusBefore: TaskStatus | null;
  /** The state as loaded: the due occurrences stored for it. */
  before: TaskState;
  /** It had a row when the batch started. */
  hadRow: boolean;
  /** Position of the last event that changed the task's due occurrences: their rows carry it. It
   *  depends only on the events, not on how they were batched, so a rebuild writes the same value. */
  dueChangedAt: number;
  /** An event of this batch changed them, even if a later one changed them back: their rows are
   *  written again with the new dueChangedAt, as a batch that ended between the two would have. */
  dueMoved: boolean;
  /** An event of this batch applied to (or was parked for) this task. */
  touched: boolean;
}

export function projectEvents(
  loaded: ReadonlyMap<string, LoadedTask>,
  events: readonly RecordedEvent[],
): ProjectedBatch {
  const progress = new Map<string, TaskProgress>();
  const executions = new Map<string, ExecutionRow>();
  const stats = new Map<string, StatsRow>();
  const parked: ParkedEvent[] = [];
  const ledger = new LedgerRows();
  const truncations: Truncation[] = [];
  const calendars = new Map<string, CalendarRow>();
  let lastStream = '';
  let taskId: string | null = null;

  for (const event of events) {
    if (event.streamId !== lastStream) {
      lastStream = event.streamId;
      taskId = taskIdOfStream(event.streamId);
    }
    if (taskId === null) {
      const calendarId = calendarIdOfStream(event.streamId);
      if (calendarId !== null) {
        try {
          applyCalendarEvent(calendars, calendarId, event);
        } catch (error) {
          parked.push(park(event, error instanceof Error ? error.message : String(error)));
        }
        continue;
      }
      // Another kind of stream (not ours); a malformed task stream name is worth a look.
      if (event.streamId.startsWith('task-')) parked.push(park(event, 'stream id is not task-<uuid>'));
      continue;
    }
    let task = progress.get(taskId);
    if (!task) {
      const row = loaded.get(taskId);
      const base = row?.basePosition; // no row: the task starts from its stream's base
      const stored = base === undefined ? row : undefined;
      task = {
        state: row?.state ?? initialTaskState,
        revision: row?.revision ?? -1,
        changedRevision: row ? row.changedRevision : -1,
        position: 0,
        updatedAt: '',
        statusBefore: stored?.state.status ?? null,
        before: stored?.state ?? initialTaskState,
        hadRow: stored !== undefined,
        dueChangedAt: base ?? 0,
        dueMoved: false,
        touched: false,
      };
      task.dueMoved = !sameDue(task.state, task.before); // a task from its base: rows to write
      progress.set(taskId, task);
      if (row && base !== undefined) ledger.startFromBase(taskId, row.state, base);
    }
    if (event.revision <= task.revision) continue;
    try {
      const before = task.state;
      const typed = assertTaskEvent(event.type, event.data);
      const after = evolve(before, typed);
      ledger.apply(taskId, before, after, typed, event.position);
      if (before.status !== 'none' && typed.type === 'TaskExecutionStarted') {
        const { occurrence, attempt, dueAt, plannedAt, startedAt, workerId, waitingSince } = typed.data;
        const scheduled = findScheduled(before, occurrence, attempt);
        putExecution(executions, {
          task_id: taskId,
          occurrence,
          attempt,
          bucket: before.bucket,
          due_at: dueAt,
          planned_at: plannedAt ?? null,
          started_at: startedAt,
          finished_at: null,
          outcome: null,
          lag_ms: lagOf(typed.data, startedAt),
          duration_ms: null,
          worker_id: workerId,
          output: null,
          error: null,
          schedule_reason: scheduled?.reason ?? null,
          ...(waitingSince && { waited_ms: Date.parse(startedAt) - Date.parse(waitingSince) }),
          position: event.position,
        });
      } else if (before.status !== 'none' && typed.type === 'TaskExecuted') {
        const { occurrence, attempt, outcome, startedAt, finishedAt, durationMs, output, error } = typed.data;
        const running = findRunning(before, occurrence, attempt);
        const lagMs = running ? lagOf(running, startedAt) : null;
        putExecution(executions, {
          task_id: taskId,
          occurrence,
          attempt,
          bucket: before.bucket,
          due_at: running?.dueAt ?? null,
          planned_at: running?.plannedAt ?? null,
          started_at: startedAt,
          finished_at: finishedAt,
          outcome,
          lag_ms: lagMs,
          duration_ms: durationMs,
          worker_id: running?.workerId ?? null,
          output: output ?? null,
          error: error ?? null,
          schedule_reason: null,
          position: event.position,
        });
        countExecution(stats, finishedAt, outcome, lagMs);
      } else if (typed.type === 'TaskHistoryTruncated') {
        truncations.push({
          task_id: taskId,
          stream_id: event.streamId,
          through_revision: typed.data.throughRevision,
          through_position: typed.data.throughPosition,
        });
      }
      if (!sameDue(after, before)) {
        task.dueChangedAt = event.position;
        task.dueMoved = true;
      }
      task.state = after;
    } catch (error) {
      parked.push(park(event, error instanceof Error ? error.message : String(error)));
    }
    // A parked event still moves the row on: its revision is the stream's, which clients send back.
    task.touched = true;
    task.revision = event.revision;
    if (CHANGES_BY_PEOPLE.has(event.type)) task.changedRevision = event.revision;
    task.position = event.position;
    task.updatedAt = event.recordedAt.toISOString();
  }

  const tasks: TaskRow[] = [];
  const dueTaskIds: string[] = [];
  const dueRows: DueRow[] = [];
  const buckets = new Set<number>();
  const deltas = new Map<TaskStatus, number>();
  for (const [taskId, task] of progress) {
    const state = task.state;
    if (state.status === 'none' || !task.touched) continue;
    tasks.push(taskRow(taskId, state, task));
    if (task.dueMoved) {
      if (task.hadRow) dueTaskIds.push(taskId);
      buckets.add(state.bucket);
      for (const s of dueOccurrencesOf(state)) {
        dueRows.push({
          task_id: taskId,
          occurrence: s.occurrence,
          attempt: s.attempt,
          bucket: state.bucket,
          due_at: s.plannedAt ?? s.dueAt,
          reason: s.reason,
          position: task.dueChangedAt,
        });
      }
    }
    if (task.statusBefore !== state.status) {
      if (task.statusBefore) deltas.set(task.statusBefore, (deltas.get(task.statusBefore) ?? 0) - 1);
      deltas.set(state.status, (deltas.get(state.status) ?? 0) + 1);
    }
  }

  return {
    tasks,
    dueTaskIds,
    dueRows,
    executions: [...executions.values()],
    stats: [...stats.values()],
    statusDeltas: [...deltas]
      .filter(([, delta]) => delta !== 0)
      .map(([status, delta]) => ({ status, delta })),
    parked,
    ledger: ledger.rows(),
    calendars: [...calendars.values()],
    truncations,
    buckets: [...buckets].sort((a, b) => a - b),
    changedTasks: tasks.map((row) => row.task_id),
    changedExecutions: [...executions.values()].map((row) => ({
      taskId: row.task_id,
      occurrence: row.occurrence,
      attempt: row.attempt,
    })),
  };
}

function taskRow(taskId: string, state: ExistingTaskState, task: TaskProgress): TaskRow {
  const due = dueOccurrencesOf(state);
  // The next start: a jittered occurrence's planned time (what the list sorts by and shows).
  const nextDue = due.reduce<string | null>((earliest, s) => {
    const startAt = s.plannedAt ?? s.dueAt;
    return earliest === null || Date.parse(startAt) < Date.parse(earliest) ? startAt : earliest;
  }, null);
  return {
    task_id: taskId,
    name: state.definition.name,
    status: state.status,
    bucket: state.bucket,
    schedule_kind: state.definition.schedule.kind,
    definition: state.definition,
    state,
    revision: task.revision,
    position: task.position,
    changed_revision: task.changedRevision,
    registered_at: state.registeredAt,
    updated_at: task.updatedAt,
    next_due_at: nextDue,
    last_outcome: state.lastExecution?.outcome ?? null,
    last_execution_at: state.lastExecution?.finishedAt ?? null,
  };
}

/** Whether two states have the same due occurrences, in the same order (jsonb keeps array order). */
function sameDue(a: TaskState, b: TaskState): boolean {
  if (a === b) return true;
  const x = dueOccurrencesOf(a);
  const y = dueOccurrencesOf(b);
  if (x === y) return true;
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) {
    const s = x[i];
    const t = y[i];
    if (
      s.occurrence !== t.occurrence ||
      s.attempt !== t.attempt ||
      s.dueAt !== t.dueAt ||
      s.plannedAt !== t.plannedAt ||
      s.reason !== t.reason
    ) {
      return false;
    }
  }
  return true;
}

function putExecution(executions: Map<string, ExecutionRow>, row: ExecutionRow): void {
  const key = `${row.task_id}/${row.occurrence}/${row.attempt}`;
  const earlier = executions.get(key);
  // Within one batch the later event wins, keeping what only the earlier one knew.
  executions.set(key, {
    ...row,
    due_at: row.due_at ?? earlier?.due_at ?? null,
    planned_at: row.planned_at ?? earlier?.planned_at ?? null,
    lag_ms: row.lag_ms ?? earlier?.lag_ms ?? null,
    worker_id: row.worker_id ?? earlier?.worker_id ?? null,
    schedule_reason: row.schedule_reason ?? earlier?.schedule_reason ?? null,
    waited_ms: row.waited_ms ?? earlier?.waited_ms,
  });
}

/** Started minus due; none for a backfill run, late by design (its lag says nothing of the scheduler). */
/** Lag counts from a jittered plan (ADR 016); a backfill run is late by design and has none (ADR 017). */
function lagOf(
  run: { dueAt: string; plannedAt?: string; reason?: 'backfill' },
  startedAt: string,
): number | null {
  return run.reason === 'backfill' ? null : Date.parse(startedAt) - Date.parse(startTimeOf(run));
}

function countExecution(
  stats: Map<string, StatsRow>,
  finishedAt: string,
  outcome: string,
  lagMs: number | null,
): void {
  const minute = new Date(Math.floor(Date.parse(finishedAt) / 60_000) * 60_000).toISOString();
  const key = `${minute}/${outcome}`;
  let row = stats.get(key);
  if (!row) {
    row = { minute, outcome, count: 0, lag_sum_ms: 0, lag_max_ms: 0, lag_histogram: emptyLagHistogram() };
    stats.set(key, row);
  }
  row.count++;
  if (lagMs !== null) {
    row.lag_sum_ms += lagMs;
    row.lag_max_ms = Math.max(row.lag_max_ms, lagMs);
    row.lag_histogram[lagCell(lagMs)]++;
  }
}

function park(event: RecordedEvent, error: string): ParkedEvent {
  return {
    position: event.position,
    stream_id: event.streamId,
    revision: event.revision,
    type: event.type,
    error,
    recorded_at: event.recordedAt.toISOString(),
  };
}
