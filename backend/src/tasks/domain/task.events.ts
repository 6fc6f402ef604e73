/**
 * The facts of a task's life, one stream per task. Payloads are JSON (instants as ISO strings) and
 * versioned by TASK_EVENT_SCHEMA_VERSION, which the store keeps in each event's metadata.
 */
import { parseInstant } from './instant';
import {
  type ConcurrencyLimit,
  type FailureAlert,
  HTTP_METHODS,
  TASK_DEFINITION_FIELDS,
  isRemovable,
  type Instant,
  type TaskDefinition,
} from './task';
import { InvalidTaskEventError } from './task.errors';

/** 2: TaskRegistered may carry its first occurrence (ADR 021). */
export const TASK_EVENT_SCHEMA_VERSION = 2;

export function taskStreamId(taskId: string): string {
  return `task-${taskId}`;
}

/** Why an occurrence was put on the timeline. `backfill`: a past instant run on request, late by design. */
export type ScheduleReason = 'registered' | 'next' | 'retry' | 'manual' | 'resumed' | 'updated' | 'backfill';
export const EXECUTION_OUTCOMES = ['succeeded', 'failed', 'timed_out', 'lost'] as const;
export type ExecutionOutcome = (typeof EXECUTION_OUTCOMES)[number];
export type SkipReason = 'overlap' | 'misfire' | 'calendar';

/**
 * `firstOccurrence`: occurrence 1, attempt 1, scheduled as it registered (reason `registered`), recorded
 * in the registration itself rather than as a TaskScheduled of its own (ADR 021). Streams written
 * before it have that TaskScheduled instead; both fold to the same state. Absent when the schedule
 * has no occurrence (a TaskCompleted follows).
 */
export type TaskRegistered = {
  type: 'TaskRegistered';
  data: {
    definition: TaskDefinition;
    bucket: number;
    registeredAt: Instant;
    firstOccurrence?: { dueAt: Instant; plannedAt?: Instant };
  };
};
/** Only the fields whose value changed. A changed schedule restarts the regular timeline. */
export type TaskUpdated = {
  type: 'TaskUpdated';
  data: { changes: DefinitionChanges; updatedAt: Instant };
};
/** Changed definition fields as recorded: a removed alert or limit is null (see REMOVED_VALUES). */
export type DefinitionChanges = Omit<Partial<TaskDefinition>, 'onFailure' | 'concurrency'> & {
  onFailure?: FailureAlert | null;
  concurrency?: ConcurrencyLimit | null;
};
/**
 * `dueAt` is the schedule's instant (the timeline, misfire catch-up and the ledger reason about it);
 * `plannedAt`, present only when the task's jitter delayed it, is when it is to start (ADR 016).
 */
export type TaskScheduled = {
  type: 'TaskScheduled';
  data: { occurrence: number; attempt: number; dueAt: Instant; reason: ScheduleReason; plannedAt?: Instant };
};
/** `plannedAt` as its TaskScheduled had it: lag is measured from it. */
export type TaskExecutionStarted = {
  type: 'TaskExecutionStarted';
  data: {
    occurrence: number;
    attempt: number;
    dueAt: Instant;
    startedAt: Instant;
    workerId: string;
    plannedAt?: Instant;
    /** Only on a backfill run: its lag (started - due) is by design, not the scheduler's, and not counted. */
    reason?: 'backfill';
    /** It waited for a concurrency slot from this instant until startedAt (absent: no wait). */
    waitingSince?: Instant;
  };
};
export type TaskExecuted = {
  type: 'TaskExecuted';
  data: {
    occurrence: number;
    attempt: number;
    outcome: ExecutionOutcome;
    startedAt: Instant;
    finishedAt: Instant;
    durationMs: number;
    /** At most MAX_OUTPUT_BYTES of UTF-8, see truncateOutput. */
    output?: string;
    error?: string;
    /**
     * On an attempt that did not succeed and after which no retry is scheduled (attempts used up, or
     * the task no longer active): the occurrence failed for good. Failure alerts go by it (ADR 020).
     */
    final?: true;
  };
};
export type TaskOccurrenceSkipped = {
  type: 'TaskOccurrenceSkipped';
  data: {
    occurrence: number;
    dueAt: Instant;
    reason: SkipReason;
    skippedAt: Instant;
    /** For reason `calendar`: the calendar that excluded the due instant, and its revision then. */
    calendarId?: string;
    calendarRevision?: number;
  };
};
/**
 * An occurrence found no free slot of its concurrency key and waits its turn (ADR 019): on record, not
 * skipped. Its start then carries the same waitingSince. Informational: the state does not change.
 */
