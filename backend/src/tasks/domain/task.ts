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
import { CONCURRENCY_KEY_PATTERN, TASK_DEFAULTS, TASK_LIMITS } from '../../../../contracts/limits';
import { validateSchedule } from './occurrences';
import { restoreMaskedAlertHeaders, restoreMaskedHeaders } from './secrets';
import {
  type Action,
  type FailureAlert,
  DEFAULT_MISFIRE,
  DEFAULT_OVERLAP,
  DEFAULT_RETRY_POLICY,
  DEFAULT_TIMEOUT_MS,
  HTTP_METHODS,
  REMOVED_VALUES,
  type RemovableField,
  type TaskChangesInput,
  type TaskDefinition,
  type TaskDefinitionInput,
} from './task-definition';

export * from './task-definition';

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
  if (input.labels !== undefined) definition.labels = input.labels;
  if (input.jitterMs !== undefined) definition.jitterMs = input.jitterMs;
  if (input.onFailure) definition.onFailure = input.onFailure;
  if (input.concurrency) definition.concurrency = input.concurrency;
  // Ids in lower case, as their streams are named (`calendar-<id>`), so every reader finds them.
  if (input.calendars !== undefined) definition.calendars = input.calendars.map((id) => id.toLowerCase());
  return withoutRemoved(definition);
}

const REMOVABLE_FIELDS = Object.keys(REMOVED_VALUES) as RemovableField[];

export function isRemovable(field: string): field is RemovableField {
  return Object.hasOwn(REMOVED_VALUES, field);
}

/** The definition without the optional fields that hold their removed value (see REMOVED_VALUES). */
export function withoutRemoved<T extends object>(definition: T): T {
  let kept: T | undefined;
  for (const field of REMOVABLE_FIELDS) {
    if (!(field in definition)) continue;
    const value = (definition as Record<string, unknown>)[field];
    if (value !== undefined && !sameJson(value, REMOVED_VALUES[field])) continue;
    kept ??= { ...definition };
    delete (kept as Record<string, unknown>)[field];
  }
  return kept ?? definition;
}

/** A definition with a partial input applied: given fields replace, a given retry policy merges. */
export function applyChanges(definition: TaskDefinition, changes: TaskChangesInput): TaskDefinition {
  const { retry, action, onFailure, concurrency, ...rest } = changes;
  return withDefaults({
    ...definition,
    ...withoutUndefined(rest),
    ...(action && { action: restoreMaskedHeaders(action, definition.action) }),
    // null removes the alert or the limit: undefined here, which withDefaults leaves out.
    ...(onFailure !== undefined && {
      onFailure: onFailure ? restoreMaskedAlertHeaders(onFailure, definition.onFailure) : undefined,
    }),
    ...(concurrency !== undefined && { concurrency: concurrency ?? undefined }),
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
    ...alertChecks(definition.onFailure),
    [isIntegerAtLeast(retry.maxAttempts, 1), 'retry.maxAttempts', 'must be an integer of at least 1'],
    [isIntegerAtLeast(retry.backoffMs, 0), 'retry.backoffMs', 'must be an integer of at least 0'],
    [
      Number.isFinite(retry.backoffFactor) && retry.backoffFactor >= 1,
      'retry.backoffFactor',
      'must be at least 1',
    ],
    [isIntegerAtLeast(retry.maxBackoffMs, 0), 'retry.maxBackoffMs', 'must be an integer of at least 0'],
    [isIntegerAtLeast(definition.timeoutMs, 1), 'timeoutMs', 'must be an integer of at least 1'],
    [
      definition.jitterMs === undefined ||
        (isIntegerAtLeast(definition.jitterMs, TASK_LIMITS.jitterMs.minimum) &&
          definition.jitterMs <= TASK_LIMITS.jitterMs.maximum),
      'jitterMs',
      `must be an integer from ${TASK_LIMITS.jitterMs.minimum} to ${TASK_LIMITS.jitterMs.maximum}`,
    ],
    ...concurrencyChecks(definition.concurrency),
  ];
  const failed = checks.find(([ok]) => !ok);
  return failed ? { field: failed[1], reason: failed[2] } : null;
}

const CONCURRENCY = TASK_LIMITS.concurrency;
const CONCURRENCY_KEY = new RegExp(CONCURRENCY_KEY_PATTERN);

function concurrencyChecks(concurrency: TaskDefinition['concurrency']): [boolean, string, string][] {
  if (concurrency === undefined) return [];
  const { key, limit } = concurrency;
  return [
    [
      typeof key === 'string' && key.length <= CONCURRENCY.keyMaxLength && CONCURRENCY_KEY.test(key),
      'concurrency.key',
      `must be 1 to ${CONCURRENCY.keyMaxLength} letters, digits, . _ - (starting and ending with a letter or digit)`,
    ],
    [
      isIntegerAtLeast(limit, CONCURRENCY.limit.minimum) && limit <= CONCURRENCY.limit.maximum,
      'concurrency.limit',
      `must be an integer from ${CONCURRENCY.limit.minimum} to ${CONCURRENCY.limit.maximum}`,
    ],
  ];
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

function alertChecks(alert: FailureAlert | undefined): [boolean, string, string][] {
  if (alert === undefined) return [];
  return [
    [alert.kind === 'http', 'onFailure.kind', 'must be http'],
    [isHttpUrl(alert.url), 'onFailure.url', 'must be an absolute http or https URL'],
  ];
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
