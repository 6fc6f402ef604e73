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
  if (definition.name.trim().length === 0) return { field: 'name', reason: 'must not be empty' };
  const scheduleProblem = validateSchedule(definition.schedule);
  if (scheduleProblem !== null) return { field: 'schedule', reason: scheduleProblem };
  for (const [ok, field, reason] of DEFINITION_CHECKS) if (!ok(definition)) return { field, reason };
  return null;
}

const CONCURRENCY = TASK_LIMITS.concurrency;
const CONCURRENCY_KEY = new RegExp(CONCURRENCY_KEY_PATTERN);
const JITTER = TASK_LIMITS.jitterMs;

/**
 * The rest of a definition's checks, in the order they are reported: one table made once, so that
 * checking a definition allocates nothing (a batch of 1,000 registrations checks 1,000; built per
 * call, with its reasons, the table was an eighth of a registration's garbage: 30 of 251 MB).
 */
const DEFINITION_CHECKS: readonly (readonly [(definition: TaskDefinition) => boolean, string, string])[] = [
  [
    ({ action }) => action.kind !== 'http' || isHttpUrl(action.url),
    'action.url',
    'must be an absolute http or https URL',
  ],
  [
    ({ action }) => action.kind !== 'http' || HTTP_METHODS.includes(action.method),
    'action.method',
    `must be one of ${HTTP_METHODS.join(', ')}`,
  ],
  [({ onFailure }) => onFailure === undefined || onFailure.kind === 'http', 'onFailure.kind', 'must be http'],
  [
    ({ onFailure }) => onFailure === undefined || isHttpUrl(onFailure.url),
    'onFailure.url',
    'must be an absolute http or https URL',
  ],
  [
    ({ retry }) => isIntegerAtLeast(retry.maxAttempts, 1),
    'retry.maxAttempts',
    'must be an integer of at least 1',
  ],
  [
    ({ retry }) => isIntegerAtLeast(retry.backoffMs, 0),
    'retry.backoffMs',
    'must be an integer of at least 0',
  ],
  [
    ({ retry }) => Number.isFinite(retry.backoffFactor) && retry.backoffFactor >= 1,
    'retry.backoffFactor',
    'must be at least 1',
  ],
  [
    ({ retry }) => isIntegerAtLeast(retry.maxBackoffMs, 0),
    'retry.maxBackoffMs',
    'must be an integer of at least 0',
  ],
  [({ timeoutMs }) => isIntegerAtLeast(timeoutMs, 1), 'timeoutMs', 'must be an integer of at least 1'],
  [
    ({ jitterMs }) =>
      jitterMs === undefined || (isIntegerAtLeast(jitterMs, JITTER.minimum) && jitterMs <= JITTER.maximum),
    'jitterMs',
    `must be an integer from ${JITTER.minimum} to ${JITTER.maximum}`,
  ],
  [
    ({ concurrency }) =>
      concurrency === undefined ||
      (typeof concurrency.key === 'string' &&
        concurrency.key.length <= CONCURRENCY.keyMaxLength &&
        CONCURRENCY_KEY.test(concurrency.key)),
    'concurrency.key',
    `must be 1 to ${CONCURRENCY.keyMaxLength} letters, digits, . _ - (starting and ending with a letter or digit)`,
  ],
  [
    ({ concurrency }) =>
      concurrency === undefined ||
      (isIntegerAtLeast(concurrency.limit, CONCURRENCY.limit.minimum) &&
        concurrency.limit <= CONCURRENCY.limit.maximum),
    'concurrency.limit',
    `must be an integer from ${CONCURRENCY.limit.minimum} to ${CONCURRENCY.limit.maximum}`,
  ],
];

/**
 * An absolute http(s) URL with a host, written out (`http:/hook` parses, but is not meant). The pattern
 * names the scheme and the start of the host; a WHATWG parse of an http(s) URL fails when its host is
 * empty or malformed, so `canParse` (no URL object made, as `new URL` would for every registration)
 * says the rest.
 */
export function isHttpUrl(url: string): boolean {
  return /^https?:\/\/[^/?#\s]/i.test(url) && URL.canParse(url);
}

function isIntegerAtLeast(value: number, min: number): boolean {
  return Number.isSafeInteger(value) && value >= min;
}