export type TaskOccurrenceWaiting = {
  type: 'TaskOccurrenceWaiting';
  data: {
    occurrence: number;
    attempt: number;
    dueAt: Instant;
    concurrencyKey: string;
    waitingSince: Instant;
  };
};
export type TaskPaused = { type: 'TaskPaused'; data: { pausedAt: Instant } };
export type TaskResumed = { type: 'TaskResumed'; data: { resumedAt: Instant } };
/** A once task done, or a cron task past its end, with nothing left scheduled or running. */
export type TaskCompleted = { type: 'TaskCompleted'; data: { completedAt: Instant } };
export type TaskDeleted = { type: 'TaskDeleted'; data: { deletedAt: Instant } };

/**
 * Retention (ADR 012): the stream's events through `throughRevision` (the last at `throughPosition`
 * in the global log), recorded before `olderThan`, are removed, their state kept as the stream's
 * base. The task is as it was; the read model drops its execution history through that position.
 */
export type TaskHistoryTruncated = {
  type: 'TaskHistoryTruncated';
  data: { throughRevision: number; throughPosition: number; olderThan: Instant };
};

export type TaskEvent =
  | TaskRegistered
  | TaskUpdated
  | TaskScheduled
  | TaskExecutionStarted
  | TaskExecuted
  | TaskOccurrenceSkipped
  | TaskOccurrenceWaiting
  | TaskPaused
  | TaskResumed
  | TaskCompleted
  | TaskDeleted
  | TaskHistoryTruncated;

export type TaskEventType = TaskEvent['type'];

/** The occurrence an event puts on the timeline: a TaskScheduled's, or a registration's first. */
export function scheduledBy(event: TaskEvent): TaskScheduled['data'] | undefined {
  if (event.type === 'TaskScheduled') return event.data;
  if (event.type !== 'TaskRegistered' || !event.data.firstOccurrence) return undefined;
  return { occurrence: 1, attempt: 1, reason: 'registered', ...event.data.firstOccurrence };
}

/**
 * Events that change what a person edits: a client's If-Match is stale after any of these (the
 * workers' firings and outcomes do not count, or a task firing every second could never be edited).
 */
export const CHANGES_BY_PEOPLE: ReadonlySet<string> = new Set<TaskEventType>([
  'TaskRegistered',
  'TaskUpdated',
  'TaskPaused',
  'TaskResumed',
  'TaskDeleted',
]);

export const MAX_OUTPUT_BYTES = 4096;
const TRUNCATION_MARK = '…[truncated]';

/** Cuts text to at most `maxBytes` of UTF-8, on a character boundary, marking the cut. */
export function truncateOutput(text: string, maxBytes: number = MAX_OUTPUT_BYTES): string {
  if (utf8Length(text) <= maxBytes) return text;
  const mark = utf8Length(TRUNCATION_MARK) <= maxBytes ? TRUNCATION_MARK : '';
  const budget = maxBytes - utf8Length(mark);
  let used = 0;
  let kept = '';
  for (const char of text) {
    used += utf8Length(char);
    if (used > budget) break;
    kept += char;
  }
  return kept + mark;
}

function utf8Length(text: string): number {
  let bytes = 0;
  for (const char of text) {
    const codePoint = char.codePointAt(0) ?? 0;
    bytes += codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
  }
  return bytes;
}

type Check = (value: unknown) => boolean;

const isText: Check = (v) => typeof v === 'string';
const isInstant: Check = (v) => typeof v === 'string' && parseInstant(v) !== null;
const isNumber: Check = (v) => typeof v === 'number' && Number.isFinite(v);
const isWhole: Check = (v) => Number.isSafeInteger(v) && (v as number) >= 0;
const isOrdinal: Check = (v) => Number.isSafeInteger(v) && (v as number) >= 1;
const oneOf =
  (...values: readonly unknown[]): Check =>
  (v) =>
    values.includes(v);
const optional =
  (check: Check): Check =>
  (v) =>
    v === undefined || check(v);
const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const hasFields =
  (checks: Record<string, Check>): Check =>
  (v) =>
    isRecord(v) && Object.entries(checks).every(([field, check]) => check(v[field]));

const SCHEDULE_SHAPES: Record<TaskDefinition['schedule']['kind'], Check> = {
  once: hasFields({ at: isText }),
  cron: hasFields({
    expression: isText,
    timezone: isText,
    startAt: optional(isText),
    endAt: optional(isText),
  }),
  interval: hasFields({ everySeconds: isNumber, startAt: optional(isText) }),
};
const ACTION_SHAPES: Record<TaskDefinition['action']['kind'], Check> = {
  http: hasFields({ url: isText, method: oneOf(...HTTP_METHODS), headers: optional(isRecord) }),
  log: hasFields({ message: isText }),
};
const byKind =
  (shapes: Record<string, Check>): Check =>
  (v) =>
    isRecord(v) && typeof v.kind === 'string' && Object.hasOwn(shapes, v.kind) && shapes[v.kind](v);

