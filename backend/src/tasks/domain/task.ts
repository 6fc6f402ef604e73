/**
 * The task definition: what a user registers, with every policy defaulted.
 *
 * Glossary
 * - task: a named piece of work with a schedule, an action and policies. One event stream per task,
 *   `task-<uuid>`; its state is the fold of that stream.
 * - occurrence: one due time of a task, numbered 1, 2, 3… within the task. A regular occurrence comes
 *   from the schedule; a manual one from "trigger now". The number never changes across retries and
 *   makes the receiver's Idempotency-Key `<taskId>:<occurrence>`.
 * - attempt: one execution of an occurrence, 1 for the first, 2… for retries after a failure.
 * - bucket: a fixed shard of the task space (hash of the task id). Workers own buckets, not tasks.
 * - lease: a worker's time-limited claim on a bucket. An efficiency: correctness comes from the
 *   expected stream revision on append, never from the lease.
 * - position: an event's place in the global log, used by projections and read-your-writes.
 * - revision: an event's place in its task stream; an append names the revision it decided on.
 */
import { HTTP_METHODS, TASK_DEFINITION_FIELDS } from '../../../../contracts/enums';
import { TASK_DEFAULTS } from '../../../../contracts/limits';
import { validateSchedule } from './occurrences';
import { restoreMaskedHeaders } from './secrets';

/** An ISO 8601 instant with an offset, e.g. `2026-11-24T09:00:00Z`. Events keep instants as strings. */
export type Instant = string;

export type Schedule =
  | { kind: 'once'; at: Instant }
  | {
      kind: 'cron';
      /** 5 fields (minute precision) or 6 (seconds first). */
      expression: string;
      /** IANA zone the expression is read in, e.g. `Europe/Berlin`. */
      timezone: string;
      /** First instant an occurrence may have (inclusive). */
      startAt?: Instant;
      /** Last instant an occurrence may have (inclusive); after it the task completes. */
      endAt?: Instant;
    }
  | {
      kind: 'interval';
      /** Whole seconds between occurrences, at least 1. */
      everySeconds: number;
      /** Anchor: occurrences fall on startAt + k × everySeconds; without it, on the registration time. */
      startAt?: Instant;
    };

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export { HTTP_METHODS, TASK_DEFINITION_FIELDS };
export type HttpMethod = (typeof HTTP_METHODS)[number];

export type Action =
  | { kind: 'http'; url: string; method: HttpMethod; headers?: Record<string, string>; body?: JsonValue }
  | { kind: 'log'; message: string };

export interface RetryPolicy {
  /** Attempts per occurrence, the first included: 1 means no retry. */
  maxAttempts: number;
  /** Delay before the first retry. */
  backoffMs: number;
  /** Each further retry waits this many times longer. */
  backoffFactor: number;
  /** Upper bound of any single delay. */
  maxBackoffMs: number;
}

/** `skip`: a regular occurrence due while an execution still runs is skipped and recorded. */
export const OVERLAP_POLICIES = ['skip', 'allow'] as const;
export type OverlapPolicy = (typeof OVERLAP_POLICIES)[number];
/** What happens to occurrences found more than MISFIRE_THRESHOLD_MS late (downtime, pause). */
export const MISFIRE_POLICIES = ['fire_once', 'skip', 'fire_all'] as const;
export type MisfirePolicy = (typeof MISFIRE_POLICIES)[number];

export const DEFAULT_RETRY_POLICY: RetryPolicy = TASK_DEFAULTS.retry;
export const DEFAULT_TIMEOUT_MS: number = TASK_DEFAULTS.timeoutMs;
export const DEFAULT_OVERLAP: OverlapPolicy = TASK_DEFAULTS.overlap;
export const DEFAULT_MISFIRE: MisfirePolicy = TASK_DEFAULTS.misfire;
/** Within this lateness every occurrence fires, so a failover or a short restart loses nothing. */
export const MISFIRE_THRESHOLD_MS = 60_000;
/** fire_all catches up at most this many missed occurrences; older ones are dropped. */
export const MAX_CATCH_UP_OCCURRENCES = 100;

export interface TaskDefinition {
  name: string;
  description?: string;
  schedule: Schedule;
  action: Action;
  retry: RetryPolicy;
  timeoutMs: number;
  overlap: OverlapPolicy;
  misfire: MisfirePolicy;
}

/** An action as a client sends it: an http action's method may be left out (POST). */
export type ActionInput =
  Exclude<Action, { kind: 'http' }> | (Omit<HttpAction, 'method'> & { method?: HttpMethod });
export type HttpAction = Extract<Action, { kind: 'http' }>;

