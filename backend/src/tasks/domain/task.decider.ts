/**
 * decide: a command and the task's state in, the events to append out, or a TaskDomainError. Pure:
 * the clock comes in as `now`, and a retry after a revision conflict simply decides again.
 */
import { jitterOffsetMs, startTimeOf } from './jitter';
import { MAX_BACKFILL_OCCURRENCES } from '../../../../contracts/limits';
import { formatInstant, parseInstant } from './instant';
import {
  firstOccurrence,
  hasOtherPendingRegular,
  nextCatchingUp,
  nextOnTimeline,
  occurrencesOnResume,
  pastOccurrencesIn,
} from './regular-timeline';
import {
  MISFIRE_THRESHOLD_MS,
  REMOVED_VALUES,
  TASK_DEFINITION_FIELDS,
  applyChanges,
  isRemovable,
  sameDefinition,
  sameJson,
  validateDefinition,
  withDefaults,
  type RetryPolicy,
  type TaskDefinition,
} from './task';
import type {
  BackfillTask,
  CloseLostExecution,
  FireOccurrence,
  RecordExecutionOutcome,
  RecordOccurrenceWaiting,
  RegisterTask,
  TaskCommand,
  UpdateTask,
} from './task.commands';
import { TaskDomainError } from './task.errors';
import {
  truncateOutput,
  type DefinitionChanges,
  type ExecutionOutcome,
  type ScheduleReason,
  type SkipReason,
  type TaskEvent,
  type TaskExecuted,
  type TaskExecutionStarted,
  type TaskRegistered,
  type TaskScheduled,
} from './task.events';
import {
  type ExistingTaskState,
  type ScheduledOccurrence,
  type TaskState,
  findRunning,
  findScheduled,
  firesWhenNotActive,
  foldTaskEvents,
  isRegular,
} from './task.state';

/** How long after its timeout an execution without outcome counts as lost (its worker died). */
export const LOST_GRACE_MS = 30_000;

/** Delay before retrying after failed attempt number `attempt` (1-based): exponential, capped. */
export function retryDelayMs(policy: RetryPolicy, attempt: number): number {
  const delay = policy.backoffMs * policy.backoffFactor ** Math.max(0, attempt - 1);
  return Math.round(Math.min(policy.maxBackoffMs, delay));
}

/** Knobs of the rules (KAIROS_MISFIRE_THRESHOLD_MS, KAIROS_FIRING_LEAD_MS). */
export interface DecideSettings {
  /** An occurrence found later than this after its due time counts as misfired. */
  misfireThresholdMs: number;
  /**
   * An occurrence may be fired this long before its start time: the start is decided and appended
   * ahead, as of that instant, and its action waits for it (ADR 022). 0: never before the start time.
   */
  firingLeadMs?: number;
}

export const DEFAULT_DECIDE_SETTINGS: DecideSettings = { misfireThresholdMs: MISFIRE_THRESHOLD_MS };

export function decide(
  command: TaskCommand,
  state: TaskState,
  now: Date,
  settings: DecideSettings = DEFAULT_DECIDE_SETTINGS,
): TaskEvent[] {
  switch (command.type) {
    case 'RegisterTask':
      return register(command, state, now);
    case 'DeleteTask':
      if (state.status === 'deleted') return [];
      requireLive(state, command.data.taskId);
      return [{ type: 'TaskDeleted', data: { deletedAt: formatInstant(now) } }];
    case 'UpdateTask':
      return update(command, requireLive(state, command.data.taskId), now);
    case 'PauseTask': {
      const task = requireLive(state, command.data.taskId);
      if (task.status !== 'active') throw invalidTransition('pause', task);
      return [{ type: 'TaskPaused', data: { pausedAt: formatInstant(now) } }];
    }
    case 'ResumeTask':
      return resume(command.data.taskId, requireLive(state, command.data.taskId), now, settings);
    case 'TriggerTask': {
      const task = requireLive(state, command.data.taskId);
      if (task.status === 'completed') throw invalidTransition('trigger', task);
      return [scheduled(task.lastOccurrence + 1, 1, now, 'manual')];
    }
    case 'BackfillTask':
      return backfill(command, requireLive(state, command.data.taskId), now);
    case 'FireOccurrence':
      return fire(command, requireLive(state, command.data.taskId), now, settings);
    case 'RecordOccurrenceWaiting':
      return recordWaiting(command, requireLive(state, command.data.taskId), now);
    case 'RecordExecutionOutcome':
      return recordOutcome(command, state, now);
    case 'CloseLostExecution':
      return closeLost(command, state, now);
    default: {
      const _exhaustive: never = command;
      throw new Error(`Unknown command ${JSON.stringify(_exhaustive)}`);
    }
  }
}

