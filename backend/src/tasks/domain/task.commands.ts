/**
 * What can be asked of a task. The API sends the first six; workers send the last three. Every command
 * names its task; decide works on that task's state and never reads anything else.
 */
import type { Instant, TaskChangesInput, TaskDefinitionInput } from './task';

export type RegisterTask = {
  type: 'RegisterTask';
  /** `bucket` comes from bucketOf(taskId, the cluster's bucket count). */
  data: { taskId: string; definition: TaskDefinitionInput; bucket: number };
};
/** Fields left out stay as they are; a given retry policy is merged field by field. */
export type UpdateTask = {
  type: 'UpdateTask';
  data: { taskId: string; changes: TaskChangesInput };
};
export type PauseTask = { type: 'PauseTask'; data: { taskId: string } };
export type ResumeTask = { type: 'ResumeTask'; data: { taskId: string } };
/** Runs the task now as an extra (manual) occurrence; the regular schedule is unchanged. */
export type TriggerTask = { type: 'TriggerTask'; data: { taskId: string } };
export type DeleteTask = { type: 'DeleteTask'; data: { taskId: string } };
/**
 * Runs each of the schedule's past instants in [from, to) once, due at that instant (reason backfill),
 * whatever the task's status but deleted; instants already backfilled are not run again.
 */
export type BackfillTask = { type: 'BackfillTask'; data: { taskId: string; from: Instant; to: Instant } };

/** A worker's claim that a due occurrence starts now. */
export type FireOccurrence = {
  type: 'FireOccurrence';
  data: {
    taskId: string;
    occurrence: number;
    attempt: number;
    workerId: string;
    /** The concurrency key whose slot the worker holds: required when the task has a limit. */
    concurrencyKey?: string;
    /** When it first found no slot free: it waited since then (not misfired by the wait). */
    waitingSince?: Instant;
    /**
     * The worker found the occurrence's due instant in an excluded period of this calendar (one the
     * task names), as of this revision: a regular occurrence is then skipped, not started (ADR 018).
     */
    excludedBy?: { calendarId: string; revision: number };
  };
};
/** A worker's record that a due occurrence waits for a slot of its concurrency key (ADR 019). */
export type RecordOccurrenceWaiting = {
  type: 'RecordOccurrenceWaiting';
  data: {
    taskId: string;
    occurrence: number;
    attempt: number;
    concurrencyKey: string;
    waitingSince: Instant;
  };
};
export type RecordExecutionOutcome = {
  type: 'RecordExecutionOutcome';
  data: {
    taskId: string;
    occurrence: number;
    attempt: number;
    outcome: 'succeeded' | 'failed' | 'timed_out';
    startedAt: Instant;
    finishedAt: Instant;
    output?: string;
    error?: string;
  };
};
/** Closes an execution whose worker vanished (no outcome after timeout + LOST_GRACE_MS) as `lost`. */
export type CloseLostExecution = {
  type: 'CloseLostExecution';
  data: {
    taskId: string;
    occurrence: number;
    attempt: number;
    /**
     * The worker that started it is gone (its membership expired): no outcome can come, so there is
     * no need to wait out the timeout. Otherwise the execution must be past its timeout plus grace.
     */
    workerGone?: boolean;
  };
};

export type TaskCommand =
  | RegisterTask
  | UpdateTask
  | PauseTask
  | ResumeTask
  | TriggerTask
  | DeleteTask
  | BackfillTask
  | FireOccurrence
  | RecordOccurrenceWaiting
  | RecordExecutionOutcome
  | CloseLostExecution;

export type TaskCommandType = TaskCommand['type'];
