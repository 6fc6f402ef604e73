/**
 * The domain's one error taxonomy. Each code is stable (clients and the problem+json filter key on
 * it); the message is for humans. The HTTP layer maps them (api/problem-details.filter.ts): not found
 * 404, invalid_definition 400, revision_mismatch 412, the state conflicts 409.
 */

export type TaskErrorCode =
  /** No task under this id. */
  | 'task_not_found'
  /** A different definition is already registered under this id (the same one is a no-op). */
  | 'task_already_exists'
  /** The task is deleted; only a repeated delete is accepted. */
  | 'task_deleted'
  /** The command does not apply in the task's status (pause a paused task, resume an active one…). */
  | 'invalid_transition'
  /** The definition cannot be scheduled or executed; `field` names the culprit. */
  | 'invalid_definition'
  /** A backfill window that is not one (`to` not after `from`) or holds too many occurrences; `field` names it. */
  | 'invalid_backfill'
  /** Fire of an occurrence that is not scheduled, not yet due, or already fired. */
  | 'occurrence_not_due'
  /** An outcome for an execution that is not running (never started, or already recorded). */
  | 'execution_not_running'
  /** Closing an execution as lost before its timeout plus grace has passed. */
  | 'execution_not_overdue'
  /** Fire of a task with a concurrency limit without holding a slot of its key (a worker's error). */
  | 'concurrency_slot_required'
  /** A person changed the task after the revision the client saw (If-Match). */
  | 'revision_mismatch'
  /** The task kept changing while the command was decided again and again: try later. */
  | 'concurrent_modification';

export class TaskDomainError extends Error {
  override readonly name = 'TaskDomainError';

  constructor(
    readonly code: TaskErrorCode,
    message: string,
    /** The failing field, for invalid_definition and invalid_backfill. */
    readonly field?: string,
  ) {
    super(message);
  }
}

/** The task changed since the revision a client saw: it should reload it (at `currentRevision`). */
export class RevisionMismatchError extends TaskDomainError {
  constructor(
    taskId: string,
    readonly currentRevision: number,
  ) {
    super(
      'revision_mismatch',
      `task ${taskId} is at revision ${currentRevision}, not the one in If-Match; reload it and retry`,
    );
  }
}

/** An event read from the store does not have the shape its type promises: corrupt or foreign data. */
export class InvalidTaskEventError extends Error {
  override readonly name = 'InvalidTaskEventError';

  constructor(
    readonly eventType: string,
    readonly problems: string[],
  ) {
    super(`Invalid ${eventType} event: ${problems.join('; ')}`);
  }
}
