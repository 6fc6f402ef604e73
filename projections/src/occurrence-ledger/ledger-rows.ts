/**
 * The occurrence ledger's projection: from each event and the task's states around it, the rows of
 * schedule_versions, pause_intervals and skipped_occurrences it writes (migration 003 says what each
 * holds). Pure. Only rare events write here (registration, schedule change, pause, resume, skip,
 * completion, deletion): the firing hot path adds nothing but the executions' schedule_reason.
 */
import type { Schedule } from '../../../backend/src/tasks/domain/task';
import type { TaskEvent } from '../../../backend/src/tasks/domain/task.events';
import {
  type ExistingTaskState,
  type TaskState,
  isRegular,
} from '../../../backend/src/tasks/domain/task.state';

export interface ScheduleVersionRow {
  task_id: string;
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
  position: number;
}

export interface SkippedOccurrenceRow {
  task_id: string;
  occurrence: number;
  due_at: string;
  reason: string;
  skipped_at: string;
  position: number;
}

export interface LedgerBatch {
  versions: ScheduleVersionRow[];
  pauses: PauseIntervalRow[];
  skips: SkippedOccurrenceRow[];
}

/** Collects a batch's ledger rows; a later event's row replaces an earlier one with the same key. */
export class LedgerRows {
  private readonly versions = new Map<string, ScheduleVersionRow>();
  private readonly pauses = new Map<string, PauseIntervalRow>();
  private readonly skips = new Map<string, SkippedOccurrenceRow>();

  /** Notes what `event` (at `position`) changes, `before` and `after` being the task's states. */
  apply(taskId: string, before: TaskState, after: TaskState, event: TaskEvent, position: number): void {
    if (after.status === 'none') return;
    if (before.status === 'none') {
      if (event.type === 'TaskRegistered') this.openVersion(taskId, after, position, null);
      return;
    }
    switch (event.type) {
      case 'TaskUpdated': {
        if (!event.data.changes.schedule || before.status === 'deleted') return;
        const { updatedAt } = event.data;
        // A completed task keeps its new schedule on paper only: nothing of it is ever scheduled.
        if (before.status === 'completed') return this.openVersion(taskId, after, position, updatedAt);
        this.closeVersion(taskId, before, updatedAt, 'rescheduled', position);
        return this.openVersion(taskId, after, position, null);
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
          position,
        });
        return;
      }
      case 'TaskOccurrenceSkipped': {
        const { occurrence, dueAt, reason, skippedAt } = event.data;
        this.skips.set(`${taskId}/${occurrence}`, {
          task_id: taskId,
          occurrence,
          due_at: dueAt,
          reason,
          skipped_at: skippedAt,
          position,
        });
        return;
      }
      default:
        return;
    }
  }

  rows(): LedgerBatch {
    return {
      versions: [...this.versions.values()],
      pauses: [...this.pauses.values()],
      skips: [...this.skips.values()],
    };
  }

  /** The schedule of `state`, in effect from its scheduleSince; `closedAt`: born closed (completed). */
  private openVersion(
    taskId: string,
    state: ExistingTaskState,
    position: number,
    closedAt: string | null,
  ): void {
    this.versions.set(`${taskId}/${state.scheduleSince}`, {
      task_id: taskId,
      since: state.scheduleSince,
      schedule: state.definition.schedule,
      until: closedAt,
      until_reason: closedAt === null ? null : 'completed',
      dropped_from: null,
      position,
    });
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
    this.versions.set(`${taskId}/${before.scheduleSince}`, {
      task_id: taskId,
      since: before.scheduleSince,
      schedule: before.definition.schedule,
      until,
      until_reason: reason,
      dropped_from: droppedFrom,
      position,
    });
  }
}
