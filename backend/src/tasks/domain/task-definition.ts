/** The shape of a task definition: its types, the policies' values and their defaults. No logic. */
import { HTTP_METHODS, REMOVED_VALUES, TASK_DEFINITION_FIELDS } from '../../../../contracts/enums';
import { TASK_DEFAULTS } from '../../../../contracts/limits';

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

export { HTTP_METHODS, REMOVED_VALUES, TASK_DEFINITION_FIELDS };
export type HttpMethod = (typeof HTTP_METHODS)[number];

export type Action =
  | { kind: 'http'; url: string; method: HttpMethod; headers?: Record<string, string>; body?: JsonValue }
  | { kind: 'log'; message: string };

/**
 * Who is told when an occurrence finally fails (its last attempt failed, timed out or was lost) or is
 * misfired: an HTTP POST of a JSON body, sent like an http action (outbound guard, signature). ADR 020.
 */
export interface FailureAlert {
  kind: 'http';
  url: string;
  headers?: Record<string, string>;
}

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

/**
 * At most `limit` executions of the tasks sharing `key` run at once across the cluster; the others wait
 * their turn in due order. Each task starts only while fewer than its own limit hold the key.
 */
export interface ConcurrencyLimit {
  key: string;
  limit: number;
}

export interface TaskDefinition {
  name: string;
  description?: string;
  /** `{ team: "billing" }`: for finding tasks and acting on many at once; absent when there are none. */
  labels?: Record<string, string>;
  /** Ids of calendars whose excluded periods this task does not fire in (ADR 018); absent when none. */
  calendars?: string[];
  schedule: Schedule;
  action: Action;
  retry: RetryPolicy;
  timeoutMs: number;
  overlap: OverlapPolicy;
  misfire: MisfirePolicy;
  /** Each regular occurrence starts up to this many ms after its due instant (see jitter.ts); absent: none. */
  jitterMs?: number;
  /** Called when an occurrence finally fails or is misfired; absent when nobody is to be told. */
  onFailure?: FailureAlert;
  /** Shares a cluster-wide limit of running executions with the tasks of the same key; absent: none. */
  concurrency?: ConcurrencyLimit;
}

/** An action as a client sends it: an http action's method may be left out (POST). */
export type ActionInput =
  Exclude<Action, { kind: 'http' }> | (Omit<HttpAction, 'method'> & { method?: HttpMethod });
export type HttpAction = Extract<Action, { kind: 'http' }>;

/** What a client sends: the policies may be left out, and a retry policy given in part. */
export interface TaskDefinitionInput {
  name: string;
  description?: string;
  /** `{ team: "billing" }`: for finding tasks and acting on many at once; absent when there are none. */
  labels?: Record<string, string>;
  /** Ids of calendars whose excluded periods this task does not fire in (ADR 018); absent when none. */
  calendars?: string[];
  schedule: Schedule;
  action: ActionInput;
  retry?: Partial<RetryPolicy>;
  timeoutMs?: number;
  overlap?: OverlapPolicy;
  misfire?: MisfirePolicy;
  /** 0 (or left out): no jitter. */
  jitterMs?: number;
  onFailure?: FailureAlert;
  concurrency?: ConcurrencyLimit;
}

/** What an update sends: any fields of the input; `null` removes an alert or a concurrency limit. */
export type TaskChangesInput = Omit<Partial<TaskDefinitionInput>, 'onFailure' | 'concurrency'> & {
  onFailure?: FailureAlert | null;
  concurrency?: ConcurrencyLimit | null;
};

/** An optional field an update removes by its removed value (REMOVED_VALUES, in the contract). */
export type RemovableField = DefinitionField<keyof typeof REMOVED_VALUES>;
type DefinitionField<K extends keyof TaskDefinition> = K; // a compile error if the contract names another

// The contract's list of definition fields names this type's fields (compile-time check).
TASK_DEFINITION_FIELDS satisfies readonly (keyof TaskDefinition)[];