/** What a client sends: the policies may be left out, and a retry policy given in part. */
export interface TaskDefinitionInput {
  name: string;
  description?: string;
  schedule: Schedule;
  action: ActionInput;
  retry?: Partial<RetryPolicy>;
  timeoutMs?: number;
  overlap?: OverlapPolicy;
  misfire?: MisfirePolicy;
}

// The contract's list of definition fields names this type's fields (compile-time check).
TASK_DEFINITION_FIELDS satisfies readonly (keyof TaskDefinition)[];

export function withDefaults(input: TaskDefinitionInput): TaskDefinition {
  const definition: TaskDefinition = {
    name: input.name,
    schedule: input.schedule,
    action:
      input.action.kind === 'http'
        ? { ...input.action, method: input.action.method ?? TASK_DEFAULTS.method }
        : input.action,
    retry: { ...DEFAULT_RETRY_POLICY, ...withoutUndefined(input.retry ?? {}) },
    timeoutMs: input.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    overlap: input.overlap ?? DEFAULT_OVERLAP,
    misfire: input.misfire ?? DEFAULT_MISFIRE,
  };
  // Absent rather than undefined, so a definition survives a JSON round trip unchanged.
  if (input.description !== undefined) definition.description = input.description;
  return definition;
}

/** A definition with a partial input applied: given fields replace, a given retry policy merges. */
export function applyChanges(
  definition: TaskDefinition,
  changes: Partial<TaskDefinitionInput>,
): TaskDefinition {
  const { retry, action, ...rest } = changes;
  return withDefaults({
    ...definition,
    ...withoutUndefined(rest),
    ...(action && { action: restoreMaskedHeaders(action, definition.action) }),
    retry: { ...definition.retry, ...withoutUndefined(retry ?? {}) },
  });
}

/** Deep equality of two definitions as JSON would see them (an undefined field equals a missing one). */
export function sameDefinition(a: TaskDefinition, b: TaskDefinition): boolean {
  return sameJson(a, b);
}

export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => sameJson(item, b[i]));
  }
  const left = withoutUndefined(a as Record<string, unknown>);
  const right = withoutUndefined(b as Record<string, unknown>);
  const keys = Object.keys(left);
  return (
    keys.length === Object.keys(right).length && keys.every((k) => k in right && sameJson(left[k], right[k]))
  );
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export interface DefinitionProblem {
  /** Dotted path of the failing field, e.g. `retry.maxAttempts`, for the API's problem+json. */
  field: string;
  reason: string;
}

/**
 * Checks the meaning of a typed definition (the edge has already checked its shape). decide calls it
 * too, so no command can record a definition the scheduler cannot compute.
 */
export function validateDefinition(definition: TaskDefinition): DefinitionProblem | null {
  const { retry } = definition;
  const scheduleProblem = validateSchedule(definition.schedule);
  const checks: [boolean, string, string][] = [
    [definition.name.trim().length > 0, 'name', 'must not be empty'],
    [scheduleProblem === null, 'schedule', scheduleProblem ?? ''],
    ...actionChecks(definition.action),
    [isIntegerAtLeast(retry.maxAttempts, 1), 'retry.maxAttempts', 'must be an integer of at least 1'],
    [isIntegerAtLeast(retry.backoffMs, 0), 'retry.backoffMs', 'must be an integer of at least 0'],
    [
      Number.isFinite(retry.backoffFactor) && retry.backoffFactor >= 1,
      'retry.backoffFactor',
      'must be at least 1',
    ],
    [isIntegerAtLeast(retry.maxBackoffMs, 0), 'retry.maxBackoffMs', 'must be an integer of at least 0'],
    [isIntegerAtLeast(definition.timeoutMs, 1), 'timeoutMs', 'must be an integer of at least 1'],
  ];
  const failed = checks.find(([ok]) => !ok);
  return failed ? { field: failed[1], reason: failed[2] } : null;
}

function actionChecks(action: Action): [boolean, string, string][] {
  switch (action.kind) {
    case 'http':
      return [
        [isHttpUrl(action.url), 'action.url', 'must be an absolute http or https URL'],
        [HTTP_METHODS.includes(action.method), 'action.method', `must be one of ${HTTP_METHODS.join(', ')}`],
      ];
    case 'log':
      return [];
    default: {
      const _exhaustive: never = action;
      throw new Error(`Unknown action kind in ${JSON.stringify(_exhaustive)}`);
    }
  }
}

/** An absolute http(s) URL with a host, written out (`http:/hook` parses, but is not meant). */
export function isHttpUrl(url: string): boolean {
  if (!/^https?:\/\/[^/?#\s]/i.test(url)) return false;
  try {
    const { protocol, hostname } = new URL(url);
    return (protocol === 'http:' || protocol === 'https:') && hostname !== '';
  } catch {
    return false;
  }
}

function isIntegerAtLeast(value: number, min: number): boolean {
  return Number.isSafeInteger(value) && value >= min;
}