function register({ data }: RegisterTask, state: TaskState, now: Date): TaskEvent[] {
  const definition = withDefaults(data.definition);
  if (state.status === 'deleted') throw deleted(data.taskId);
  if (state.status !== 'none') {
    if (sameDefinition(state.definition, definition)) return [];
    throw new TaskDomainError(
      'task_already_exists',
      `Task ${data.taskId} already exists with a different definition; update it instead`,
    );
  }
  requireValid(definition);
  const first = firstOccurrence(definition.schedule, now);
  const registered: TaskRegistered = {
    type: 'TaskRegistered',
    data: { definition, bucket: data.bucket, registeredAt: formatInstant(now) },
  };
  if (!first) return [registered, { type: 'TaskCompleted', data: { completedAt: formatInstant(now) } }];
  // One event, not TaskRegistered then TaskScheduled: half the rows for a registration (ADR 021).
  const { dueAt, plannedAt } = regular(data.taskId, definition, 1, first, 'registered').data;
  registered.data.firstOccurrence = plannedAt === undefined ? { dueAt } : { dueAt, plannedAt };
  return [registered];
}

function update({ data }: UpdateTask, task: ExistingTaskState, now: Date): TaskEvent[] {
  const merged = applyChanges(task.definition, data.changes);
  const changes: DefinitionChanges = {};
  for (const field of TASK_DEFINITION_FIELDS) {
    // A removed field is recorded by its removed value (REMOVED_VALUES: `{}`, `[]`, `0`, null).
    const value = isRemovable(field) ? (merged[field] ?? REMOVED_VALUES[field]) : merged[field];
    if (!sameJson(task.definition[field], merged[field])) Object.assign(changes, { [field]: value });
  }
  if (Object.keys(changes).length === 0) return [];
  requireValid(merged);
  const events: TaskEvent[] = [{ type: 'TaskUpdated', data: { changes, updatedAt: formatInstant(now) } }];
  if (changes.schedule && task.status === 'active') {
    // The pending regular occurrence belongs to the old schedule: evolve drops it, this replaces it.
    const first = firstOccurrence(changes.schedule, now);
    if (first) events.push(regular(data.taskId, merged, task.lastOccurrence + 1, first, 'updated'));
  }
  return withCompletion(task, events, now);
}

function resume(taskId: string, task: ExistingTaskState, now: Date, settings: DecideSettings): TaskEvent[] {
  if (task.status !== 'paused') throw invalidTransition('resume', task);
  const dueTimes = occurrencesOnResume(task, now, settings.misfireThresholdMs);
  const events: TaskEvent[] = [
    { type: 'TaskResumed', data: { resumedAt: formatInstant(now) } },
    ...dueTimes.map((dueAt, i) =>
      regular(taskId, task.definition, task.lastOccurrence + 1 + i, dueAt, 'resumed'),
    ),
  ];
  return withCompletion(task, events, now);
}

/**
 * One new occurrence (reason backfill, due at its own instant) for each past instant of the window not
 * backfilled before: a repeated backfill decides nothing. Any status but deleted: a paused or completed
 * task runs its backfill and stays as it is. The window may hold at most MAX_BACKFILL_OCCURRENCES
 * instants, counted before the ones already done are left out, so the answer does not depend on history.
 */
function backfill({ data }: BackfillTask, task: ExistingTaskState, now: Date): TaskEvent[] {
  const from = parseInstant(data.from);
  const to = parseInstant(data.to);
  if (!from) throw invalidBackfill('from', `from "${data.from}" is not an ISO 8601 instant with an offset`);
  if (!to) throw invalidBackfill('to', `to "${data.to}" is not an ISO 8601 instant with an offset`);
  if (to <= from) throw invalidBackfill('to', 'to must be after from');
  const instants = pastOccurrencesIn(task, from, to, now, MAX_BACKFILL_OCCURRENCES + 1);
  if (instants.length > MAX_BACKFILL_OCCURRENCES) {
    throw invalidBackfill(
      'to',
      `the window holds more than ${MAX_BACKFILL_OCCURRENCES} past occurrences; backfill it in smaller windows`,
    );
  }
  const done = new Set((task.backfilled ?? []).map((at) => Date.parse(at)));
  return instants
    .filter((at) => !done.has(at.getTime()))
    .map((at, i) => scheduled(task.lastOccurrence + 1 + i, 1, at, 'backfill'));
}