/** The structure of each definition field. Meaning (a valid cron, a known zone) is checked at the edge. */
const DEFINITION_FIELD_SHAPES: Record<keyof TaskDefinition, Check> = {
  onFailure: optional(
    hasFields({
      kind: oneOf('http'),
      url: isText,
      headers: optional((v) => isRecord(v) && Object.values(v).every(isText)),
    }),
  ),
  name: isText,
  description: optional(isText),
  schedule: byKind(SCHEDULE_SHAPES),
  action: byKind(ACTION_SHAPES),
  retry: hasFields({
    maxAttempts: isNumber,
    backoffMs: isNumber,
    backoffFactor: isNumber,
    maxBackoffMs: isNumber,
  }),
  timeoutMs: isNumber,
  overlap: oneOf('skip', 'allow'),
  misfire: oneOf('fire_once', 'skip', 'fire_all'),
  labels: optional((v) => isRecord(v) && Object.values(v).every(isText)),
  jitterMs: optional(isWhole),
  concurrency: optional(hasFields({ key: isText, limit: isOrdinal })),
  calendars: optional((v) => Array.isArray(v) && v.every(isText)),
};

const isChanges: Check = (v) =>
  isRecord(v) &&
  Object.entries(v).every(
    ([field, value]) =>
      (TASK_DEFINITION_FIELDS as readonly string[]).includes(field) &&
      (value === undefined ||
        (value === null && isRemovable(field)) || // removed (REMOVED_VALUES)
        DEFINITION_FIELD_SHAPES[field as keyof TaskDefinition](value)),
  );

const EVENT_SHAPES: { [T in TaskEventType]: Record<string, Check> } = {
  TaskRegistered: {
    definition: hasFields(DEFINITION_FIELD_SHAPES),
    bucket: isWhole,
    registeredAt: isInstant,
    firstOccurrence: optional(hasFields({ dueAt: isInstant, plannedAt: optional(isInstant) })),
  },
  TaskUpdated: { changes: isChanges, updatedAt: isInstant },
  TaskScheduled: {
    occurrence: isOrdinal,
    attempt: isOrdinal,
    dueAt: isInstant,
    reason: oneOf('registered', 'next', 'retry', 'manual', 'resumed', 'updated', 'backfill'),
    plannedAt: optional(isInstant),
  },
  TaskExecutionStarted: {
    occurrence: isOrdinal,
    attempt: isOrdinal,
    dueAt: isInstant,
    startedAt: isInstant,
    workerId: isText,
    plannedAt: optional(isInstant),
    reason: optional(oneOf('backfill')),
    waitingSince: optional(isInstant),
  },
  TaskExecuted: {
    occurrence: isOrdinal,
    attempt: isOrdinal,
    outcome: oneOf(...EXECUTION_OUTCOMES),
    startedAt: isInstant,
    finishedAt: isInstant,
    durationMs: isWhole,
    output: optional(isText),
    error: optional(isText),
    final: optional(oneOf(true)),
  },
  TaskOccurrenceSkipped: {
    occurrence: isOrdinal,
    dueAt: isInstant,
    reason: oneOf('overlap', 'misfire', 'calendar'),
    skippedAt: isInstant,
    calendarId: optional(isText),
    calendarRevision: optional(isWhole),
  },
  TaskOccurrenceWaiting: {
    occurrence: isOrdinal,
    attempt: isOrdinal,
    dueAt: isInstant,
    concurrencyKey: isText,
    waitingSince: isInstant,
  },
  TaskPaused: { pausedAt: isInstant },
  TaskResumed: { resumedAt: isInstant },
  TaskCompleted: { completedAt: isInstant },
  TaskDeleted: { deletedAt: isInstant },
  TaskHistoryTruncated: { throughRevision: isWhole, throughPosition: isWhole, olderThan: isInstant },
};

export const TASK_EVENT_TYPES = Object.keys(EVENT_SHAPES) as readonly TaskEventType[];

export function isTaskEventType(type: string): type is TaskEventType {
  return Object.hasOwn(EVENT_SHAPES, type);
}

/**
 * The one gate for events read back from a store, where they arrive as a type name and unknown data.
 * Returns the typed event, or throws InvalidTaskEventError naming every field that does not fit.
 */
export function assertTaskEvent(type: string, data: unknown): TaskEvent {
  if (!isTaskEventType(type)) throw new InvalidTaskEventError(type, ['unknown event type']);
  if (!isRecord(data)) throw new InvalidTaskEventError(type, ['data is not an object']);
  const problems = Object.entries(EVENT_SHAPES[type])
    .filter(([field, check]) => !check(data[field]))
    .map(([field]) => `${field} is missing or malformed`);
  if (problems.length > 0) throw new InvalidTaskEventError(type, problems);
  return { type, data } as TaskEvent;
}
