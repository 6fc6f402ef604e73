/**
 * The occurrence ledger's projection: from each event and the task's states around it, the rows of
 * schedule_versions, pause_intervals and skipped_occurrences it writes (migration 003 says what each
 * holds). Pure. Only rare events write here (registration, schedule change, pause, resume, skip,
 * completion, deletion): the firing hot path adds nothing but the executions' schedule_reason.
 */
import type { Schedule } from '../../tasks/domain/task';
import type { TaskEvent } from '../../tasks/domain/task.events';
import { type ExistingTaskState, type TaskState, isRegular } from '../../tasks/domain/task.state';

export interface ScheduleVersionRow {
  task_id: string;
  /** Position of the event that brought the schedule: the row's key. */
  opened_position: number;
  since: string;
  schedule: Schedule;
  until: string | null;
  until_reason: 'rescheduled' | 'completed' | 'deleted' | null;
  dropped_from: string | null;
  position: number;
}

export interface PauseIntervalRow {
  task_id: string;
  paused_at: string;
  /** Written when the row is new; a resume of a stored pause sets only resumed_at and position. */
  owed_from: string;
  resumed_at: string | null;
  /** Position of the TaskPaused that opened it (or of the base it was carried over from). */
  paused_position: number;
  position: number;
}

export interface SkippedOccurrenceRow {
  task_id: string;
  occurrence: number;
  due_at: string;
  reason: string;
  skipped_at: string;
  /** For reason `calendar`: the calendar that excluded it. */
  calendar_id: string | null;
  position: number;
}

/** Ends a task's version stored by an earlier batch (its only one without `until`). */
export interface VersionCloseRow {
  task_id: string;
  until: string;
  until_reason: 'rescheduled' | 'completed' | 'deleted';
  dropped_from: string | null;
  position: number;
}

export interface LedgerBatch {
  /** Applied before `versions` are written, so that they reach only stored versions. */
  closes: VersionCloseRow[];
  versions: ScheduleVersionRow[];
  pauses: PauseIntervalRow[];
  skips: SkippedOccurrenceRow[];
}

/** Collects a batch's ledger rows; a later event's row replaces an earlier one with the same key. */
export class LedgerRows {
  /** Versions opened in this batch, by task, oldest first. */
  private readonly versions = new Map<string, ScheduleVersionRow[]>();
  private readonly closes = new Map<string, VersionCloseRow>();
  private readonly pauses = new Map<string, PauseIntervalRow>();
  private readonly skips = new Map<string, SkippedOccurrenceRow>();

  /** Notes what `event` (at `position`) changes, `before` and `after` being the task's states. */
  apply(taskId: string, before: TaskState, after: TaskState, event: TaskEvent, position: number): void {
    if (after.status === 'none') return;
    if (before.status === 'none') {
      if (event.type === 'TaskRegistered') this.openVersion(taskId, after, position);
      return;
    }
    switch (event.type) {
      case 'TaskUpdated': {
        // A completed task keeps a new schedule on paper only: nothing of it is ever scheduled.
        if (!event.data.changes.schedule || before.status === 'deleted' || before.status === 'completed') {
          return;
        }
        this.closeVersion(taskId, before, event.data.updatedAt, 'rescheduled', position);
        return this.openVersion(taskId, after, position);
      }
      case 'TaskCompleted':
        if (before.status === 'active' || before.status === 'paused') {
          this.closeVersion(taskId, before, event.data.completedAt, 'completed', position);
        }
        return;
      case 'TaskDeleted':
        if (before.status === 'active' || before.status === 'paused') {
          this.closeVersion(taskId, before, event.data.deletedAt, 'deleted', position);
        }
        return;
      case 'TaskPaused': {
        const { pausedAt } = event.data;
        const owed = after.owedOnPause[0];
        const owedFrom = owed !== undefined && Date.parse(owed) < Date.parse(pausedAt) ? owed : pausedAt;
        this.pauses.set(`${taskId}/${pausedAt}`, {
          task_id: taskId,
          paused_at: pausedAt,
          owed_from: owedFrom,
          resumed_at: null,
          paused_position: position,
          position,
        });
        return;
      }
      case 'TaskResumed': {
        if (before.pausedAt === null) return;
        const key = `${taskId}/${before.pausedAt}`;
        const paused = this.pauses.get(key);
        this.pauses.set(key, {
          task_id: taskId,
          paused_at: before.pausedAt,
          owed_from: paused?.owed_from ?? before.pausedAt,
          resumed_at: event.data.resumedAt,
          paused_position: paused?.paused_position ?? position,
          position,
        });
        return;
      }
      case 'TaskOccurrenceSkipped': {
        const { occurrence, dueAt, reason, skippedAt, calendarId } = event.data;
        this.skips.set(`${taskId}/${occurrence}`, {
          task_id: taskId,
          occurrence,
          due_at: dueAt,
          reason,
          skipped_at: skippedAt,
          calendar_id: calendarId ?? null,
          position,
        });
        return;
      }
      default:
        return;
    }
  }

  /**
   * A task folded from its stream's base (retention, ADR 012): the rows still open at the cut, as the
   * projector leaves them when it applies TaskHistoryTruncated (ledger-statements.ts): the schedule in
   * effect and the pause in progress, both at the position of the cut. What a pause owed before it
   * began lies before the cut, so its owed_from is the pause itself.
   */
  startFromBase(taskId: string, state: TaskState, position: number): void {
    if (state.status !== 'active' && state.status !== 'paused') return;
    this.openVersion(taskId, state, position);
    if (state.status === 'paused' && state.pausedAt !== null) {
      this.pauses.set(`${taskId}/${state.pausedAt}`, {
        task_id: taskId,
        paused_at: state.pausedAt,
        owed_from: state.pausedAt,
        resumed_at: null,
        paused_position: position,
        position,
      });
    }
  }

  rows(): LedgerBatch {
    return {
      closes: [...this.closes.values()],
      versions: [...this.versions.values()].flat(),
      pauses: [...this.pauses.values()],
      skips: [...this.skips.values()],
    };
  }

  /** The schedule of `state`, in effect from its scheduleSince. */
  private openVersion(taskId: string, state: ExistingTaskState, position: number): void {
    const opened = this.versions.get(taskId) ?? [];
    opened.push({
      task_id: taskId,
      opened_position: position,
      since: state.scheduleSince,
      schedule: state.definition.schedule,
      until: null,
      until_reason: null,
      dropped_from: null,
      position,
    });
    this.versions.set(taskId, opened);
  }

  /** Ends the schedule in effect in `before` at `until`, noting the due occurrence it drops unfired. */
  private closeVersion(
    taskId: string,
    before: ExistingTaskState,
    until: string,
    reason: 'rescheduled' | 'completed' | 'deleted',
    position: number,
  ): void {
    const untilMs = Date.parse(until);
    let droppedFrom: string | null = null;
    for (const s of before.scheduled) {
      const due = Date.parse(s.dueAt);
      if (isRegular(s.reason) && s.attempt === 1 && due <= untilMs) {
        if (droppedFrom === null || due < Date.parse(droppedFrom)) droppedFrom = s.dueAt;
      }
    }
    const close = { until, until_reason: reason, dropped_from: droppedFrom, position };
    const open = this.versions.get(taskId)?.at(-1);
    if (open) {
      // Opened in this batch: it is the one in effect (a task has one at a time).
      if (open.until === null) Object.assign(open, close);
    } else if (!this.closes.has(taskId)) {
      this.closes.set(taskId, { task_id: taskId, ...close });
    }
  }
}