function invalidBackfill(field: 'from' | 'to', reason: string): TaskDomainError {
  return new TaskDomainError('invalid_backfill', reason, field);
}

function fire(
  { data }: FireOccurrence,
  task: ExistingTaskState,
  decidedAt: Date,
  settings: DecideSettings,
): TaskEvent[] {
  const entry = findScheduled(task, data.occurrence, data.attempt);
  if (!entry) {
    throw new TaskDomainError(
      'occurrence_not_due',
      `Occurrence ${data.occurrence} attempt ${data.attempt} is not scheduled (never, already fired, or dropped)`,
    );
  }
  const dueAt = new Date(entry.dueAt);
  // Jitter moved the start: not before, lateness and overlap count from the planned time.
  const startAt = entry.plannedAt === undefined ? dueAt : new Date(entry.plannedAt);
  if (startAt.getTime() > decidedAt.getTime() + (settings.firingLeadMs ?? 0)) {
    throw new TaskDomainError(
      'occurrence_not_due',
      `Occurrence ${data.occurrence} is not due before ${startTimeOf(entry)}`,
    );
  }
  // Fired within the lead, the run starts at its start time, and is decided as of it (ADR 022).
  const now = startAt > decidedAt ? startAt : decidedAt;
  if (task.status !== 'active' && !firesWhenNotActive(entry.reason)) throw invalidTransition('fire', task);

  const waitingSince = waitedSince(task, data, startAt, now);
  const run: TaskExecutionStarted['data'] = {
    ...pick(entry),
    startedAt: formatInstant(now),
    workerId: data.workerId,
  };
  if (entry.reason === 'backfill') run.reason = 'backfill'; // its lag is by design: left out of the stats
  if (waitingSince) run.waitingSince = formatInstant(waitingSince);
  const started: TaskEvent = { type: 'TaskExecutionStarted', data: run };
  // Misfire and overlap govern the regular schedule; a manual run, a backfill or a retry was asked for.
  if (!isRegular(entry.reason)) return [requireSlot(task, data, started)];

  // Lateness is measured when the occurrence was ready to fire: a wait for a concurrency slot is its
  // turn in a queue, not a misfire (a long queue must not turn into skips).
  const readyAt = waitingSince ?? now;
  const misfired = readyAt.getTime() - startAt.getTime() > settings.misfireThresholdMs;
  const policy = misfired ? task.definition.misfire : 'on_time';
  // fire_once collapses what was missed into this run; fire_all walks through each missed one.
  const nextRegular = (): TaskEvent[] => {
    if (hasOtherPendingRegular(task, entry)) return [];
    const nextDue =
      policy === 'fire_all'
        ? nextCatchingUp(task, dueAt, now)
        : nextOnTimeline(task, policy === 'on_time' ? dueAt : now);
    return nextDue ? [regular(data.taskId, task.definition, task.lastOccurrence + 1, nextDue, 'next')] : [];
  };
  const skipped = (reason: SkipReason, calendar?: { calendarId: string; calendarRevision: number }) => {
    const skip: TaskEvent = {
      type: 'TaskOccurrenceSkipped',
      data: {
        occurrence: entry.occurrence,
        dueAt: entry.dueAt,
        reason,
        skippedAt: formatInstant(now),
        ...calendar,
      },
    };
    return withCompletion(task, [skip, ...nextRegular()], now);
  };

  // A calendar the task names excludes the due instant: never fired, and the timeline goes on as after
  // an on-time run. A calendar the task no longer names (edited meanwhile) does not count.
  const excludedBy = data.excludedBy;
  if (excludedBy && task.definition.calendars?.includes(excludedBy.calendarId)) {
    return skipped('calendar', { calendarId: excludedBy.calendarId, calendarRevision: excludedBy.revision });
  }

  if (policy === 'skip') return skipped('misfire');
  if (task.definition.overlap === 'skip' && overlapsInRealTime(task, startAt)) return skipped('overlap');
  return [requireSlot(task, data, started), ...nextRegular()];
}

/**
 * A start of a task with a concurrency limit needs the worker to hold a slot of its current key (taken
 * before firing, ADR 019): a task edited to a limit, or to another key, after the worker looked is
 * refused here and taken through the slot again. Skips need no slot.
 */
function requireSlot(task: ExistingTaskState, data: FireOccurrence['data'], started: TaskEvent): TaskEvent {
  const limit = task.definition.concurrency;
  if (limit && data.concurrencyKey !== limit.key) {
    throw new TaskDomainError(
      'concurrency_slot_required',
      `Task ${data.taskId} starts only with a slot of concurrency key ${limit.key}`,
    );
  }
  return started;
}

/**
 * An occurrence still scheduled waits for a slot: on record, with when it began, within its start time
 * and now (a wait found within the firing lead begins at the start time, as its start would: ADR 022).
 */
function recordWaiting({ data }: RecordOccurrenceWaiting, task: ExistingTaskState, now: Date): TaskEvent[] {
  const entry = findScheduled(task, data.occurrence, data.attempt);
  if (!entry) {
    throw new TaskDomainError(
      'occurrence_not_due',
      `Occurrence ${data.occurrence} attempt ${data.attempt} is not scheduled (never, already fired, or dropped)`,
    );
  }
  const since = Date.parse(data.waitingSince);
  const startAt = Date.parse(startTimeOf(entry));
  const upTo = Math.max(now.getTime(), startAt);
  const waitingSince = new Date(Math.min(upTo, Math.max(startAt, Number.isFinite(since) ? since : 0)));
  return [
    {
      type: 'TaskOccurrenceWaiting',
      data: {
        ...pick(entry),
        concurrencyKey: data.concurrencyKey,
        waitingSince: formatInstant(waitingSince),
      },
    },
  ];
}

/** When a start that waited for its slot began waiting: within [startAt, now]; none without a limit. */
function waitedSince(task: ExistingTaskState, data: FireOccurrence['data'], startAt: Date, now: Date) {
  if (!task.definition.concurrency || data.waitingSince === undefined) return undefined;
  const since = Date.parse(data.waitingSince);
  if (!Number.isFinite(since)) return undefined;
  return new Date(Math.min(now.getTime(), Math.max(startAt.getTime(), since)));
}

/**
 * Overlap means an execution was already running when this occurrence came due. Occurrences fired late
 * in a row (a backlog after an outage, within the misfire threshold) each start after the earlier ones'
 * due instants and so never overlap them: catching up fires them all, in order.
 */
function overlapsInRealTime(task: ExistingTaskState, startAt: Date): boolean {
  return task.running.some((run) => Date.parse(run.startedAt) <= startAt.getTime());
}

function recordOutcome({ data }: RecordExecutionOutcome, state: TaskState, now: Date): TaskEvent[] {
  const task = requireExisting(state, data.taskId);
  requireRunning(task, data.occurrence, data.attempt);
  return finishExecution(
    task,
    { ...data, startedAt: new Date(data.startedAt), finishedAt: new Date(data.finishedAt) },
    now,
  );
}

function closeLost({ data }: CloseLostExecution, state: TaskState, now: Date): TaskEvent[] {
  const task = requireExisting(state, data.taskId);
  const running = requireRunning(task, data.occurrence, data.attempt);
  const overdueAt = new Date(running.startedAt).getTime() + task.definition.timeoutMs + LOST_GRACE_MS;
  if (!data.workerGone && now.getTime() <= overdueAt) {
    throw new TaskDomainError(
      'execution_not_overdue',
      `Execution ${data.occurrence}/${data.attempt} may still report until ${formatInstant(new Date(overdueAt))}`,
    );
  }
  return finishExecution(
    task,
    {
      occurrence: data.occurrence,
      attempt: data.attempt,
      outcome: 'lost',
      startedAt: new Date(running.startedAt),
      finishedAt: now,
      error: data.workerGone
        ? `Worker ${running.workerId} stopped before reporting an outcome`
        : `No outcome from worker ${running.workerId} within the timeout plus ${LOST_GRACE_MS} ms`,
    },
    now,
  );
}

interface Finished {
  occurrence: number;
  attempt: number;
  outcome: ExecutionOutcome;
  startedAt: Date;
  finishedAt: Date;
  output?: string;
  error?: string;
}

/** TaskExecuted, then a retry when the policy allows one, then completion when nothing is left. */
function finishExecution(task: ExistingTaskState, run: Finished, now: Date): TaskEvent[] {
  const executed: TaskExecuted = {
    type: 'TaskExecuted',
    data: {
      occurrence: run.occurrence,
      attempt: run.attempt,
      outcome: run.outcome,
      startedAt: formatInstant(run.startedAt),
      finishedAt: formatInstant(run.finishedAt),
      durationMs: Math.max(0, run.finishedAt.getTime() - run.startedAt.getTime()),
      ...(run.output === undefined ? {} : { output: truncateOutput(run.output) }),
      ...(run.error === undefined ? {} : { error: run.error }),
    },
  };
  const { retry } = task.definition;
  // A backfill is run to the end of its retry policy whatever the status (its retries stay backfills,
  // so they fire while paused too); other runs retry only while the task is active.
  const backfill = findRunning(task, run.occurrence, run.attempt)?.reason === 'backfill';
  const retryable = backfill ? task.status !== 'deleted' : task.status === 'active';
  const retries = run.outcome !== 'succeeded' && run.attempt < retry.maxAttempts && retryable;
  const retryAt = new Date(run.finishedAt.getTime() + retryDelayMs(retry, run.attempt));
  if (run.outcome !== 'succeeded' && !retries) executed.data.final = true;
  const events = retries
    ? [executed, scheduled(run.occurrence, run.attempt + 1, retryAt, backfill ? 'backfill' : 'retry')]
    : [executed];
  return withCompletion(task, events, now);
}

/** Appends TaskCompleted when, after `events`, an active task has nothing scheduled or running. */
function withCompletion(task: ExistingTaskState, events: TaskEvent[], now: Date): TaskEvent[] {
  const after = foldTaskEvents(events, task);
  const done = after.status === 'active' && after.scheduled.length === 0 && after.running.length === 0;
  return done ? [...events, { type: 'TaskCompleted', data: { completedAt: formatInstant(now) } }] : events;
}

/**
 * A regular occurrence: on the schedule's instant, started later by the task's jitter when it has one
 * (manual runs and retries are asked for at a time and are not jittered).
 */
function regular(
  taskId: string,
  definition: TaskDefinition,
  occurrence: number,
  dueAt: Date,
  reason: ScheduleReason,
): TaskScheduled {
  const event = scheduled(occurrence, 1, dueAt, reason);
  const offset = jitterOffsetMs(taskId, occurrence, definition.jitterMs);
  if (offset > 0) event.data.plannedAt = formatInstant(new Date(dueAt.getTime() + offset));
  return event;
}

function scheduled(occurrence: number, attempt: number, dueAt: Date, reason: ScheduleReason): TaskScheduled {
  return { type: 'TaskScheduled', data: { occurrence, attempt, dueAt: formatInstant(dueAt), reason } };
}

function pick(entry: ScheduledOccurrence) {
  const { occurrence, attempt, dueAt, plannedAt } = entry;
  return plannedAt === undefined ? { occurrence, attempt, dueAt } : { occurrence, attempt, dueAt, plannedAt };
}

function requireExisting(state: TaskState, taskId: string): ExistingTaskState {
  if (state.status === 'none') throw new TaskDomainError('task_not_found', `Task ${taskId} does not exist`);
  return state;
}

/** Any command but delete and a worker's outcome is refused once the task is deleted. */
function requireLive(state: TaskState, taskId: string): ExistingTaskState {
  const task = requireExisting(state, taskId);
  if (task.status === 'deleted') throw deleted(taskId);
  return task;
}

function requireRunning(task: ExistingTaskState, occurrence: number, attempt: number) {
  const running = findRunning(task, occurrence, attempt);
  if (!running) {
    throw new TaskDomainError(
      'execution_not_running',
      `Execution ${occurrence}/${attempt} is not running (never started, or its outcome is already recorded)`,
    );
  }
  return running;
}

function requireValid(definition: TaskDefinition): void {
  const problem = validateDefinition(definition);
  if (problem) {
    throw new TaskDomainError('invalid_definition', `${problem.field}: ${problem.reason}`, problem.field);
  }
}

function deleted(taskId: string): TaskDomainError {
  return new TaskDomainError('task_deleted', `Task ${taskId} is deleted`);
}

function invalidTransition(action: string, task: ExistingTaskState): TaskDomainError {
  return new TaskDomainError('invalid_transition', `Cannot ${action} a task that is ${task.status}`);
}
